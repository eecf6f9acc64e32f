//! `/domains/:id`: one domain, its DNS records and their status.

use leptos::prelude::*;

use crate::components::shell::ComingSoon;

#[component]
pub fn DomainDetailPage() -> impl IntoView {
    view! { <ComingSoon title="nav.domains" /> }
}
