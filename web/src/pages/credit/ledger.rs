//! The credit's ledger: filters, entries newest first, "Load more".

use leptos::prelude::*;
use leptos_router::components::A;
use shared::dto::{LedgerEntry, LedgerKind};

use super::amount_text;
use crate::api;
use crate::components::cursor_pages::cursor_pages;
use crate::components::data_table::{Column, data_table};
use crate::components::filter_form::{Filter, FilterForm, Input, Query};
use crate::i18n::{Locale, use_i18n};

/// The kinds of the ledger, in words: (value, i18n key); "all kinds" first.
const KINDS: &[(&str, &str)] = &[
    ("", "money.filter.all_kinds"),
    (LedgerKind::TopUp.as_str(), "money.kind.top_up"),
    (LedgerKind::Charge.as_str(), "money.kind.charge"),
    (LedgerKind::Refund.as_str(), "money.kind.refund"),
    (LedgerKind::Renewal.as_str(), "money.kind.renewal"),
    (LedgerKind::Adjustment.as_str(), "money.kind.adjustment"),
];

const FILTERS: &[Filter] = &[
    Filter {
        param: "kind",
        label: "money.filter.kind",
        hint: None,
        input: Input::Choice(KINDS),
    },
    Filter {
        param: "account_id",
        label: "money.filter.account",
        hint: Some("money.filter.account_hint"),
        input: Input::Text {
            check: api::looks_like_uuid,
            invalid: "money.filter.bad_account",
        },
    },
    Filter {
        param: "since",
        label: "money.filter.since",
        hint: None,
        input: Input::Date,
    },
];

const COLUMNS: &[Column] = &[
    ("money.col.date", false),
    ("money.col.kind", false),
    ("money.col.amount", true),
    ("money.col.balance_after", true),
    ("money.col.account", false),
    ("money.col.plan", false),
    ("money.col.period", false),
    ("money.col.memo", false),
];

fn kind_key(kind: LedgerKind) -> &'static str {
    KINDS
        .iter()
        .find(|(value, _)| *value == kind.as_str())
        .map_or("", |(_, key)| key)
}

/// A signed amount: `+€25.00`, `-€3.50`.
fn signed(locale: Locale, cents: i64, currency: Option<&str>) -> String {
    let text = amount_text(locale, cents, currency);
    if cents > 0 { format!("+{text}") } else { text }
}

#[component]
pub fn Ledger(currency: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let applied = RwSignal::new(Query::new());
    let pages = cursor_pages(move || applied.get(), api::credit_transactions);
    let table = move || {
        let locale = i18n.locale.get();
        let currency = currency.get();
        let rows = pages.rows.with(|entries| {
            entries
                .iter()
                .map(|entry| row(locale, entry.clone(), currency.as_deref()))
                .collect()
        });
        data_table(locale, "ledger", "ledger-title", COLUMNS, rows)
    };
    view! {
        <h2 id="ledger-title">{i18n.tr("money.credit.ledger")}</h2>
        <FilterForm filters=FILTERS applied />
        {pages.view("money.credit.no_entries", table.into_any())}
    }
}

fn row(locale: Locale, entry: LedgerEntry, currency: Option<&str>) -> AnyView {
    // The account by its username, linked while it exists; a deleted one by its id's start.
    let account = entry.account_id.map(|id| {
        let id = id.to_string();
        match entry.account_username {
            Some(username) => view! { <A href=format!("/users/{id}")>{username}</A> }.into_any(),
            None => {
                let short = id.chars().take(8).collect::<String>();
                let deleted = locale.text("money.deleted_account");
                view! { <span title=id>{format!("{short}… ({deleted})")}</span> }.into_any()
            }
        }
    });
    let period = match (entry.period_start, entry.period_end) {
        (Some(start), Some(end)) => format!(
            "{} – {}",
            locale.date(start.date_naive()),
            locale.date(end.date_naive())
        ),
        (Some(start), None) => locale.date(start.date_naive()),
        _ => String::new(),
    };
    view! {
        <tr>
            <td class="when">{locale.date_time(entry.created_at)}</td>
            <td>{locale.text(kind_key(entry.kind))}</td>
            <td class="amount">{signed(locale, entry.amount_cents, currency)}</td>
            <td class="amount">{amount_text(locale, entry.balance_after_cents, currency)}</td>
            <td>{account}</td>
            <td>{entry.plan}</td>
            <td>{period}</td>
            <td class="memo">{entry.memo}</td>
        </tr>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_words() {
        for kind in LedgerKind::ALL {
            assert!(
                Locale::It
                    .text(kind_key(kind))
                    .starts_with(char::is_uppercase)
            );
        }
        assert_eq!(Locale::En.text(kind_key(LedgerKind::TopUp)), "Top-up");
    }

    #[test]
    fn amounts_are_signed() {
        assert_eq!(signed(Locale::En, 2500, Some("EUR")), "+€25.00");
        assert_eq!(signed(Locale::It, -350, Some("EUR")), "-3,50 €");
        assert_eq!(signed(Locale::En, 0, None), "0.00");
    }
}
