//! `/users/new`: "Add a user": names, username, the address (its part before @ and a domain of
//! the organization's), a password (typed or generated) and a plan with what it takes from the
//! credit.

use super::{
    PlanOptions, TopUpLink, credit_problem, organization_resource, period_price, plans_resource,
};
use crate::api::{self, ClientError};
use crate::components::field::TextField;
use crate::components::form_state::{
    Field, FormState, check_address, check_name, check_password, check_username, failure_of,
    local_message,
};
use crate::components::outcome::{Done, busy, invalid};
use crate::components::password::NewPasswordField;
use crate::components::problem::problem_text;
use crate::components::shell::use_me;
use crate::i18n::{Locale, fill, use_i18n};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use shared::ErrorCode;
use shared::dto::{Account, BillingPeriod, CreateAccountRequest, Organization, Plan};

/// The domain shown while the provider domain is not known yet.
const EXAMPLE_DOMAIN: &str = "postwarden.test";

/// The field a problem without field errors is about, when there is one.
fn problem_field(code: ErrorCode) -> Option<&'static str> {
    match code {
        ErrorCode::UsernameTaken => Some("username"),
        ErrorCode::AddressTaken | ErrorCode::AddressReserved | ErrorCode::DomainNotVerified => {
            Some("email")
        }
        ErrorCode::CreditInsufficient => Some("plan"),
        _ => None,
    }
}

/// The address: the typed part before @ (else the username) on the chosen domain.
fn full_address(local: &str, username: &str, domain: &str) -> String {
    let local = local.trim();
    let local = if local.is_empty() {
        username.trim()
    } else {
        local
    };
    format!("{}@{domain}", local.to_lowercase())
}

/// What adding a user on `plan` does to the credit, and whether the credit covers it.
fn plan_cost(locale: Locale, plan: &Plan, org: &Organization) -> (String, bool) {
    let price = period_price(plan, org.billing_period);
    if price == 0 {
        return (locale.text("users.new.cost_free").to_owned(), true);
    }
    let money = |cents| locale.money(cents, &org.credit.currency);
    let balance = org.credit.balance_cents;
    let period = locale.text(match org.billing_period {
        BillingPeriod::Monthly => "users.period.month",
        BillingPeriod::Yearly => "users.period.year",
    });
    let after = balance - price;
    let (template, covered) = if after >= 0 {
        ("users.new.cost", true)
    } else {
        ("users.new.cost_missing", false)
    };
    let text = fill(
        locale.text(template),
        &[
            ("period", period),
            ("price", &money(price)),
            ("balance", &money(balance)),
            ("after", &money(after)),
            ("missing", &money(-after)),
        ],
    );
    (text, covered)
}

