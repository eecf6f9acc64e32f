//! "New password": the admin sets one (typed or generated) and tells the user; the account's
//! sessions end.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use uuid::Uuid;

use crate::api::{self, ClientError};
use crate::components::form_state::{Field, FormState, check_password, failure_of, no_code_field};
use crate::components::password::NewPasswordField;
use crate::components::to_sign_in::ToSignIn;
use crate::i18n::use_i18n;

#[component]
pub fn PasswordSection(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let password = RwSignal::new(String::new());
    let done = RwSignal::new(false);
    let set = Action::new_local(move |new_password: &String| {
        let new_password = new_password.clone();
        async move {
            api::authorized(move |token| {
                api::set_account_password(token, id, new_password.clone())
            })
            .await?;
            done.set(true);
            Ok::<(), ClientError>(())
        }
    });
    let pending = set.pending();
    let state = FormState::new(failure_of(set), no_code_field);
    let field = Field::new("new_password", password, check_password, "invalid.password").required();
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        done.set(false);
        if !pending.get_untracked() && state.ready(&[field]) {
            set.dispatch(password.get_untracked());
        }
    };
    view! {
        <section class="panel" aria-labelledby="password-heading">
            <h2 id="password-heading">{i18n.tr("action.new_password")}</h2>
            <Show when=move || state.signed_out()>
                <ToSignIn />
            </Show>
            <form on:submit=on_submit novalidate>
                <p class="error" role="alert">{move || state.summary()}</p>
                <NewPasswordField
                    id="new-password"
                    name="new_password"
                    label="users.password.new"
                    value=password
                    error=state.message(field)
                />
                <div class="actions">
                    <button type="submit" aria-busy=move || pending.get().then_some("true")>
                        {i18n.tr("users.password.set")}
                    </button>
                </div>
                <p class="status" role="status">
                    {move || done.get().then(|| i18n.t("users.password.set_done"))}
                </p>
            </form>
        </section>
    }
}
