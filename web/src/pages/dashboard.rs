//! `/dashboard`: the organization at a glance.

use leptos::prelude::*;

use crate::components::shell::ComingSoon;

#[component]
pub fn DashboardPage() -> impl IntoView {
    view! { <ComingSoon title="nav.dashboard" /> }
}
