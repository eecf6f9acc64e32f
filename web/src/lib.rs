//! Postwarden's web app: client-side rendered with Leptos, compiled to WebAssembly and built by
//! `cargo xtask web` into `web/dist/`, which the API server serves (with `index.html` for every
//! unknown non-API path, so that deep links work).
//!
//! - [`api`]: the only module that talks HTTP.
//! - [`session`]: the tokens in `localStorage`.
//! - [`pages`]: one file per screen.

pub mod api;
pub mod pages;
pub mod session;

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;
use wasm_bindgen::prelude::wasm_bindgen;

use pages::{me::MePage, reset_password::ResetPasswordPage, sign_in::SignInPage};

/// The whole app: header, router and routes.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <header class="masthead">
                <A href="/" attr:class="brand">"Postwarden"</A>
            </header>
            <main>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=SignInPage />
                    <Route path=path!("/sign-in") view=SignInPage />
                    <Route path=path!("/me") view=MePage />
                    <Route path=path!("/reset-password") view=ResetPasswordPage />
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <section class="card">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address. " <A href="/">"Go to sign in"</A></p>
        </section>
    }
}

/// Entry point, run by the generated `web.js` once the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
