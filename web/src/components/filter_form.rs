//! The filters above a list: text, date ("since") and choice fields, applied as query
//! parameters when one changes or the form is sent.

use chrono::NaiveDate;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::i18n::use_i18n;

/// Query parameters, by name; empty ones are left out of the request.
pub type Query = Vec<(&'static str, String)>;

/// How a filter is typed.
pub enum Input {
    /// Free text; `check` says whether a value is acceptable, `invalid` the i18n key otherwise.
    Text {
        check: fn(&str) -> bool,
        invalid: &'static str,
    },
    /// A day, sent as that day's midnight UTC in RFC 3339.
    Date,
    /// One of (value, i18n key); the first should be the empty "all" choice.
    Choice(&'static [(&'static str, &'static str)]),
}

/// One filter: its query parameter, label and optional hint (i18n keys).
pub struct Filter {
    pub param: &'static str,
    pub label: &'static str,
    pub hint: Option<&'static str>,
    pub input: Input,
}

/// A day as the `since` of a query: `2026-01-31` → `2026-01-31T00:00:00Z`.
pub fn since_param(day: &str) -> Option<String> {
    let mut parts = day.trim().splitn(3, '-').map(|p| p.parse::<u32>().ok());
    let (year, month, day) = (parts.next()??, parts.next()??, parts.next()??);
    let day = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    Some(format!("{day}T00:00:00Z"))
}

/// Each filter's value as a query parameter, or the i18n key of the first refusal by index.
fn query_of(filters: &[Filter], values: &[String]) -> Result<Query, (usize, &'static str)> {
    let mut query = Query::new();
    for (index, (filter, value)) in filters.iter().zip(values).enumerate() {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let param = match &filter.input {
            Input::Text { check, invalid } => check(value)
                .then(|| value.to_owned())
                .ok_or((index, *invalid)),
            Input::Date => since_param(value).ok_or((index, "money.filter.bad_date")),
            Input::Choice(_) => Ok(value.to_owned()),
        }?;
        query.push((filter.param, param));
    }
    Ok(query)
}

/// The filter form. `applied` is set whenever every filter holds an acceptable value.
#[component]
pub fn FilterForm(filters: &'static [Filter], applied: RwSignal<Query>) -> impl IntoView {
    let i18n = use_i18n();
    let values: Vec<RwSignal<String>> = filters
        .iter()
        .map(|_| RwSignal::new(String::new()))
        .collect();
    let refused = RwSignal::new(None::<(usize, &'static str)>);
    let read = values.clone();
    let apply = move || {
        let now: Vec<String> = read.iter().map(|v| v.get_untracked()).collect();
        match query_of(filters, &now) {
            Ok(query) => {
                refused.set(None);
                if applied.get_untracked() != query {
                    applied.set(query);
                }
            }
            Err(refusal) => refused.set(Some(refusal)),
        }
    };
    let on_change = apply.clone();
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        apply();
    };
    let fields = filters
        .iter()
        .zip(values)
        .enumerate()
        .map(|(index, (filter, value))| {
            let id = format!("filter-{}", filter.param);
            let error_id = format!("{id}-error");
            let hint_id = format!("{id}-hint");
            let described = match filter.hint {
                Some(_) => format!("{hint_id} {error_id}"),
                None => error_id.clone(),
            };
            let error = move || {
                refused
                    .get()
                    .filter(|(i, _)| *i == index)
                    .map(|(_, key)| i18n.t(key))
            };
            let invalid = move || error().map(|_| "true");
            let control = match &filter.input {
                Input::Choice(options) => view! {
                    <select
                        id=id.clone()
                        name=filter.param
                        aria-describedby=described
                        on:change=move |event| value.set(event_target_value(&event))
                    >
                        {options
                            .iter()
                            .map(|&(option, key)| {
                                view! {
                                    <option value=option selected=move || value.get() == option>
                                        {i18n.tr(key)}
                                    </option>
                                }
                                .into_any()
                            })
                            .collect::<Vec<AnyView>>()}
                    </select>
                }
                .into_any(),
                input => {
                    let kind = if matches!(input, Input::Date) {
                        "date"
                    } else {
                        "text"
                    };
                    view! {
                        <input
                            id=id.clone()
                            name=filter.param
                            type=kind
                            autocomplete="off"
                            spellcheck="false"
                            aria-invalid=invalid
                            aria-describedby=described
                            bind:value=value
                        />
                    }
                    .into_any()
                }
            };
            view! {
                <div class="field">
                    <label for=id>{i18n.tr(filter.label)}</label>
                    {control}
                    {filter.hint.map(|key| view! { <p id=hint_id class="hint">{i18n.tr(key)}</p> })}
                    <p id=error_id class="field-error" aria-live="polite">{error}</p>
                </div>
            }
            .into_any()
        })
        .collect::<Vec<AnyView>>();
    view! {
        <form
            class="filters"
            role="search"
            aria-label=i18n.tr("money.filter.label")
            novalidate
            on:change=move |_| on_change()
            on:submit=on_submit
        >
            <div class="filter-fields">{fields}</div>
            <button type="submit" class="secondary">{i18n.tr("money.filter.apply")}</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILTERS: &[Filter] = &[
        Filter {
            param: "account_id",
            label: "money.filter.account",
            hint: None,
            input: Input::Text {
                check: |v| v.len() == 3,
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

    #[test]
    fn a_day_is_its_midnight_utc() {
        assert_eq!(
            since_param("2026-01-31").as_deref(),
            Some("2026-01-31T00:00:00Z")
        );
        assert_eq!(since_param("2026-02-30"), None);
        assert_eq!(since_param("yesterday"), None);
        assert_eq!(
            since_param("2026-1-5").as_deref(),
            Some("2026-01-05T00:00:00Z")
        );
        assert_eq!(since_param("2026-01"), None);
    }

    #[test]
    fn filters_become_query_parameters() {
        let values = ["abc".to_owned(), "2026-03-01".to_owned()];
        assert_eq!(
            query_of(FILTERS, &values),
            Ok(vec![
                ("account_id", "abc".to_owned()),
                ("since", "2026-03-01T00:00:00Z".to_owned())
            ])
        );
        let values = [" ".to_owned(), String::new()];
        assert_eq!(query_of(FILTERS, &values), Ok(vec![]));
        let values = ["abcd".to_owned(), "x".to_owned()];
        assert_eq!(
            query_of(FILTERS, &values),
            Err((0, "money.filter.bad_account"))
        );
    }
}
