//! `/users`: the organization's accounts: the list, Add a user, and one account's details
//! (split into its sections: subscription, new password, aliases, status and deletion).

pub mod aliases;
pub mod danger;
pub mod detail;
pub mod list;
pub mod new;
pub mod password;
pub mod subscription;

use leptos::prelude::*;
use leptos_router::components::A;
use shared::ErrorCode;
use shared::dto::{AccountStatus, BillingPeriod, Organization, Plan};

use crate::api::{self, ClientError};
use crate::i18n::{Locale, fill, use_i18n};

/// The plan catalog, loaded by the screen that calls it (one loader for every screen).
pub(crate) fn plans_resource() -> LocalResource<Result<Vec<Plan>, ClientError>> {
    LocalResource::new(|| api::authorized(api::plans))
}

/// The organization (billing period, credit), loaded by the screen that calls it.
pub(crate) fn organization_resource() -> LocalResource<Result<Organization, ClientError>> {
    LocalResource::new(|| api::authorized(api::own_organization))
}

/// The i18n key of a status.
pub(crate) fn status_key(status: AccountStatus) -> &'static str {
    match status {
        AccountStatus::Active => "status.active",
        AccountStatus::Disabled => "status.disabled",
    }
}

/// What one period of `plan` costs under the organization's billing period.
pub(crate) fn period_price(plan: &Plan, period: BillingPeriod) -> i64 {
    if plan.is_free {
        return 0;
    }
    match period {
        BillingPeriod::Monthly => plan.monthly_price_cents,
        BillingPeriod::Yearly => plan.yearly_price_cents,
    }
}

/// `Pro (€7.50 a month)`, `Pro (€90.00 a year)`, `Free (free)`.
pub(crate) fn plan_label(
    locale: Locale,
    plan: &Plan,
    period: BillingPeriod,
    currency: &str,
) -> String {
    let cents = period_price(plan, period);
    let price = if cents == 0 {
        locale.text("users.plan.free").to_owned()
    } else {
        let template = match period {
            BillingPeriod::Monthly => "users.plan.per_month",
            BillingPeriod::Yearly => "users.plan.per_year",
        };
        fill(
            locale.text(template),
            &[("price", &locale.money(cents, currency))],
        )
    };
    format!("{} ({price})", plan.name)
}

/// A plan's name from the catalog, else its code.
pub(crate) fn plan_name(plans: &[Plan], code: &str) -> String {
    plans
        .iter()
        .find(|p| p.code == code)
        .map_or_else(|| code.to_owned(), |p| p.name.clone())
}

/// The `<option>`s of a plan select: each plan with its price for the organization's billing
/// period and currency (`terms`, once known); `choice` is the selected one.
#[component]
pub(crate) fn PlanOptions(
    plans: LocalResource<Result<Vec<Plan>, ClientError>>,
    terms: Signal<Option<(BillingPeriod, String)>>,
    choice: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let locale = i18n.locale.get();
        let terms = terms.get();
        let list = plans
            .with(|p| p.as_ref().and_then(|r| r.as_ref().ok()).cloned())
            .unwrap_or_default();
        if list.is_empty() {
            let (value, code) = (choice.get_untracked(), choice.get_untracked());
            return view! { <option value=value selected>{code}</option> }.into_any();
        }
        list.into_iter()
            .map(|p| {
                let label = match &terms {
                    Some((period, currency)) => plan_label(locale, &p, *period, currency),
                    None => p.name.clone(),
                };
                let value = p.code.clone();
                let code = p.code;
                let selected = move || choice.with(|c| *c == code);
                view! { <option value=value selected=selected>{label}</option> }
            })
            .collect_view()
            .into_any()
    }
}

/// A `credit_insufficient` problem in words, the missing amount in the organization's currency
/// (the problem names only the cents); `None` for any other failure.
pub(crate) fn credit_problem(
    locale: Locale,
    error: &ClientError,
    currency: &str,
) -> Option<String> {
    if error.code() != Some(ErrorCode::CreditInsufficient) {
        return None;
    }
    let cents = error.problem()?.extra.missing_cents?;
    Some(fill(
        locale.text("problem.credit_insufficient"),
        &[("missing", &locale.money(cents, currency))],
    ))
}

/// "Top up the credit", beside a problem about the credit.
#[component]
pub(crate) fn TopUpLink() -> impl IntoView {
    let i18n = use_i18n();
    view! { <A href="/credit">{i18n.tr("users.top_up")}</A> }
}

#[cfg(test)]
pub(crate) mod tests {
    use shared::dto::Caps;

    use super::*;

    pub(crate) fn plan(code: &str, monthly: i64) -> Plan {
        let caps = Caps {
            accounts: 1,
            free_accounts: 1,
            domains: 0,
        };
        Plan {
            code: code.into(),
            name: code[..1].to_uppercase() + &code[1..],
            monthly_price_cents: monthly,
            yearly_price_cents: monthly * 12,
            max_aliases: 10,
            storage_mb: 500,
            caps,
            is_free: monthly == 0,
        }
    }

    #[test]
    fn plans_are_priced_for_the_billing_period() {
        let pro = plan("pro", 750);
        assert_eq!(period_price(&pro, BillingPeriod::Yearly), 9000);
        assert_eq!(
            plan_label(Locale::En, &pro, BillingPeriod::Monthly, "EUR"),
            "Pro (€7.50 a month)"
        );
        assert_eq!(
            plan_label(Locale::It, &pro, BillingPeriod::Yearly, "EUR"),
            "Pro (90,00 € all'anno)"
        );
        assert_eq!(
            plan_label(Locale::En, &plan("free", 0), BillingPeriod::Yearly, "EUR"),
            "Free (free)"
        );
        assert_eq!(plan_name(&[pro], "pro"), "Pro");
        let problem = shared::Problem::new(ErrorCode::CreditInsufficient, "x")
            .with(|x| x.missing_cents = Some(450));
        let error = ClientError::Problem {
            problem: Box::new(problem),
            retry_after: None,
        };
        assert_eq!(
            credit_problem(Locale::It, &error, "EUR").as_deref(),
            Some("Il credito non basta: mancano 4,50 €.")
        );
        assert_eq!(plan_name(&[], "gold"), "gold");
    }
}
