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

use std::sync::atomic::{AtomicBool, Ordering};

use leptos::lazy;
use leptos::prelude::*;
use leptos_router::components::{A, ParentRoute, Route, Router, Routes};
use leptos_router::{Lazy, LazyRoute, path};
use shared::dto::Role;
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
                        <Route path=path!("/operator/organizations") view={Lazy::<Organizations>::new()} />
                        <Route path=path!("/operator/top-ups") view={Lazy::<TopUps>::new()} />
                        <Route path=path!("/operator/plans") view={Lazy::<Plans>::new()} />
                    </ParentRoute>
                </Routes>
            </main>
        </Router>
    }
}

/// Screens loaded on demand, in a few bundles. In the build `cargo xtask web` makes, each bundle's
/// code is split off the main module into a wasm chunk that the browser fetches the first time one
/// of its routes opens, so that the first download holds only sign-in, the shell and what every
/// screen shares. A bundle is one `#[lazy]` function choosing among its screens (one split point
/// per bundle: each split point costs a chunk for every set of splits that shares code, so one
/// per screen made hundreds of small chunks, several times the size in all). Each route is a
/// [`LazyRoute`] asking its bundle for its screen.
macro_rules! lazy_bundle {
    ($(#[$doc:meta])* $bundle:ident($screen:ident) { $($route:ident => $page:ident),* $(,)? }) => {
        #[derive(Clone, Copy)]
        enum $screen {
            $($route),*
        }

        $(#[$doc])*
        #[lazy]
        fn $bundle(screen: $screen) -> AnyView {
            match screen {
                $($screen::$route => $page().into_any()),*
            }
        }

        $(
            struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_: Self) -> AnyView {
                    $bundle($screen::$route).await
                }
            }
        )*
    };
}

lazy_bundle! {
    /// Signing up, resetting a password, and the account page every role has.
    account_screens(AccountScreen) {
        SignUp => SignUpPage,
        ResetPassword => ResetPasswordPage,
        Me => MePage,
    }
}

lazy_bundle! {
    /// An organization administrator's screens.
    admin_screens(AdminScreen) {
        Dashboard => DashboardPage,
        Users => UsersPage,
        NewUser => NewUserPage,
        UserDetail => UserDetailPage,
        Groups => GroupsPage,
        GroupDetail => GroupDetailPage,
        Domains => DomainsPage,
        DomainDetail => DomainDetailPage,
        Credit => CreditPage,
    }
}

lazy_bundle! {
    /// The audit log (administrators and operators).
    audit_screens(AuditScreen) {
        Audit => AuditPage,
    }
}

lazy_bundle! {
    /// The operator's screens.
    operator_screens(OperatorScreen) {
        Organizations => OrganizationsPage,
        TopUps => TopUpsPage,
        Plans => PlansPage,
    }
}

/// Starts fetching, in the background, the screens sign-in links to (sign-up, password reset).
/// Only the first call does anything.
pub(crate) fn preload_signed_out_screens() {
    static STARTED: AtomicBool = AtomicBool::new(false);
    if !STARTED.swap(true, Ordering::Relaxed) {
        leptos::task::spawn_local(__preload_account_screens());
    }
}

/// Starts fetching, in the background, the bundles of the screens `role` can open, so that moving
/// between screens after sign-in does not wait for the network. (A route opened before its
/// bundle arrives waits for the same fetch.)
pub(crate) fn preload_screens(role: Role) {
    leptos::task::spawn_local(async move {
        match role {
            Role::Admin => {
                __preload_admin_screens().await;
                __preload_account_screens().await;
                __preload_audit_screens().await;
            }
            Role::Operator => {
                __preload_operator_screens().await;
                __preload_audit_screens().await;
                __preload_account_screens().await;
            }
            Role::User => __preload_account_screens().await,
        }
    });
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
