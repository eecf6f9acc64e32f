//! `/operator/top-ups`: top-ups of every organization; a pending one is confirmed once its
//! payment has arrived (a bank transfer), which credits the organization.

use leptos::prelude::*;
use shared::dto::{TopUp, TopUpStatus};

use super::{amount, busy, maybe, says, text};
use crate::api::{self, ClientError};
use crate::components::cursor_pages::{CursorPages, cursor_pages};
use crate::components::to_sign_in::ToSignIn;
use crate::i18n::{I18n, Locale, fill, use_i18n};

/// The filter's choices: (value, i18n key, status asked for).
const SHOW: [(&str, &str, Option<TopUpStatus>); 3] = [
    (
        "pending",
        "operator.top_ups.show_pending",
        Some(TopUpStatus::Pending),
    ),
    (
        "credited",
        "operator.top_ups.show_credited",
        Some(TopUpStatus::Credited),
    ),
    ("all", "operator.top_ups.show_all", None),
];

/// "€50.00 for Acme" in a template with `{amount}` and `{organization}`.
fn about(locale: Locale, key: &'static str, top_up: &TopUp) -> String {
    let money = amount(locale, top_up.amount_cents, Some(&top_up.currency));
    fill(
        locale.text(key),
        &[
            ("amount", &money),
            ("organization", &top_up.organization_name),
        ],
    )
}

#[component]
pub fn TopUpsPage() -> impl IntoView {
    let i18n = use_i18n();
    let show = RwSignal::new(Some(TopUpStatus::Pending));
    let list = cursor_pages(move || show.get(), api::operator_top_ups)
        .unique_by(|a: &TopUp, b: &TopUp| a.id == b.id)
        .explained_by(says);
    // The last confirmation: what it was about, or why it failed.
    let confirmed = RwSignal::new(None::<TopUp>);
    let failed = RwSignal::new(None::<ClientError>);

    let signed_out = move || failed.with(|f| f.as_ref().is_some_and(ClientError::is_unauthorized));
    let alert = maybe(move || failed.get().map(|error| says(i18n.locale.get(), &error)));

    let table = view! {
        <table class="list">
            <caption class="visually-hidden">{i18n.tr("operator.top_ups.caption")}</caption>
            <thead>
                <tr>
                    <th scope="col">{i18n.tr("operator.top_ups.organization")}</th>
                    <th scope="col">{i18n.tr("operator.top_ups.amount")}</th>
                    <th scope="col">{i18n.tr("operator.top_ups.requested")}</th>
                    <th scope="col">{i18n.tr("operator.top_ups.status")}</th>
                    <th scope="col">{i18n.tr("operator.actions")}</th>
                </tr>
            </thead>
            <tbody>
                <For each=move || list.rows.get() key=|t| t.id let:top_up>
                    <Row top_up list confirmed failed />
                </For>
            </tbody>
        </table>
    };

    view! {
        <section class="card wide">
            <h1>{i18n.tr("nav.top_ups")}</h1>
            <div class="field filter">
                <label for="top-up-status">{i18n.tr("operator.top_ups.show")}</label>
                <select
                    id="top-up-status"
                    name="status"
                    on:change=move |event| {
                        let value = event_target_value(&event);
                        if let Some((_, _, status)) = SHOW.iter().find(|(v, _, _)| *v == value) {
                            show.set(*status);
                        }
                    }
                >
                    {SHOW
                        .iter()
                        .map(|&(value, key, status)| {
                            view! {
                                <option value=value selected=move || show.get() == status>
                                    {i18n.tr(key)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <Show when=signed_out>
                <ToSignIn />
            </Show>
            <p class="status success" role="status">
                {maybe(move || {
                    confirmed.get().map(|t| about(i18n.locale.get(), "operator.top_ups.done", &t))
                })}
            </p>
            <p class="error" role="alert">{alert}</p>
            {list.view("operator.top_ups.empty", table.into_any())}
        </section>
    }
}

#[component]
fn Row(
    top_up: TopUp,
    list: CursorPages<TopUp>,
    confirmed: RwSignal<Option<TopUp>>,
    failed: RwSignal<Option<ClientError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = top_up.id;
    let org = top_up.organization_id;
    // The status changes once confirmed; the row stays.
    let status = move || {
        list.rows.with(|rows| {
            rows.iter()
                .find(|t| t.id == id)
                .map_or(top_up.status, |t| t.status)
        })
    };
    let confirm = Action::new_local(move |_: &()| async move {
        failed.set(None);
        confirmed.set(None);
        match api::authorized(move |token| api::operator_confirm_top_up(token, org, id)).await {
            Ok(credited) => {
                list.rows.update(|rows| {
                    if let Some(row) = rows.iter_mut().find(|t| t.id == id) {
                        *row = credited.clone();
                    }
                });
                confirmed.set(Some(credited));
            }
            Err(error) => failed.set(Some(error)),
        }
    });
    let pending = confirm.pending();
    let shown = top_up.clone();
    let label = text(move || about(i18n.locale.get(), "operator.top_ups.confirm_for", &shown));
    let name = top_up.organization_name.clone();
    let currency = top_up.currency.clone();
    let money = text(move || amount(i18n.locale.get(), top_up.amount_cents, Some(&currency)));
    let requested = text(move || i18n.locale.get().date_time(top_up.created_at));
    let status_cell = text(move || status_text(i18n, status()).to_owned());

    view! {
        <tr>
            <td>{name}</td>
            <td>{money}</td>
            <td>{requested}</td>
            <td>{status_cell}</td>
            <td>
                <Show when=move || status() == TopUpStatus::Pending>
                    <button
                        type="button"
                        aria-label=label
                        aria-busy=busy(pending)
                        disabled=pending
                        on:click=move |_| {
                            confirm.dispatch(());
                        }
                    >
                        {i18n.tr("operator.top_ups.confirm")}
                    </button>
                </Show>
            </td>
        </tr>
    }
}

fn status_text(i18n: I18n, status: TopUpStatus) -> &'static str {
    i18n.t(match status {
        TopUpStatus::Pending => "operator.top_ups.pending",
        TopUpStatus::Credited => "operator.top_ups.credited",
    })
}
