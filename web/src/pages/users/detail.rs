//! `/users/:id`: one account, read-only for now.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shared::ErrorCode;
use shared::dto::{Account, PostalAddress};

use super::status_key;
use crate::api;
use crate::components::problem::problem_text;
use crate::components::to_sign_in::ToSignIn;
use crate::i18n::use_i18n;

#[component]
pub fn UserDetailPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let account = LocalResource::new(move || {
        let id = params.read().get("id").unwrap_or_default();
        api::authorized(move |token| api::account(token, id.clone()))
    });

    view! {
        <section class="card wide">
            {move || match account.get() {
                None => view! { <p role="status">{i18n.tr("loading")}</p> }.into_any(),
                Some(Ok(account)) => view! { <Details account /> }.into_any(),
                Some(Err(error)) if error.is_unauthorized() => {
                    view! { <ToSignIn /> }.into_any()
                }
                Some(Err(error)) => {
                    let not_found = error.code() == Some(ErrorCode::NotFound);
                    view! {
                        <h1>{i18n.tr("detail.title")}</h1>
                        <p class="error" role="alert">
                            {move || {
                                if not_found {
                                    i18n.t("detail.not_found").to_owned()
                                } else {
                                    problem_text(i18n.locale.get(), &error)
                                }
                            }}
                        </p>
                        <div class="actions">
                            <button type="button" on:click=move |_| account.refetch()>
                                {i18n.tr("try_again")}
                            </button>
                            <A href="/users">{i18n.tr("detail.back")}</A>
                        </div>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn Details(account: Account) -> impl IntoView {
    let i18n = use_i18n();
    let name = format!("{} {}", account.first_name, account.last_name);
    let none = move || i18n.t("none").to_owned();
    let or_none = move |value: Option<String>| {
        let value = value.filter(|v| !v.trim().is_empty());
        move || value.clone().unwrap_or_else(none)
    };
    let aliases = (!account.aliases.is_empty()).then(|| account.aliases.join(", "));
    let groups = (!account.groups.is_empty()).then(|| {
        account
            .groups
            .iter()
            .map(|g| g.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    });
    let renews = account
        .subscription
        .as_ref()
        .and_then(|s| s.renews_at)
        .map(|at| at.format("%Y-%m-%d").to_string());
    let personal = account.personal;
    let postal = postal_text(&personal.postal_address);
    let birthdate = personal.birthdate.map(|d| d.format("%Y-%m-%d").to_string());
    let created = account.created_at.format("%Y-%m-%d").to_string();
    let status = status_key(account.status);
    let owner = if account.is_owner { "yes" } else { "no" };

    view! {
        <h1>{name}" (" {account.username.clone()} ")"</h1>
        <dl class="facts">
            <dt>{i18n.tr("users.username")}</dt>
            <dd>{account.username}</dd>
            <dt>{i18n.tr("detail.email")}</dt>
            <dd>{or_none(account.email)}</dd>
            <dt>{i18n.tr("detail.aliases")}</dt>
            <dd>{or_none(aliases)}</dd>
            <dt>{i18n.tr("detail.plan")}</dt>
            <dd>{or_none(account.plan)}</dd>
            <dt>{i18n.tr("detail.renews")}</dt>
            <dd>{or_none(renews)}</dd>
            <dt>{i18n.tr("detail.status")}</dt>
            <dd>{i18n.tr(status)}</dd>
            <dt>{i18n.tr("detail.owner")}</dt>
            <dd>{i18n.tr(owner)}</dd>
            <dt>{i18n.tr("detail.groups")}</dt>
            <dd>{or_none(groups)}</dd>
            <dt>{i18n.tr("detail.created")}</dt>
            <dd>{created}</dd>
        </dl>
        <h2>{i18n.tr("detail.personal")}</h2>
        <dl class="facts">
            <dt>{i18n.tr("detail.external_email")}</dt>
            <dd>{or_none(personal.external_email)}</dd>
            <dt>{i18n.tr("detail.mobile_phone")}</dt>
            <dd>{or_none(personal.mobile_phone)}</dd>
            <dt>{i18n.tr("detail.postal_address")}</dt>
            <dd>{or_none(postal)}</dd>
            <dt>{i18n.tr("detail.birthdate")}</dt>
            <dd>{or_none(birthdate)}</dd>
        </dl>
        <div class="actions">
            <A href="/users">{i18n.tr("detail.back")}</A>
        </div>
    }
}

/// The address on one line: street, postal code and city, region, country.
fn postal_text(address: &PostalAddress) -> Option<String> {
    let town = [address.postal_code.as_deref(), address.city.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let parts: Vec<&str> = [
        address.street.as_deref(),
        Some(town.as_str()),
        address.region.as_deref(),
        address.country.as_deref(),
    ]
    .into_iter()
    .flatten()
    .filter(|p| !p.trim().is_empty())
    .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postal_address_on_one_line() {
        let address = PostalAddress {
            street: Some("Via Roma 1".into()),
            postal_code: Some("00100".into()),
            city: Some("Roma".into()),
            region: None,
            country: Some("IT".into()),
        };
        assert_eq!(
            postal_text(&address).as_deref(),
            Some("Via Roma 1, 00100 Roma, IT")
        );
        assert_eq!(postal_text(&PostalAddress::default()), None);
    }
}
