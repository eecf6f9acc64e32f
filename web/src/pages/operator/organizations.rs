//! `/operator/organizations`: every organization, adjustments, new organizations.

use leptos::prelude::*;

use crate::components::shell::ComingSoon;

#[component]
pub fn OrganizationsPage() -> impl IntoView {
    view! { <ComingSoon title="nav.organizations" /> }
}
