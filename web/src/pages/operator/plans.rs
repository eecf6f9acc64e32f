//! `/operator/plans`: the plan catalog, each plan editable.

use leptos::prelude::*;
use shared::dto::{Page, Plan};

use super::plan_form::PlanForm;
use super::{amount, expanded, filled, focus_id, maybe, says, text};
use crate::api;
use crate::components::cursor_pages::cursor_pages;
use crate::i18n::{fill, use_i18n};

#[component]
pub fn PlansPage() -> impl IntoView {
    let i18n = use_i18n();
    // Plans carry no currency: it is the deployment's, which every organization shows.
    let currency = RwSignal::new(None::<String>);
    // The catalog is one page.
    let list = cursor_pages(
        || (),
        move |token: String, (), _cursor| async move {
            let plans = api::plans(token.clone()).await?;
            let orgs = api::operator_organizations(token, Some(1), None).await?;
            currency.set(orgs.items.into_iter().next().map(|org| org.credit.currency));
            Ok(Page {
                items: plans,
                next_cursor: None,
            })
        },
    )
    .explained_by(says);
    // The plan being edited, by code.
    let editing = RwSignal::new(None::<String>);
    let saved = RwSignal::new(None::<String>);

    let on_saved = Callback::new(move |plan: Plan| {
        let code = plan.code.clone();
        saved.set(Some(plan.name.clone()));
        list.rows.update(|rows| {
            if let Some(row) = rows.iter_mut().find(|p| p.code == plan.code) {
                *row = plan;
            }
        });
        editing.set(None);
        focus_id(format!("edit-plan-{code}"));
    });
    let on_cancel = Callback::new(move |code: String| {
        editing.set(None);
        focus_id(format!("edit-plan-{code}"));
    });
    let form = move || {
        let code = editing.get()?;
        let plan = list
            .rows
            .with_untracked(|rows| rows.iter().find(|p| p.code == code).cloned())?;
        Some(view! { <PlanForm plan on_saved on_cancel /> })
    };

    let table = view! {
        <table class="list">
            <caption class="visually-hidden">{i18n.tr("operator.plans.caption")}</caption>
            <thead>
                <tr>
                    <th scope="col">{i18n.tr("operator.plans.code")}</th>
                    <th scope="col">{i18n.tr("operator.plans.name")}</th>
                    <th scope="col">{i18n.tr("operator.plans.monthly")}</th>
                    <th scope="col">{i18n.tr("operator.plans.yearly")}</th>
                    <th scope="col">{i18n.tr("operator.plans.aliases")}</th>
                    <th scope="col">{i18n.tr("operator.plans.storage")}</th>
                    <th scope="col">{i18n.tr("operator.plans.caps")}</th>
                    <th scope="col">{i18n.tr("operator.actions")}</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    list.rows
                        .get()
                        .into_iter()
                        .map(|plan| view! { <Row plan currency editing /> })
                        .collect_view()
                }}
            </tbody>
        </table>
    };

    view! {
        <section class="card wide">
            <h1>{i18n.tr("nav.plans")}</h1>
            <p class="status success" role="status">
                {maybe(move || {
                    saved.get().map(|name| fill(i18n.t("operator.plans.done"), &[("name", &name)]))
                })}
            </p>
            {list.view("operator.plans.empty", table.into_any())}
            {form}
        </section>
    }
}

#[component]
fn Row(
    plan: Plan,
    currency: RwSignal<Option<String>>,
    editing: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let money =
        move |cents| text(move || amount(i18n.locale.get(), cents, currency.get().as_deref()));
    let caps = plan.caps;
    let caps_text = text(move || {
        fill(
            i18n.t("operator.plans.caps_text"),
            &[
                ("accounts", &caps.accounts.to_string()),
                ("free", &caps.free_accounts.to_string()),
                ("domains", &caps.domains.to_string()),
            ],
        )
    });
    let label = filled(i18n, "operator.plans.edit_for", "name", plan.name.clone());
    let code = plan.code.clone();
    let is_open = {
        let code = code.clone();
        move || editing.with(|e| e.as_deref() == Some(code.as_str()))
    };
    let (monthly, yearly) = (plan.monthly_price_cents, plan.yearly_price_cents);
    view! {
        <tr>
            <td>{plan.code.clone()}</td>
            <td>{plan.name.clone()}</td>
            <td>{money(monthly)}</td>
            <td>{money(yearly)}</td>
            <td>{plan.max_aliases}</td>
            <td>{plan.storage_mb}</td>
            <td>{caps_text}</td>
            <td>
                <button
                    type="button"
                    class="secondary"
                    id=format!("edit-plan-{}", plan.code)
                    aria-label=label
                    aria-expanded=expanded(is_open)
                    on:click=move |_| {
                        editing.set(Some(code.clone()));
                        focus_id("plan-name".to_owned());
                    }
                >
                    {i18n.tr("operator.plans.edit")}
                </button>
            </td>
        </tr>
    }
}
