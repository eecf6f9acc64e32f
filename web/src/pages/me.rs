//! `/me`: who is signed in.

use leptos::prelude::*;
use shared::dto::{Me, Role};

use crate::api;
use crate::components::problem::problem_text;
use crate::components::sign_out::SignOut;
use crate::components::to_sign_in::ToSignIn;
use crate::i18n::use_i18n;

#[component]
pub fn MePage() -> impl IntoView {
    let i18n = use_i18n();
    // Refreshes the access token once when the server refuses it; 401 after that means that
    // the session is gone (and already forgotten).
    let me = LocalResource::new(|| api::authorized(api::me));

    view! {
        <section class="card">
            {move || match me.get() {
                None => view! { <p role="status">{i18n.tr("loading")}</p> }.into_any(),
                Some(Ok(me)) => view! { <Profile me /> }.into_any(),
                Some(Err(error)) if error.is_unauthorized() => {
                    view! { <ToSignIn /> }.into_any()
                }
                Some(Err(error)) => {
                    view! {
                        <h1>{i18n.tr("me.title")}</h1>
                        <p class="error" role="alert">
                            {move || problem_text(i18n.locale.get(), &error)}
                        </p>
                        <div class="actions">
                            <button type="button" on:click=move |_| me.refetch()>
                                {i18n.tr("try_again")}
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
    let i18n = use_i18n();
    let account = me.account;
    let organization = me.organization.map(|o| o.name);
    let email = account.email;
    view! {
        <h1>
            {i18n.tr("me.signed_in_as")} " "
            {format!("{} {}", account.first_name, account.last_name)} " (" {account.username}
            ")"
        </h1>
        <dl class="facts">
            <dt>{i18n.tr("me.role")}</dt>
            <dd>{i18n.tr(role_key(account.role))}</dd>
            <dt>{i18n.tr("me.organization")}</dt>
            <dd>
                {move || organization.clone().unwrap_or_else(|| i18n.t("none").to_owned())}
            </dd>
            <dt>{i18n.tr("me.email")}</dt>
            <dd>{move || email.clone().unwrap_or_else(|| i18n.t("me.no_mailbox").to_owned())}</dd>
        </dl>
    }
}

fn role_key(role: Role) -> &'static str {
    match role {
        Role::Operator => "role.operator",
        Role::Admin => "role.admin",
        Role::User => "role.user",
    }
}
