//! `/sign-up`: a new organization and its owner.

use leptos::prelude::*;

use crate::components::shell::ComingSoon;

#[component]
pub fn SignUpPage() -> impl IntoView {
    view! { <ComingSoon title="nav.sign_up" /> }
}
