//! Disabling, enabling and deleting an account. Deletion is offered only once the account is
//! disabled, asks for confirmation in the page, and says first what it refunds.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use shared::dto::{Account, AccountStatus, Organization, SubscriptionQuote};

use crate::api::{self, ClientError};
use crate::components::account_problem::account_problem_text;
use crate::components::form_state::failure_of;
use crate::components::to_sign_in::ToSignIn;
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
    let set_status = Action::new_local(move |status: &AccountStatus| {
        let status = *status;
        async move {
            let updated =
                api::authorized(move |token| api::set_account_status(token, id, status)).await?;
            account.set(updated);
            confirming.set(false);
            done.set(Some(match status {
                AccountStatus::Disabled => "users.danger.disabled",
                AccountStatus::Active => "users.danger.enabled",
            }));
            Ok::<(), ClientError>(())
        }
    });
    let refund = LocalResource::new(move || {
        let asked = confirming.get();
        async move {
            if !asked {
                return None;
            }
            Some(
                api::authorized(move |token| api::subscription_quote(token, id, "free".to_owned()))
                    .await,
            )
        }
    });
    let navigate = use_navigate();
    let delete = Action::new_local(move |_: &()| {
        let navigate = navigate.clone();
        async move {
            let deleted = api::authorized(move |token| api::delete_account(token, id)).await?;
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
            Ok::<(), ClientError>(())
        }
    });
    let status_failure = failure_of(set_status);
    let delete_failure = failure_of(delete);
    let busy = move || set_status.pending().get() || delete.pending().get();
    let disabled = move || account.with(|a| a.status == AccountStatus::Disabled);
    let owner = move || account.with(|a| a.is_owner);
    let signed_out = move || {
        [status_failure.get(), delete_failure.get()]
            .iter()
            .flatten()
            .any(ClientError::is_unauthorized)
    };
    let refund_view = move || match refund.get() {
        None | Some(None) => view! { <p>{i18n.tr("loading")}</p> }.into_any(),
        Some(Some(Ok(quote))) => view! {
            <p>{move || refund_text(i18n.locale.get(), &quote, &currency.get())}</p>
        }
        .into_any(),
        Some(Some(Err(e))) => view! {
            <p>
                {i18n.tr("users.danger.refund_unknown")} " "
                {move || account_problem_text(i18n.locale.get(), &e)}
            </p>
        }
        .into_any(),
    };
    let actions = move || {
        if owner() {
            return view! { <p>{i18n.tr("users.danger.owner")}</p> }.into_any();
        }
        if !disabled() {
            return view! {
                <p>{i18n.tr("users.danger.disable_text")}</p>
                <div class="actions">
                    <button
                        type="button"
                        class="danger"
                        disabled=busy
                        on:click=move |_| {
                            done.set(None);
                            set_status.dispatch(AccountStatus::Disabled);
                        }
                    >
                        {i18n.tr("action.disable")}
                    </button>
                </div>
            }
            .into_any();
        }
        view! {
            <p>{i18n.tr("users.danger.disabled_text")}</p>
            <div class="actions">
                <button
                    type="button"
                    disabled=busy
                    on:click=move |_| {
                        done.set(None);
                        set_status.dispatch(AccountStatus::Active);
                    }
                >
                    {i18n.tr("action.enable")}
                </button>
                <button
                    type="button"
                    class="danger"
                    aria-expanded=move || if confirming.get() { "true" } else { "false" }
                    aria-controls="delete-confirm"
                    disabled=busy
                    on:click=move |_| {
                        done.set(None);
                        confirming.set(true);
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
                    <h3 id="delete-confirm-heading">
                        {move || {
                            fill(
                                i18n.t("users.danger.confirm_title"),
                                &[("username", &account.with(|a| a.username.clone()))],
                            )
                        }}
                    </h3>
                    <p>{i18n.tr("users.danger.cannot_undo")}</p>
                    {refund_view}
                    <div class="actions">
                        <button
                            type="button"
                            class="danger"
                            aria-busy=move || delete.pending().get().then_some("true")
                            disabled=busy
                            on:click=move |_| {
                                delete.dispatch(());
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
        .into_any()
    };

    view! {
        <section class="panel" aria-labelledby="danger-heading">
            <h2 id="danger-heading">{i18n.tr("users.danger.title")}</h2>
            {actions}
            <p class="error" role="alert">
                {move || {
                    status_failure
                        .get()
                        .or_else(|| delete_failure.get())
                        .filter(|e| !e.is_unauthorized())
                        .map(|e| account_problem_text(i18n.locale.get(), &e))
                }}
            </p>
            <p class="status" role="status">{move || done.get().map(|key| i18n.t(key))}</p>
            <Show when=signed_out>
                <ToSignIn />
            </Show>
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
