//! Postwarden's web app: client-side rendered with Leptos, compiled to WebAssembly and built by
//! `cargo xtask web` into `web/dist/`, which the API server serves (with `index.html` for every
//! unknown non-API path, so that deep links work).
//!
//! - [`api`]: the only module that talks HTTP.
//! - [`session`]: the tokens in `localStorage`.
//! - [`i18n`]: English and Italian texts and the language switch.
//! - [`pages`]: one file per screen; [`components`]: the pieces they share.
//! - `screens`: the screens loaded on demand, in bundles split off the main module.

pub mod api;
pub mod components;
pub mod i18n;
pub mod pages;
mod screens;
pub mod session;

use leptos::prelude::*;
use leptos_router::components::{A, ParentRoute, Route, Router, Routes};
use leptos_router::{Lazy, path};
use wasm_bindgen::prelude::wasm_bindgen;

use components::shell::Shell;
use i18n::{LanguageSwitch, provide_i18n, use_i18n};
use pages::sign_in::{HomePage, SignInPage};
use screens::{
    ApiKeys, Audit, Credit, Dashboard, DomainDetail, Domains, GroupDetail, Groups, Me, NewUser,
    Organizations, Plans, ResetPassword, SignUp, TopUps, UserDetail, Users,
};

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
                    <Route path=path!("/sign-up") view={Lazy::<SignUp>::new()} />
                    <Route path=path!("/reset-password") view={Lazy::<ResetPassword>::new()} />
                    <ParentRoute path=path!("") view=Shell>
                        <Route path=path!("/dashboard") view={Lazy::<Dashboard>::new()} />
                        <Route path=path!("/me") view={Lazy::<Me>::new()} />
                        <Route path=path!("/users") view={Lazy::<Users>::new()} />
                        <Route path=path!("/users/new") view={Lazy::<NewUser>::new()} />
                        <Route path=path!("/users/:id") view={Lazy::<UserDetail>::new()} />
                        <Route path=path!("/groups") view={Lazy::<Groups>::new()} />
                        <Route path=path!("/groups/:id") view={Lazy::<GroupDetail>::new()} />
                        <Route path=path!("/domains") view={Lazy::<Domains>::new()} />
                        <Route path=path!("/domains/:id") view={Lazy::<DomainDetail>::new()} />
                        <Route path=path!("/credit") view={Lazy::<Credit>::new()} />
                        <Route path=path!("/audit") view={Lazy::<Audit>::new()} />
                        <Route path=path!("/api-keys") view={Lazy::<ApiKeys>::new()} />
                        <Route path=path!("/operator/organizations") view={Lazy::<Organizations>::new()} />
                        <Route path=path!("/operator/top-ups") view={Lazy::<TopUps>::new()} />
                        <Route path=path!("/operator/plans") view={Lazy::<Plans>::new()} />
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
