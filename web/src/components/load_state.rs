//! What a screen shows while its data loads or when loading failed.

use leptos::prelude::*;

use super::problem::problem_text;
use super::to_sign_in::ToSignIn;
use crate::api::ClientError;
use crate::i18n::use_i18n;

/// "Loading…", announced politely.
pub fn loading_view() -> AnyView {
    let i18n = use_i18n();
    view! { <p role="status">{i18n.tr("loading")}</p> }.into_any()
}

/// A failed load: back to sign-in on a 401, else the problem in words and "Try again".
pub fn failure_view(error: ClientError, retry: impl Fn() + Copy + 'static) -> AnyView {
    if error.is_unauthorized() {
        return view! { <ToSignIn /> }.into_any();
    }
    let i18n = use_i18n();
    view! {
        <p class="error" role="alert">{move || problem_text(i18n.locale.get(), &error)}</p>
        <button type="button" class="secondary" on:click=move |_| retry()>
            {i18n.tr("try_again")}
        </button>
    }
    .into_any()
}

/// `Some(result)` once loaded: the data through `show`, or [`failure_view`].
pub fn loaded_view<T>(
    state: Option<Result<T, ClientError>>,
    retry: impl Fn() + Copy + 'static,
    show: impl FnOnce(T) -> AnyView,
) -> AnyView {
    match state {
        None => loading_view(),
        Some(Ok(value)) => show(value),
        Some(Err(error)) => failure_view(error, retry),
    }
}
