//! `/sign-in`: username or email and password; `/`: the role's home screen.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::{A, Redirect};
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::ErrorCode;
use shared::dto::LoginRequest;

use super::replace;
use crate::api::{self, ClientError};
use crate::components::problem::problem_text;
use crate::components::shell::home_of;
use crate::components::to_sign_in::safe_next;
use crate::i18n::{Locale, use_i18n};
use crate::session::{self, StorageUnavailable, Tokens};

/// Why signing in did not end on `/me`.
#[derive(Debug, Clone, PartialEq)]
enum Failure {
    Api(ClientError),
    Storage(StorageUnavailable),
}

impl From<ClientError> for Failure {
    fn from(error: ClientError) -> Self {
        Failure::Api(error)
    }
}

impl From<StorageUnavailable> for Failure {
    fn from(error: StorageUnavailable) -> Self {
        Failure::Storage(error)
    }
}

impl Failure {
    /// The sentence above the form.
    fn message(&self, locale: Locale) -> String {
        match self {
            Failure::Api(error) if error.code() == Some(ErrorCode::Unauthorized) => {
                locale.text("sign_in.wrong").to_owned()
            }
            // The fields say what is wrong, beside themselves.
            Failure::Api(error) if error.has_field_errors() => locale.text("fix_fields").to_owned(),
            Failure::Api(error) => problem_text(locale, error),
            Failure::Storage(error) => error.to_string(),
        }
    }

    fn field(&self, name: &str) -> Option<String> {
        match self {
            Failure::Api(error) => error.field_message(name),
            Failure::Storage(_) => None,
        }
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || safe_next(query.read_untracked().get("next"));
    // Already signed in (in this browser): the home screen checks the token and comes back if
    // it is dead.
    if session::load().is_some() {
        let path = next().unwrap_or_else(|| "/".to_owned());
        return view! { <Redirect path=path options=replace() /> }.into_any();
    }

    let i18n = use_i18n();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let navigate = use_navigate();

    let sign_in = Action::new_local(move |request: &LoginRequest| {
        let request = request.clone();
        let navigate = navigate.clone();
        async move {
            let answer = api::login(&request).await?;
            session::store(&Tokens {
                access_token: answer.access_token,
                refresh_token: answer.refresh_token,
            })?;
            // Back where the expired session left off, else the role's home screen.
            let target = next().unwrap_or_else(|| home_of(answer.account.role).to_owned());
            navigate(&target, NavigateOptions::default());
            Ok::<(), Failure>(())
        }
    });

    let pending = sign_in.pending();
    // Hidden while a new attempt runs, so that the same message is announced again after it.
    let failure = move || {
        if pending.get() {
            return None;
        }
        sign_in.value().get().and_then(Result::err)
    };
    let login_error = move || failure().and_then(|f| f.field("login"));
    let password_error = move || failure().and_then(|f| f.field("password"));

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        sign_in.dispatch(LoginRequest {
            login: login.get_untracked(),
            password: password.get_untracked(),
        });
    };

    view! {
        <section class="card">
            <h1>{i18n.tr("sign_in.title")}</h1>
            <form on:submit=on_submit>
                <p id="sign-in-error" class="error" role="alert">
                    {move || failure().map(|f| f.message(i18n.locale.get()))}
                </p>
                <div class="field">
                    <label for="login">{i18n.tr("sign_in.login")}</label>
                    <input
                        id="login"
                        name="login"
                        type="text"
                        autocomplete="username"
                        autocapitalize="none"
                        spellcheck="false"
                        required
                        autofocus
                        aria-invalid=move || login_error().map(|_| "true")
                        aria-describedby="login-error"
                        bind:value=login
                    />
                    <p id="login-error" class="field-error">{login_error}</p>
                </div>
                <div class="field">
                    <label for="password">{i18n.tr("sign_in.password")}</label>
                    <input
                        id="password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                        aria-invalid=move || password_error().map(|_| "true")
                        aria-describedby="password-error"
                        bind:value=password
                    />
                    <p id="password-error" class="field-error">{password_error}</p>
                </div>
                <button type="submit" aria-busy=move || pending.get().then_some("true")>
                    {i18n.tr("sign_in.submit")}
                </button>
                <p class="status" role="status">
                    {move || pending.get().then(|| i18n.t("sign_in.pending"))}
                </p>
            </form>
            // Pointing at or tabbing to a link starts fetching its screen's code.
            <div
                on:pointerover=|_| crate::screens::preload_signed_out_screens()
                on:focusin=|_| crate::screens::preload_signed_out_screens()
            >
                <p class="aside">
                    <A href="/reset-password">{i18n.tr("reset.forgot")}</A>
                </p>
                <p class="aside">
                    <A href="/sign-up">{i18n.tr("money.signup.link")}</A>
                </p>
            </div>
        </section>
    }
    .into_any()
}

/// `/`: the signed-in person's home screen (by role), or sign-in.
#[component]
pub fn HomePage() -> impl IntoView {
    if session::load().is_none() {
        return view! { <Redirect path="/sign-in" options=replace() /> }.into_any();
    }
    let i18n = use_i18n();
    let me = LocalResource::new(|| api::authorized(api::me));
    view! {
        {move || match me.get() {
            None => view! { <p role="status">{i18n.tr("loading")}</p> }.into_any(),
            Some(Ok(me)) => {
                view! { <Redirect path=home_of(me.account.role) options=replace() /> }.into_any()
            }
            Some(Err(error)) if error.is_unauthorized() => {
                view! { <Redirect path="/sign-in" options=replace() /> }.into_any()
            }
            Some(Err(error)) => view! {
                <section class="card">
                    <p class="error" role="alert">{move || problem_text(i18n.locale.get(), &error)}</p>
                    <button type="button" on:click=move |_| me.refetch()>{i18n.tr("try_again")}</button>
                </section>
            }
            .into_any(),
        }}
    }
    .into_any()
}
