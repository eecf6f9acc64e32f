//! `/dashboard`: the organization at a glance: plan, billing period, limits and usage, credit,
//! domains needing attention, shortcuts; and the billing period and name, which can be changed.

mod settings;

use leptos::prelude::*;
use leptos_router::components::A;
use shared::dto::{BillingPeriod, DnsRecordStatus, Domain, DomainStatus, Organization};

use crate::api;
use crate::components::load_state::loaded_view;
use crate::i18n::{Locale, fill, use_i18n};
use settings::{BillingPeriodForm, RenameForm};

pub(crate) fn period_key(period: BillingPeriod) -> &'static str {
    match period {
        BillingPeriod::Monthly => "money.period.monthly",
        BillingPeriod::Yearly => "money.period.yearly",
    }
}

/// Why a domain needs the admin (an i18n key), if it does. The list does not check DNS live
/// (its records say `unchecked`), so only records found missing or wrong count.
fn attention(domain: &Domain) -> Option<&'static str> {
    if domain.status == DomainStatus::Pending {
        return Some("money.dash.domain_pending");
    }
    domain
        .dns_records
        .iter()
        .any(|r| matches!(r.status, DnsRecordStatus::Missing | DnsRecordStatus::Wrong))
        .then_some("money.dash.domain_records")
}

/// `3 of 25`.
fn n_of_max(locale: Locale, n: i64, max: i64) -> String {
    fill(
        locale.text("money.dash.n_of_max"),
        &[("n", &n.to_string()), ("max", &max.to_string())],
    )
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let organization = LocalResource::new(|| api::authorized(api::organization));
    let content = move || {
        loaded_view(
            organization.get(),
            move || organization.refetch(),
            |org| view! { <Overview org /> }.into_any(),
        )
    };
    view! {
        <section class="card wide money">
            <h1>{i18n.tr("nav.dashboard")}</h1>
            {content}
        </section>
    }
}

#[component]
fn Overview(org: Organization) -> impl IntoView {
    let i18n = use_i18n();
    // What the last change answered; until then, what was loaded.
    let saved = RwSignal::new(None::<Organization>);
    let initial = org.clone();
    let current = move || saved.get().unwrap_or_else(|| initial.clone());
    let name = {
        let current = current.clone();
        move || current().name
    };
    let period = {
        let current = current.clone();
        move || i18n.t(period_key(current().billing_period))
    };
    let balance = move || {
        i18n.locale
            .get()
            .money(org.credit.balance_cents, &org.credit.currency)
    };
    let caps = [
        (
            "accounts",
            "money.dash.cap.accounts",
            org.usage.accounts,
            org.caps.accounts,
        ),
        (
            "free-accounts",
            "money.dash.cap.free_accounts",
            org.usage.free_accounts,
            org.caps.free_accounts,
        ),
        (
            "domains",
            "money.dash.cap.domains",
            org.usage.domains,
            org.caps.domains,
        ),
    ];
    let usage = caps
        .into_iter()
        .map(|(id, label, used, cap)| {
            let id = format!("usage-{id}");
            let text_id = format!("{id}-text");
            view! {
                <div class="usage">
                    <label for=id.clone()>{i18n.tr(label)}</label>
                    // Green below 80 %, amber up to the cap, red at it.
                    <meter
                        id=id
                        min="0"
                        max=cap.max(0)
                        value=used
                        low=cap as f64 * 0.8
                        high=cap as f64 - 0.5
                        optimum="0"
                        aria-describedby=text_id.clone()
                    ></meter>
                    <span id=text_id>{move || n_of_max(i18n.locale.get(), used, cap)}</span>
                </div>
            }
            .into_any()
        })
        .collect::<Vec<AnyView>>();

    view! {
        <h2>{i18n.tr("money.dash.organization")}</h2>
        <dl class="facts">
            <dt>{i18n.tr("money.dash.name")}</dt>
            <dd>{name}</dd>
            <dt>{i18n.tr("money.dash.plan")}</dt>
            <dd>{org.plan.clone()}</dd>
            <dt>{i18n.tr("money.dash.billing_period")}</dt>
            <dd>{period}</dd>
        </dl>
        <h2>{i18n.tr("money.dash.usage")}</h2>
        <p class="hint">{i18n.tr("money.dash.usage_hint")}</p>
        <div class="usages">{usage}</div>
        <h2>{i18n.tr("nav.credit")}</h2>
        <dl class="facts">
            <dt>{i18n.tr("money.balance")}</dt>
            <dd class="balance">{balance}</dd>
        </dl>
        <p>
            <A href="/credit">{i18n.tr("money.dash.credit_link")}</A>
        </p>
        <DomainsNeedingAttention />
        <h2>{i18n.tr("money.dash.shortcuts")}</h2>
        <ul class="shortcuts">
            <li>
                <A href="/users/new">{i18n.tr("users.add")}</A>
            </li>
            <li>
                <A href="/domains">{i18n.tr("money.dash.add_domain")}</A>
            </li>
        </ul>
        <BillingPeriodForm period=org.billing_period saved />
        <RenameForm name=org.name saved />
    }
}

