//! `/groups/:id`: one group: its details to edit, its members, and "Delete group".

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use serde_json::Value;
use shared::dto::Group;

use super::members::Members;
use super::{GroupFields, GroupFieldsView, explain, field_of_code, group_patch};
use crate::api::{self, ClientError};
use crate::components::confirm::Confirm;
use crate::components::form_state::{FormState, failure_of, success_of};
use crate::components::loaded::{LoadFailure, loaded};
use crate::components::to_sign_in::ToSignIn;
use crate::i18n::{fill, use_i18n};
use crate::pages::replace;

#[component]
pub fn GroupDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let group = LocalResource::new(move || {
        let id = id.get();
        api::authorized(move |token| api::group(token, id.clone()))
    });
    let failure = LoadFailure {
        title: Some("groups.detail_title"),
        back: Some(("/groups", "groups.back")),
        explain,
    };
    let page = loaded(group, failure, |group| {
        view! { <GroupView group /> }.into_any()
    });
    view! { <section class="card wide">{page}</section> }
}

#[component]
fn GroupView(group: Group) -> impl IntoView {
    let i18n = use_i18n();
    let id = group.id.to_string();
    // The group as last saved.
    let current = RwSignal::new(group);

    let navigate = use_navigate();
    let delete_id = id.clone();
    let delete = Action::new_local(move |_: &()| {
        let id = delete_id.clone();
        let navigate = navigate.clone();
        async move {
            api::authorized(move |token| api::delete_group(token, id.clone())).await?;
            navigate("/groups", replace());
            Ok::<(), ClientError>(())
        }
    });
    let question = Signal::derive(move || {
        let name = current.with(|g| g.name.clone());
        fill(i18n.t("groups.delete_confirm"), &[("name", &name)])
    });

    view! {
        <h1>{move || current.with(|g| g.name.clone())}</h1>
        <EditGroup current id=id.clone() />
        <Members id />
        <h2>{i18n.tr("groups.delete_title")}</h2>
        <p>{i18n.tr("groups.delete_text")}</p>
        <Confirm
            id="delete-group"
            ask="groups.delete"
            question
            yes="groups.delete_yes"
            pending_text="groups.deleting"
            action=delete
            explain
        />
        <div class="actions">
            <A href="/groups">{i18n.tr("groups.back")}</A>
        </div>
    }
}

/// The group's name, description and address, saved with a merge patch of what changed.
#[component]
fn EditGroup(current: RwSignal<Group>, id: String) -> impl IntoView {
    let i18n = use_i18n();
    let fields = current.with_untracked(|g| {
        GroupFields::new(
            g.name.clone(),
            g.description.clone(),
            g.email.clone().unwrap_or_default(),
        )
    });
    let unchanged = RwSignal::new(false);
    let save = Action::new_local(move |patch: &Value| {
        let (id, patch) = (id.clone(), patch.clone());
        async move {
            let group =
                api::authorized(move |token| api::update_group(token, id.clone(), patch.clone()))
                    .await?;
            // What the server stored (trimmed, lowercased) is what the fields show from now.
            fields.name.set(group.name.clone());
            fields.description.set(group.description.clone());
            fields.email.set(group.email.clone().unwrap_or_default());
            current.set(group);
            Ok::<(), ClientError>(())
        }
    });
    let pending = save.pending();
    let saved = success_of(save);
    let form = FormState::new(failure_of(save), field_of_code).explained_by(explain);

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        unchanged.set(false);
        if pending.get_untracked() || !form.ready(&fields.fields()) {
            return;
        }
        let (n, d, e) = fields.values();
        let patch = current.with_untracked(|g| group_patch(g, &n, &d, &e));
        if patch.is_empty() {
            unchanged.set(true);
            return;
        }
        save.dispatch(Value::Object(patch));
    };
    let status = move || {
        if pending.get() {
            Some(i18n.t("groups.saving"))
        } else if unchanged.get() {
            Some(i18n.t("groups.unchanged"))
        } else {
            saved.get().then(|| i18n.t("groups.saved"))
        }
    };

    view! {
        <h2 id="group-details">{i18n.tr("groups.details")}</h2>
        <Show when=move || form.signed_out()>
            <ToSignIn />
        </Show>
        <form aria-labelledby="group-details" on:submit=on_submit novalidate>
            <p class="error" role="alert">{form.summary()}</p>
            <GroupFieldsView fields form />
            <div class="actions">
                <button type="submit" aria-busy=move || pending.get().then_some("true")>
                    {i18n.tr("groups.save")}
                </button>
            </div>
            <p class="status" role="status">{status}</p>
        </form>
    }
}
