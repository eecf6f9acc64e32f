//! A list read page by page, as the API serves them (`items` and `next_cursor`): the first page
//! follows the list's key (its filters, a search), "Load more" appends the next pages of the same
//! key. The rows are a signal the screen may also edit in place (a row it just created or
//! changed); every paged list of the app is one of these.

use std::future::Future;

use leptos::prelude::*;
use shared::dto::Page;

use super::problem::problem_text;
use super::to_sign_in::ToSignIn;
use crate::api::{self, ClientError};
use crate::i18n::{Locale, use_i18n};

/// Whether two rows are one.
type Same<T> = fn(&T, &T) -> bool;

/// The pages loaded so far of a list.
pub struct CursorPages<T: 'static> {
    /// Every row loaded so far, in order.
    pub rows: RwSignal<Vec<T>>,
    /// The cursor of the next page, while there is one.
    next: RwSignal<Option<String>>,
    /// The first page's fate: `None` while it loads.
    first: RwSignal<Option<Result<(), ClientError>>>,
    /// Why the last "Load more" failed.
    more_failed: RwSignal<Option<ClientError>>,
    /// Changed on starting over, so that a page of the old list is dropped when it arrives.
    generation: RwSignal<u32>,
    load: Action<Option<String>, ()>,
    /// Whether two rows are one (a row the screen added that a later page brings again).
    same: StoredValue<Option<Same<T>>>,
    explain: StoredValue<fn(Locale, &ClientError) -> String>,
}

impl<T> Clone for CursorPages<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for CursorPages<T> {}

/// Reads the first page of `fetch(token, key(), None)` at once and again whenever `key`
/// changes; "Load more" asks `fetch(token, key, cursor)`.
pub fn cursor_pages<K, T, F, Fut>(key: impl Fn() -> K + 'static, fetch: F) -> CursorPages<T>
where
    K: Clone + PartialEq + Send + Sync + 'static,
    T: Send + Sync + 'static,
    F: Fn(String, K, Option<String>) -> Fut + Copy + 'static,
    Fut: Future<Output = Result<Page<T>, ClientError>> + 'static,
{
    let rows = RwSignal::new(Vec::<T>::new());
    let next = RwSignal::new(None::<String>);
    let first = RwSignal::new(None::<Result<(), ClientError>>);
    let more_failed = RwSignal::new(None::<ClientError>);
    let generation = RwSignal::new(0_u32);
    let asked_key = StoredValue::new(None::<K>);
    let same = StoredValue::new(None::<Same<T>>);
    let load = Action::new_local(move |cursor: &Option<String>| {
        let asked = generation.get_untracked();
        let key = asked_key.get_value();
        let cursor = cursor.clone();
        async move {
            let Some(key) = key else { return };
            let is_first = cursor.is_none();
            let page =
                api::authorized(move |token| fetch(token, key.clone(), cursor.clone())).await;
            if generation.get_untracked() != asked {
                return;
            }
            match page {
                Ok(page) => {
                    let same = same.get_value();
                    rows.update(|rows| {
                        // A first page replaces the rows of the list it starts over.
                        if is_first {
                            rows.clear();
                        }
                        for item in page.items {
                            if !same.is_some_and(|same| rows.iter().any(|r| same(r, &item))) {
                                rows.push(item);
                            }
                        }
                    });
                    next.set(page.next_cursor);
                    more_failed.set(None);
                    if is_first {
                        first.set(Some(Ok(())));
                    }
                }
                Err(error) if is_first => {
                    rows.set(Vec::new());
                    first.set(Some(Err(error)));
                }
                Err(error) => more_failed.set(Some(error)),
            }
        }
    });
    let pages = CursorPages {
        rows,
        next,
        first,
        more_failed,
        generation,
        load,
        same,
        explain: StoredValue::new(problem_text),
    };
    // The key read here is tracked: a new key starts the list over.
    Effect::new(move |previous: Option<K>| {
        let key = key();
        if previous.as_ref() != Some(&key) {
            asked_key.set_value(Some(key.clone()));
            pages.reload();
        }
        key
    });
    pages
}

impl<T: Send + Sync + 'static> CursorPages<T> {
    /// Rows that `same` finds equal are kept once.
    pub fn unique_by(self, same: Same<T>) -> Self {
        self.same.set_value(Some(same));
        self
    }

    /// Failures put in words by `explain` (an area's own codes).
    pub fn explained_by(self, explain: fn(Locale, &ClientError) -> String) -> Self {
        self.explain.set_value(explain);
        self
    }

    /// Reads the list again from its first page. The rows shown stay until it arrives (so that
    /// a search typed letter by letter does not flicker), then are replaced.
    pub fn reload(self) {
        self.generation.update(|g| *g = g.wrapping_add(1));
        self.next.set(None);
        self.first.set(None);
        self.more_failed.set(None);
        self.load.dispatch(None);
    }

    /// "Load more" while there is a next page, and why the last one failed.
    fn load_more_view(self) -> AnyView {
        let i18n = use_i18n();
        let load = self.load;
        let next = self.next;
        let more_failed = self.more_failed;
        let explain = self.explain.get_value();
        let pending = load.pending();
        view! {
            <p class="error" role="alert">
                {move || more_failed.get().map(|e| explain(i18n.locale.get(), &e))}
            </p>
            <Show when=move || next.with(Option::is_some)>
                <button
                    type="button"
                    class="secondary"
                    aria-busy=move || pending.get().then_some("true")
                    disabled=pending
                    on:click=move |_| {
                        load.dispatch(next.get_untracked());
                    }
                >
                    {i18n.tr("users.load_more")}
                </button>
            </Show>
        }
        .into_any()
    }

    /// The list's frame around `table`, which draws `rows` itself and is shown once there are
    /// rows: "Loading…", `empty` (an i18n key) for an empty list, a failed first page with
    /// "Try again", and "Load more".
    pub fn view(self, empty: &'static str, table: AnyView) -> AnyView {
        let i18n = use_i18n();
        let rows = self.rows;
        let first = self.first;
        let has_rows = Signal::derive(move || rows.with(|r| !r.is_empty()));
        let status = move || match first.get() {
            None if !has_rows.get() => Some(i18n.t("loading")),
            Some(Ok(())) if !has_rows.get() => Some(i18n.t(empty)),
            _ => None,
        };
        let explain = self.explain.get_value();
        let failure = move || match first.get()? {
            Ok(()) => None,
            Err(error) if error.is_unauthorized() => Some(view! { <ToSignIn /> }.into_any()),
            Err(error) => Some(
                view! {
                    <p class="error" role="alert">
                        {move || explain(i18n.locale.get(), &error)}
                    </p>
                    <button type="button" class="secondary" on:click=move |_| self.reload()>
                        {i18n.tr("try_again")}
                    </button>
                }
                .into_any(),
            ),
        };
        view! {
            <p class="status" role="status">{status}</p>
            {failure}
            <div hidden=move || !has_rows.get()>{table}</div>
            {self.load_more_view()}
        }
        .into_any()
    }
}
