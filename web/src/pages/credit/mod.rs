//! `/credit`: the balance, "Request a top-up", the top-ups and the ledger.

mod ledger;
mod top_ups;

use leptos::prelude::*;

use crate::api;
use crate::components::cursor_pages::cursor_pages;
use crate::components::load_state::loaded_view;
use crate::i18n::{Locale, use_i18n};
use ledger::Ledger;
use top_ups::{TopUpForm, TopUps};

/// An amount in the locale, with the currency when it is known.
pub(crate) fn amount_text(locale: Locale, cents: i64, currency: Option<&str>) -> String {
    locale
        .money(cents, currency.unwrap_or(""))
        .trim()
        .to_owned()
}

#[component]
pub fn CreditPage() -> impl IntoView {
    let i18n = use_i18n();
    let credit = LocalResource::new(|| api::authorized(api::credit));
    let currency = Signal::derive(move || credit.get().and_then(Result::ok).map(|c| c.currency));
    let top_ups = cursor_pages(
        || (),
        |token, _: (), cursor| api::credit_top_ups(token, cursor),
    );
    let balance = move || {
        loaded_view(
            credit.get(),
            move || credit.refetch(),
            move |credit| {
                let text = move || {
                    i18n.locale
                        .get()
                        .money(credit.balance_cents, &credit.currency)
                };
                view! {
                    <dl class="facts">
                        <dt>{i18n.tr("money.balance")}</dt>
                        <dd class="balance">{text}</dd>
                    </dl>
                }
                .into_any()
            },
        )
    };
    view! {
        <section class="card wide money">
            <h1>{i18n.tr("nav.credit")}</h1>
            {balance}
            <TopUpForm currency on_requested=move || top_ups.reload() />
            <TopUps pages=top_ups currency />
            <Ledger currency />
        </section>
    }
}
