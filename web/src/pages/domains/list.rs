//! `/domains`: the email domains and "Add a domain".

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use shared::dto::Domain;
use shared::value::DomainName;

use super::{explain, field_of_code, status_class, status_key};
use crate::api::{self, ClientError};
use crate::components::field::TextField;
use crate::components::form_state::{Field, FormState, failure_of, verdict};
use crate::components::loaded::{LoadFailure, loaded};
use crate::components::to_sign_in::ToSignIn;
use crate::i18n::{Locale, fill, use_i18n};

fn check_domain(locale: Locale, value: &str) -> Result<(), String> {
    verdict(locale, DomainName::parse(value), "domains.invalid")
}

/// The name as the server will store it, when that differs from what was typed (an
/// internationalized name becomes punycode).
fn stored_as(typed: &str) -> Option<String> {
    let name = DomainName::parse(typed).ok()?;
    let plain = typed.trim().trim_end_matches('.').to_lowercase();
    (name.as_str() != plain).then(|| name.to_string())
}

#[component]
pub fn DomainsPage() -> impl IntoView {
    let i18n = use_i18n();
    let domains = LocalResource::new(|| api::authorized(api::domains));
    let failure = LoadFailure {
        title: None,
        back: None,
        explain,
    };
    let table = loaded(domains, failure, move |list: Vec<Domain>| {
        if list.is_empty() {
            return view! { <p role="status">{i18n.tr("domains.empty")}</p> }.into_any();
        }
        view! {
            <table class="list">
                <caption class="visually-hidden">{i18n.tr("domains.caption")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{i18n.tr("domains.name")}</th>
                        <th scope="col">{i18n.tr("domains.status")}</th>
                        <th scope="col">{i18n.tr("domains.created")}</th>
                    </tr>
                </thead>
                <tbody>{list.into_iter().map(|d| view! { <Row domain=d /> }).collect_view()}</tbody>
            </table>
        }
        .into_any()
    });
    view! {
        <section class="card wide">
            <h1>{i18n.tr("domains.title")}</h1>
            {table}
            <AddDomain />
        </section>
    }
}

#[component]
fn Row(domain: Domain) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/domains/{}", domain.id);
    let created = domain.created_at;
    view! {
        <tr>
            <td>
                <A href=href>{domain.name}</A>
            </td>
            <td>
                <span class=format!("domain-status {}", status_class(domain.status))>
                    {i18n.tr(status_key(domain.status))}
                </span>
            </td>
            <td>{move || i18n.locale.get().date(created.date_naive())}</td>
        </tr>
    }
}

/// "Add a domain", with the guide's advice; afterwards, the new domain's page.
#[component]
fn AddDomain() -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let navigate = use_navigate();
    let add = Action::new_local(move |typed: &String| {
        let typed = typed.clone();
        let navigate = navigate.clone();
        async move {
            let domain =
                api::authorized(move |token| api::add_domain(token, typed.clone())).await?;
            navigate(
                &format!("/domains/{}", domain.id),
                NavigateOptions::default(),
            );
            Ok::<(), ClientError>(())
        }
    });
    let pending = add.pending();
    let form = FormState::new(failure_of(add), field_of_code).explained_by(explain);
    let field = Field::new("name", name, check_domain).required();
    let name_error = form.message(field);
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() || !form.ready(&[field]) {
            return;
        }
        add.dispatch(name.get_untracked());
    };
    let stored = move || {
        stored_as(&name.get()).map(|ascii| fill(i18n.t("domains.stored_as"), &[("name", &ascii)]))
    };
    view! {
        <h2 id="add-domain">{i18n.tr("domains.add")}</h2>
        <p class="advice">{i18n.tr("domains.advice")}</p>
        <Show when=move || form.signed_out()>
            <ToSignIn />
        </Show>
        <form class="add-domain" aria-labelledby="add-domain" on:submit=on_submit novalidate>
            <p class="error" role="alert">{form.summary()}</p>
            <TextField
                id="domain-name"
                name="name"
                label="domains.field"
                hint="domains.hint"
                value=name
                error=name_error
            />
            <p class="hint" aria-live="polite">{stored}</p>
            <div class="actions">
                <button type="submit" aria-busy=move || pending.get().then_some("true")>
                    {i18n.tr("domains.add")}
                </button>
            </div>
            <p class="status" role="status">
                {move || pending.get().then(|| i18n.t("domains.adding"))}
            </p>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internationalized_names_are_shown_in_punycode() {
        assert_eq!(stored_as("Example.org"), None);
        assert_eq!(
            stored_as("bücher.example").as_deref(),
            Some("xn--bcher-kva.example")
        );
        assert_eq!(stored_as("not a domain"), None);
    }
}