#[component]
pub fn NewUserPage() -> impl IntoView {
    let i18n = use_i18n();
    let first_name = RwSignal::new(String::new());
    let last_name = RwSignal::new(String::new());
    let username = RwSignal::new(String::new());
    let local = RwSignal::new(String::new());
    let chosen_domain = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let plan = RwSignal::new("free".to_owned());

    let plans = plans_resource();
    let organization = organization_resource();
    let domains = LocalResource::new(|| api::authorized(api::verified_domain_names));
    // The provider domain is the one of the admin's own address.
    let me = use_me();
    let provider = move || {
        me.get()
            .and_then(|me| me.account.email)
            .and_then(|e| e.rsplit_once('@').map(|(_, d)| d.to_owned()))
    };
    let offered = Signal::derive(move || {
        let mut names: Vec<String> = provider().into_iter().collect();
        if let Some(Ok(verified)) = domains.get() {
            names.extend(
                verified
                    .into_iter()
                    .filter(|d| Some(d) != provider().as_ref()),
            );
        }
        names
    });
    let domain = Signal::derive(move || {
        let chosen = chosen_domain.get();
        if chosen.is_empty() {
            offered
                .get()
                .into_iter()
                .next()
                .unwrap_or_else(|| EXAMPLE_DOMAIN.to_owned())
        } else {
            chosen
        }
    });
    let address = move || full_address(&local.get(), &username.get(), &domain.get());

    let navigate = use_navigate();
    let create = Action::new_local(move |request: &CreateAccountRequest| {
        let request = request.clone();
        let navigate = navigate.clone();
        async move {
            let account: Account =
                api::authorized(move |token| api::create_account(token, request.clone())).await?;
            navigate(
                &format!("/users/{}?created=1", account.id),
                NavigateOptions::default(),
            );
            Ok::<(), ClientError>(())
        }
    });
    let pending = create.pending();
    let state = FormState::new(failure_of(create), problem_field);
    let first_name_field = Field::new("first_name", first_name, check_name).required();
    let last_name_field = Field::new("last_name", last_name, check_name).required();
    let username_field = Field::new("username", username, check_username).required();
    let password_field = Field::new("password", password, check_password).required();
    // The address is judged whole; on the provider domain it must be the username.
    let email_error = Signal::derive(move || {
        let locale = i18n.locale.get();
        let full = address();
        let typed = local.get();
        let on_provider = provider().is_some_and(|p| p == domain.get());
        let own = if typed.trim().is_empty() {
            None
        } else if on_provider && typed.trim().to_lowercase() != username.get().trim().to_lowercase()
        {
            Some(fill(
                locale.text("users.new.provider_local"),
                &[("domain", &domain.get())],
            ))
        } else {
            local_message(locale, &full, true, false, check_address)
        };
        own.or_else(|| state.server_message(locale, "email", &full))
    });
    let credit_refused = Signal::derive(move || {
        state
            .failure()
            .is_some_and(|e| e.code() == Some(ErrorCode::CreditInsufficient))
    });
    // A want of credit is told in the organization's currency.
    let plan_error = Signal::derive(move || {
        let locale = i18n.locale.get();
        let message = state.server_message(locale, "plan", &plan.get())?;
        let currency = organization
            .get()
            .and_then(Result::ok)
            .map(|o| o.credit.currency);
        let in_currency = state
            .failure()
            .zip(currency)
            .and_then(|(error, currency)| credit_problem(locale, &error, &currency));
        Some(in_currency.unwrap_or(message))
    });

    let placeholder = Signal::derive(move || {
        let user = username.get();
        if user.trim().is_empty() {
            i18n.t("users.username").to_lowercase()
        } else {
            user.trim().to_lowercase()
        }
    });
    let address_hint =
        Signal::derive(move || fill(i18n.t("users.new.address_hint"), &[("address", &address())]));
    let domains_failed = Signal::derive(move || match domains.get() {
        Some(Err(error)) if !error.is_unauthorized() => Some(format!(
            "{} {}",
            i18n.t("users.new.domains_failed"),
            problem_text(i18n.locale.get(), &error),
        )),
        _ => None,
    });
    let status = Signal::derive(move || {
        pending
            .get()
            .then(|| i18n.t("users.new.pending").to_owned())
    });
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let fields = [
            first_name_field,
            last_name_field,
            username_field,
            password_field,
        ];
        let address_ok = email_error.get_untracked().is_none();
        if !state.ready(&fields) || !address_ok {
            return;
        }
        let email = address();
        state.remember("email", email.clone());
        state.remember("plan", plan.get_untracked());
        create.dispatch(CreateAccountRequest {
            first_name: first_name.get_untracked(),
            last_name: last_name.get_untracked(),
            username: username.get_untracked(),
            email,
            password: password.get_untracked(),
            plan: Some(plan.get_untracked()),
            personal: None,
        });
    };

    view! {
        <section class="card">
            <h1>{i18n.tr("users.add")}</h1>
            <form on:submit=on_submit novalidate>
                <p class="error" role="alert">{state.summary()}</p>
                <TextField
                    id="first-name"
                    name="first_name"
                    label="users.first_name"
                    value=first_name
                    error=state.message(first_name_field)
                />
                <TextField
                    id="last-name"
                    name="last_name"
                    label="users.last_name"
                    value=last_name
                    error=state.message(last_name_field)
                />
                <TextField
                    id="username"
                    name="username"
                    label="users.username"
                    value=username
                    error=state.message(username_field)
                />
                <div class="address-row">
                    <div class="field">
                        <label for="email">{i18n.tr("users.new.address")}</label>
                        <input
                            id="email"
                            name="email"
                            type="text"
                            autocomplete="off"
                            spellcheck="false"
                            placeholder=placeholder
                            aria-invalid=invalid(email_error)
                            aria-describedby="email-hint email-error"
                            bind:value=local
                        />
                    </div>
                    <span class="at" aria-hidden="true">"@"</span>
                    <div class="field">
                        <label for="domain">{i18n.tr("users.new.domain")}</label>
                        <select
                            id="domain"
                            name="domain"
                            aria-describedby="domain-error"
                            on:change=move |event| chosen_domain.set(event_target_value(&event))
                        >
                            {move || {
                                offered
                                    .get()
                                    .into_iter()
                                    .map(|name| {
                                        let value = name.clone();
                                        let selected = {
                                            let name = name.clone();
                                            move || domain.get() == name
                                        };
                                        view! {
                                            <option value=value selected=selected>{name}</option>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </select>
                    </div>
                </div>
                <p id="email-hint" class="hint" aria-live="polite">{address_hint}</p>
                <p id="email-error" class="field-error" aria-live="polite">{email_error}</p>
                <p id="domain-error" class="field-error" aria-live="polite">{domains_failed}</p>
                <NewPasswordField
                    id="password"
                    name="password"
                    label="users.new.password"
                    value=password
                    error=state.message(password_field)
                />
                <PlanSelect plans organization plan error=plan_error credit_refused />
                <div class="actions">
                    <button type="submit" aria-busy=busy(pending)>
                        {i18n.tr("users.add")}
                    </button>
                    <A href="/users">{i18n.tr("users.back")}</A>
                </div>
                <Done failure=state.failure_signal() done=status />
            </form>
        </section>
    }
}

/// The plan, `free` first chosen, each with its price for the organization's billing period,
/// and below it what the chosen one takes from the credit.
#[component]
fn PlanSelect(
    plans: LocalResource<Result<Vec<Plan>, ClientError>>,
    organization: LocalResource<Result<Organization, ClientError>>,
    plan: RwSignal<String>,
    error: Signal<Option<String>>,
    /// Whether the server refused the last sending for want of credit.
    credit_refused: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let org = move || organization.get().and_then(Result::ok);
    let terms = Signal::derive(move || org().map(|o| (o.billing_period, o.credit.currency)));
    let cost = Signal::derive(move || {
        let chosen = plans.with(|p| {
            p.as_ref()
                .and_then(|r| r.as_ref().ok())
                .and_then(|list| list.iter().find(|p| p.code == plan.get()).cloned())
        })?;
        Some(plan_cost(i18n.locale.get(), &chosen, &org()?))
    });
    let message = Signal::derive(move || {
        let locale = i18n.locale.get();
        let failed = |resource: Option<Result<(), ClientError>>, key| match resource {
            Some(Err(e)) if !e.is_unauthorized() => {
                Some(format!("{} {}", locale.text(key), problem_text(locale, &e)))
            }
            _ => None,
        };
        error
            .get()
            .or_else(|| failed(plans.get().map(|r| r.map(drop)), "users.new.plans_failed"))
            .or_else(|| {
                failed(
                    organization.get().map(|r| r.map(drop)),
                    "users.new.credit_failed",
                )
            })
    });
    let cost_text = Signal::derive(move || cost.with(|c| c.as_ref().map(|(text, _)| text.clone())));
    let short_of_credit = move || {
        credit_refused.get() || cost.with(|c| c.as_ref().is_some_and(|(_, covered)| !covered))
    };
    view! {
        <div class="field">
            <label for="plan">{i18n.tr("users.plan")}</label>
            <select
                id="plan"
                name="plan"
                aria-invalid=invalid(error)
                aria-describedby="plan-cost plan-error"
                on:change=move |event| plan.set(event_target_value(&event))
            >
                <PlanOptions plans terms choice=plan />
            </select>
            <p id="plan-cost" class="hint" aria-live="polite">{cost_text}</p>
            <p id="plan-error" class="field-error" aria-live="polite">{message}</p>
            <Show when=short_of_credit>
                <p>
                    <TopUpLink />
                </p>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use shared::dto::{Caps, Credit};
    use uuid::Uuid;

    use super::*;
    use crate::pages::users::tests::plan;

    fn organization(balance_cents: i64, billing_period: BillingPeriod) -> Organization {
        let caps = Caps {
            accounts: 25,
            free_accounts: 5,
            domains: 1,
        };
        Organization {
            id: Uuid::nil(),
            name: "Org".into(),
            owner_account_id: Uuid::nil(),
            owner_username: "owner".into(),
            plan: "entry".into(),
            provisioning_plan: "free".into(),
            billing_period,
            caps,
            usage: caps,
            credit: Credit {
                balance_cents,
                currency: "EUR".into(),
            },
            created_at: Utc.with_ymd_and_hms(2026, 4, 14, 9, 30, 0).unwrap(),
        }
    }

    #[test]
    fn the_address_defaults_to_the_username() {
        assert_eq!(full_address("", " Ada ", "example.org"), "ada@example.org");
        assert_eq!(
            full_address("Sales", "ada", "example.org"),
            "sales@example.org"
        );
    }

    #[test]
    fn the_plan_says_what_it_takes_from_the_credit() {
        let monthly = organization(2000, BillingPeriod::Monthly);
        let (text, covered) = plan_cost(Locale::En, &plan("pro", 750), &monthly);
        assert!(covered);
        assert_eq!(
            text,
            "The first month takes €7.50 from the credit: the balance goes from €20.00 to €12.50."
        );
        let yearly = organization(2000, BillingPeriod::Yearly);
        let (text, covered) = plan_cost(Locale::En, &plan("pro", 750), &yearly);
        assert!(!covered);
        assert_eq!(
            text,
            "The first year costs €90.00, but the credit holds €20.00: €70.00 more is needed."
        );
        let (_, covered) = plan_cost(Locale::It, &plan("free", 0), &yearly);
        assert!(covered);
    }

    #[test]
    fn problems_find_their_fields() {
        assert_eq!(problem_field(ErrorCode::UsernameTaken), Some("username"));
        assert_eq!(problem_field(ErrorCode::CreditInsufficient), Some("plan"));
        assert_eq!(problem_field(ErrorCode::LimitReached), None);
    }
}
