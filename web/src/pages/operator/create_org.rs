//! "Create an organization": its name and its owner, who starts on the free plan.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::ErrorCode;
use shared::dto::{CreateOrganizationRequest, CreateOrganizationResponse, OwnerInput};

use super::{busy, failure_of, says, while_busy};
use crate::api::{self, ClientError};
use crate::components::field::TextField;
use crate::components::form_state::{
    Field, FormState, check_external_email, check_name, check_password, check_username,
};
use crate::components::to_sign_in::ToSignIn;
use crate::i18n::use_i18n;

/// A taken username is told beside the username.
fn about(code: ErrorCode) -> Option<&'static str> {
    (code == ErrorCode::UsernameTaken).then_some("owner.username")
}

/// The form; `on_created` gets the server's answer.
#[component]
pub fn CreateOrganization(on_created: Callback<CreateOrganizationResponse>) -> impl IntoView {
    let i18n = use_i18n();
    let input = |name, check| Field::holding(name, check, String::new());
    let name = input("organization_name", check_name).required();
    let first = input("owner.first_name", check_name).required();
    let last = input("owner.last_name", check_name).required();
    let username = input("owner.username", check_username).required();
    let password = input("owner.password", check_password).required();
    let external = input("owner.external_email", check_external_email);
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
    let form = FormState::new(failure_of(create), about).explained_by(says);
    // A success empties the form for the next one.
    Effect::new(move || {
        if let Some(Ok(_)) = create.value().get() {
            form.reset(&inputs);
        }
    });

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() || !form.ready(&inputs) {
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
                <p class="error" role="alert">{form.summary()}</p>
                <TextField
                    id="org-name"
                    name="organization_name"
                    label="operator.create.name"
                    value=name.value
                    error=form.message(name)
                />
                <TextField
                    id="owner-first-name"
                    name="first_name"
                    label="users.first_name"
                    value=first.value
                    error=form.message(first)
                />
                <TextField
                    id="owner-last-name"
                    name="last_name"
                    label="users.last_name"
                    value=last.value
                    error=form.message(last)
                />
                <TextField
                    id="owner-username"
                    name="username"
                    label="users.username"
                    value=username.value
                    error=form.message(username)
                />
                <TextField
                    id="owner-password"
                    name="password"
                    label="users.new.password"
                    kind="password"
                    autocomplete="new-password"
                    hint="password.hint"
                    value=password.value
                    error=form.message(password)
                />
                <TextField
                    id="owner-external-email"
                    name="external_email"
                    label="operator.create.external"
                    kind="email"
                    hint="operator.create.external_hint"
                    value=external.value
                    error=form.message(external)
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
