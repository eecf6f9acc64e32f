//! "Aliases": the account's aliases (as the account lists them), how many its plan allows, "Add
//! an alias" and deleting one.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::ErrorCode;
use shared::dto::{Account, Plan};

use crate::api::{self, ClientError};
use crate::components::form_state::{FormState, check_address, failure_of, local_message};
use crate::components::outcome::{Outcome, account_problem_text, busy, invalid};
use crate::i18n::{fill, use_i18n};

/// The address to add: as typed, or on `domain` when typed without one.
fn complete_alias(typed: &str, domain: Option<&str>) -> String {
    let typed = typed.trim().to_lowercase();
    match domain {
        Some(domain) if !typed.is_empty() && !typed.contains('@') => format!("{typed}@{domain}"),
        _ => typed,
    }
}

fn problem_field(code: ErrorCode) -> Option<&'static str> {
    match code {
        ErrorCode::AddressTaken
        | ErrorCode::AddressReserved
        | ErrorCode::DomainNotVerified
        | ErrorCode::LimitReached => Some("address"),
        _ => None,
    }
}

#[derive(Clone)]
enum Op {
    Add(String),
    Delete(String),
}

#[component]
pub fn AliasesSection(
    account: RwSignal<Account>,
    plans: LocalResource<Result<Vec<Plan>, ClientError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = account.get_untracked().id;
    let domain = move || {
        account.with(|a| {
            a.email
                .as_ref()
                .and_then(|e| e.rsplit_once('@').map(|(_, d)| d.to_owned()))
        })
    };
    let typed = RwSignal::new(String::new());
    let address = move || complete_alias(&typed.get(), domain().as_deref());
    let done = RwSignal::new(None::<(&'static str, String)>);

    let act = Action::new_local(move |op: &Op| {
        let op = op.clone();
        async move {
            let (key, address) = match op {
                Op::Add(address) => {
                    let alias =
                        api::authorized(move |token| api::add_alias(token, id, address.clone()))
                            .await?;
                    typed.set(String::new());
                    account.update(|a| a.aliases.push(alias.address.clone()));
                    ("users.aliases.added", alias.address)
                }
                Op::Delete(address) => {
                    let sent = address.clone();
                    api::authorized(move |token| api::delete_alias(token, id, sent.clone()))
                        .await?;
                    account.update(|a| a.aliases.retain(|x| *x != address));
                    ("users.aliases.deleted", address)
                }
            };
            done.set(Some((key, address)));
            Ok::<(), ClientError>(())
        }
    });
    let pending = act.pending();
    let state = FormState::new(failure_of(act), problem_field);
    // A sent alias empties the field: nothing is missing there until the next try.
    Effect::new(move || {
        if done.with(Option::is_some) {
            state.tried.set(false);
        }
    });
    let error = Signal::derive(move || {
        let locale = i18n.locale.get();
        let full = address();
        local_message(locale, &full, state.tried.get(), true, check_address)
            .or_else(|| state.server_message(locale, "address", &full))
    });
    // Problems about the typed address are shown beside it.
    let alert = Signal::derive(move || {
        let error = state.failure()?;
        let beside = error.is_unauthorized()
            || error.has_field_errors()
            || error.code().and_then(problem_field).is_some();
        (!beside).then(|| account_problem_text(i18n.locale.get(), &error))
    });
    let status = Signal::derive(move || {
        done.with(|d| {
            d.as_ref()
                .map(|(key, address)| fill(i18n.t(key), &[("address", address)]))
        })
    });
    let count = Signal::derive(move || {
        let n = account.with(|a| a.aliases.len());
        let code = account.with(|a| a.plan.clone())?;
        let max = plans
            .get()?
            .ok()?
            .into_iter()
            .find(|p| p.code == code)?
            .max_aliases;
        Some(fill(
            i18n.t("users.aliases.count"),
            &[("count", &n.to_string()), ("max", &max.to_string())],
        ))
    });
    let hint = Signal::derive(move || {
        fill(
            i18n.t("users.aliases.hint"),
            &[("domain", &domain().unwrap_or_default())],
        )
    });
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        done.set(None);
        state.tried.set(true);
        if pending.get_untracked() || error.get_untracked().is_some() {
            return;
        }
        let full = address();
        state.remember("address", full.clone());
        act.dispatch(Op::Add(full));
    };
    let rows = move || {
        let aliases = account.with(|a| a.aliases.clone());
        if aliases.is_empty() {
            return view! { <p>{i18n.tr("users.aliases.none")}</p> }.into_any();
        }
        view! {
            <ul class="aliases">
                {aliases
                    .into_iter()
                    .map(|address| {
                        let sent = address.clone();
                        view! {
                            <li>
                                <span>{address.clone()}</span>
                                <button
                                    type="button"
                                    class="secondary"
                                    disabled=pending
                                    on:click=move |_| {
                                        done.set(None);
                                        act.dispatch(Op::Delete(sent.clone()));
                                    }
                                >
                                    {i18n.tr("users.aliases.delete")}
                                    <span class="visually-hidden">" " {address}</span>
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };

    view! {
        <section class="panel" aria-labelledby="aliases-heading">
            <h2 id="aliases-heading">{i18n.tr("users.aliases.title")}</h2>
            <p class="hint">{count}</p>
            {rows}
            <form on:submit=on_submit novalidate>
                <div class="field">
                    <label for="alias">{i18n.tr("users.aliases.alias")}</label>
                    <input
                        id="alias"
                        name="address"
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        aria-invalid=invalid(error)
                        aria-describedby="alias-hint alias-error"
                        bind:value=typed
                    />
                    <p id="alias-hint" class="hint">{hint}</p>
                    <p id="alias-error" class="field-error" aria-live="polite">{error}</p>
                </div>
                <div class="actions">
                    <button type="submit" aria-busy=busy(pending)>
                        {i18n.tr("action.add_alias")}
                    </button>
                </div>
            </form>
            <Outcome failure=state.failure_signal() alert done=status />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alias_without_domain_goes_on_the_primary_one() {
        assert_eq!(
            complete_alias(" Sales ", Some("example.org")),
            "sales@example.org"
        );
        assert_eq!(complete_alias("a@b.org", Some("example.org")), "a@b.org");
        assert_eq!(complete_alias("", Some("example.org")), "");
        assert_eq!(complete_alias("sales", None), "sales");
    }
}
