//! `/operator/plans`: the plan catalog.

use leptos::prelude::*;

use crate::components::shell::ComingSoon;

#[component]
pub fn PlansPage() -> impl IntoView {
    view! { <ComingSoon title="nav.plans" /> }
}
