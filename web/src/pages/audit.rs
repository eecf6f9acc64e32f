//! `/audit`: the audit log, newest first, with filters. Operators see every organization.

use leptos::prelude::*;
use serde_json::Value;
use shared::dto::{AuditEvent, Role};

use crate::api;
use crate::components::cursor_pages::cursor_pages;
use crate::components::data_table::{Column, data_table};
use crate::components::filter_form::{Filter, FilterForm, Input, Query};
use crate::components::shell::use_me;
use crate::i18n::{Locale, use_i18n};

fn any_text(_: &str) -> bool {
    true
}

const fn text(param: &'static str, label: &'static str, hint: &'static str) -> Filter {
    Filter {
        param,
        label,
        hint: Some(hint),
        input: Input::Text {
            check: any_text,
            invalid: "",
        },
    }
}

const FILTERS: &[Filter] = &[
    text("action", "money.filter.action", "money.filter.action_hint"),
    text("actor", "money.filter.actor", "money.filter.actor_hint"),
    text("target", "money.filter.target", "money.filter.target_hint"),
    Filter {
        param: "since",
        label: "money.filter.since",
        hint: None,
        input: Input::Date,
    },
];

/// The columns; operators also see the organization's id.
const COLUMNS: &[Column] = &[
    ("money.col.at", false),
    ("money.col.actor", false),
    ("money.col.action", false),
    ("money.col.target", false),
    ("money.col.details", false),
    ("money.col.request_id", false),
    ("money.col.organization", false),
];

/// An event's details on one line: `plan=pro, refunded_cents=120`; nested values as compact
/// JSON.
fn details_text(details: &Value) -> String {
    match details {
        Value::Null => String::new(),
        Value::Object(map) => map
            .iter()
            .map(|(key, value)| match value {
                Value::String(text) => format!("{key}={text}"),
                other => format!("{key}={other}"),
            })
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let me = use_me();
    let operator = move || me.get().is_some_and(|me| me.account.role == Role::Operator);
    let applied = RwSignal::new(Query::new());
    let pages = cursor_pages(move || applied.get(), api::audit_events);
    let table = move || {
        let locale = i18n.locale.get();
        let operator = operator();
        let columns = if operator { COLUMNS } else { &COLUMNS[..6] };
        let rows = pages.rows.with(|events| {
            events
                .iter()
                .map(|event| row(locale, event.clone(), operator))
                .collect()
        });
        data_table(locale, "audit", "events-title", columns, rows)
    };
    view! {
        <section class="card wide money">
            <h1>{i18n.tr("nav.audit")}</h1>
            <Show when=operator>
                <p>{i18n.tr("money.audit.operator_note")}</p>
            </Show>
            <FilterForm filters=FILTERS applied />
            <h2 id="events-title">{i18n.tr("money.audit.events")}</h2>
            {pages.view("money.audit.empty", table.into_any())}
        </section>
    }
}

fn row(locale: Locale, event: AuditEvent, operator: bool) -> AnyView {
    let organization = operator.then(|| {
        view! { <td class="id">{event.organization_id.map(|id| id.to_string())}</td> }
    });
    view! {
        <tr>
            <td class="when">{locale.date_time(event.at)}</td>
            <td class="id">{event.actor}</td>
            <td class="action">{event.action}</td>
            <td class="id">{event.target}</td>
            <td class="details">{details_text(&event.details)}</td>
            <td class="id">{event.request_id}</td>
            {organization}
        </tr>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn details_fit_on_one_line() {
        let details = json!({"plan": "pro", "refunded_cents": 120, "caps": {"domains": 1}});
        assert_eq!(
            details_text(&details),
            r#"caps={"domains":1}, plan=pro, refunded_cents=120"#
        );
        assert_eq!(details_text(&Value::Null), "");
        assert_eq!(details_text(&json!({})), "");
        assert_eq!(details_text(&json!([1, 2])), "[1,2]");
    }
}
