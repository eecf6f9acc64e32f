//! The screens loaded on demand, and their routes ([`LazyRoute`]s for the router in
//! [`App`](crate::App)).

use std::sync::atomic::{AtomicBool, Ordering};

use leptos::lazy;
use leptos::prelude::*;
use leptos_router::LazyRoute;
use shared::dto::Role;

use crate::pages::api_keys::ApiKeysPage;
use crate::pages::audit::AuditPage;
use crate::pages::credit::CreditPage;
use crate::pages::dashboard::DashboardPage;
use crate::pages::domains::{detail::DomainDetailPage, list::DomainsPage};
use crate::pages::groups::{detail::GroupDetailPage, list::GroupsPage};
use crate::pages::operator::{
    organizations::OrganizationsPage, plans::PlansPage, top_ups::TopUpsPage,
};
use crate::pages::sign_up::SignUpPage;
use crate::pages::users::{detail::UserDetailPage, list::UsersPage, new::NewUserPage};
use crate::pages::{me::MePage, reset_password::ResetPasswordPage};

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
        pub(crate) enum $screen {
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
            pub(crate) struct $route;

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
        ApiKeys => ApiKeysPage,
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
