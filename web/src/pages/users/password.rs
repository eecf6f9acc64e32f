//! "New password": the admin sets one (typed or generated) and tells the user; the account's
//! sessions end.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use uuid::Uuid;

use crate::api::{self, ClientError};
use crate::components::form_state::{Field, FormState, check_password, failure_of, no_code_field};
use crate::components::outcome::{Done, busy, key_text};
use crate::components::password::NewPasswordField;
use crate::i18n::use_i18n;

#[component]
pub fn PasswordSection(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let password = RwSignal::new(String::new());
    let done = RwSignal::new(None::<&'static str>);
    let set = Action::new_local(move |new_password: &String| {
        let new_password = new_password.clone();
        async move {
            api::authorized(move |token| {
                api::set_account_password(token, id, new_password.clone())
            })
            .await?;
            done.set(Some("users.password.set_done"));
            Ok::<(), ClientError>(())
        }
    });
    let pending = set.pending();
    let state = FormState::new(failure_of(set), no_code_field);
    let field = Field::new("new_password", password, check_password).required();
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        done.set(None);
        if !pending.get_untracked() && state.ready(&[field]) {
            set.dispatch(password.get_untracked());
        }
    };
    view! {
        <section class="panel" aria-labelledby="password-heading">
            <h2 id="password-heading">{i18n.tr("action.new_password")}</h2>
            <form on:submit=on_submit novalidate>
                <p class="error" role="alert">{state.summary()}</p>
                <NewPasswordField
                    id="new-password"
                    name="new_password"
                    label="users.password.new"
                    value=password
                    error=state.message(field)
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
