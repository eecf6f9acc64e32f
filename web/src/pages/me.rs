//! `/me`: "Your account", for every role: who is signed in, their photo and personal data
//! (not for operators, who have none), and changing their own password.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{ChangePasswordRequest, Me, Role};

use crate::api::{self, ClientError, Profile};
use crate::components::form_state::{
    Field, FormState, check_password, failure_of, local_message, no_code_field,
};
use crate::components::outcome::{Done, busy, invalid, key_text};
use crate::components::password::NewPasswordField;
use crate::components::personal::PersonalForm;
use crate::components::photo::PhotoEditor;
use crate::components::problem::problem_text;
use crate::components::sign_out::SignOut;
use crate::components::to_sign_in::ToSignIn;
use crate::i18n::{Locale, use_i18n};

#[component]
pub fn MePage() -> impl IntoView {
    let i18n = use_i18n();
    // Refreshes the access token once when the server refuses it; 401 after that means that
    // the session is gone (and already forgotten).
    let me = LocalResource::new(|| api::authorized(api::me));

    view! {
        <section class="card wide">
            {move || match me.get() {
                None => view! { <p role="status">{i18n.tr("loading")}</p> }.into_any(),
                Some(Ok(me)) => view! { <Profile me /> }.into_any(),
                Some(Err(error)) if error.is_unauthorized() => {
                    view! { <ToSignIn /> }.into_any()
                }
                Some(Err(error)) => {
                    view! {
                        <h1>{i18n.tr("users.me.title")}</h1>
                        <p class="error" role="alert">
                            {problem_text(i18n.locale.get(), &error)}
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
    let organization = me.organization.map(|o| o.name);
    let role = me.account.role;
    let has_photo = me.account.personal.has_photo;
    let email = me.account.email.clone();
    let account = RwSignal::new(me.account);
    let name =
        Signal::derive(move || account.with(|a| format!("{} {}", a.first_name, a.last_name)));
    let username = account.with_untracked(|a| a.username.clone());
    let organization = Signal::derive(move || {
        organization
            .clone()
            .unwrap_or_else(|| i18n.t("none").to_owned())
    });
    let email = Signal::derive(move || {
        email
            .clone()
            .unwrap_or_else(|| i18n.t("users.me.no_mailbox").to_owned())
    });
    // Operators keep no personal data.
    let personal = (role != Role::Operator).then(|| {
        view! {
            <PhotoEditor profile=Profile::Me has_photo name />
            <PersonalForm profile=Profile::Me account with_names=false own=true />
        }
    });
    view! {
        <h1>{i18n.tr("users.me.title")}</h1>
        <p>{i18n.tr("users.me.signed_in_as")} " " {name} " (" {username} ")"</p>
        <dl class="facts">
            <dt>{i18n.tr("users.me.role")}</dt>
            <dd>{i18n.tr(role_key(role))}</dd>
            <dt>{i18n.tr("users.me.organization")}</dt>
            <dd>{organization}</dd>
            <dt>{i18n.tr("users.me.email")}</dt>
            <dd>{email}</dd>
        </dl>
        <div class="sections-grid">
            {personal}
            <OwnPassword />
        </div>
    }
}

fn role_key(role: Role) -> &'static str {
    match role {
        Role::Operator => "role.operator",
        Role::Admin => "role.admin",
        Role::User => "role.user",
    }
}

fn check_anything(_: Locale, _: &str) -> Result<(), String> {
    Ok(())
}

/// Changing one's own password: the current one, then the new one. The other sessions end;
/// this one goes on.
#[component]
fn OwnPassword() -> impl IntoView {
    let i18n = use_i18n();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let done = RwSignal::new(None::<&'static str>);
    let change = Action::new_local(move |request: &ChangePasswordRequest| {
        let request = request.clone();
        async move {
            api::authorized(move |token| api::change_own_password(token, request.clone())).await?;
            current.set(String::new());
            new.set(String::new());
            done.set(Some("users.me.password_changed"));
            Ok::<(), ClientError>(())
        }
    });
    let pending = change.pending();
    let state = FormState::new(failure_of(change), no_code_field);
    let current_field = Field::new("current_password", current, check_anything).required();
    let new_field = Field::new("new_password", new, check_password).required();
    // The server's "is not the current password", in the current locale.
    let current_error = Signal::derive(move || {
        let locale = i18n.locale.get();
        let now = current.get();
        local_message(locale, &now, state.tried.get(), true, check_anything).or_else(|| {
            state
                .server_message(locale, "current_password", &now)
                .map(|_| locale.text("users.me.wrong_current").to_owned())
        })
    });
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        done.set(None);
        if pending.get_untracked() || !state.ready(&[current_field, new_field]) {
            return;
        }
        change.dispatch(ChangePasswordRequest {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        });
    };
    view! {
        <section class="panel" aria-labelledby="own-password-heading">
            <h2 id="own-password-heading">{i18n.tr("users.me.password_title")}</h2>
            <form on:submit=on_submit novalidate>
                <p class="error" role="alert">{state.summary()}</p>
                <div class="field">
                    <label for="current-password">{i18n.tr("users.me.current_password")}</label>
                    <input
                        id="current-password"
                        name="current_password"
                        type="password"
                        autocomplete="current-password"
                        aria-invalid=invalid(current_error)
                        aria-describedby="current-password-error"
                        bind:value=current
                    />
                    <p id="current-password-error" class="field-error" aria-live="polite">
                        {current_error}
                    </p>
                </div>
                <NewPasswordField
                    id="new-password"
                    name="new_password"
                    label="users.password.new"
                    value=new
                    error=state.message(new_field)
                />
                <div class="actions">
                    <button type="submit" aria-busy=busy(pending)>
                        {i18n.tr("users.password.set")}
                    </button>
                </div>
                <Done failure=state.failure_signal() done=key_text(done) />
            </form>
        </section>
    }
}
