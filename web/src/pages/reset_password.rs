//! `/reset-password`: "Forgot your password?" asks for the link by mail; with `?token=…` (the
//! link in that mail) it sets the new password.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use shared::ErrorCode;
use shared::dto::{PasswordResetConfirm, PasswordResetRequest};

use crate::api::{self, ClientError};
use crate::components::form_state::{
    Field, FormState, check_password, failure_of, no_code_field, success_of,
};
use crate::components::password::NewPasswordField;
use crate::components::problem::problem_text;
use crate::i18n::{Locale, use_i18n};

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    // A memo: the router sets the query again when a lazily loaded route finishes loading, and
    // the form below must not be rebuilt (and emptied) unless the token itself changes.
    let token = Memo::new(move |_| query.read().get("token").filter(|t| !t.trim().is_empty()));

    view! {
        <section class="card">
            <h1>
                {move || i18n.t(if token.read().is_some() { "reset.title" } else { "reset.forgot" })}
            </h1>
            {move || match token.get() {
                Some(token) => view! { <ResetForm token /> }.into_any(),
                None => view! { <RequestForm /> }.into_any(),
            }}
        </section>
    }
}

/// "Forgot your password?": the server mails a single-use link to the account's external
/// address, if it has one. The answer is the same whether or not the login exists.
#[component]
fn RequestForm() -> impl IntoView {
    let i18n = use_i18n();
    let login = RwSignal::new(String::new());
    let send = Action::new_local(|request: &PasswordResetRequest| {
        let request = request.clone();
        async move { api::request_password_reset(&request).await }
    });
    let pending = send.pending();
    let answer = move || send.value().get().filter(|_| !pending.get());
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let typed = login.get_untracked();
        if !pending.get_untracked() && !typed.trim().is_empty() {
            send.dispatch(PasswordResetRequest { login: typed });
        }
    };
    view! {
        <p>{i18n.tr("reset.request_text")}</p>
        <form on:submit=on_submit>
            <div class="field">
                <label for="reset-login">{i18n.tr("sign_in.login")}</label>
                <input
                    id="reset-login"
                    name="login"
                    type="text"
                    autocomplete="username"
                    autocapitalize="none"
                    spellcheck="false"
                    required
                    bind:value=login
                />
            </div>
            <button type="submit" aria-busy=move || pending.get().then_some("true")>
                {i18n.tr("reset.request_submit")}
            </button>
            <p class="status" role="status">
                {move || matches!(answer(), Some(Ok(()))).then(|| i18n.t("reset.request_sent"))}
            </p>
            <p class="error" role="alert">
                {move || {
                    answer().and_then(Result::err).map(|e| problem_text(i18n.locale.get(), &e))
                }}
            </p>
        </form>
        <p>
            <A href="/sign-in">{i18n.tr("go_sign_in")}</A>
        </p>
    }
}

#[component]
fn ResetForm(token: String) -> impl IntoView {
    let i18n = use_i18n();
    let password = Field::holding("new_password", check_password, String::new()).required();
    let confirm = Action::new_local(|request: &PasswordResetConfirm| {
        let request = request.clone();
        async move { api::confirm_password_reset(&request).await }
    });
    let pending = confirm.pending();
    let form = FormState::new(failure_of(confirm), no_code_field);
    let done = success_of(confirm);
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() || !form.ready(&[password]) {
            return;
        }
        confirm.dispatch(PasswordResetConfirm {
            token: token.clone(),
            new_password: password.value.get_untracked(),
        });
    };

    view! {
        <Show
            when=move || done.get()
            fallback=move || {
                view! {
                    <form on:submit=on_submit.clone() novalidate>
                        <p class="error" role="alert">
                            {move || form.failure().map(|e| failure_message(i18n.locale.get(), &e))}
                        </p>
                        <NewPasswordField
                            id="new-password"
                            name="new_password"
                            label="reset.new_password"
                            value=password.value
                            error=form.message(password)
                            autofocus=true
                        />
                        <button type="submit" aria-busy=move || pending.get().then_some("true")>
                            {i18n.tr("reset.submit")}
                        </button>
                    </form>
                }
            }
        >
            <p class="success" role="status">{i18n.tr("reset.done")}</p>
            <p>
                <A href="/">{i18n.tr("reset.sign_in")}</A>
            </p>
        </Show>
    }
}

fn failure_message(locale: Locale, error: &ClientError) -> String {
    let token_refused =
        error.code() == Some(ErrorCode::InvalidToken) || error.field_message("token").is_some();
    if token_refused {
        locale.text("reset.invalid_link").to_owned()
    } else if error.field_message("new_password").is_some() {
        locale.text("reset.other_password").to_owned()
    } else {
        problem_text(locale, error)
    }
}
