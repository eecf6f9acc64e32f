//! `/credit`: balance, ledger, top-ups.

use leptos::prelude::*;

use crate::components::shell::ComingSoon;

#[component]
pub fn CreditPage() -> impl IntoView {
    view! { <ComingSoon title="nav.credit" /> }
}
