//! A group's members, "Remove" for each, and the user picker that adds more.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::dto::Account;

use super::explain;
use crate::api::{self, ClientError};
use crate::components::form_state::failure_of;
use crate::components::loaded::{LoadFailure, loaded};
use crate::components::problem::problem_text;
use crate::components::to_sign_in::ToSignIn;
use crate::i18n::{fill, use_i18n};

/// A change of membership: the account's id and username, and whether it becomes a member.
type Change = (String, String, bool);

#[component]
pub(super) fn Members(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let group_id = id.clone();
    let members = LocalResource::new(move || {
        let id = group_id.clone();
        api::authorized(move |token| api::members(token, id.clone()))
    });
    // The last change made, to say it in words.
    let done = RwSignal::new(None::<(String, bool)>);
    let change = Action::new_local(move |(account, username, member): &Change| {
        let (id, account, username, member) =
            (id.clone(), account.clone(), username.clone(), *member);
        async move {
            done.set(None);
            api::authorized(move |token| {
                api::set_member(token, id.clone(), account.clone(), member)
            })
            .await?;
            done.set(Some((username, member)));
            members.refetch();
            Ok::<(), ClientError>(())
        }
    });
    let failure = failure_of(change);
    let pending = change.pending();
    let member_ids = Signal::derive(move || match members.get() {
        Some(Ok(list)) => list.into_iter().map(|a| a.id.to_string()).collect(),
        _ => Vec::<String>::new(),
    });

    let load_failure = LoadFailure {
        title: None,
        back: None,
        explain,
    };
    let table = loaded(members, load_failure, move |list: Vec<Account>| {
        if list.is_empty() {
            return view! { <p>{i18n.tr("groups.no_members")}</p> }.into_any();
        }
        view! {
            <table class="list">
                <caption class="visually-hidden">{i18n.tr("groups.members_caption")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{i18n.tr("users.name")}</th>
                        <th scope="col">{i18n.tr("users.username")}</th>
                        <th scope="col">{i18n.tr("users.address")}</th>
                        <th scope="col">{i18n.tr("groups.action")}</th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .into_iter()
                        .map(|account| view! { <MemberRow account change pending /> })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    });
    let note = move || {
        let (username, member) = done.get()?;
        let key = if member {
            "groups.added"
        } else {
            "groups.removed"
        };
        Some(fill(i18n.t(key), &[("username", &username)]))
    };

    view! {
        <h2>{i18n.tr("groups.members")}</h2>
        {table}
        <p class="status" role="status">{note}</p>
        <p class="error" role="alert">
            {move || failure.get().map(|e| explain(i18n.locale.get(), &e))}
        </p>
        <Show when=move || failure.get().is_some_and(|e| e.is_unauthorized())>
            <ToSignIn />
        </Show>
        <UserPicker member_ids change pending />
    }
}

#[component]
fn MemberRow(
    account: Account,
    change: Action<Change, Result<(), ClientError>>,
    pending: Memo<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/users/{}", account.id);
    let name = format!("{} {}", account.first_name, account.last_name);
    let username = account.username.clone();
    let label = {
        let username = username.clone();
        move || fill(i18n.t("groups.remove_label"), &[("username", &username)])
    };
    let request = (account.id.to_string(), username.clone(), false);
    view! {
        <tr>
            <td>
                <A href=href>{name}</A>
            </td>
            <td>{username}</td>
            <td>{account.email.unwrap_or_default()}</td>
            <td>
                <button
                    type="button"
                    class="secondary small"
                    aria-label=label
                    disabled=pending
                    on:click=move |_| {
                        change.dispatch(request.clone());
                    }
                >
                    {i18n.tr("groups.remove")}
                </button>
            </td>
        </tr>
    }
}

/// "Find a user": the organization's accounts matching the search, each with "Add to group".
#[component]
fn UserPicker(
    member_ids: Signal<Vec<String>>,
    change: Action<Change, Result<(), ClientError>>,
    pending: Memo<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = RwSignal::new(String::new());
    let matches = LocalResource::new(move || {
        let q = query.get();
        async move {
            if q.trim().is_empty() {
                return Ok(None);
            }
            api::authorized(move |token| api::accounts(token, q.clone(), None))
                .await
                .map(|page| Some(page.items))
        }
    });
    let failure = LoadFailure {
        title: None,
        back: None,
        explain: problem_text,
    };
    let results = loaded(
        matches,
        failure,
        move |found: Option<Vec<Account>>| match found {
            None => ().into_any(),
            Some(list) if list.is_empty() => {
                view! { <p role="status">{i18n.tr("groups.no_match")}</p> }.into_any()
            }
            Some(list) => view! {
                <ul class="matches" aria-label=i18n.tr("groups.matches")>
                    {list
                        .into_iter()
                        .map(|account| view! { <Match account member_ids change pending /> })
                        .collect_view()}
                </ul>
            }
            .into_any(),
        },
    );
    view! {
        <h2>{i18n.tr("groups.add_members")}</h2>
        <form role="search" on:submit=|event| event.prevent_default()>
            <div class="field">
                <label for="find-user">{i18n.tr("groups.find")}</label>
                <input
                    id="find-user"
                    name="q"
                    type="search"
                    autocomplete="off"
                    spellcheck="false"
                    aria-describedby="find-user-hint"
                    prop:value=query
                    on:input=move |event| query.set(event_target_value(&event))
                />
                <p id="find-user-hint" class="hint">{i18n.tr("groups.find_hint")}</p>
            </div>
        </form>
        {results}
    }
}

#[component]
fn Match(
    account: Account,
    member_ids: Signal<Vec<String>>,
    change: Action<Change, Result<(), ClientError>>,
    pending: Memo<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = account.id.to_string();
    let username = account.username.clone();
    let who = format!(
        "{} {} ({})",
        account.first_name, account.last_name, account.username
    );
    let is_member = {
        let id = id.clone();
        move || member_ids.with(|ids| ids.contains(&id))
    };
    let label = {
        let username = username.clone();
        move || fill(i18n.t("groups.add_label"), &[("username", &username)])
    };
    let request = (id, username, true);
    view! {
        <li>
            <span>{who}</span>
            " "
            <Show
                when=is_member
                fallback=move || {
                    let request = request.clone();
                    view! {
                        <button
                            type="button"
                            class="secondary small"
                            aria-label=label.clone()
                            disabled=pending
                            on:click=move |_| {
                                change.dispatch(request.clone());
                            }
                        >
                            {i18n.tr("groups.add")}
                        </button>
                    }
                }
            >
                <span class="member-already">{i18n.tr("groups.already")}</span>
            </Show>
        </li>
    }
}
