//! "Change subscription": pick a plan, see the server's quote (refund of the unused period,
//! charge of a full new one, the balance after) before confirming, then change it.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::ErrorCode;
use shared::dto::{Account, Organization, Plan, SubscriptionChange, SubscriptionQuote};

use super::{PlanOptions, TopUpLink, credit_problem, plan_name};
use crate::api::{self, ClientError};
use crate::components::form_state::failure_of;
use crate::components::outcome::{Outcome, account_problem_text, busy};
use crate::components::problem::problem_text;
use crate::components::to_sign_in::ToSignIn;
use crate::i18n::{I18n, fill, use_i18n};

#[derive(Clone)]
enum Op {
    Quote(String),
    Change(String),
}

#[component]
pub fn SubscriptionSection(
    account: RwSignal<Account>,
    plans: LocalResource<Result<Vec<Plan>, ClientError>>,
    org: RwSignal<Option<Organization>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = account.get_untracked().id;
    let current = move || account.with(|a| a.plan.clone().unwrap_or_default());
    let choice = RwSignal::new(account.with_untracked(|a| a.plan.clone().unwrap_or_default()));
    let currency = Signal::derive(move || {
        org.with(|o| o.as_ref().map(|o| o.credit.currency.clone()))
            .unwrap_or_else(|| "EUR".to_owned())
    });
    // The quote of the chosen plan (none for the current plan itself).
    let quote = RwSignal::new(None::<Result<SubscriptionQuote, ClientError>>);
    let outcome = RwSignal::new(None::<SubscriptionChange>);
    let act = Action::new_local(move |op: &Op| {
        let op = op.clone();
        async move {
            match op {
                Op::Quote(plan) => {
                    quote.set(None);
                    let asked = plan.clone();
                    let answer = api::authorized(move |token| {
                        api::subscription_quote(token, id, asked.clone())
                    })
                    .await;
                    // Another plan was chosen meanwhile: its own quote is on the way.
                    if choice.get_untracked() == plan {
                        quote.set(Some(answer));
                    }
                }
                Op::Change(plan) => {
                    let changed = api::authorized(move |token| {
                        api::change_subscription(token, id, plan.clone())
                    })
                    .await?;
                    account.update(|a| {
                        a.plan = Some(changed.subscription.plan.clone());
                        a.subscription = Some(changed.subscription.clone());
                    });
                    org.update(|o| {
                        if let Some(o) = o {
                            o.credit.balance_cents = changed.balance_cents;
                        }
                    });
                    quote.set(None);
                    outcome.set(Some(changed));
                }
            }
            Ok::<(), ClientError>(())
        }
    });
    let pending = act.pending();
    let failure = failure_of(act);
    let unchanged = Signal::derive(move || choice.get() == current());
    let catalog = move || plans.get().and_then(Result::ok).unwrap_or_default();

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        outcome.set(None);
        let plan = choice.get_untracked();
        if !pending.get_untracked() && plan != current() {
            act.dispatch(Op::Change(plan));
        }
    };
    let terms = Signal::derive(move || {
        org.with(|o| {
            o.as_ref()
                .map(|o| (o.billing_period, o.credit.currency.clone()))
        })
    });
    let plans_failed = Signal::derive(move || match plans.get() {
        Some(Err(e)) if !e.is_unauthorized() => Some(format!(
            "{} {}",
            i18n.t("users.subscription.plans_failed"),
            problem_text(i18n.locale.get(), &e)
        )),
        _ => None,
    });
    // One "Top up the credit" link, when the quote or the server says the credit is short.
    let credit_short = move || {
        failure
            .with(|f| f.as_ref().and_then(ClientError::code) == Some(ErrorCode::CreditInsufficient))
            || (!unchanged.get() && quote.with(|q| matches!(q, Some(Ok(q)) if !q.covered)))
    };
    let alert = Signal::derive(move || {
        let locale = i18n.locale.get();
        failure.with(|f| {
            let e = f.as_ref().filter(|e| !e.is_unauthorized())?;
            Some(
                credit_problem(locale, e, &currency.get())
                    .unwrap_or_else(|| account_problem_text(locale, e)),
            )
        })
    });
    let balance = Signal::derive(move || org.with(|o| o.as_ref().map(|o| o.credit.balance_cents)));
    let done = Signal::derive(move || {
        outcome.with(|c| {
            c.as_ref()
                .map(|c| changed_text(i18n, c, &catalog(), &currency.get()))
        })
    });

    view! {
        <section class="panel" aria-labelledby="subscription-heading">
            <h2 id="subscription-heading">{i18n.tr("action.change_subscription")}</h2>
            <form on:submit=on_submit>
                <div class="field">
                    <label for="subscription-plan">{i18n.tr("users.plan")}</label>
                    <select
                        id="subscription-plan"
                        name="plan"
                        aria-describedby="subscription-quote"
                        on:change=move |event| {
                            outcome.set(None);
                            let plan = event_target_value(&event);
                            choice.set(plan.clone());
                            if plan != current() {
                                act.dispatch(Op::Quote(plan));
                            }
                        }
                    >
                        <PlanOptions plans terms choice />
                    </select>
                    <p class="field-error" aria-live="polite">{plans_failed}</p>
                </div>
                <div id="subscription-quote" class="quote" aria-live="polite">
                    {move || match quote.get() {
                        _ if unchanged.get() => {
                            view! { <p>{i18n.tr("users.subscription.current")}</p> }.into_any()
                        }
                        None => view! { <p>{i18n.tr("loading")}</p> }.into_any(),
                        Some(Ok(q)) => view! { <Quote quote=q currency balance /> }.into_any(),
                        Some(Err(e)) if e.is_unauthorized() => view! { <ToSignIn /> }.into_any(),
                        Some(Err(e)) => view! {
                            <p class="error">
                                {i18n.tr("users.subscription.quote_failed")} " "
                                {account_problem_text(i18n.locale.get(), &e)}
                            </p>
                        }
                            .into_any(),
                    }}
                </div>
                <div class="actions">
                    <button type="submit" aria-busy=busy(pending) disabled=unchanged>
                        {i18n.tr("action.change_subscription")}
                    </button>
                </div>
                <Outcome failure done alert />
                <Show when=credit_short>
                    <p>
                        <TopUpLink />
                    </p>
                </Show>
            </form>
        </section>
    }
}

