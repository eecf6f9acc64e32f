//! `/api-keys`: the organization's API keys, "Create a key" (its secret shown once, with a copy
//! button) and "Revoke" with a confirmation.

use chrono::NaiveDate;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::ErrorCode;
use shared::dto::{ApiKey, CreateApiKeyRequest, CreatedApiKey, Scope};
use shared::value::parse_name;

use crate::api::{self, ClientError};
use crate::components::confirm::Confirm;
use crate::components::copy_button::CopyButton;
use crate::components::field::TextField;
use crate::components::form_state::{Field, FormState, failure_of, verdict};
use crate::components::loaded::{LoadFailure, loaded};
use crate::components::problem::problem_text;
use crate::components::to_sign_in::ToSignIn;
use crate::i18n::{Locale, fill, use_i18n};

fn explain(locale: Locale, error: &ClientError) -> String {
    match error.code() {
        Some(ErrorCode::NotFound) => locale.text("keys.not_found").to_owned(),
        _ => problem_text(locale, error),
    }
}

fn check_name(locale: Locale, value: &str) -> Result<(), String> {
    verdict(locale, parse_name(value, 100), "invalid.name")
}

/// The day of a date field (`2027-01-31`).
fn day(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").ok()
}

fn check_date(locale: Locale, value: &str) -> Result<(), String> {
    if value.trim().is_empty() || day(value).is_some() {
        Ok(())
    } else {
        Err(locale.text("keys.invalid_date").to_owned())
    }
}

fn any(_: Locale, _: &str) -> Result<(), String> {
    Ok(())
}

