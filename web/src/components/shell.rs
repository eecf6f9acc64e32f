//! The frame of the signed-in screens: the section navigation and "Sign out" above the page.

use leptos::prelude::*;
use leptos_router::components::{A, Outlet, Redirect};

use super::sign_out::SignOut;
use crate::i18n::use_i18n;
use crate::pages::replace;
use crate::session;

/// Parent route of every signed-in screen. Without a stored session it goes to sign-in; a
/// session the server no longer accepts is sent there by the page that finds out.
#[component]
pub fn Shell() -> impl IntoView {
    if session::load().is_none() {
        return view! { <Redirect path="/" options=replace() /> }.into_any();
    }
    let i18n = use_i18n();
    let link = move |href: &'static str, key: &'static str| {
        view! {
            <li>
                <A href=href>{i18n.tr(key)}</A>
            </li>
        }
    };
    view! {
        <nav class="sections" aria-label=i18n.tr("nav.label")>
            <ul>
                {link("/users", "nav.users")}
                {link("/groups", "nav.groups")}
                {link("/domains", "nav.domains")}
                {link("/credit", "nav.credit")}
                {link("/me", "nav.me")}
            </ul>
            <SignOut />
        </nav>
        <div class="page">
            <Outlet />
        </div>
    }
    .into_any()
}

/// A section that is not built yet: its title and a sentence.
#[component]
pub fn ComingSoon(title: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h1>{i18n.tr(title)}</h1>
            <p>{i18n.tr("coming.text")}</p>
        </section>
    }
}
