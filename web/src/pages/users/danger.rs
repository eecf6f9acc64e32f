//! Disabling, enabling and deleting an account. Deletion is offered only once the account is
//! disabled, asks for confirmation in the page, and says first what it refunds.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use shared::dto::{Account, AccountStatus, Organization, SubscriptionQuote};

use crate::api::{self, ClientError};
use crate::components::form_state::failure_of;
use crate::components::outcome::{Outcome, account_problem_text, busy, key_text};
use crate::i18n::{Locale, fill, use_i18n};

/// What deleting gives back, from the quote of a change to the free plan (which refunds the
/// unused part of the current period, as deletion does).
fn refund_text(locale: Locale, quote: &SubscriptionQuote, currency: &str) -> String {
    let money = |cents| locale.money(cents, currency);
    let key = if quote.refund_cents > 0 {
        "users.danger.refund"
    } else {
        "users.danger.no_refund"
    };
    fill(
        locale.text(key),
        &[
            ("refund", &money(quote.refund_cents)),
            ("balance", &money(quote.balance_after_cents)),
        ],
    )
}

#[derive(Clone, Copy)]
enum Op {
    Status(AccountStatus),
    /// Opens the confirmation and asks what deleting would refund.
    Confirm,
    Delete,
}

#[component]
pub fn DangerSection(
    account: RwSignal<Account>,
    org: RwSignal<Option<Organization>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = account.get_untracked().id;
    let currency = Signal::derive(move || {
        org.with(|o| o.as_ref().map(|o| o.credit.currency.clone()))
            .unwrap_or_else(|| "EUR".to_owned())
    });
    let done = RwSignal::new(None::<&'static str>);
    let confirming = RwSignal::new(false);
    let refund = RwSignal::new(None::<Result<SubscriptionQuote, ClientError>>);
    let navigate = use_navigate();
    let act = Action::new_local(move |op: &Op| {
        let op = *op;
        let navigate = navigate.clone();
        async move {
            match op {
                Op::Status(status) => {
                    let updated =
                        api::authorized(move |token| api::set_account_status(token, id, status))
                            .await?;
                    account.set(updated);
                    confirming.set(false);
                    done.set(Some(match status {
                        AccountStatus::Disabled => "users.danger.disabled",
                        AccountStatus::Active => "users.danger.enabled",
                    }));
                }
                Op::Confirm => {
                    refund.set(None);
                    confirming.set(true);
                    let quote = api::authorized(move |token| {
                        api::subscription_quote(token, id, "free".to_owned())
                    })
                    .await;
                    refund.set(Some(quote));
                }
                Op::Delete => {
                    let deleted =
                        api::authorized(move |token| api::delete_account(token, id)).await?;
                    let username = account.with_untracked(|a| a.username.clone());
                    navigate(
                        &format!(
                            "/users?deleted={username}&refunded={}&balance={}&currency={}",
                            deleted.refunded_cents,
                            deleted.balance_cents,
                            currency.get_untracked()
                        ),
                        NavigateOptions::default(),
                    );
                }
            }
            Ok::<(), ClientError>(())
        }
    });
    let pending = act.pending();
    let refund_line = Signal::derive(move || {
        let locale = i18n.locale.get();
        Some(match refund.get() {
            None => locale.text("loading").to_owned(),
            Some(Ok(quote)) => refund_text(locale, &quote, &currency.get()),
            Some(Err(e)) => format!(
                "{} {}",
                locale.text("users.danger.refund_unknown"),
                account_problem_text(locale, &e)
            ),
        })
    });
    let confirm_title = Signal::derive(move || {
        let username = account.with(|a| a.username.clone());
        fill(
            i18n.t("users.danger.confirm_title"),
            &[("username", &username)],
        )
    });
    let expanded = Signal::derive(move || if confirming.get() { "true" } else { "false" });
    let state = move || account.with(|a| (a.is_owner, a.status));
    let actions = move || match state() {
        (true, _) => view! { <p>{i18n.tr("users.danger.owner")}</p> }.into_any(),
        (false, AccountStatus::Active) => view! {
            <p>{i18n.tr("users.danger.disable_text")}</p>
            <div class="actions">
                <button
                    type="button"
                    class="danger"
                    disabled=pending
                    on:click=move |_| {
                        done.set(None);
                        act.dispatch(Op::Status(AccountStatus::Disabled));
                    }
                >
                    {i18n.tr("action.disable")}
                </button>
            </div>
        }
        .into_any(),
        (false, AccountStatus::Disabled) => view! {
            <p>{i18n.tr("users.danger.disabled_text")}</p>
            <div class="actions">
                <button
                    type="button"
                    disabled=pending
                    on:click=move |_| {
                        done.set(None);
                        act.dispatch(Op::Status(AccountStatus::Active));
                    }
                >
                    {i18n.tr("action.enable")}
                </button>
                <button
                    type="button"
                    class="danger"
                    aria-expanded=expanded
                    aria-controls="delete-confirm"
                    disabled=pending
                    on:click=move |_| {
                        done.set(None);
                        act.dispatch(Op::Confirm);
                    }
                >
                    {i18n.tr("action.delete")}
                </button>
            </div>
            <Show when=move || confirming.get()>
                <div
                    id="delete-confirm"
                    class="confirm"
                    role="group"
                    aria-labelledby="delete-confirm-heading"
                >
                    <h3 id="delete-confirm-heading">{confirm_title}</h3>
                    <p>{i18n.tr("users.danger.cannot_undo")}</p>
                    <p aria-live="polite">{refund_line}</p>
                    <div class="actions">
                        <button
                            type="button"
                            class="danger"
                            aria-busy=busy(pending)
                            disabled=pending
                            on:click=move |_| {
                                act.dispatch(Op::Delete);
                            }
                        >
                            {i18n.tr("users.danger.confirm")}
                        </button>
                        <button
                            type="button"
                            class="secondary"
                            on:click=move |_| confirming.set(false)
                        >
                            {i18n.tr("users.danger.keep")}
                        </button>
                    </div>
                </div>
            </Show>
        }
        .into_any(),
    };

    view! {
        <section class="panel" aria-labelledby="danger-heading">
            <h2 id="danger-heading">{i18n.tr("users.danger.title")}</h2>
            {actions}
            <Outcome failure=failure_of(act) done=key_text(done) />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refund_is_told_before_deleting() {
        let quote = SubscriptionQuote {
            refund_cents: 375,
            charge_cents: 0,
            balance_after_cents: 1375,
            covered: true,
        };
        assert_eq!(
            refund_text(Locale::En, &quote, "EUR"),
            "The unused part of its subscription, €3.75, goes back to the credit: the balance will be €13.75."
        );
        let nothing = SubscriptionQuote {
            refund_cents: 0,
            ..quote
        };
        assert_eq!(
            refund_text(Locale::En, &nothing, "EUR"),
            "Nothing is refunded (no unused paid period): the balance stays €13.75."
        );
    }
}
