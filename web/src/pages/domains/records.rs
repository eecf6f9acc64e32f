//! The two record sections of a domain's page: the ownership record with "Verify", and the
//! records to publish with their live status and "Check again".

use leptos::prelude::*;
use shared::dto::{DnsRecord, DnsRecordStatus, Domain, DomainStatus};

use super::{explain, found_values, published, purpose_text, record_status};
use crate::api::{self, ClientError};
use crate::components::copy_button::CopyButton;
use crate::components::form_state::{failure_of, success_of};
use crate::components::to_sign_in::ToSignIn;
use crate::i18n::{Locale, fill, use_i18n};

/// An action on the domain that answers the domain anew (verify, check).
fn refresh<F, Fut>(
    current: RwSignal<Domain>,
    id: String,
    call: F,
) -> Action<(), Result<(), ClientError>>
where
    F: Fn(String, String) -> Fut + Copy + 'static,
    Fut: Future<Output = Result<Domain, ClientError>> + 'static,
{
    Action::new_local(move |_: &()| {
        let id = id.clone();
        async move {
            let domain = api::authorized(move |token| call(token, id.clone())).await?;
            current.set(domain);
            Ok(())
        }
    })
}

/// A text with its "Copy" button.
fn copyable(text: String, label: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let shown = text.clone();
    view! {
        <code>{shown}</code>
        " "
        <CopyButton text label=Signal::derive(move || i18n.t(label).to_owned()) />
    }
}

#[component]
pub(super) fn Verification(current: RwSignal<Domain>, id: String) -> impl IntoView {
    let i18n = use_i18n();
    let record = current.with_untracked(|d| d.verification.clone());
    let host = record.host.clone();
    let verify = refresh(current, id, api::verify_domain);
    let pending = verify.pending();
    let failure = failure_of(verify);
    let verified = success_of(verify);
    let is_pending = move || current.with(|d| d.status == DomainStatus::Pending);
    let failure_view = move || {
        let error = failure.get()?;
        let locale = i18n.locale.get();
        let host = host.clone();
        Some(match found_values(&error) {
            Some(found) if found.is_empty() => {
                view! { <p>{fill(locale.text("domains.found_none"), &[("host", &host)])}</p> }
                    .into_any()
            }
            Some(found) => view! {
                <p>{fill(locale.text("domains.found_other"), &[("host", &host)])}</p>
                <ul class="found">
                    {found.into_iter().map(|v| view! { <li><code>{v}</code></li> }).collect_view()}
                </ul>
            }
            .into_any(),
            None => view! { <p>{explain(locale, &error)}</p> }.into_any(),
        })
    };
    view! {
        <h2>{i18n.tr("domains.verification")}</h2>
        <p>
            {move || {
                if is_pending() {
                    i18n.t("domains.verification_text")
                } else {
                    i18n.t("domains.verification_done")
                }
            }}
        </p>
        <dl class="facts record">
            <dt>{i18n.tr("domains.type")}</dt>
            <dd>{copyable(record.record_type, "domains.copy_type")}</dd>
            <dt>{i18n.tr("domains.host")}</dt>
            <dd>{copyable(record.host, "domains.copy_host")}</dd>
            <dt>{i18n.tr("domains.value")}</dt>
            <dd>{copyable(record.value, "domains.copy_value")}</dd>
        </dl>
        <Show when=is_pending>
            <div class="actions">
                <button
                    type="button"
                    aria-busy=move || pending.get().then_some("true")
                    disabled=pending
                    on:click=move |_| {
                        verify.dispatch(());
                    }
                >
                    {i18n.tr("domains.verify")}
                </button>
            </div>
        </Show>
        <p class="status" role="status">
            {move || {
                if pending.get() {
                    Some(i18n.t("domains.verifying"))
                } else {
                    verified.get().then(|| i18n.t("domains.verified_now"))
                }
            }}
        </p>
        <div class="error" role="alert">{failure_view}</div>
        <Show when=move || failure.get().is_some_and(|e| e.is_unauthorized())>
            <ToSignIn />
        </Show>
    }
}

