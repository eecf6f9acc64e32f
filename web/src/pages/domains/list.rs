//! `/domains`: the email domains and "Add a domain".

use leptos::prelude::*;

use crate::components::shell::ComingSoon;

#[component]
pub fn DomainsPage() -> impl IntoView {
    view! { <ComingSoon title="nav.domains" /> }
}
