//! A read-only table: column headings over rows that the caller renders.

use leptos::prelude::*;

use crate::i18n::Locale;

/// A column: its heading (an i18n key) and whether it holds amounts (aligned right).
pub type Column = (&'static str, bool);

/// `labelled_by` is the id of the heading that names the table.
pub fn data_table(
    locale: Locale,
    class: &'static str,
    labelled_by: &'static str,
    columns: &[Column],
    rows: Vec<AnyView>,
) -> AnyView {
    let heads: Vec<AnyView> = columns
        .iter()
        .map(|&(key, amount)| {
            view! { <th scope="col" class:amount=amount>{locale.text(key)}</th> }.into_any()
        })
        .collect();
    view! {
        <table class=format!("list {class}") aria-labelledby=labelled_by>
            <thead>
                <tr>{heads}</tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
