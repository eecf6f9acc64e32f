//! "Create an organization": its name and its owner, who starts on the free plan.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::ErrorCode;
use shared::dto::{CreateOrganizationRequest, CreateOrganizationResponse, OwnerInput};
use shared::value::{ExternalEmail, Password, Username, parse_name};

use super::{FormState, Input, busy, failure_of, maybe, verdict, while_busy};
use crate::api::{self, ClientError};
use crate::components::field::TextField;
use crate::components::to_sign_in::ToSignIn;
use crate::i18n::{Locale, use_i18n};

fn check_name(locale: Locale, text: &str) -> Result<(), String> {
    verdict(locale, parse_name(text, 100), "invalid.name")
}

fn check_username(locale: Locale, text: &str) -> Result<(), String> {
    verdict(locale, Username::parse(text), "invalid.username")
}

fn check_password(locale: Locale, text: &str) -> Result<(), String> {
    verdict(locale, Password::parse(text), "invalid.password")
}

fn check_email(locale: Locale, text: &str) -> Result<(), String> {
    verdict(locale, ExternalEmail::parse(text), "invalid.email")
}

/// A taken username is told beside the username.
fn about(error: &ClientError) -> Option<&'static str> {
    (error.code() == Some(ErrorCode::UsernameTaken)).then_some("owner.username")
}

/// The form; `on_created` gets the server's answer.
#[component]
pub fn CreateOrganization(on_created: Callback<CreateOrganizationResponse>) -> impl IntoView {
    let i18n = use_i18n();
    let name = Input::new("organization_name", check_name);
    let first = Input::new("owner.first_name", check_name);
    let last = Input::new("owner.last_name", check_name);
    let username = Input::new("owner.username", check_username);
    let password = Input::new("owner.password", check_password);
    let external = Input::new("owner.external_email", check_email).optional();
    let inputs = [name, first, last, username, password, external];

    let create = Action::new_local(move |request: &CreateOrganizationRequest| {
        let request = request.clone();
        async move {
            let created = api::authorized(move |token| {
                api::operator_create_organization(token, request.clone())
            })
            .await?;
            on_created.run(created.clone());
            Ok::<_, ClientError>(created)
        }
    });
    let pending = create.pending();
    let form = FormState::new(failure_of(create), about);
    // A success empties the form for the next one.
    Effect::new(move || {
        if let Some(Ok(_)) = create.value().get() {
            form.reset(&inputs);
        }
    });

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() || !form.send(&inputs) {
            return;
        }
        create.dispatch(CreateOrganizationRequest {
            organization_name: name.value.get_untracked(),
            owner: OwnerInput {
                first_name: first.value.get_untracked(),
                last_name: last.value.get_untracked(),
                username: username.value.get_untracked(),
                password: password.value.get_untracked(),
                external_email: external.text(),
            },
        });
    };

    view! {
        <section aria-labelledby="create-org-title">
            <h2 id="create-org-title">{i18n.tr("operator.create.title")}</h2>
            <Show when=move || form.signed_out()>
                <ToSignIn />
            </Show>
            <form class="columns" on:submit=on_submit novalidate>
                <p class="error" role="alert">
                    {maybe(move || form.summary(i18n.locale.get(), |_, _| None))}
                </p>
                <TextField
                    id="org-name"
                    name="organization_name"
                    label="operator.create.name"
                    value=name.value
                    error=form.message(i18n, name)
                />
                <TextField
                    id="owner-first-name"
                    name="first_name"
                    label="new.first_name"
                    value=first.value
                    error=form.message(i18n, first)
                />
                <TextField
                    id="owner-last-name"
                    name="last_name"
                    label="new.last_name"
                    value=last.value
                    error=form.message(i18n, last)
                />
                <TextField
                    id="owner-username"
                    name="username"
                    label="new.username"
                    value=username.value
                    error=form.message(i18n, username)
                />
                <TextField
                    id="owner-password"
                    name="password"
                    label="new.password"
                    kind="password"
                    autocomplete="new-password"
                    hint="password.hint"
                    value=password.value
                    error=form.message(i18n, password)
                />
                <TextField
                    id="owner-external-email"
                    name="external_email"
                    label="operator.create.external"
                    kind="email"
                    hint="operator.create.external_hint"
                    value=external.value
                    error=form.message(i18n, external)
                />
                <div class="actions">
                    <button type="submit" aria-busy=busy(pending)>
                        {i18n.tr("operator.create.submit")}
                    </button>
                </div>
                <p class="status" role="status">
                    {while_busy(i18n, pending, "operator.create.pending")}
                </p>
            </form>
        </section>
    }
}
