//! Postwarden's web app: client-side rendered with Leptos, compiled to WebAssembly and built by
//! `cargo xtask web` into `web/dist/`, which the API server serves (with `index.html` for every
//! unknown non-API path, so that deep links work).
//!
//! - [`api`]: the only module that talks HTTP.
//! - [`session`]: the tokens in `localStorage`.
//! - [`i18n`]: English and Italian texts and the language switch.
//! - [`pages`]: one file per screen; [`components`]: the pieces they share.

pub mod api;
pub mod components;
pub mod i18n;
pub mod pages;
pub mod session;

use leptos::prelude::*;
use leptos_router::components::{A, ParentRoute, Route, Router, Routes};
use leptos_router::path;
use wasm_bindgen::prelude::wasm_bindgen;

use components::shell::Shell;
use i18n::{LanguageSwitch, provide_i18n, use_i18n};
use pages::audit::AuditPage;
use pages::credit::CreditPage;
use pages::dashboard::DashboardPage;
use pages::domains::{detail::DomainDetailPage, list::DomainsPage};
use pages::groups::{detail::GroupDetailPage, list::GroupsPage};
use pages::operator::{organizations::OrganizationsPage, plans::PlansPage, top_ups::TopUpsPage};
use pages::sign_in::{HomePage, SignInPage};
use pages::sign_up::SignUpPage;
use pages::users::{detail::UserDetailPage, list::UsersPage, new::NewUserPage};
use pages::{me::MePage, reset_password::ResetPasswordPage};

/// The whole app: header, router and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    let i18n = use_i18n();
    view! {
        <Router>
            <header class="masthead">
                <A href="/" attr:class="brand" attr:aria-label=i18n.tr("brand.home")>
                    "Postwarden"
                </A>
                <LanguageSwitch />
            </header>
            <main>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/sign-in") view=SignInPage />
                    <Route path=path!("/sign-up") view=SignUpPage />
                    <Route path=path!("/reset-password") view=ResetPasswordPage />
                    <ParentRoute path=path!("") view=Shell>
                        <Route path=path!("/dashboard") view=DashboardPage />
                        <Route path=path!("/me") view=MePage />
                        <Route path=path!("/users") view=UsersPage />
                        <Route path=path!("/users/new") view=NewUserPage />
                        <Route path=path!("/users/:id") view=UserDetailPage />
                        <Route path=path!("/groups") view=GroupsPage />
                        <Route path=path!("/groups/:id") view=GroupDetailPage />
                        <Route path=path!("/domains") view=DomainsPage />
                        <Route path=path!("/domains/:id") view=DomainDetailPage />
                        <Route path=path!("/credit") view=CreditPage />
                        <Route path=path!("/audit") view=AuditPage />
                        <Route path=path!("/operator/organizations") view=OrganizationsPage />
                        <Route path=path!("/operator/top-ups") view=TopUpsPage />
                        <Route path=path!("/operator/plans") view=PlansPage />
                    </ParentRoute>
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h1>{i18n.tr("not_found.title")}</h1>
            <p>{i18n.tr("not_found.text")} " " <A href="/">{i18n.tr("go_sign_in")}</A></p>
        </section>
    }
}

/// Entry point, run by the generated `web.js` once the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
