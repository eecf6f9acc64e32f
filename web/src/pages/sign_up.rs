//! `/sign-up`: a new organization and its owner, signed in at once.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use shared::ErrorCode;
use shared::dto::SignupRequest;

use crate::api::{self, ClientError};
use crate::components::field::TextField;
use crate::components::form_state::{
    Field, FormState, check_external_email, check_name, check_password, check_username,
};
use crate::components::problem::problem_text;
use crate::i18n::{Locale, use_i18n};
use crate::session;

/// Why signing up did not end on the dashboard.
#[derive(Debug, Clone, PartialEq)]
enum Failure {
    Api(ClientError),
    /// Created, but the browser would not keep the session.
    Storage,
}

/// Whether the server does not take sign-ups (turned off, or not served at all).
fn signup_closed(error: &ClientError) -> bool {
    match error.code() {
        Some(code) => matches!(code, ErrorCode::SignupDisabled | ErrorCode::NotFound),
        None => matches!(error.status(), Some(403 | 404)),
    }
}

/// A refused sign-up in words.
fn explain(locale: Locale, error: &ClientError) -> String {
    if signup_closed(error) {
        locale.text("money.signup.disabled").to_owned()
    } else {
        problem_text(locale, error)
    }
}

/// A taken username is told beside the username.
fn code_field(code: ErrorCode) -> Option<&'static str> {
    (code == ErrorCode::UsernameTaken).then_some("username")
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let i18n = use_i18n();
    let input = |name, check| Field::holding(name, check, String::new());
    let organization = input("organization_name", check_name).required();
    let first = input("first_name", check_name).required();
    let last = input("last_name", check_name).required();
    let username = input("username", check_username).required();
    let password = input("password", check_password).required();
    let external = input("external_email", check_external_email);
    let fields = [organization, first, last, username, password, external];
    let navigate = use_navigate();

    let create = Action::new_local(move |request: &SignupRequest| {
        let request = request.clone();
        let navigate = navigate.clone();
        async move {
            let tokens = api::signup(&request).await.map_err(Failure::Api)?;
            session::store(&tokens).map_err(|_| Failure::Storage)?;
            navigate("/dashboard", NavigateOptions::default());
            Ok::<(), Failure>(())
        }
    });
    let pending = create.pending();
    let failure = Signal::derive(move || {
        if pending.get() {
            return None;
        }
        create.value().get().and_then(Result::err)
    });
    let refused = Signal::derive(move || match failure.get() {
        Some(Failure::Api(error)) => Some(error),
        _ => None,
    });
    let form = FormState::new(refused, code_field).explained_by(explain);
    let refusal = form.summary();
    let summary = move || match failure.get()? {
        Failure::Storage => Some(i18n.t("money.signup.storage").to_owned()),
        Failure::Api(_) => refusal.get(),
    };

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() || !form.ready(&fields) {
            return;
        }
        let value = |field: Field| field.value.get_untracked();
        create.dispatch(SignupRequest {
            organization_name: value(organization),
            first_name: value(first),
            last_name: value(last),
            username: value(username),
            password: value(password),
            external_email: external.text(),
        });
    };

    view! {
        <section class="card">
            <h1>{i18n.tr("nav.sign_up")}</h1>
            <p>{i18n.tr("money.signup.intro")}</p>
            <form on:submit=on_submit novalidate>
                <p class="error" role="alert">{summary}</p>
                <TextField
                    id="organization-name"
                    name="organization_name"
                    label="money.signup.organization_name"
                    autocomplete="organization"
                    value=organization.value
                    error=form.message(organization)
                />
                <TextField
                    id="first-name"
                    name="first_name"
                    label="money.signup.first_name"
                    autocomplete="given-name"
                    value=first.value
                    error=form.message(first)
                />
                <TextField
                    id="last-name"
                    name="last_name"
                    label="money.signup.last_name"
                    autocomplete="family-name"
                    value=last.value
                    error=form.message(last)
                />
                <TextField
                    id="username"
                    name="username"
                    label="money.signup.username"
                    autocomplete="username"
                    hint="money.signup.username_hint"
                    value=username.value
                    error=form.message(username)
                />
                <TextField
                    id="password"
                    name="password"
                    label="money.signup.password"
                    kind="password"
                    autocomplete="new-password"
                    hint="password.hint"
                    value=password.value
                    error=form.message(password)
                />
                <TextField
                    id="external-email"
                    name="external_email"
                    label="money.signup.external_email"
                    kind="email"
                    autocomplete="email"
                    hint="money.signup.external_email_hint"
                    value=external.value
                    error=form.message(external)
                />
                <div class="actions">
                    <button type="submit" aria-busy=move || pending.get().then_some("true")>
                        {i18n.tr("money.signup.submit")}
                    </button>
                </div>
                <p class="status" role="status">
                    {move || pending.get().then(|| i18n.t("money.signup.pending"))}
                </p>
            </form>
            <p class="aside">
                {i18n.tr("money.signup.have_account")} " "
                <A href="/sign-in">{i18n.tr("money.signup.back_to_sign_in")}</A>
            </p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use shared::Problem;

    use super::*;

    fn api(code: ErrorCode) -> ClientError {
        ClientError::Problem {
            problem: Box::new(Problem::new(code, "detail")),
            retry_after: None,
        }
    }

    #[test]
    fn closed_sign_up_is_explained() {
        let closed = Locale::En.text("money.signup.disabled");
        assert_eq!(explain(Locale::En, &api(ErrorCode::SignupDisabled)), closed);
        assert_eq!(explain(Locale::En, &api(ErrorCode::NotFound)), closed);
        let page = ClientError::Unexpected {
            status: 404,
            message: "Not Found".into(),
        };
        assert_eq!(explain(Locale::En, &page), closed);
        assert_eq!(
            explain(Locale::En, &api(ErrorCode::UsernameTaken)),
            "This username is already used."
        );
        assert_eq!(code_field(ErrorCode::UsernameTaken), Some("username"));
        assert_eq!(code_field(ErrorCode::AddressReserved), None);
    }
}
