//! `/users/:id`: one account. The facts at the top, then its sections: photo, "More details"
//! (names and personal data), groups, "Change subscription", "New password", "Aliases", and
//! disabling, enabling and deleting. Each section updates the one account signal they share.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::ErrorCode;
use shared::dto::{Account, Organization};

use super::aliases::AliasesSection;
use super::danger::DangerSection;
use super::password::PasswordSection;
use super::subscription::SubscriptionSection;
use super::{organization_resource, plan_name, plans_resource, status_key};
use crate::api::{self, Profile};
use crate::components::personal::PersonalForm;
use crate::components::photo::PhotoEditor;
use crate::components::problem::problem_text;
use crate::components::shell::use_me;
use crate::components::to_sign_in::ToSignIn;
use crate::i18n::{fill, use_i18n};

#[component]
pub fn UserDetailPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    // Asked again only when the id itself changes (not when the query does, as when a deletion
    // leaves for the list).
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let account = LocalResource::new(move || {
        let id = id.get();
        api::authorized(move |token| api::account(token, id.clone()))
    });

    view! {
        <section class="card wide">
            {move || match account.get() {
                None => view! { <p role="status">{i18n.tr("loading")}</p> }.into_any(),
                Some(Ok(account)) => view! { <Details account /> }.into_any(),
                Some(Err(error)) if error.is_unauthorized() => {
                    view! { <ToSignIn /> }.into_any()
                }
                Some(Err(error)) => {
                    let not_found = error.code() == Some(ErrorCode::NotFound);
                    view! {
                        <h1>{i18n.tr("users.detail.title")}</h1>
                        <p class="error" role="alert">
                            {if not_found {
                                i18n.t("users.detail.not_found").to_owned()
                            } else {
                                problem_text(i18n.locale.get(), &error)
                            }}
                        </p>
                        <div class="actions">
                            <button type="button" on:click=move |_| account.refetch()>
                                {i18n.tr("try_again")}
                            </button>
                            <A href="/users">{i18n.tr("users.back")}</A>
                        </div>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn Details(account: Account) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let created = query.read_untracked().get("created").is_some();
    let id = account.id;
    let has_photo = account.personal.has_photo;
    let account = RwSignal::new(account);
    let plans = plans_resource();
    // The organization's billing period and credit; sections update the balance they change.
    let organization = organization_resource();
    let org = RwSignal::new(None::<Organization>);
    Effect::new(move || {
        if let Some(Ok(loaded)) = organization.get() {
            org.set(Some(loaded));
        }
    });

    // The signed-in admin's own account: its recovery address needs their password.
    let me = use_me();
    let own = Signal::derive(move || me.get().is_some_and(|m| m.account.id == id));

    // Neither the username nor the primary address ever changes.
    let (username, email) = account.with_untracked(|a| (a.username.clone(), a.email.clone()));
    let name =
        Signal::derive(move || account.with(|a| format!("{} {}", a.first_name, a.last_name)));
    let email = Signal::derive(move || email.clone().unwrap_or_else(|| i18n.t("none").to_owned()));
    let plan = Signal::derive(move || {
        let code = account.with(|a| a.plan.clone()).unwrap_or_default();
        plans.with(|p| match p {
            Some(Ok(catalog)) => plan_name(catalog, &code),
            _ => code,
        })
    });
    let renews = Signal::derive(move || {
        let locale = i18n.locale.get();
        match account.with(|a| a.subscription.as_ref().and_then(|s| s.renews_at)) {
            Some(at) => locale.date(at.date_naive()),
            None => locale.text("none").to_owned(),
        }
    });
    let status = Signal::derive(move || i18n.t(status_key(account.with(|a| a.status))));
    let owner = Signal::derive(move || {
        i18n.t(if account.with(|a| a.is_owner) {
            "yes"
        } else {
            "no"
        })
    });
    let since = Signal::derive(move || {
        let at = account.with(|a| a.created_at);
        i18n.locale.get().date(at.date_naive())
    });
    let created = {
        let username = username.clone();
        Signal::derive(move || {
            created.then(|| {
                fill(
                    i18n.t("users.detail.created_now"),
                    &[("username", &username)],
                )
            })
        })
    };

    view! {
        <div class="heading">
            <h1>{name} " (" {username.clone()} ")"</h1>
            <A href="/users">{i18n.tr("users.back")}</A>
        </div>
        <p class="status success" role="status">{created}</p>
        <dl class="facts">
            <dt>{i18n.tr("users.username")}</dt>
            <dd>{username}</dd>
            <dt>{i18n.tr("users.detail.email")}</dt>
            <dd>{email}</dd>
            <dt>{i18n.tr("users.plan")}</dt>
            <dd>{plan}</dd>
            <dt>{i18n.tr("users.detail.renews")}</dt>
            <dd>{renews}</dd>
            <dt>{i18n.tr("users.status")}</dt>
            <dd>{status}</dd>
            <dt>{i18n.tr("users.detail.owner")}</dt>
            <dd>{owner}</dd>
            <dt>{i18n.tr("users.detail.created")}</dt>
            <dd>{since}</dd>
        </dl>
        <div class="sections-grid">
            <PhotoEditor profile=Profile::Account(id) has_photo name />
            <PersonalForm profile=Profile::Account(id) account with_names=true own />
            <Groups account />
            <SubscriptionSection account plans org />
            <PasswordSection id />
            <AliasesSection account plans />
            <DangerSection account org />
        </div>
    }
}

/// The groups the account is in, each a link to the group.
#[component]
fn Groups(account: RwSignal<Account>) -> impl IntoView {
    let i18n = use_i18n();
    let groups = move || account.with(|a| a.groups.clone());
    view! {
        <section class="panel" aria-labelledby="groups-heading">
            <h2 id="groups-heading">{i18n.tr("users.groups")}</h2>
            {move || {
                let groups = groups();
                if groups.is_empty() {
                    return view! { <p>{i18n.tr("users.detail.no_groups")}</p> }.into_any();
                }
                view! {
                    <ul class="links">
                        {groups
                            .into_iter()
                            .map(|g| {
                                let href = format!("/groups/{}", g.id);
                                view! {
                                    <li>
                                        <A href=href>{g.name}</A>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}
