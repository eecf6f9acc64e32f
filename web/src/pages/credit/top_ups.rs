//! "Request a top-up" and the table of the organization's top-ups.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{TopUp, TopUpStatus};

use super::amount_text;
use crate::api::{self, ClientError};
use crate::components::cursor_pages::CursorPages;
use crate::components::data_table::{Column, data_table};
use crate::components::form_state::{Field, FormState, no_code_field};
use crate::components::money_input::{Bounds, example, parse_amount};
use crate::components::problem::problem_text;
use crate::components::to_sign_in::ToSignIn;
use crate::i18n::{Locale, fill, use_i18n};

/// The top-ups the server accepts: from 0.01 to 100,000.00.
const TOP_UP: Bounds = Bounds {
    min: 1,
    max: 10_000_000,
};

/// An amount the server would take as a top-up.
fn check_top_up(locale: Locale, text: &str) -> Result<(), String> {
    parse_amount(locale, text, TOP_UP)
        .map(drop)
        .map_err(|refusal| refusal.message(locale, TOP_UP))
}

/// The amount field and its button; `on_requested` runs once the server took the request.
#[component]
pub fn TopUpForm(
    currency: Signal<Option<String>>,
    #[prop(into)] on_requested: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let amount = Field::holding("amount_cents", check_top_up, String::new()).required();
    let request = Action::new_local(move |cents: &i64| {
        let cents = *cents;
        async move {
            let top_up = api::authorized(move |token| api::request_top_up(token, cents)).await?;
            on_requested.run(());
            Ok::<TopUp, ClientError>(top_up)
        }
    });
    let pending = request.pending();
    let result = move || request.value().get().filter(|_| !pending.get());
    let failure = Signal::derive(move || result().and_then(Result::err));
    let form = FormState::new(failure, no_code_field).explained_by(problem_text);
    let error = form.message(amount);
    // A request taken empties the form for the next one.
    Effect::new(move || {
        if let Some(Ok(_)) = request.value().get() {
            form.reset(&[amount]);
        }
    });
    let code = move || currency.get().unwrap_or_default();
    let done = move || {
        let top_up = result()?.ok()?;
        let locale = i18n.locale.get();
        let money = amount_text(locale, top_up.amount_cents, currency.get().as_deref());
        Some(fill(
            locale.text("money.credit.requested"),
            &[("amount", &money)],
        ))
    };
    let hint = move || {
        let locale = i18n.locale.get();
        fill(
            locale.text("money.credit.amount_hint"),
            &[("currency", &code()), ("example", example(locale))],
        )
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() || !form.ready(&[amount]) {
            return;
        }
        let text = amount.value.get_untracked();
        if let Ok(cents) = parse_amount(i18n.locale.get_untracked(), &text, TOP_UP) {
            request.dispatch(cents);
        }
    };

    view! {
        <h2 id="top-up-title">{i18n.tr("money.credit.top_up")}</h2>
        <p>{i18n.tr("money.credit.top_up_note")}</p>
        <Show when=move || form.signed_out()>
            <ToSignIn />
        </Show>
        <form class="top-up" aria-labelledby="top-up-title" on:submit=on_submit novalidate>
            <p class="error" role="alert">{form.summary()}</p>
            <div class="field">
                <label for="top-up-amount">{i18n.tr("money.credit.amount")}</label>
                <input
                    id="top-up-amount"
                    name="amount"
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    aria-invalid=move || error.get().map(|_| "true")
                    aria-describedby="top-up-amount-hint top-up-amount-error"
                    bind:value=amount.value
                />
                <p id="top-up-amount-hint" class="hint">{hint}</p>
                <p id="top-up-amount-error" class="field-error" aria-live="polite">{error}</p>
            </div>
            <button type="submit" aria-busy=move || pending.get().then_some("true")>
                {i18n.tr("money.credit.top_up")}
            </button>
            <p class="status" role="status">
                {move || {
                    if pending.get() {
                        Some(i18n.t("money.credit.requesting").to_owned())
                    } else {
                        done()
                    }
                }}
            </p>
        </form>
    }
}

const COLUMNS: &[Column] = &[
    ("money.col.amount", true),
    ("money.col.status", false),
    ("money.col.requested", false),
    ("money.col.credited", false),
];

/// The top-ups, pending ones first (then newest first, as the server sends them).
#[component]
pub fn TopUps(pages: CursorPages<TopUp>, currency: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let table = move || {
        let locale = i18n.locale.get();
        let currency = currency.get();
        let mut top_ups = pages.rows.get();
        top_ups.sort_by_key(|t| t.status != TopUpStatus::Pending);
        let rows = top_ups
            .into_iter()
            .map(|t| row(locale, t, currency.as_deref()))
            .collect();
        data_table(locale, "top-ups", "top-ups-title", COLUMNS, rows)
    };
    view! {
        <h2 id="top-ups-title">{i18n.tr("money.credit.top_ups")}</h2>
        {pages.view("money.credit.no_top_ups", table.into_any())}
    }
}

fn row(locale: Locale, top_up: TopUp, currency: Option<&str>) -> AnyView {
    let pending = top_up.status == TopUpStatus::Pending;
    let status = if pending {
        "money.top_up.pending"
    } else {
        "money.top_up.credited"
    };
    view! {
        <tr class:pending=pending>
            <td class="amount">{amount_text(locale, top_up.amount_cents, currency)}</td>
            <td>
                <span class="badge">{locale.text(status)}</span>
            </td>
            <td class="when">{locale.date_time(top_up.created_at)}</td>
            <td class="when">{top_up.credited_at.map(|at| locale.date_time(at))}</td>
        </tr>
    }
    .into_any()
}
