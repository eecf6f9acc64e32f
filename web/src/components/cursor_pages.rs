//! A list read page by page: the first page follows its filters (the key), "Load more" appends
//! the next pages of the same key.

use std::future::Future;

use leptos::prelude::*;
use shared::dto::Page;

use super::problem::problem_text;
use crate::api::{self, ClientError};
use crate::i18n::use_i18n;

/// The first page and the key it was asked with.
type First<K, T> = LocalResource<Result<(K, Page<T>), ClientError>>;

/// The pages after the first: the key they belong to, their items and the next cursor.
type Extra<K, T> = RwSignal<Option<(K, Vec<T>, Option<String>)>>;

/// The pages loaded so far. `K` is the filter the list was asked with.
pub struct CursorPages<K: 'static, T: 'static> {
    first: First<K, T>,
    extra: Extra<K, T>,
    load: Action<(), Result<(), ClientError>>,
}

impl<K, T> Clone for CursorPages<K, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K, T> Copy for CursorPages<K, T> {}

/// Reads the first page of `fetch(token, key(), None)` again whenever `key` changes.
pub fn cursor_pages<K, T, F, Fut>(key: impl Fn() -> K + 'static, fetch: F) -> CursorPages<K, T>
where
    K: Clone + PartialEq + Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
    F: Fn(String, K, Option<String>) -> Fut + Copy + 'static,
    Fut: Future<Output = Result<Page<T>, ClientError>> + 'static,
{
    let extra = RwSignal::new(None::<(K, Vec<T>, Option<String>)>);
    let first = LocalResource::new(move || {
        let key = key();
        async move {
            let asked = key.clone();
            let page = api::authorized(move |token| fetch(token, asked.clone(), None)).await?;
            extra.set(None);
            Ok((key, page))
        }
    });
    let load = Action::new_local(move |_: &()| {
        let next = next_untracked(first, extra);
        async move {
            let Some((key, cursor)) = next else {
                return Ok(());
            };
            let asked = key.clone();
            let page =
                api::authorized(move |token| fetch(token, asked.clone(), Some(cursor.clone())))
                    .await?;
            // The filters changed meanwhile: this page belongs to the old list.
            let same = first.with_untracked(|r| matches!(r, Some(Ok((k, _))) if *k == key));
            if same {
                extra.update(|extra| match extra {
                    Some((k, items, next)) if *k == key => {
                        items.extend(page.items);
                        *next = page.next_cursor;
                    }
                    _ => *extra = Some((key, page.items, page.next_cursor)),
                });
            }
            Ok(())
        }
    });
    CursorPages { first, extra, load }
}

/// The key of the shown list and the cursor of its next page, if there is one.
fn next_untracked<K, T>(first: First<K, T>, extra: Extra<K, T>) -> Option<(K, String)>
where
    K: Clone + PartialEq + Send + Sync + 'static,
    T: Send + Sync + 'static,
{
    let (key, first_next) = first.with_untracked(|r| match r {
        Some(Ok((k, page))) => Some((k.clone(), page.next_cursor.clone())),
        _ => None,
    })?;
    let cursor = extra.with_untracked(|extra| match extra {
        Some((k, _, next)) if *k == key => next.clone(),
        _ => first_next,
    })?;
    Some((key, cursor))
}

impl<K, T> CursorPages<K, T>
where
    K: Clone + PartialEq + Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
{
    /// Every item loaded so far, once the first page is there.
    pub fn items(self) -> Option<Result<Vec<T>, ClientError>> {
        let first = self.first.get()?;
        Some(first.map(|(key, page)| {
            let mut items = page.items;
            self.extra.with(|extra| {
                if let Some((k, more, _)) = extra
                    && *k == key
                {
                    items.extend(more.iter().cloned());
                }
            });
            items
        }))
    }

    /// Reads the list again from its first page.
    pub fn reload(self) {
        self.first.refetch();
    }

    fn has_more(self) -> bool {
        self.first.track();
        self.extra.track();
        next_untracked(self.first, self.extra).is_some()
    }

    /// "Load more" while there is a next page, and the failure of the last try.
    pub fn load_more_view(self) -> AnyView {
        load_more_view(self.load, Signal::derive(move || self.has_more()))
    }
}

/// The button of [`CursorPages::load_more_view`], the same for every kind of item.
fn load_more_view(load: Action<(), Result<(), ClientError>>, has_more: Signal<bool>) -> AnyView {
    let i18n = use_i18n();
    let pending = load.pending();
    let error = move || {
        load.value()
            .get()
            .and_then(Result::err)
            .filter(|_| !pending.get())
    };
    view! {
        <p class="error" role="alert">
            {move || error().map(|e| problem_text(i18n.locale.get(), &e))}
        </p>
        <Show when=move || has_more.get()>
            <button
                type="button"
                class="secondary"
                aria-busy=move || pending.get().then_some("true")
                disabled=pending
                on:click=move |_| {
                    load.dispatch(());
                }
            >
                {i18n.tr("users.load_more")}
            </button>
        </Show>
    }
    .into_any()
}
