//! `/groups`: the groups and "Create a group".

use leptos::prelude::*;

use crate::components::shell::ComingSoon;

#[component]
pub fn GroupsPage() -> impl IntoView {
    view! { <ComingSoon title="nav.groups" /> }
}
