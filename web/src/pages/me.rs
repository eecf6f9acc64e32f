//! `/me`: who is signed in, and signing out.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_navigate;
use shared::dto::{Me, Role};

use super::replace;
use crate::{api, session};

#[component]
pub fn MePage() -> impl IntoView {
    // Refreshes the access token once when the server refuses it; 401 after that means that
    // the session is gone (and already forgotten).
    let me = LocalResource::new(|| api::authorized(api::me));

    view! {
        <section class="card">
            {move || match me.get() {
                None => view! { <p role="status">"Loading…"</p> }.into_any(),
                Some(Ok(me)) => view! { <Profile me /> }.into_any(),
                Some(Err(error)) if error.is_unauthorized() => {
                    view! { <Redirect path="/" options=replace() /> }.into_any()
                }
                Some(Err(error)) => {
                    view! {
                        <h1>"Your account"</h1>
                        <p class="error" role="alert">{error.to_string()}</p>
                        <div class="actions">
                            <button type="button" on:click=move |_| me.refetch()>
                                "Try again"
                            </button>
                            <SignOut />
                        </div>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn Profile(me: Me) -> impl IntoView {
    let account = me.account;
    let organization = me.organization.map(|o| o.name);
    view! {
        <h1>
            "Signed in as " {format!("{} {}", account.first_name, account.last_name)} " ("
            {account.username} ")"
        </h1>
        <dl class="facts">
            <dt>"Role"</dt>
            <dd>{role_label(account.role)}</dd>
            <dt>"Organization"</dt>
            <dd>{organization.unwrap_or_else(|| "None".to_owned())}</dd>
            <dt>"Primary email"</dt>
            <dd>{account.email.unwrap_or_else(|| "None (operators have no mailbox)".to_owned())}</dd>
        </dl>
        <div class="actions">
            <SignOut />
        </div>
    }
}

/// Ends the session on the server (renewing the access token first if it expired) and in this
/// browser, then goes back to sign-in. The browser forgets the session even when the server
/// cannot be reached: the person asked to be signed out here.
#[component]
fn SignOut() -> impl IntoView {
    let navigate = use_navigate();
    let sign_out = Action::new_local(move |_: &()| {
        let navigate = navigate.clone();
        async move {
            let _ = api::authorized(api::logout).await;
            session::clear();
            navigate("/", replace());
        }
    });
    let pending = sign_out.pending();
    view! {
        <button
            type="button"
            class="secondary"
            aria-busy=move || pending.get().then_some("true")
            disabled=pending
            on:click=move |_| {
                sign_out.dispatch(());
            }
        >
            "Sign out"
        </button>
    }
}

fn role_label(role: Role) -> &'static str {
    match role {
        Role::Operator => "Operator",
        Role::Admin => "Administrator",
        Role::User => "User",
    }
}
