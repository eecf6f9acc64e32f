//! What came of an action, shown the same way everywhere: the failure in words (`role="alert"`),
//! the success in a status message (`role="status"`), and sign-in again on a 401. Also the small
//! reactive helpers the account screens share; each is one type for every use, which keeps the
//! WebAssembly small.

use leptos::prelude::*;
use shared::ErrorCode;

use crate::api::ClientError;
use crate::components::problem::problem_text;
use crate::components::to_sign_in::ToSignIn;
use crate::i18n::{Locale, use_i18n};

/// `problem_text`, plus the codes of photos, statuses, deletion and subscriptions.
pub fn account_problem_text(locale: Locale, error: &ClientError) -> String {
    let key = match error.code() {
        Some(ErrorCode::OwnerProtected) => "users.problem.owner_protected",
        Some(ErrorCode::AccountNotDisabled) => "users.problem.not_disabled",
        Some(ErrorCode::AliasesOverLimit) => "users.problem.aliases_over_limit",
        Some(ErrorCode::PayloadTooLarge) => "users.photo.too_big",
        Some(ErrorCode::UnsupportedMediaType) => "users.photo.wrong_type",
        _ => return problem_text(locale, error),
    };
    locale.text(key).to_owned()
}

/// `aria-busy` while `pending`.
pub fn busy(pending: Memo<bool>) -> Signal<Option<&'static str>> {
    Signal::derive(move || pending.get().then_some("true"))
}

/// `aria-invalid` while a field has an error.
pub fn invalid(error: Signal<Option<String>>) -> Signal<Option<&'static str>> {
    Signal::derive(move || error.with(|e| e.as_ref().map(|_| "true")))
}

/// The text of an i18n key held in a signal, in the current locale.
pub fn key_text(key: RwSignal<Option<&'static str>>) -> Signal<Option<String>> {
    let i18n = use_i18n();
    Signal::derive(move || key.get().map(|key| i18n.t(key).to_owned()))
}

/// The failure in words (none for a 401, which goes to sign-in instead), then [`Done`].
#[component]
pub fn Outcome(
    failure: Signal<Option<ClientError>>,
    #[prop(optional, into)] done: Option<Signal<Option<String>>>,
    /// Replaces the failure's words (the aliases form keeps some beside its field).
    #[prop(optional)]
    alert: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let alert = alert.unwrap_or_else(|| {
        Signal::derive(move || {
            failure.with(|f| {
                f.as_ref()
                    .filter(|e| !e.is_unauthorized())
                    .map(|e| account_problem_text(i18n.locale.get(), e))
            })
        })
    });
    view! {
        <p class="error" role="alert">{alert}</p>
        <Done failure done=done.unwrap_or_default() />
    }
}

/// The success message, and the way back to sign-in on a 401. Forms show their failure above
/// their fields (`FormState::summary`) and this below their button.
#[component]
pub fn Done(
    failure: Signal<Option<ClientError>>,
    #[prop(into)] done: Signal<Option<String>>,
) -> impl IntoView {
    let signed_out = move || failure.with(|f| f.as_ref().is_some_and(ClientError::is_unauthorized));
    view! {
        <p class="status" role="status">{done}</p>
        <Show when=signed_out>
            <ToSignIn />
        </Show>
    }
}
