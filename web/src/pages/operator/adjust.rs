//! "Credit adjustment" of one organization: a signed amount and a memo.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::ErrorCode;
use shared::dto::{AdjustmentRequest, LedgerEntry};
use shared::value::parse_name;
use uuid::Uuid;

use super::{
    ADJUSTMENT, amount, busy, check_adjustment, failure_of, filled, maybe, says, while_busy,
};
use crate::api::{self, ClientError};
use crate::components::field::TextField;
use crate::components::form_state::{Field, FormState, no_code_field, verdict};
use crate::components::money_input::parse_amount;
use crate::i18n::{Locale, fill, use_i18n};

/// The longest memo the server keeps.
const MEMO_MAX: usize = 500;

fn check_memo(locale: Locale, text: &str) -> Result<(), String> {
    verdict(locale, parse_name(text, MEMO_MAX), "operator.invalid_memo")
}

/// The organization an adjustment is for.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub id: Uuid,
    pub name: String,
    pub currency: String,
}

/// `credit_insufficient` in words: by how much the balance would go below zero.
fn insufficient(
    locale: Locale,
    error: &ClientError,
    target: &Target,
    balance: i64,
) -> Option<String> {
    let problem = error.problem()?;
    if problem.code != ErrorCode::CreditInsufficient {
        return None;
    }
    let money = |cents| amount(locale, cents, Some(&target.currency));
    let missing = problem
        .extra
        .missing_cents
        .map_or_else(|| "?".to_owned(), money);
    Some(fill(
        locale.text("operator.adjust.insufficient"),
        &[
            ("name", &target.name),
            ("missing", &missing),
            ("balance", &money(balance)),
        ],
    ))
}

/// The form, inline under the organization's row. `on_done` gets the ledger entry.
#[component]
pub fn AdjustCredit(
    target: Target,
    balance: Signal<i64>,
    on_done: Callback<LedgerEntry>,
) -> impl IntoView {
    let i18n = use_i18n();
    let amount_input = Field::holding("amount_cents", check_adjustment, String::new()).required();
    let memo = Field::holding("memo", check_memo, String::new()).required();
    let inputs = [amount_input, memo];
    let id = target.id;

    let adjust = Action::new_local(move |request: &AdjustmentRequest| {
        let request = request.clone();
        async move {
            let entry = api::authorized(move |token| {
                api::operator_adjust_credit(token, id, request.clone())
            })
            .await?;
            on_done.run(entry.clone());
            Ok::<_, ClientError>(entry)
        }
    });
    let pending = adjust.pending();
    let form = FormState::new(failure_of(adjust), no_code_field).explained_by(says);

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() || !form.ready(&inputs) {
            return;
        }
        // `ready` checked it; a refusal here would have stopped it.
        let locale = i18n.locale.get_untracked();
        let typed = amount_input.value.get_untracked();
        let Ok(amount_cents) = parse_amount(locale, &typed, ADJUSTMENT) else {
            return;
        };
        adjust.dispatch(AdjustmentRequest {
            amount_cents,
            memo: memo.value.get_untracked(),
        });
    };
    let summary_target = target.clone();
    let general = form.summary();
    let summary = maybe(move || {
        let error = form.failure()?;
        insufficient(
            i18n.locale.get(),
            &error,
            &summary_target,
            balance.get_untracked(),
        )
        .or_else(|| general.get())
    });
    let submit_label = filled(
        i18n,
        "operator.adjust.open_for",
        "name",
        target.name.clone(),
    );

    view! {
        <form class="inline-form" on:submit=on_submit novalidate>
            <fieldset>
                <legend>{i18n.tr("operator.adjust.title")} ": " {target.name.clone()}</legend>
                <p class="error" role="alert">{summary}</p>
                <TextField
                    id="adjust-amount"
                    name="amount"
                    label="operator.adjust.amount"
                    hint="operator.adjust.amount_hint"
                    value=amount_input.value
                    error=form.message(amount_input)
                />
                <TextField
                    id="adjust-memo"
                    name="memo"
                    label="operator.adjust.memo"
                    hint="operator.adjust.memo_hint"
                    value=memo.value
                    error=form.message(memo)
                />
                <div class="actions">
                    <button
                        type="submit"
                        aria-label=submit_label
                        aria-busy=busy(pending)
                    >
                        {i18n.tr("operator.adjust.submit")}
                    </button>
                </div>
                <p class="status" role="status">
                    {while_busy(i18n, pending, "operator.adjust.pending")}
                </p>
            </fieldset>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use shared::Problem;

    use super::*;

    #[test]
    fn a_refused_adjustment_says_by_how_much() {
        let target = Target {
            id: Uuid::nil(),
            name: "Acme".into(),
            currency: "EUR".into(),
        };
        let error = ClientError::Problem {
            problem: Box::new(
                Problem::new(ErrorCode::CreditInsufficient, "x")
                    .with(|x| x.missing_cents = Some(250)),
            ),
            retry_after: None,
        };
        assert_eq!(
            insufficient(Locale::En, &error, &target, 750).as_deref(),
            Some(
                "The balance may not go below zero: this would take the credit of Acme €2.50 \
                 below zero (its balance is €7.50)."
            )
        );
        assert_eq!(
            check_memo(Locale::En, " "),
            Err("Must not be empty.".into())
        );
    }
}