/// The i18n key of a scope's description.
fn scope_text(scope: Scope) -> &'static str {
    match scope {
        Scope::AccountsRead => "keys.scope.accounts_read",
        Scope::AccountsWrite => "keys.scope.accounts_write",
        Scope::BillingWrite => "keys.scope.billing_write",
        Scope::CreditRead => "keys.scope.credit_read",
        Scope::DomainsRead => "keys.scope.domains_read",
        Scope::DomainsWrite => "keys.scope.domains_write",
        Scope::GroupsRead => "keys.scope.groups_read",
        Scope::GroupsWrite => "keys.scope.groups_write",
        Scope::AuditRead => "keys.scope.audit_read",
        Scope::Scim => "keys.scope.scim",
    }
}

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let i18n = use_i18n();
    let keys = LocalResource::new(|| api::authorized(api::api_keys));
    let created = RwSignal::new(None::<CreatedApiKey>);
    let failure = LoadFailure {
        title: None,
        back: None,
        explain,
    };
    let table = loaded(keys, failure, move |list: Vec<ApiKey>| {
        if list.is_empty() {
            return view! { <p role="status">{i18n.tr("keys.empty")}</p> }.into_any();
        }
        view! {
            <table class="list">
                <caption class="visually-hidden">{i18n.tr("keys.caption")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{i18n.tr("keys.name")}</th>
                        <th scope="col">{i18n.tr("keys.prefix")}</th>
                        <th scope="col">{i18n.tr("keys.scopes")}</th>
                        <th scope="col">{i18n.tr("keys.expires")}</th>
                        <th scope="col">{i18n.tr("keys.last_used")}</th>
                        <th scope="col">{i18n.tr("keys.actions")}</th>
                    </tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|key| view! { <Row key on_revoked=move || keys.refetch() /> }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    });
    view! {
        <section class="card wide">
            <h1>{i18n.tr("nav.api_keys")}</h1>
            <p>{i18n.tr("keys.intro")}</p>
            {move || created.get().map(|key| view! { <Secret key /> })}
            {table}
            <CreateKey created on_created=move || keys.refetch() />
        </section>
    }
}

/// The secret of the key just made, this once.
#[component]
fn Secret(key: CreatedApiKey) -> impl IntoView {
    let i18n = use_i18n();
    let name = key.key.name.clone();
    view! {
        <div class="notice" role="status">
            <h2>{move || fill(i18n.t("keys.secret_title"), &[("name", &name)])}</h2>
            <p>{i18n.tr("keys.secret_once")}</p>
            <p><code class="secret" data-testid="api-key-secret">{key.secret.clone()}</code></p>
            <CopyButton text=key.secret label=Signal::derive(move || i18n.t("keys.copy").to_owned()) />
        </div>
    }
}

#[component]
fn Row(key: ApiKey, on_revoked: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let id = key.id.to_string();
    let revoke = Action::new_local(move |(): &()| {
        let id = id.clone();
        async move {
            api::authorized(move |token| api::revoke_api_key(token, id.clone())).await?;
            on_revoked();
            Ok::<(), ClientError>(())
        }
    });
    let name = key.name.clone();
    let question = Signal::derive(move || fill(i18n.t("keys.revoke_confirm"), &[("name", &name)]));
    let scopes = key
        .scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let expires = key.expires_at;
    let used = key.last_used_at;
    let used_ip = key.last_used_ip.clone();
    view! {
        <tr>
            <td>{key.name.clone()}</td>
            <td class="id">{key.prefix.clone()}</td>
            <td>{scopes}</td>
            <td>
                {move || expires.map_or_else(|| i18n.t("keys.never").to_owned(), |at| i18n.locale.get().date_time(at))}
            </td>
            <td>
                {move || match used {
                    None => i18n.t("keys.unused").to_owned(),
                    Some(at) => format!(
                        "{} ({})",
                        i18n.locale.get().date_time(at),
                        used_ip.clone().unwrap_or_default()
                    ),
                }}
            </td>
            <td>
                <Confirm
                    id=format!("revoke-{}", key.id)
                    ask="keys.revoke"
                    question
                    yes="keys.revoke_yes"
                    pending_text="keys.revoking"
                    action=revoke
                    explain
                />
            </td>
        </tr>
    }
}

#[component]
fn CreateKey(
    created: RwSignal<Option<CreatedApiKey>>,
    on_created: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = Field::new("name", RwSignal::new(String::new()), check_name).required();
    let expires = Field::new("expires_at", RwSignal::new(String::new()), check_date);
    let networks = Field::new("allowed_networks", RwSignal::new(String::new()), any);
    let chosen = RwSignal::new(Vec::<Scope>::new());
    let create = Action::new_local(move |request: &CreateApiKeyRequest| {
        let request = request.clone();
        async move {
            let key =
                api::authorized(move |token| api::create_api_key(token, request.clone())).await?;
            created.set(Some(key));
            on_created();
            Ok::<(), ClientError>(())
        }
    });
    let pending = create.pending();
    let form = FormState::new(failure_of(create), |_| None).explained_by(explain);
    let no_scope = RwSignal::new(false);

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let scopes = chosen.get_untracked();
        no_scope.set(scopes.is_empty());
        if pending.get_untracked() || !form.ready(&[name, expires, networks]) || scopes.is_empty() {
            return;
        }
        let expires_at = expires
            .text()
            .and_then(|d| day(&d))
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc());
        let allowed_networks = networks.text().map(|text| {
            text.split(',')
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty())
                .collect()
        });
        create.dispatch(CreateApiKeyRequest {
            name: name.text().unwrap_or_default(),
            scopes,
            expires_at,
            allowed_networks,
        });
    };
    let toggle = move |scope: Scope, on: bool| {
        chosen.update(|list| {
            list.retain(|s| *s != scope);
            if on {
                list.push(scope);
            }
        });
    };

    view! {
        <h2 id="create-key">{i18n.tr("keys.create")}</h2>
        <Show when=move || form.signed_out()>
            <ToSignIn />
        </Show>
        <form aria-labelledby="create-key" on:submit=on_submit novalidate>
            <p class="error" role="alert">{form.summary()}</p>
            <TextField id="key-name" name="name" label="keys.name" value=name.value error=form.message(name) />
            <fieldset>
                <legend>{i18n.tr("keys.scopes")}</legend>
                {Scope::ALL
                    .into_iter()
                    .map(|scope| {
                        let id = format!("scope-{}", scope.as_str().replace(':', "-"));
                        view! {
                            <div class="check">
                                <input
                                    type="checkbox"
                                    id=id.clone()
                                    on:change=move |ev| toggle(scope, event_target_checked(&ev))
                                />
                                <label for=id>
                                    <code>{scope.as_str()}</code>
                                    " — "
                                    {i18n.tr(scope_text(scope))}
                                </label>
                            </div>
                        }
                    })
                    .collect_view()}
                <p class="error" role="alert">
                    {move || no_scope.get().then(|| i18n.t("keys.no_scope"))}
                </p>
            </fieldset>
            <TextField
                id="key-expires"
                name="expires_at"
                label="keys.expires_field"
                kind="date"
                hint="keys.expires_hint"
                value=expires.value
                error=form.message(expires)
            />
            <TextField
                id="key-networks"
                name="allowed_networks"
                label="keys.networks"
                hint="keys.networks_hint"
                value=networks.value
                error=form.message(networks)
            />
            <div class="actions">
                <button type="submit" aria-busy=move || pending.get().then_some("true")>
                    {i18n.tr("keys.create")}
                </button>
            </div>
            <p class="status" role="status">
                {move || pending.get().then(|| i18n.t("keys.creating"))}
            </p>
        </form>
    }
}
