//! `/operator/top-ups`: top-ups waiting for confirmation.

use leptos::prelude::*;

use crate::components::shell::ComingSoon;

#[component]
pub fn TopUpsPage() -> impl IntoView {
    view! { <ComingSoon title="nav.top_ups" /> }
}
