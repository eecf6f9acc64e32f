//! "Aliases": the account's aliases, how many its plan allows, "Add an alias" and deleting one.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::ErrorCode;
use shared::dto::{Account, Plan};

use crate::api::{self, ClientError};
use crate::components::account_problem::account_problem_text;
use crate::components::form_state::{FormState, check_address, failure_of, local_message};
use crate::components::to_sign_in::ToSignIn;
use crate::i18n::{fill, use_i18n};

/// The address to add: as typed, or on `domain` when typed without one.
fn complete_alias(typed: &str, domain: Option<&str>) -> String {
    let typed = typed.trim().to_lowercase();
    match domain {
        Some(domain) if !typed.is_empty() && !typed.contains('@') => format!("{typed}@{domain}"),
        _ => typed,
    }
}

fn problem_field(error: &ClientError) -> Option<&'static str> {
    match error.code()? {
        ErrorCode::AddressTaken
        | ErrorCode::AddressReserved
        | ErrorCode::DomainNotVerified
        | ErrorCode::LimitReached => Some("address"),
        _ => None,
    }
}

#[component]
pub fn AliasesSection(
    account: RwSignal<Account>,
    plans: LocalResource<Result<Vec<Plan>, ClientError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = account.get_untracked().id;
    let list = LocalResource::new(move || api::authorized(move |token| api::aliases(token, id)));
    let max = move || {
        let code = account.with(|a| a.plan.clone())?;
        let plans = plans.get()?.ok()?;
        plans
            .into_iter()
            .find(|p| p.code == code)
            .map(|p| p.max_aliases)
    };
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

    let add = Action::new_local(move |address: &String| {
        let address = address.clone();
        async move {
            let alias =
                api::authorized(move |token| api::add_alias(token, id, address.clone())).await?;
            typed.set(String::new());
            account.update(|a| a.aliases.push(alias.address.clone()));
            done.set(Some(("users.aliases.added", alias.address)));
            list.refetch();
            Ok::<(), ClientError>(())
        }
    });
    let remove = Action::new_local(move |address: &String| {
        let address = address.clone();
        async move {
            let sent = address.clone();
            api::authorized(move |token| api::delete_alias(token, id, sent.clone())).await?;
            account.update(|a| a.aliases.retain(|x| *x != address));
            done.set(Some(("users.aliases.deleted", address)));
            list.refetch();
            Ok::<(), ClientError>(())
        }
    });
    let adding = add.pending();
    let state = FormState::new(failure_of(add), problem_field);
    let remove_failure = failure_of(remove);
    let error = Signal::derive(move || {
        let locale = i18n.locale.get();
        let full = address();
        local_message(
            locale,
            &full,
            state.tried.get(),
            true,
            check_address,
            "invalid.email",
        )
        .or_else(|| state.server_message(locale, "address", &full))
    });
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        done.set(None);
        state.tried.set(true);
        if adding.get_untracked() || error.get_untracked().is_some() {
            return;
        }
        let full = address();
        state.remember("address", full.clone());
        add.dispatch(full);
    };
    let count = move || {
        let n = list.get().and_then(Result::ok).map(|l| l.len())?;
        let max = max()?;
        Some(fill(
            i18n.t("users.aliases.count"),
            &[("count", &n.to_string()), ("max", &max.to_string())],
        ))
    };
    let rows = move || {
        match list.get() {
        None => view! { <p role="status">{i18n.tr("loading")}</p> }.into_any(),
        Some(Err(e)) if e.is_unauthorized() => view! { <ToSignIn /> }.into_any(),
        Some(Err(e)) => view! {
            <p class="error" role="alert">
                {move || account_problem_text(i18n.locale.get(), &e)}
            </p>
            <button type="button" class="secondary" on:click=move |_| list.refetch()>
                {i18n.tr("try_again")}
            </button>
        }
        .into_any(),
        Some(Ok(aliases)) if aliases.is_empty() => {
            view! { <p>{i18n.tr("users.aliases.none")}</p> }.into_any()
        }
        Some(Ok(aliases)) => view! {
            <table class="list">
                <caption class="visually-hidden">{i18n.tr("users.aliases.title")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{i18n.tr("users.aliases.alias")}</th>
                        <th scope="col">{i18n.tr("users.aliases.added_on")}</th>
                        <th scope="col">
                            <span class="visually-hidden">{i18n.tr("users.actions")}</span>
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {aliases
                        .into_iter()
                        .map(|alias| {
                            let address = alias.address.clone();
                            let added = move || i18n.locale.get().date(alias.created_at.date_naive());
                            view! {
                                <tr>
                                    <td>{alias.address.clone()}</td>
                                    <td>{added}</td>
                                    <td>
                                        <button
                                            type="button"
                                            class="secondary"
                                            disabled=move || remove.pending().get()
                                            on:click=move |_| {
                                                done.set(None);
                                                remove.dispatch(address.clone());
                                            }
                                        >
                                            {i18n.tr("users.aliases.delete")}
                                            <span class="visually-hidden">
                                                " " {alias.address.clone()}
                                            </span>
                                        </button>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any(),
    }
    };

    view! {
        <section class="panel" aria-labelledby="aliases-heading">
            <h2 id="aliases-heading">{i18n.tr("users.aliases.title")}</h2>
            <p class="hint">{count}</p>
            {rows}
            <p class="error" role="alert">
                {move || {
                    remove_failure
                        .get()
                        .filter(|e| !e.is_unauthorized())
                        .map(|e| account_problem_text(i18n.locale.get(), &e))
                }}
            </p>
            <Show when=move || {
                state.signed_out() || remove_failure.get().is_some_and(|e| e.is_unauthorized())
            }>
                <ToSignIn />
            </Show>
            <form on:submit=on_submit novalidate>
                <div class="field">
                    <label for="alias">{i18n.tr("users.aliases.alias")}</label>
                    <input
                        id="alias"
                        name="address"
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        aria-invalid=move || error.get().map(|_| "true")
                        aria-describedby="alias-hint alias-error"
                        bind:value=typed
                    />
                    <p id="alias-hint" class="hint">
                        {move || {
                            fill(
                                i18n.t("users.aliases.hint"),
                                &[("domain", &domain().unwrap_or_default())],
                            )
                        }}
                    </p>
                    <p id="alias-error" class="field-error" aria-live="polite">
                        {move || error.get()}
                    </p>
                </div>
                <div class="actions">
                    <button type="submit" aria-busy=move || adding.get().then_some("true")>
                        {i18n.tr("action.add_alias")}
                    </button>
                </div>
                <p class="error" role="alert">
                    {move || {
                        state
                            .failure()
                            .filter(|e| {
                                !e.is_unauthorized() && !e.has_field_errors()
                                    && problem_field(e).is_none()
                            })
                            .map(|e| account_problem_text(i18n.locale.get(), &e))
                    }}
                </p>
            </form>
            <p class="status" role="status">
                {move || {
                    done.get().map(|(key, address)| fill(i18n.t(key), &[("address", &address)]))
                }}
            </p>
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
