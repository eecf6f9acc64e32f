//! The "Sign out" button.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::i18n::use_i18n;
use crate::pages::replace;
use crate::{api, session};

/// Ends the session on the server (renewing the access token first if it expired) and in this
/// browser, then goes back to sign-in. The browser forgets the session even when the server
/// cannot be reached: the person asked to be signed out here.
#[component]
pub fn SignOut() -> impl IntoView {
    let i18n = use_i18n();
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
            {i18n.tr("sign_out")}
        </button>
    }
}