/// The quote, before confirming. When the credit falls short, what is missing (from the
/// organization's balance) rather than the server's balance floored at zero.
#[component]
fn Quote(
    quote: SubscriptionQuote,
    currency: Signal<String>,
    balance: Signal<Option<i64>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = move || {
        let locale = i18n.locale.get();
        let currency = currency.get();
        let money = |cents: i64| locale.money(cents, &currency);
        let last = if quote.covered {
            (
                "users.subscription.balance_after",
                Some(quote.balance_after_cents),
            )
        } else {
            let missing = balance
                .get()
                .map(|b| quote.charge_cents - quote.refund_cents - b);
            ("users.subscription.missing", missing)
        };
        [
            ("users.subscription.refund", Some(quote.refund_cents)),
            ("users.subscription.charge", Some(quote.charge_cents)),
            last,
        ]
        .into_iter()
        .filter_map(|(key, cents)| {
            let cents = cents?;
            Some(view! {
                <dt>{locale.text(key)}</dt>
                <dd>{money(cents)}</dd>
            })
        })
        .collect_view()
    };
    let verdict = if quote.covered {
        "users.subscription.covered"
    } else {
        "users.subscription.not_covered"
    };
    view! {
        <dl class="facts">{rows}</dl>
        <p class:error=!quote.covered>{i18n.tr(verdict)}</p>
    }
}

/// "The subscription is now Pro: …" after a change.
fn changed_text(i18n: I18n, change: &SubscriptionChange, plans: &[Plan], currency: &str) -> String {
    let locale = i18n.locale.get();
    let money = |cents| locale.money(cents, currency);
    fill(
        locale.text("users.subscription.changed"),
        &[
            ("plan", &plan_name(plans, &change.subscription.plan)),
            ("refunded", &money(change.refunded_cents)),
            ("charged", &money(change.charged_cents)),
            ("balance", &money(change.balance_cents)),
        ],
    )
}
