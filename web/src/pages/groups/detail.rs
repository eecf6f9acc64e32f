//! `/groups/:id`: one group, its details and members.

use leptos::prelude::*;

use crate::components::shell::ComingSoon;

#[component]
pub fn GroupDetailPage() -> impl IntoView {
    view! { <ComingSoon title="nav.groups" /> }
}
