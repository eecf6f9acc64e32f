//! `/operator/organizations`: every organization with its owner, plan and credit; a credit
//! adjustment per organization; "Create an organization".

use leptos::prelude::*;
use shared::dto::{CreateOrganizationResponse, LedgerEntry, Organization};
use uuid::Uuid;

use super::adjust::{AdjustCredit, Target};
use super::create_org::CreateOrganization;
use super::{amount, expanded, focus_id, maybe, says, text};
use crate::api;
use crate::components::cursor_pages::{CursorPages, cursor_pages};
use crate::i18n::{Locale, fill, use_i18n};

/// What the status line says after a success, in the current locale.
#[derive(Debug, Clone, PartialEq)]
enum Notice {
    Created { name: String, username: String },
    Adjusted { target: Target, entry: LedgerEntry },
}

impl Notice {
    fn text(&self, locale: Locale) -> String {
        match self {
            Notice::Created { name, username } => fill(
                locale.text("operator.create.done"),
                &[("name", name), ("username", username)],
            ),
            Notice::Adjusted { target, entry } => {
                let money = |cents| amount(locale, cents, Some(&target.currency));
                fill(
                    locale.text("operator.adjust.done"),
                    &[
                        ("name", &target.name),
                        ("amount", &money(entry.amount_cents)),
                        ("balance", &money(entry.balance_after_cents)),
                    ],
                )
            }
        }
    }
}

#[component]
pub fn OrganizationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = cursor_pages(
        || (),
        |token, (), cursor| api::operator_organizations(token, None, cursor),
    )
    .unique_by(|a: &Organization, b: &Organization| a.id == b.id)
    .explained_by(says);
    // The organization whose adjustment form is open: one at a time, so labels stay unique.
    let open = RwSignal::new(None::<Uuid>);
    let notice = RwSignal::new(None::<Notice>);

    let on_created = Callback::new(move |created: CreateOrganizationResponse| {
        notice.set(Some(Notice::Created {
            name: created.organization.name.clone(),
            username: created.account.username.clone(),
        }));
        list.rows.update(|rows| rows.push(created.organization));
    });

    let table = view! {
        <table class="list">
            <caption class="visually-hidden">{i18n.tr("operator.orgs.caption")}</caption>
            <thead>
                <tr>
                    <th scope="col">{i18n.tr("operator.orgs.name")}</th>
                    <th scope="col">{i18n.tr("operator.orgs.owner")}</th>
                    <th scope="col">{i18n.tr("operator.orgs.plan")}</th>
                    <th scope="col">{i18n.tr("operator.orgs.balance")}</th>
                    <th scope="col">{i18n.tr("operator.orgs.created")}</th>
                    <th scope="col">{i18n.tr("operator.actions")}</th>
                </tr>
            </thead>
            <tbody>
                <For each=move || list.rows.get() key=|org| org.id let:org>
                    <Row org list open notice />
                </For>
            </tbody>
        </table>
    };

    view! {
        <section class="card wide">
            <h1>{i18n.tr("nav.organizations")}</h1>
            <p class="status success" role="status">
                {maybe(move || notice.get().map(|n| n.text(i18n.locale.get())))}
            </p>
            {list.view("operator.orgs.empty", table.into_any())}
            <CreateOrganization on_created />
        </section>
    }
}

#[component]
fn Row(
    org: Organization,
    list: CursorPages<Organization>,
    open: RwSignal<Option<Uuid>>,
    notice: RwSignal<Option<Notice>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = org.id;
    let target = Target {
        id,
        name: org.name.clone(),
        currency: org.credit.currency.clone(),
    };
    // The balance changes with each adjustment; the row stays.
    let balance = Signal::derive(move || {
        list.rows.with(|rows| {
            rows.iter()
                .find(|o| o.id == id)
                .map_or(0, |o| o.credit.balance_cents)
        })
    });
    let currency = target.currency.clone();
    let money = text(move || i18n.locale.get().money(balance.get(), &currency));
    let day = org.created_at.date_naive();
    let created = text(move || i18n.locale.get().date(day));
    let is_open = move || open.get() == Some(id);
    let toggle_id = format!("adjust-toggle-{id}");

    let done_target = target.clone();
    let back = toggle_id.clone();
    let on_done = Callback::new(move |entry: LedgerEntry| {
        list.rows.update(|rows| {
            if let Some(o) = rows.iter_mut().find(|o| o.id == id) {
                o.credit.balance_cents = entry.balance_after_cents;
            }
        });
        notice.set(Some(Notice::Adjusted {
            target: done_target.clone(),
            entry,
        }));
        open.set(None);
        focus_id(back.clone());
    });
    let on_toggle = move |_| {
        if is_open() {
            open.set(None);
        } else {
            open.set(Some(id));
            focus_id("adjust-amount".to_owned());
        }
    };
    // Open, the disclosure button cancels: the form's own "Adjust credit for …" button is
    // then the only one of that name.
    let name = org.name.clone();
    let toggle_label = text(move || {
        let key = if is_open() {
            "operator.adjust.close_for"
        } else {
            "operator.adjust.open_for"
        };
        fill(i18n.t(key), &[("name", &name)])
    });
    let toggle_text = text(move || {
        let key = if is_open() {
            "operator.cancel"
        } else {
            "operator.adjust.open"
        };
        i18n.t(key).to_owned()
    });
    let form_id = format!("adjust-form-{id}");
    let controls = maybe(move || is_open().then(|| form_id.clone()));

    view! {
        <tr>
            <td>{org.name}</td>
            <td>{org.owner_username}</td>
            <td>{org.plan}</td>
            <td>{money}</td>
            <td>{created}</td>
            <td>
                <button
                    type="button"
                    class="secondary"
                    id=toggle_id
                    aria-expanded=expanded(is_open)
                    aria-controls=controls
                    aria-label=toggle_label
                    on:click=on_toggle
                >
                    {toggle_text}
                </button>
            </td>
        </tr>
        <Show when=is_open>
            <tr class="inline-row" id=format!("adjust-form-{id}")>
                <td colspan="6">
                    <AdjustCredit target=target.clone() balance on_done />
                </td>
            </tr>
        </Show>
    }
}
