//! The states of a details page's resource: "Loading…", back to sign-in on a 401, the failure
//! in words with the page's heading, "Try again" and a link back, or the value. Lists use the
//! plainer [`super::load_state`].

use leptos::prelude::*;
use leptos_router::components::A;
use shared::ErrorCode;

use crate::api::ClientError;
use crate::components::load_state::loading_view;
use crate::components::to_sign_in::ToSignIn;
use crate::i18n::{Locale, use_i18n};

/// How a screen tells that its resource could not be loaded.
#[derive(Clone, Copy)]
pub struct LoadFailure {
    /// The screen's heading (i18n key), when the value would have given it (a details page).
    pub title: Option<&'static str>,
    /// A link back: (href, i18n key).
    pub back: Option<(&'static str, &'static str)>,
    /// The failure in words.
    pub explain: fn(Locale, &ClientError) -> String,
}

/// A view of `resource` that follows its state; `ok` shows the value.
pub fn loaded<T: Clone + 'static>(
    resource: LocalResource<Result<T, ClientError>>,
    failure: LoadFailure,
    ok: impl Fn(T) -> AnyView + 'static,
) -> impl Fn() -> AnyView {
    move || match resource.get() {
        None => loading_view(),
        Some(Ok(value)) => ok(value),
        Some(Err(error)) => failed(error, failure, Box::new(move || resource.refetch())),
    }
}

/// The failure, with "Try again" (unless the thing does not exist) and the link back.
fn failed(error: ClientError, failure: LoadFailure, retry: Box<dyn Fn()>) -> AnyView {
    if error.is_unauthorized() {
        return view! { <ToSignIn /> }.into_any();
    }
    let i18n = use_i18n();
    let missing = error.code() == Some(ErrorCode::NotFound);
    let explain = failure.explain;
    view! {
        {failure.title.map(|key| view! { <h1>{i18n.tr(key)}</h1> })}
        <p class="error" role="alert">{move || explain(i18n.locale.get(), &error)}</p>
        <div class="actions">
            {(!missing)
                .then(|| {
                    view! {
                        <button type="button" on:click=move |_| retry()>
                            {i18n.tr("try_again")}
                        </button>
                    }
                })}
            {failure.back.map(|(href, key)| view! { <A href=href>{i18n.tr(key)}</A> })}
        </div>
    }
    .into_any()
}
