//! `/audit`: the audit log.

use leptos::prelude::*;

use crate::components::shell::ComingSoon;

#[component]
pub fn AuditPage() -> impl IntoView {
    view! { <ComingSoon title="nav.audit" /> }
}
