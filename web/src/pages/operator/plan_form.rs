//! Editing one plan: name, monthly price (the yearly one follows), limits.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{Caps, Plan, PlanUpdate};

use super::{PRICE, busy, check_price, check_whole, failure_of, filled, says, while_busy};
use crate::api::{self, ClientError};
use crate::components::field::TextField;
use crate::components::form_state::{Field, FormState, check_name, no_code_field};
use crate::components::money_input::{cents_text, parse_amount};
use crate::i18n::use_i18n;

/// The whole number in a checked field (0 if it was not one, which `ready` prevents).
fn whole(input: Field) -> i64 {
    input.value.get_untracked().trim().parse().unwrap_or(0)
}

#[component]
pub fn PlanForm(
    plan: Plan,
    on_saved: Callback<Plan>,
    on_cancel: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale.get_untracked();
    let name = Field::holding("name", check_name, plan.name.clone()).required();
    let price = Field::holding(
        "monthly_price_cents",
        check_price,
        cents_text(locale, plan.monthly_price_cents),
    )
    .required();
    let aliases = Field::holding(
        "max_aliases",
        check_whole::<0, 10_000>,
        plan.max_aliases.to_string(),
    )
    .required();
    let storage = Field::holding(
        "storage_mb",
        check_whole::<0, 100_000_000>,
        plan.storage_mb.to_string(),
    )
    .required();
    let accounts = Field::holding(
        "caps.accounts",
        check_whole::<1, 10_000_000>,
        plan.caps.accounts.to_string(),
    )
    .required();
    let free = Field::holding(
        "caps.free_accounts",
        check_whole::<0, 10_000_000>,
        plan.caps.free_accounts.to_string(),
    )
    .required();
    let domains = Field::holding(
        "caps.domains",
        check_whole::<0, 1_000_000>,
        plan.caps.domains.to_string(),
    )
    .required();
    let inputs = [name, price, aliases, storage, accounts, free, domains];
    let code = plan.code.clone();

    let save = Action::new_local(move |update: &PlanUpdate| {
        let update = update.clone();
        let code = code.clone();
        async move {
            let plan = api::authorized(move |token| {
                api::operator_update_plan(token, code.clone(), update.clone())
            })
            .await?;
            on_saved.run(plan.clone());
            Ok::<_, ClientError>(plan)
        }
    });
    let pending = save.pending();
    let form = FormState::new(failure_of(save), no_code_field).explained_by(says);

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() || !form.ready(&inputs) {
            return;
        }
        let locale = i18n.locale.get_untracked();
        let typed = price.value.get_untracked();
        let Ok(monthly_price_cents) = parse_amount(locale, &typed, PRICE) else {
            return;
        };
        save.dispatch(PlanUpdate {
            name: name.value.get_untracked().trim().to_owned(),
            monthly_price_cents,
            max_aliases: whole(aliases),
            storage_mb: whole(storage),
            caps: Caps {
                accounts: whole(accounts),
                free_accounts: whole(free),
                domains: whole(domains),
            },
        });
    };
    let title = filled(i18n, "operator.plans.edit_for", "name", plan.name.clone());
    let cancel_code = plan.code.clone();
    let field = move |id: &'static str, label: &'static str, input: Field| {
        view! { <TextField id name=input.name label value=input.value error=form.message(input) /> }
    };

    view! {
        <section class="plan-form" aria-labelledby="plan-form-title">
            <h2 id="plan-form-title">{title}</h2>
            <form class="columns" on:submit=on_submit novalidate>
                <p class="error" role="alert">{form.summary()}</p>
                {field("plan-name", "operator.plans.name", name)}
                <TextField
                    id="plan-price"
                    name="monthly_price"
                    label="operator.plans.monthly"
                    hint="operator.plans.price_hint"
                    value=price.value
                    error=form.message(price)
                />
                {field("plan-aliases", "operator.plans.aliases", aliases)}
                {field("plan-storage", "operator.plans.storage", storage)}
                {field("plan-cap-accounts", "operator.plans.cap_accounts", accounts)}
                {field("plan-cap-free", "operator.plans.cap_free", free)}
                {field("plan-cap-domains", "operator.plans.cap_domains", domains)}
                <div class="actions">
                    <button type="submit" aria-busy=busy(pending)>
                        {i18n.tr("operator.plans.save")}
                    </button>
                    <button
                        type="button"
                        class="secondary"
                        on:click=move |_| on_cancel.run(cancel_code.clone())
                    >
                        {i18n.tr("operator.cancel")}
                    </button>
                </div>
                <p class="status" role="status">
                    {while_busy(i18n, pending, "operator.plans.saving")}
                </p>
            </form>
        </section>
    }
}
