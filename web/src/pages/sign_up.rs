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
    Check, check_external_email, check_name, check_password, check_username, local_message,
};
use crate::components::problem::problem_text;
use crate::i18n::{Locale, use_i18n};
use crate::session;

/// The sentence beside `field` for a failed call: the server's word about that field, or the
/// whole problem when it is about that field alone (its `field` member, or a taken username).
pub(crate) fn field_problem(locale: Locale, error: &ClientError, field: &str) -> Option<String> {
    error
        .field_message(field)
        .or_else(|| (problem_field(error) == Some(field)).then(|| problem_text(locale, error)))
}

fn problem_field(error: &ClientError) -> Option<&str> {
    let problem = error.problem()?;
    match problem.extra.get("field").and_then(|v| v.as_str()) {
        Some(field) => Some(field),
        None => (problem.code == ErrorCode::UsernameTaken).then_some("username"),
    }
}

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

/// The sentence above the form.
fn summary(locale: Locale, failure: &Failure) -> String {
    match failure {
        Failure::Storage => locale.text("money.signup.storage").to_owned(),
        Failure::Api(error) if signup_closed(error) => {
            locale.text("money.signup.disabled").to_owned()
        }
        Failure::Api(error) if error.has_field_errors() || problem_field(error).is_some() => {
            locale.text("fix_fields").to_owned()
        }
        Failure::Api(error) => problem_text(locale, error),
    }
}

/// (field, check, required)
type FieldSpec = (&'static str, Check, bool);

const FIELDS: [FieldSpec; 6] = [
    ("organization_name", check_name, true),
    ("first_name", check_name, true),
    ("last_name", check_name, true),
    ("username", check_username, true),
    ("password", check_password, true),
    ("external_email", check_external_email, false),
];

#[component]
pub fn SignUpPage() -> impl IntoView {
    let i18n = use_i18n();
    let values: [RwSignal<String>; 6] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let tried = RwSignal::new(false);
    // What each field held when the form was sent: the server's word about a field stands
    // until that field is changed.
    let sent = RwSignal::new(Vec::<String>::new());
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
    let failure = move || {
        if pending.get() {
            return None;
        }
        create.value().get().and_then(Result::err)
    };
    let server_message = move |index: usize| {
        let (field, ..) = FIELDS[index];
        let unchanged = sent.with(|s| s.get(index) == Some(&values[index].get()));
        let Some(Failure::Api(error)) = failure().filter(|_| unchanged) else {
            return None;
        };
        field_problem(i18n.locale.get(), &error, field)
    };
    let message = move |index: usize| {
        Signal::derive(move || {
            let (_, check, required) = FIELDS[index];
            let value = values[index].get();
            local_message(i18n.locale.get(), &value, tried.get(), required, check)
                .or_else(|| server_message(index))
        })
    };

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        tried.set(true);
        if pending.get_untracked() {
            return;
        }
        let now: Vec<String> = values.iter().map(|v| v.get_untracked()).collect();
        let invalid = FIELDS
            .iter()
            .zip(&now)
            .any(|((_, check, required), value)| {
                local_message(Locale::En, value, true, *required, *check).is_some()
            });
        if invalid {
            return;
        }
        let external = now[5].trim().to_owned();
        create.dispatch(SignupRequest {
            organization_name: now[0].clone(),
            first_name: now[1].clone(),
            last_name: now[2].clone(),
            username: now[3].clone(),
            password: now[4].clone(),
            external_email: (!external.is_empty()).then_some(external),
        });
        sent.set(now);
    };

    view! {
        <section class="card">
            <h1>{i18n.tr("nav.sign_up")}</h1>
            <p>{i18n.tr("money.signup.intro")}</p>
            <form on:submit=on_submit novalidate>
                <p class="error" role="alert">
                    {move || failure().map(|f| summary(i18n.locale.get(), &f))}
                </p>
                <TextField
                    id="organization-name"
                    name="organization_name"
                    label="money.signup.organization_name"
                    autocomplete="organization"
                    value=values[0]
                    error=message(0)
                />
                <TextField
                    id="first-name"
                    name="first_name"
                    label="money.signup.first_name"
                    autocomplete="given-name"
                    value=values[1]
                    error=message(1)
                />
                <TextField
                    id="last-name"
                    name="last_name"
                    label="money.signup.last_name"
                    autocomplete="family-name"
                    value=values[2]
                    error=message(2)
                />
                <TextField
                    id="username"
                    name="username"
                    label="money.signup.username"
                    autocomplete="username"
                    hint="money.signup.username_hint"
                    value=values[3]
                    error=message(3)
                />
                <TextField
                    id="password"
                    name="password"
                    label="money.signup.password"
                    kind="password"
                    autocomplete="new-password"
                    hint="password.hint"
                    value=values[4]
                    error=message(4)
                />
                <TextField
                    id="external-email"
                    name="external_email"
                    label="money.signup.external_email"
                    kind="email"
                    autocomplete="email"
                    hint="money.signup.external_email_hint"
                    value=values[5]
                    error=message(5)
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

    fn api(code: ErrorCode) -> Failure {
        Failure::Api(ClientError::Problem {
            problem: Box::new(Problem::new(code, "detail")),
            retry_after: None,
        })
    }

    #[test]
    fn fields_are_judged_with_the_shared_parsers() {
        let [org, _, _, username, password, external] = FIELDS;
        assert_eq!(
            local_message(Locale::En, "", true, org.2, org.1),
            Some("This field is required.".to_owned())
        );
        assert_eq!(
            local_message(Locale::En, "", true, external.2, external.1),
            None
        );
        assert!(local_message(Locale::En, "a b", false, username.2, username.1).is_some());
        assert_eq!(
            local_message(Locale::It, "short", false, password.2, password.1).as_deref(),
            Some(Locale::It.text("invalid.password"))
        );
        assert_eq!(
            local_message(Locale::En, "me@example.org", false, external.2, external.1),
            None
        );
    }

    #[test]
    fn closed_sign_up_is_explained() {
        let closed = Locale::En.text("money.signup.disabled");
        assert_eq!(summary(Locale::En, &api(ErrorCode::SignupDisabled)), closed);
        assert_eq!(summary(Locale::En, &api(ErrorCode::NotFound)), closed);
        let page = Failure::Api(ClientError::Unexpected {
            status: 404,
            message: "Not Found".into(),
        });
        assert_eq!(summary(Locale::En, &page), closed);
        assert_eq!(
            summary(Locale::En, &api(ErrorCode::UsernameTaken)),
            "Please correct the fields below."
        );
        let Failure::Api(taken) = api(ErrorCode::UsernameTaken) else {
            unreachable!()
        };
        assert_eq!(
            field_problem(Locale::En, &taken, "username").as_deref(),
            Some("This username is already used.")
        );
        let reserved = ClientError::Problem {
            problem: Box::new(
                Problem::new(ErrorCode::AddressReserved, "reserved").with("field", "username"),
            ),
            retry_after: None,
        };
        assert_eq!(
            field_problem(Locale::En, &reserved, "username").as_deref(),
            Some("This address is reserved.")
        );
        assert_eq!(field_problem(Locale::En, &reserved, "password"), None);
    }
}
