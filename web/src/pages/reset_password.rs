//! `/reset-password`: "Forgot your password?" asks for the link by mail; with `?token=…` (the
//! link in that mail) it sets the new password.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use shared::ErrorCode;
use shared::dto::{PasswordResetConfirm, PasswordResetRequest};
use shared::value::Password;

use crate::api::{self, ClientError};
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
    let password = RwSignal::new(String::new());
    // Judge an empty field only once the person tried to send it.
    let tried = RwSignal::new(false);
    let local_error = move || {
        let value = password.get();
        if value.is_empty() && !tried.get() {
            return None;
        }
        let error = Password::parse(&value).err()?;
        Some(match i18n.locale.get() {
            Locale::En => format!("The password {error}."),
            Locale::It => i18n.t("invalid.password").to_owned(),
        })
    };

    let confirm = Action::new_local(|request: &PasswordResetConfirm| {
        let request = request.clone();
        async move { api::confirm_password_reset(&request).await }
    });
    let pending = confirm.pending();
    let result = move || {
        if pending.get() {
            None
        } else {
            confirm.value().get()
        }
    };
    let failure = move || result().and_then(Result::err);
    let done = move || matches!(result(), Some(Ok(())));
    let server_field_error = move || failure().and_then(|e| e.field_message("new_password"));
    let field_error = move || local_error().or_else(server_field_error);

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        tried.set(true);
        if pending.get_untracked() || Password::parse(&password.get_untracked()).is_err() {
            return;
        }
        confirm.dispatch(PasswordResetConfirm {
            token: token.clone(),
            new_password: password.get_untracked(),
        });
    };

    view! {
        <Show
            when=done
            fallback=move || {
                view! {
                    <form on:submit=on_submit.clone()>
                        <p class="error" role="alert">
                            {move || failure().map(|e| failure_message(i18n.locale.get(), &e))}
                        </p>
                        <div class="field">
                            <label for="new-password">{i18n.tr("reset.new_password")}</label>
                            <input
                                id="new-password"
                                name="new_password"
                                type="password"
                                autocomplete="new-password"
                                required
                                autofocus
                                aria-invalid=move || field_error().map(|_| "true")
                                aria-describedby="new-password-hint new-password-error"
                                bind:value=password
                            />
                            <p id="new-password-hint" class="hint">{i18n.tr("password.hint")}</p>
                            <p id="new-password-error" class="field-error" aria-live="polite">
                                {field_error}
                            </p>
                        </div>
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
