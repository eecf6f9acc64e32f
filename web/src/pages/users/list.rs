//! `/users`: search, table and "Load more". After a deletion the detail page comes back here
//! with `?deleted=<username>&refunded=<cents>&balance=<cents>&currency=<code>`, said in a status
//! message.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use shared::dto::{Account, Plan};

use super::{plan_name, plans_resource, status_key};
use crate::api;
use crate::components::cursor_pages::cursor_pages;
use crate::i18n::{Locale, fill, use_i18n};

/// The sentence after a deletion, from the query the detail page came back with.
fn deleted_message(
    locale: Locale,
    username: &str,
    refunded: Option<i64>,
    balance: Option<i64>,
    currency: &str,
) -> String {
    let deleted = fill(locale.text("users.deleted"), &[("username", username)]);
    match (refunded, balance) {
        (Some(refunded), Some(balance)) => {
            let money = |cents| locale.money(cents, currency);
            let key = if refunded > 0 {
                "users.deleted_refund"
            } else {
                "users.deleted_no_refund"
            };
            let rest = fill(
                locale.text(key),
                &[("refunded", &money(refunded)), ("balance", &money(balance))],
            );
            format!("{deleted} {rest}")
        }
        _ => deleted,
    }
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let deleted = Signal::derive(move || {
        let params = params.read();
        let username = params.get("deleted")?;
        let cents = |name: &str| params.get(name).and_then(|v| v.parse::<i64>().ok());
        let currency = params.get("currency").unwrap_or_else(|| "EUR".to_owned());
        Some(deleted_message(
            i18n.locale.get(),
            &username,
            cents("refunded"),
            cents("balance"),
            &currency,
        ))
    });
    // Plan names for the table; the codes stand in until (or unless) the catalog comes.
    let plans = plans_resource();
    let catalog = Signal::derive(move || plans.get().and_then(Result::ok).unwrap_or_default());
    let query = RwSignal::new(String::new());
    // The list follows the search box; the server does the matching.
    let list = cursor_pages(move || query.get(), api::accounts)
        .unique_by(|a: &Account, b: &Account| a.id == b.id);
    let table = view! {
        <table class="list">
            <caption class="visually-hidden">{i18n.tr("users.caption")}</caption>
            <thead>
                <tr>
                    <th scope="col">{i18n.tr("users.name")}</th>
                    <th scope="col">{i18n.tr("users.username")}</th>
                    <th scope="col">{i18n.tr("users.address")}</th>
                    <th scope="col">{i18n.tr("users.plan")}</th>
                    <th scope="col">{i18n.tr("users.status")}</th>
                    <th scope="col">{i18n.tr("users.groups")}</th>
                </tr>
            </thead>
            <tbody>
                <For each=move || list.rows.get() key=|account| account.id let:account>
                    <Row account catalog />
                </For>
            </tbody>
        </table>
    };

    view! {
        <section class="card wide">
            <div class="heading">
                <h1>{i18n.tr("users.title")}</h1>
                <A href="/users/new" attr:class="button">{i18n.tr("users.add")}</A>
            </div>
            <p class="status success" role="status">{deleted}</p>
            <form role="search" on:submit=|event| event.prevent_default()>
                <div class="field">
                    <label for="user-search">{i18n.tr("users.search")}</label>
                    <input
                        id="user-search"
                        name="q"
                        type="search"
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby="user-search-hint"
                        prop:value=query
                        on:input=move |event| query.set(event_target_value(&event))
                    />
                    <p id="user-search-hint" class="hint">{i18n.tr("users.search_hint")}</p>
                </div>
            </form>
            {list.view("users.empty", table.into_any())}
        </section>
    }
}

#[component]
fn Row(account: Account, catalog: Signal<Vec<Plan>>) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/users/{}", account.id);
    let name = format!("{} {}", account.first_name, account.last_name);
    let status = status_key(account.status);
    let plan = account.plan.unwrap_or_default();
    let plan = Signal::derive(move || catalog.with(|plans| plan_name(plans, &plan)));
    let groups = account
        .groups
        .into_iter()
        .enumerate()
        .map(|(i, group)| {
            let href = format!("/groups/{}", group.id);
            view! {
                {(i > 0).then_some(", ")}
                <A href=href>{group.name}</A>
            }
        })
        .collect_view();
    view! {
        <tr>
            <td>
                <A href=href>{name}</A>
            </td>
            <td>{account.username}</td>
            <td>{account.email.unwrap_or_default()}</td>
            <td>{plan}</td>
            <td>{i18n.tr(status)}</td>
            <td>{groups}</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deletion_is_told_with_its_refund() {
        assert_eq!(
            deleted_message(Locale::En, "ada", Some(250), Some(1250), "EUR"),
            "The account ada was deleted. €2.50 went back to the credit, whose balance is now €12.50."
        );
        assert_eq!(
            deleted_message(Locale::En, "ada", Some(0), Some(1000), "EUR"),
            "The account ada was deleted. Nothing was refunded; the credit's balance is €10.00."
        );
        assert_eq!(
            deleted_message(Locale::En, "ada", None, None, "EUR"),
            "The account ada was deleted."
        );
    }
}
