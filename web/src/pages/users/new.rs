//! `/users/new`: "Add a user".

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use shared::ErrorCode;
use shared::dto::{Account, CreateAccountRequest, Plan};
use shared::value::{EmailAddress, Password, Username, parse_name};

use crate::api::{self, ClientError};
use crate::components::field::TextField;
use crate::components::problem::{money, problem_text};
use crate::components::to_sign_in::ToSignIn;
use crate::i18n::{I18n, Locale, fill, use_i18n};

/// The longest first or last name the server accepts.
const NAME_MAX: usize = 100;
/// The domain shown in the address hint when the admin's own domain is not known yet.
const EXAMPLE_DOMAIN: &str = "postwarden.test";

type Check = fn(&str) -> Result<(), String>;

fn check_name(value: &str) -> Result<(), String> {
    parse_name(value, NAME_MAX).map(drop).map_err(|e| e.0)
}

fn check_username(value: &str) -> Result<(), String> {
    Username::parse(value).map(drop).map_err(|e| e.0)
}

fn check_email(value: &str) -> Result<(), String> {
    EmailAddress::parse(value).map(drop).map_err(|e| e.0)
}

fn check_password(value: &str) -> Result<(), String> {
    Password::parse(value).map(drop).map_err(|e| e.0)
}

/// The message beside a field, judged as the person types: an empty field is judged only once
/// they tried to send the form. English shows the parser's own words; Italian the field's rule.
fn local_message(
    locale: Locale,
    value: &str,
    tried: bool,
    check: Check,
    rule_key: &'static str,
) -> Option<String> {
    if value.is_empty() {
        return tried.then(|| locale.text("invalid.required").to_owned());
    }
    let reason = check(value).err()?;
    Some(match locale {
        Locale::En => sentence(&reason),
        Locale::It => locale.text(rule_key).to_owned(),
    })
}

/// `must not be empty` → `Must not be empty.`
fn sentence(reason: &str) -> String {
    let mut chars = reason.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// The field a problem without field errors is about, when there is one.
fn problem_field(error: &ClientError) -> Option<&'static str> {
    match error.code()? {
        ErrorCode::UsernameTaken => Some("username"),
        ErrorCode::AddressTaken | ErrorCode::AddressReserved | ErrorCode::DomainNotVerified => {
            Some("email")
        }
        _ => None,
    }
}