/// Each record's name for the "Copy" buttons: its purpose, numbered when several records share
/// it (two MX hosts).
fn record_names(locale: Locale, records: &[DnsRecord]) -> Vec<String> {
    records
        .iter()
        .enumerate()
        .map(|(i, record)| {
            let name = purpose_text(locale, &record.purpose);
            let same = |r: &&DnsRecord| r.purpose == record.purpose;
            if records.iter().filter(same).count() < 2 {
                return name;
            }
            let nth = records[..=i].iter().filter(same).count();
            format!("{name} {nth}")
        })
        .collect()
}

#[component]
pub(super) fn Records(current: RwSignal<Domain>, id: String) -> impl IntoView {
    let i18n = use_i18n();
    let check = refresh(current, id, api::check_domain);
    // A verified domain's records are looked up as the page opens, and again as soon as
    // "Verify" succeeds, so that their status is live (the stored one says "Not checked").
    Effect::new(move || {
        let unchecked = current.with(|d| {
            d.status == DomainStatus::Verified
                && d.dns_records
                    .iter()
                    .all(|r| r.status == DnsRecordStatus::Unchecked)
        });
        if unchecked {
            check.dispatch(());
        }
    });
    let pending = check.pending();
    let failure = failure_of(check);
    let checked = success_of(check);
    let rows = move || {
        let locale = i18n.locale.get();
        current.with(|d| {
            let names = record_names(locale, &d.dns_records);
            d.dns_records
                .iter()
                .zip(names)
                .map(|(record, name)| view! { <Row record=record.clone() name locale /> })
                .collect_view()
        })
    };
    let summary = move || {
        if pending.get() {
            return Some(i18n.t("domains.checking").to_owned());
        }
        checked.get().then(|| {
            let (ok, total) = current.with(|d| published(&d.dns_records));
            fill(
                i18n.t("domains.check_summary"),
                &[("ok", &ok.to_string()), ("total", &total.to_string())],
            )
        })
    };
    view! {
        <h2>{i18n.tr("domains.records")}</h2>
        <p>{i18n.tr("domains.records_text")}</p>
        <table class="list records">
            <caption class="visually-hidden">{i18n.tr("domains.records_caption")}</caption>
            <thead>
                <tr>
                    <th scope="col">{i18n.tr("domains.purpose")}</th>
                    <th scope="col">{i18n.tr("domains.type")}</th>
                    <th scope="col">{i18n.tr("domains.host")}</th>
                    <th scope="col">{i18n.tr("domains.value")}</th>
                    <th scope="col">{i18n.tr("domains.status")}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        <div class="actions">
            <button
                type="button"
                class="secondary"
                aria-busy=move || pending.get().then_some("true")
                disabled=pending
                on:click=move |_| {
                    check.dispatch(());
                }
            >
                {i18n.tr("domains.check")}
            </button>
        </div>
        <p class="status" role="status">{summary}</p>
        <p class="error" role="alert">{move || failure.get().map(|e| explain(i18n.locale.get(), &e))}</p>
        <Show when=move || failure.get().is_some_and(|e| e.is_unauthorized())>
            <ToSignIn />
        </Show>
    }
}

#[component]
fn Row(record: DnsRecord, name: String, locale: Locale) -> impl IntoView {
    let (marker, key) = record_status(record.status);
    let label = fill(locale.text("domains.copy_record"), &[("record", &name)]);
    let value = record.value.clone();
    view! {
        <tr>
            <td>{name}</td>
            <td>{record.record_type}</td>
            <td><code>{record.host}</code></td>
            <td>
                <code>{record.value}</code>
                " "
                <CopyButton text=value label=Signal::derive(move || label.clone()) />
            </td>
            <td>
                <span class=format!("record-status {}", key.trim_start_matches("domains.record_"))>
                    <span class="marker" aria-hidden="true">{marker}</span>
                    " "
                    {locale.text(key)}
                </span>
            </td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use shared::dto::DnsRecordStatus;

    use super::*;

    #[test]
    fn records_sharing_a_purpose_are_numbered() {
        let record = |purpose: &str| DnsRecord {
            purpose: purpose.into(),
            record_type: "TXT".into(),
            host: "example.org".into(),
            value: "v".into(),
            status: DnsRecordStatus::Unchecked,
        };
        let records = [
            record("verification"),
            record("mx"),
            record("mx"),
            record("spf"),
        ];
        assert_eq!(
            record_names(Locale::En, &records),
            ["Verification", "MX 1", "MX 2", "SPF"]
        );
    }
}