#[component]
fn DomainsNeedingAttention() -> impl IntoView {
    let i18n = use_i18n();
    let domains = LocalResource::new(|| api::authorized(api::organization_domains));
    let list = move || {
        loaded_view(
            domains.get(),
            move || domains.refetch(),
            |page| {
                let items: Vec<_> = page
                    .items
                    .into_iter()
                    .filter_map(|d| attention(&d).map(|why| (d, why)))
                    .collect();
                if items.is_empty() {
                    return view! { <p>{i18n.tr("money.dash.attention_none")}</p> }.into_any();
                }
                let items = items
                    .into_iter()
                    .map(|(domain, why)| {
                        view! {
                            <li>
                                <A href=format!("/domains/{}", domain.id)>{domain.name}</A>
                                ": "
                                {i18n.tr(why)}
                            </li>
                        }
                        .into_any()
                    })
                    .collect::<Vec<AnyView>>();
                view! { <ul class="attention">{items}</ul> }.into_any()
            },
        )
    };
    view! {
        <h2>{i18n.tr("money.dash.attention")}</h2>
        {list}
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use shared::dto::{DnsRecord, DomainVerification};
    use uuid::Uuid;

    use super::*;

    fn domain(status: DomainStatus, records: &[DnsRecordStatus]) -> Domain {
        Domain {
            id: Uuid::nil(),
            name: "example.org".into(),
            status,
            verification: DomainVerification {
                record_type: "TXT".into(),
                host: "example.org".into(),
                value: "postwarden-verification=x".into(),
            },
            dns_records: records
                .iter()
                .map(|&status| DnsRecord {
                    purpose: "mx".into(),
                    record_type: "MX".into(),
                    host: "example.org".into(),
                    value: "10 mx.postwarden.test".into(),
                    status,
                })
                .collect(),
            verified_at: None,
            created_at: Utc.with_ymd_and_hms(2026, 4, 14, 9, 30, 0).unwrap(),
        }
    }

    #[test]
    fn domains_needing_attention() {
        use DnsRecordStatus::*;
        assert_eq!(
            attention(&domain(DomainStatus::Pending, &[Unchecked])),
            Some("money.dash.domain_pending")
        );
        assert_eq!(
            attention(&domain(DomainStatus::Verified, &[Ok, Wrong])),
            Some("money.dash.domain_records")
        );
        assert_eq!(
            attention(&domain(DomainStatus::Verified, &[Missing])),
            Some("money.dash.domain_records")
        );
        assert_eq!(
            attention(&domain(DomainStatus::Verified, &[Ok, Unchecked])),
            None
        );
        assert_eq!(attention(&domain(DomainStatus::Verified, &[])), None);
    }

    #[test]
    fn usage_reads_n_of_max() {
        assert_eq!(n_of_max(Locale::En, 3, 25), "3 of 25");
        assert_eq!(n_of_max(Locale::It, 0, 1), "0 su 1");
    }
}