#[component]
pub fn NewUserPage() -> impl IntoView {
    let i18n = use_i18n();
    let first_name = RwSignal::new(String::new());
    let last_name = RwSignal::new(String::new());
    let username = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let plan = RwSignal::new("free".to_owned());
    let tried = RwSignal::new(false);

    let plans = LocalResource::new(|| api::authorized(api::plans));
    // New addresses go on the provider domain, the one of the admin's own address.
    let me = LocalResource::new(|| api::authorized(api::me));
    let domain = move || {
        me.get()
            .and_then(Result::ok)
            .and_then(|me| me.account.email)
            .and_then(|e| e.rsplit_once('@').map(|(_, d)| d.to_owned()))
    };
    let default_email = move || {
        let user = username.get();
        let user = user.trim();
        let user = if user.is_empty() { "username" } else { user };
        format!(
            "{}@{}",
            user.to_lowercase(),
            domain().unwrap_or_else(|| EXAMPLE_DOMAIN.to_owned())
        )
    };

    let navigate = use_navigate();
    let create = Action::new_local(move |request: &CreateAccountRequest| {
        let request = request.clone();
        let navigate = navigate.clone();
        async move {
            let account: Account =
                api::authorized(move |token| api::create_account(token, request.clone())).await?;
            navigate(
                &format!("/users/{}", account.id),
                NavigateOptions::default(),
            );
            Ok::<(), ClientError>(())
        }
    });
    let pending = create.pending();
    let failure = move || {
        if pending.get() {
            return None;
        }
        create.value().get().and_then(Result::err)
    };
    // What each field held when the form was sent: the server's word about a field stands
    // until that field is changed.
    let sent = RwSignal::new(Vec::<(&'static str, String)>::new());
    let server_message = move |field: &'static str, now: String| {
        let unchanged = sent.with(|s| s.iter().any(|(f, v)| *f == field && *v == now));
        if !unchanged {
            return None;
        }
        let error = failure()?;
        error.field_message(field).or_else(|| {
            (problem_field(&error) == Some(field)).then(|| problem_text(i18n.locale.get(), &error))
        })
    };
    let message =
        move |field: &'static str, value: RwSignal<String>, check: Check, rule: &'static str| {
            Signal::derive(move || {
                let now = value.get();
                local_message(i18n.locale.get(), &now, tried.get(), check, rule)
                    .or_else(|| server_message(field, now))
            })
        };
    let first_name_error = message("first_name", first_name, check_name, "invalid.name");
    let last_name_error = message("last_name", last_name, check_name, "invalid.name");
    let username_error = message("username", username, check_username, "invalid.username");
    let password_error = message("password", password, check_password, "invalid.password");
    // An empty address is fine: the default one is used.
    let email_error = Signal::derive(move || {
        let value = email.get();
        if value.is_empty() {
            return server_message("email", value);
        }
        local_message(
            i18n.locale.get(),
            &value,
            true,
            check_email,
            "invalid.email",
        )
        .or_else(|| server_message("email", value))
    });
    let plan_error = Signal::derive(move || server_message("plan", plan.get()));

    let summary = move || {
        let error = failure()?;
        let locale = i18n.locale.get();
        Some(
            if error.has_field_errors() || problem_field(&error).is_some() {
                locale.text("fix_fields").to_owned()
            } else {
                problem_text(locale, &error)
            },
        )
    };
    let signed_out = move || failure().is_some_and(|e| e.is_unauthorized());

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        tried.set(true);
        if pending.get_untracked() {
            return;
        }
        // Only this side's checks hold the form back; the server judges again.
        let locale = i18n.locale.get_untracked();
        let fields: [(RwSignal<String>, Check); 4] = [
            (first_name, check_name),
            (last_name, check_name),
            (username, check_username),
            (password, check_password),
        ];
        let invalid = fields.iter().any(|(value, check)| {
            local_message(locale, &value.get_untracked(), true, *check, "").is_some()
        }) || local_message(locale, &email.get_untracked(), false, check_email, "")
            .is_some();
        if invalid {
            return;
        }
        sent.set(vec![
            ("first_name", first_name.get_untracked()),
            ("last_name", last_name.get_untracked()),
            ("username", username.get_untracked()),
            ("email", email.get_untracked()),
            ("password", password.get_untracked()),
            ("plan", plan.get_untracked()),
        ]);
        let typed = email.get_untracked();
        let address = if typed.trim().is_empty() {
            default_email()
        } else {
            typed
        };
        create.dispatch(CreateAccountRequest {
            first_name: first_name.get_untracked(),
            last_name: last_name.get_untracked(),
            username: username.get_untracked(),
            email: address,
            password: password.get_untracked(),
            plan: Some(plan.get_untracked()),
            personal: None,
        });
    };

    view! {
        <section class="card">
            <h1>{i18n.tr("users.add")}</h1>
            <Show when=signed_out>
                <ToSignIn />
            </Show>
            <form on:submit=on_submit novalidate>
                <p class="error" role="alert">{summary}</p>
                <TextField
                    id="first-name"
                    name="first_name"
                    label="new.first_name"
                    value=first_name
                    error=first_name_error
                    autocomplete="off"
                />
                <TextField
                    id="last-name"
                    name="last_name"
                    label="new.last_name"
                    value=last_name
                    error=last_name_error
                />
                <TextField
                    id="username"
                    name="username"
                    label="new.username"
                    value=username
                    error=username_error
                />
                <TextField
                    id="email"
                    name="email"
                    label="new.email"
                    kind="email"
                    value=email
                    error=email_error
                    placeholder=Signal::derive(default_email)
                />
                <TextField
                    id="password"
                    name="password"
                    label="new.password"
                    kind="password"
                    autocomplete="new-password"
                    hint="password.hint"
                    value=password
                    error=password_error
                />
                <PlanSelect plans plan error=plan_error />
                <div class="actions">
                    <button type="submit" aria-busy=move || pending.get().then_some("true")>
                        {i18n.tr("new.submit")}
                    </button>
                    <A href="/users">{i18n.tr("new.cancel")}</A>
                </div>
                <p class="status" role="status">
                    {move || pending.get().then(|| i18n.t("new.pending"))}
                </p>
            </form>
        </section>
    }
}

/// The plan, `free` first chosen; the catalog comes from the server.
#[component]
fn PlanSelect(
    plans: LocalResource<Result<Vec<Plan>, ClientError>>,
    plan: RwSignal<String>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let options = move || match plans.get() {
        Some(Ok(list)) if !list.is_empty() => list,
        _ => Vec::new(),
    };
    let failed = move || matches!(plans.get(), Some(Err(_)));
    view! {
        <div class="field">
            <label for="plan">{i18n.tr("new.plan")}</label>
            <select
                id="plan"
                name="plan"
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby="plan-error"
                on:change=move |event| plan.set(event_target_value(&event))
            >
                {move || {
                    let list = options();
                    if list.is_empty() {
                        return view! { <option value="free" selected>"free"</option> }
                            .into_any();
                    }
                    list.into_iter()
                        .map(|p| {
                            let code = p.code.clone();
                            let value = p.code.clone();
                            let selected = move || plan.get() == code;
                            view! {
                                <option value=value selected=selected>
                                    {move || plan_label(i18n, &p)}
                                </option>
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </select>
            <p id="plan-error" class="field-error" aria-live="polite">
                {move || {
                    error.get().or_else(|| failed().then(|| i18n.t("new.plans_failed").to_owned()))
                }}
            </p>
        </div>
    }
}

fn plan_label(i18n: I18n, plan: &Plan) -> String {
    let price = if plan.is_free || plan.monthly_price_cents == 0 {
        i18n.t("new.free").to_owned()
    } else {
        fill(
            i18n.t("new.per_month"),
            &[("price", &money(plan.monthly_price_cents, None))],
        )
    };
    format!("{} ({price})", plan.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_judged_as_typed() {
        assert_eq!(
            local_message(Locale::En, "", false, check_username, "invalid.username"),
            None
        );
        assert_eq!(
            local_message(Locale::En, "ab", false, check_username, "invalid.username"),
            Some("Must be 3 to 64 characters long.".to_owned())
        );
        assert_eq!(
            local_message(Locale::It, "", true, check_name, "invalid.name"),
            Some("Questo campo è obbligatorio.".to_owned())
        );
        assert_eq!(
            local_message(Locale::En, "Str0ng-enough", false, check_password, "x"),
            None
        );
    }
}
