//! `/groups`: the groups and "Create a group".

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use shared::dto::{CreateGroupRequest, Group};

use super::{GroupFields, GroupFieldsView, explain, field_of_code};
use crate::api::{self, ClientError};
use crate::components::form_state::{FormState, failure_of};
use crate::components::loaded::{LoadFailure, loaded};
use crate::components::to_sign_in::ToSignIn;
use crate::i18n::use_i18n;

#[component]
pub fn GroupsPage() -> impl IntoView {
    let i18n = use_i18n();
    let groups = LocalResource::new(|| api::authorized(api::groups));
    let failure = LoadFailure {
        title: None,
        back: None,
        explain,
    };
    let table = loaded(groups, failure, move |list: Vec<Group>| {
        if list.is_empty() {
            return view! { <p role="status">{i18n.tr("groups.empty")}</p> }.into_any();
        }
        view! {
            <table class="list">
                <caption class="visually-hidden">{i18n.tr("groups.caption")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{i18n.tr("groups.name")}</th>
                        <th scope="col">{i18n.tr("groups.description")}</th>
                        <th scope="col">{i18n.tr("groups.address")}</th>
                        <th scope="col">{i18n.tr("groups.member_count")}</th>
                    </tr>
                </thead>
                <tbody>{list.into_iter().map(|g| view! { <Row group=g /> }).collect_view()}</tbody>
            </table>
        }
        .into_any()
    });
    view! {
        <section class="card wide">
            <h1>{i18n.tr("groups.title")}</h1>
            {table}
            <CreateGroup />
        </section>
    }
}

#[component]
fn Row(group: Group) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/groups/{}", group.id);
    let email = group.email;
    view! {
        <tr>
            <td>
                <A href=href>{group.name}</A>
            </td>
            <td>{group.description}</td>
            <td>{move || email.clone().unwrap_or_else(|| i18n.t("none").to_owned())}</td>
            <td>{group.member_count}</td>
        </tr>
    }
}

/// "Create a group"; afterwards, the new group's page.
#[component]
fn CreateGroup() -> impl IntoView {
    let i18n = use_i18n();
    let fields = GroupFields::new(String::new(), String::new(), String::new());
    let navigate = use_navigate();
    let create = Action::new_local(move |request: &CreateGroupRequest| {
        let request = request.clone();
        let navigate = navigate.clone();
        async move {
            let group =
                api::authorized(move |token| api::create_group(token, request.clone())).await?;
            navigate(&format!("/groups/{}", group.id), NavigateOptions::default());
            Ok::<(), ClientError>(())
        }
    });
    let pending = create.pending();
    let form = FormState::new(failure_of(create), field_of_code).explained_by(explain);

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() || !form.ready(&fields.fields()) {
            return;
        }
        let (name, description, email) = fields.values();
        let optional = |text: String| {
            let text = text.trim().to_owned();
            (!text.is_empty()).then_some(text)
        };
        create.dispatch(CreateGroupRequest {
            name: name.trim().to_owned(),
            description: optional(description),
            email: optional(email),
        });
    };

    view! {
        <h2 id="create-group">{i18n.tr("groups.create")}</h2>
        <Show when=move || form.signed_out()>
            <ToSignIn />
        </Show>
        <form aria-labelledby="create-group" on:submit=on_submit novalidate>
            <p class="error" role="alert">{form.summary()}</p>
            <GroupFieldsView fields form />
            <div class="actions">
                <button type="submit" aria-busy=move || pending.get().then_some("true")>
                    {i18n.tr("groups.create")}
                </button>
            </div>
            <p class="status" role="status">
                {move || pending.get().then(|| i18n.t("groups.creating"))}
            </p>
        </form>
    }
}
