//! The dashboard's two changes: the billing period and the organization's name
//! (`PATCH /organization`).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{BillingPeriod, Organization, OrganizationPatch};

use super::period_key;
use crate::api::{self, ClientError};
use crate::components::field::TextField;
use crate::components::form_state::{Field, FormState, check_name, no_code_field};
use crate::components::problem::problem_text;
use crate::components::to_sign_in::ToSignIn;
use crate::i18n::{fill, use_i18n};

type Save = Action<OrganizationPatch, Result<Organization, ClientError>>;

/// Sends a patch; the answer becomes `saved`, which the dashboard shows.
fn save_action(saved: RwSignal<Option<Organization>>) -> Save {
    Action::new_local(move |patch: &OrganizationPatch| {
        let patch = patch.clone();
        async move {
            let organization =
                api::authorized(move |token| api::update_organization(token, patch.clone()))
                    .await?;
            saved.set(Some(organization.clone()));
            Ok(organization)
        }
    })
}

/// The last answer, once the call is over.
fn outcome(save: Save) -> impl Fn() -> Option<Result<Organization, ClientError>> + Copy {
    let pending = save.pending();
    move || save.value().get().filter(|_| !pending.get())
}

#[component]
pub fn BillingPeriodForm(
    period: BillingPeriod,
    saved: RwSignal<Option<Organization>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = RwSignal::new(period);
    let save = save_action(saved);
    let pending = save.pending();
    let outcome = outcome(save);
    let failure = move || outcome().and_then(Result::err);
    let done = move || {
        let organization = outcome()?.ok()?;
        let period = i18n
            .t(period_key(organization.billing_period))
            .to_lowercase();
        Some(fill(
            i18n.t("money.dash.period_saved"),
            &[("period", &period)],
        ))
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if !pending.get_untracked() {
            save.dispatch(OrganizationPatch {
                billing_period: Some(chosen.get_untracked()),
                ..OrganizationPatch::default()
            });
        }
    };
    let choices = [BillingPeriod::Monthly, BillingPeriod::Yearly]
        .into_iter()
        .map(|choice| {
            let id = format!("period-{}", choice.as_str());
            view! {
                <div class="choice">
                    <input
                        type="radio"
                        id=id.clone()
                        name="billing_period"
                        value=choice.as_str()
                        prop:checked=move || chosen.get() == choice
                        on:change=move |_| chosen.set(choice)
                    />
                    <label for=id>{i18n.tr(period_key(choice))}</label>
                </div>
            }
            .into_any()
        })
        .collect::<Vec<AnyView>>();
    view! {
        <h2 id="period-title">{i18n.tr("money.dash.billing_period")}</h2>
        <form on:submit=on_submit aria-labelledby="period-title">
            <div class="choices" role="radiogroup" aria-labelledby="period-title">
                {choices}
            </div>
            <p id="period-note" class="hint">{i18n.tr("money.dash.period_note")}</p>
            <p class="error" role="alert">{move || failure().map(|e| problem_text(i18n.locale.get(), &e))}</p>
            <Show when=move || failure().is_some_and(|e| e.is_unauthorized())>
                <ToSignIn />
            </Show>
            <div class="actions">
                <button
                    type="submit"
                    aria-describedby="period-note"
                    aria-busy=move || pending.get().then_some("true")
                >
                    {i18n.tr("money.dash.change_period")}
                </button>
            </div>
            <p class="status" role="status">
                {move || if pending.get() { Some(i18n.t("money.saving").to_owned()) } else { done() }}
            </p>
        </form>
    }
}

#[component]
pub fn RenameForm(name: String, saved: RwSignal<Option<Organization>>) -> impl IntoView {
    let i18n = use_i18n();
    let field = Field::holding("name", check_name, name).required();
    let save = save_action(saved);
    let pending = save.pending();
    let outcome = outcome(save);
    let failure = Signal::derive(move || outcome().and_then(Result::err));
    let form = FormState::new(failure, no_code_field).explained_by(problem_text);
    let done = move || {
        let organization = outcome()?.ok()?;
        Some(fill(
            i18n.t("money.dash.renamed"),
            &[("name", &organization.name)],
        ))
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() || !form.ready(&[field]) {
            return;
        }
        save.dispatch(OrganizationPatch {
            name: Some(field.value.get_untracked()),
            ..OrganizationPatch::default()
        });
    };
    view! {
        <h2 id="rename-title">{i18n.tr("money.dash.rename")}</h2>
        <form on:submit=on_submit aria-labelledby="rename-title" novalidate>
            <p class="error" role="alert">{form.summary()}</p>
            <Show when=move || form.signed_out()>
                <ToSignIn />
            </Show>
            <TextField
                id="organization-name"
                name="name"
                label="money.signup.organization_name"
                autocomplete="organization"
                value=field.value
                error=form.message(field)
            />
            <div class="actions">
                <button type="submit" aria-busy=move || pending.get().then_some("true")>
                    {i18n.tr("money.dash.rename")}
                </button>
            </div>
            <p class="status" role="status">
                {move || if pending.get() { Some(i18n.t("money.saving").to_owned()) } else { done() }}
            </p>
        </form>
    }
}
