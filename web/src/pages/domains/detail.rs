//! `/domains/:id`: one domain, its verification, its DNS records and their status, and
//! "Remove domain".

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::dto::{Domain, DomainStatus};

use super::records::{Records, Verification};
use super::{explain, status_class, status_key};
use crate::api::{self, ClientError};
use crate::components::confirm::Confirm;
use crate::components::loaded::{LoadFailure, loaded};
use crate::i18n::{fill, use_i18n};
use crate::pages::replace;

#[component]
pub fn DomainDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let domain = LocalResource::new(move || {
        let id = id.get();
        api::authorized(move |token| api::domain(token, id.clone()))
    });
    let failure = LoadFailure {
        title: Some("domains.detail_title"),
        back: Some(("/domains", "domains.back")),
        explain,
    };
    let page = loaded(domain, failure, |domain| {
        view! { <DomainView domain /> }.into_any()
    });
    view! { <section class="card wide">{page}</section> }
}

#[component]
fn DomainView(domain: Domain) -> impl IntoView {
    let i18n = use_i18n();
    let id = domain.id.to_string();
    let name = domain.name.clone();
    let created = domain.created_at;
    // The latest answer: verifying and checking replace it.
    let current = RwSignal::new(domain);
    let status = move || current.with(|d| d.status);
    let verified_on = move || current.with(|d| d.verified_at);

    let navigate = use_navigate();
    let remove_id = id.clone();
    let remove = Action::new_local(move |_: &()| {
        let id = remove_id.clone();
        let navigate = navigate.clone();
        async move {
            api::authorized(move |token| api::remove_domain(token, id.clone())).await?;
            navigate("/domains", replace());
            Ok::<(), ClientError>(())
        }
    });
    let question =
        Signal::derive(move || fill(i18n.t("domains.remove_confirm"), &[("name", &name)]));

    view! {
        <h1>{current.with_untracked(|d| d.name.clone())}</h1>
        <dl class="facts">
            <dt>{i18n.tr("domains.status")}</dt>
            <dd>
                <span class=move || format!("domain-status {}", status_class(status()))>
                    {move || i18n.t(status_key(status()))}
                </span>
            </dd>
            <dt>{i18n.tr("domains.created")}</dt>
            <dd>{move || i18n.locale.get().date(created.date_naive())}</dd>
            <Show when=move || verified_on().is_some()>
                <dt>{i18n.tr("domains.verified_at")}</dt>
                <dd>
                    {move || {
                        verified_on().map(|at| i18n.locale.get().date_time(at)).unwrap_or_default()
                    }}
                </dd>
            </Show>
        </dl>
        <Show when=move || status() == DomainStatus::Pending>
            <p class="advice">{i18n.tr("domains.advice")}</p>
        </Show>
        <Verification current id=id.clone() />
        <Records current id />
        <h2>{i18n.tr("domains.remove_title")}</h2>
        <p>{i18n.tr("domains.remove_text")}</p>
        <Confirm
            id="remove-domain"
            ask="domains.remove"
            question
            yes="domains.remove_yes"
            pending_text="domains.removing"
            action=remove
            explain
        />
        <div class="actions">
            <A href="/domains">{i18n.tr("domains.back")}</A>
        </div>
    }
}
