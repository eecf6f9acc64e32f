//! The frame of the signed-in screens: the navigation for the caller's role and "Sign out"
//! above the page. The shell loads the caller's account once and shares it with every screen
//! under it through [`use_me`].

use leptos::prelude::*;
use leptos_router::components::{A, Outlet};
use shared::dto::{Me, Role};

use super::sign_out::SignOut;
use super::to_sign_in::ToSignIn;
use crate::api::{self, ClientError};
use crate::components::problem::problem_text;
use crate::i18n::use_i18n;
use crate::session;

/// The signed-in account, as the shell loaded it.
#[derive(Clone, Copy)]
pub struct CurrentUser(LocalResource<Result<Me, ClientError>>);

impl CurrentUser {
    /// The account, once loaded.
    pub fn get(self) -> Option<Me> {
        self.0.get().and_then(Result::ok)
    }

    /// Loads it again (after the caller changed their own data).
    pub fn refetch(self) {
        self.0.refetch();
    }
}

/// The signed-in account of the shell around the current screen. Outside the shell (sign-in,
/// unit tests) a resource that asks the server itself.
pub fn use_me() -> CurrentUser {
    use_context::<CurrentUser>()
        .unwrap_or_else(|| CurrentUser(LocalResource::new(|| api::authorized(api::me))))
}

/// The screen each role starts on.
pub fn home_of(role: Role) -> &'static str {
    match role {
        Role::Admin => "/dashboard",
        Role::Operator => "/operator/organizations",
        Role::User => "/me",
    }
}

/// The sections a role may open: (path, i18n key).
fn sections(role: Role) -> &'static [(&'static str, &'static str)] {
    match role {
        Role::Admin => &[
            ("/dashboard", "nav.dashboard"),
            ("/users", "nav.users"),
            ("/groups", "nav.groups"),
            ("/domains", "nav.domains"),
            ("/credit", "nav.credit"),
            ("/audit", "nav.audit"),
            ("/api-keys", "nav.api_keys"),
            ("/me", "nav.me"),
        ],
        Role::Operator => &[
            ("/operator/organizations", "nav.organizations"),
            ("/operator/top-ups", "nav.top_ups"),
            ("/operator/plans", "nav.plans"),
            ("/audit", "nav.audit"),
            ("/me", "nav.me"),
        ],
        Role::User => &[("/me", "nav.me")],
    }
}

/// Parent route of every signed-in screen. Without a stored session, or once the server
/// refuses it, it goes to sign-in, which comes back here afterwards.
#[component]
pub fn Shell() -> impl IntoView {
    if session::load().is_none() {
        return view! { <ToSignIn /> }.into_any();
    }
    let i18n = use_i18n();
    let me = LocalResource::new(|| api::authorized(api::me));
    provide_context(CurrentUser(me));
    // Once the role is known, fetch the code of the screens it can open in the background.
    Effect::new(move |preloaded: Option<bool>| {
        if preloaded == Some(true) {
            return true;
        }
        match me.get() {
            Some(Ok(me)) => {
                crate::screens::preload_screens(me.account.role);
                true
            }
            _ => false,
        }
    });
    let nav = move || match me.get() {
        None => view! { <p role="status">{i18n.tr("loading")}</p> }.into_any(),
        Some(Err(error)) if error.is_unauthorized() => view! { <ToSignIn /> }.into_any(),
        Some(Err(error)) => view! {
            <p class="error" role="alert">{move || problem_text(i18n.locale.get(), &error)}</p>
            <button type="button" on:click=move |_| me.refetch()>{i18n.tr("try_again")}</button>
        }
        .into_any(),
        Some(Ok(me)) => sections(me.account.role)
            .iter()
            .map(|&(href, key)| view! { <li><A href=href>{i18n.tr(key)}</A></li> })
            .collect_view()
            .into_any(),
    };
    view! {
        <nav class="sections" aria-label=i18n.tr("nav.label")>
            <ul>{nav}</ul>
            <SignOut />
        </nav>
        <div class="page">
            <Outlet />
        </div>
    }
    .into_any()
}
