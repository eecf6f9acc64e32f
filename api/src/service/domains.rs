//! Domains (SPEC §5): added by an admin within the domain cap, proved by a TXT record at the
//! apex over real DNS, verified by one organization at most; the records to publish (MX, SPF,
//! DKIM with a per-domain RSA-2048 key, DMARC) and their live status; removal only when unused.

use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use serde_json::json;
use shared::ErrorCode;
use shared::dto::{DnsRecord, DnsRecordStatus, Domain, DomainStatus, DomainVerification, Page};
use shared::value::DomainName;
use uuid::Uuid;

use super::Services;
use super::audit::{self, AuditAction, Ctx};
use super::crypto::Sealer;
use super::dns::Unavailable;
use super::subscriptions;
use crate::auth::token::random_token;
use crate::error::{Error, Result, is_unique_violation};
use crate::store::domains::{self as rows, Row};
use crate::store::pagination::{cut, decode_cursor};
use crate::store::{addresses, organizations};

pub const DKIM_SELECTOR: &str = "postwarden";
const VERIFICATION_PREFIX: &str = "postwarden-verification=";

fn dns_unavailable(e: Unavailable) -> Error {
    Error::new(ErrorCode::DnsUnavailable, e.to_string())
}

/// A new RSA-2048 key pair: (public key as base64 DER for the DKIM record, private key PEM).
fn dkim_key_pair() -> anyhow::Result<(String, String)> {
    let private = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048)?;
    let public_der = private.to_public_key().to_public_key_der()?;
    let pem = private.to_pkcs8_pem(LineEnding::LF)?;
    use base64::Engine;
    Ok((
        base64::engine::general_purpose::STANDARD.encode(public_der.as_bytes()),
        pem.to_string(),
    ))
}

/// The records to publish for `d`, each without its live status.
pub fn records(s: &Services, d: &Row) -> Vec<DnsRecord> {
    let name = &d.name;
    let record = |purpose: &str, kind: &str, host: String, value: String| DnsRecord {
        purpose: purpose.to_owned(),
        record_type: kind.to_owned(),
        host,
        value,
        status: DnsRecordStatus::Unchecked,
    };
    let mut out = vec![record(
        "verification",
        "TXT",
        name.clone(),
        format!("{VERIFICATION_PREFIX}{}", d.verification_token),
    )];
    for (i, mx) in s.config.mx_hosts.iter().enumerate() {
        out.push(record(
            "mx",
            "MX",
            name.clone(),
            format!("{} {mx}", 10 * (i + 1)),
        ));
    }
    out.push(record("spf", "TXT", name.clone(), "v=spf1 mx -all".into()));
    out.push(record(
        "dkim",
        "TXT",
        format!("{}._domainkey.{name}", d.dkim_selector),
        format!("v=DKIM1; k=rsa; p={}", d.dkim_public),
    ));
    out.push(record(
        "dmarc",
        "TXT",
        format!("_dmarc.{name}"),
        format!("v=DMARC1; p=quarantine; rua=mailto:postmaster@{name}"),
    ));
    out
}

fn answer(s: &Services, d: Row, checked: Option<Vec<DnsRecord>>) -> Domain {
    let dns_records = checked.unwrap_or_else(|| records(s, &d));
    Domain {
        id: d.id,
        name: d.name.clone(),
        status: d.status,
        verification: DomainVerification {
            record_type: "TXT".into(),
            host: d.name.clone(),
            value: format!("{VERIFICATION_PREFIX}{}", d.verification_token),
        },
        dns_records,
        verified_at: d.verified_at,
        created_at: d.created_at,
    }
}

pub async fn get(s: &Services, org: Uuid, id: Uuid) -> Result<Domain> {
    Ok(answer(s, rows::get_in(s.db.read(), org, id).await?, None))
}

/// The organization's domains by name.
pub async fn list(
    s: &Services,
    org: Uuid,
    limit: u64,
    cursor: Option<&str>,
) -> Result<Page<Domain>> {
    let after: Option<String> = cursor.map(decode_cursor).transpose()?;
    let found = rows::list(s.db.read(), org, limit + 1, after).await?;
    let (found, next_cursor) = cut(found, limit, |r| r.name.clone());
    Ok(Page {
        items: found.into_iter().map(|d| answer(s, d, None)).collect(),
        next_cursor,
    })
}

/// Adds a domain (pending until verified), with its verification token and DKIM key pair.
pub async fn add(s: &Services, ctx: &Ctx, org: Uuid, name: &DomainName) -> Result<Domain> {
    if name.as_str() == s.config.provider_domain
        || name
            .as_str()
            .ends_with(&format!(".{}", s.config.provider_domain))
    {
        return Err(Error::field("name", "is the provider's own domain"));
    }
    let (public, private_pem) = tokio::task::spawn_blocking(dkim_key_pair)
        .await
        .map_err(|e| Error::Internal(e.into()))??;
    let id = ctx.new_id();
    let sealed = Sealer::new(&s.data_key).seal(private_pem.as_bytes(), &dkim_aad(id))?;
    let txn = s.db.begin().await?;
    let organization = organizations::lock(&txn, org).await?;
    if rows::held(&txn, org, name.as_str()).await?.is_some() {
        return Err(Error::new(
            ErrorCode::Conflict,
            format!("the organization already has {name}"),
        )
        .about("name"));
    }
    if rows::verified(&txn, name.as_str()).await?.is_some() {
        return Err(Error::new(
            ErrorCode::DomainTaken,
            format!("{name} is verified by another organization"),
        ));
    }
    let caps = subscriptions::owner_plan(&txn, &organization).await?;
    if rows::count(&txn, org).await? >= caps.cap_domains {
        return Err(Error::limit_reached(
            shared::Cap::Domains,
            caps.cap_domains,
            format!(
                "the {} plan of the owner allows {} domains",
                caps.code, caps.cap_domains
            ),
        ));
    }
    let row = rows::insert(
        &txn,
        Row {
            id,
            organization_id: org,
            name: name.to_string(),
            status: DomainStatus::Pending,
            verification_token: random_token(24),
            verified_at: None,
            dkim_selector: DKIM_SELECTOR.into(),
            dkim_public: public,
            dkim_private_encrypted: sealed,
            created_at: ctx.now,
        },
    )
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            Error::new(
                ErrorCode::Conflict,
                format!("the organization already has {name}"),
            )
        } else {
            e.into()
        }
    })?;
    audit::record(
        &txn,
        ctx,
        Some(org),
        AuditAction::DomainAdded,
        Some(format!("domain:{}", row.id)),
        json!({"name": row.name}),
    )
    .await?;
    txn.commit().await?;
    Ok(answer(s, row, None))
}

/// Looks the verification TXT record up; marks the domain verified when it is there. Exactly one
/// organization wins a race for one name (the partial unique index on verified names).
pub async fn verify(s: &Services, ctx: &Ctx, org: Uuid, id: Uuid) -> Result<Domain> {
    let row = rows::get_in(s.db.read(), org, id).await?;
    if row.status == DomainStatus::Verified {
        return Ok(answer(s, row, None));
    }
    // This one is pending, so a verified domain of that name is another organization's.
    if rows::verified(s.db.read(), &row.name).await?.is_some() {
        return Err(Error::new(
            ErrorCode::DomainTaken,
            format!("{} is verified by another organization", row.name),
        ));
    }
    let expected = format!("{VERIFICATION_PREFIX}{}", row.verification_token);
    let found = s.dns.txt(&row.name).await.map_err(dns_unavailable)?;
    if !found.iter().any(|t| t.trim() == expected) {
        return Err(Error::new(
            ErrorCode::DomainNotVerified,
            format!(
                "no TXT record {expected} at {}; found {}",
                row.name,
                if found.is_empty() {
                    "none".to_owned()
                } else {
                    found.join(" | ")
                }
            ),
        )
        .with(|x| x.found = Some(found)));
    }
    let txn = s.db.begin().await?;
    let mut row = rows::get_in(&txn, org, id).await?;
    row.status = DomainStatus::Verified;
    row.verified_at = Some(ctx.now);
    let saved = rows::update(&txn, row).await.map_err(|e| {
        if is_unique_violation(&e) {
            Error::new(
                ErrorCode::DomainTaken,
                "the domain was verified by another organization meanwhile",
            )
        } else {
            e.into()
        }
    })?;
    audit::record(
        &txn,
        ctx,
        Some(org),
        AuditAction::DomainVerified,
        Some(format!("domain:{id}")),
        json!({"name": saved.name}),
    )
    .await?;
    txn.commit().await?;
    Ok(answer(s, saved, None))
}

/// Re-queries every record and reports `ok`, `missing` or `wrong` for each.
pub async fn check(s: &Services, org: Uuid, id: Uuid) -> Result<Domain> {
    let row = rows::get_in(s.db.read(), org, id).await?;
    let mut checked = records(s, &row);
    let mx = s.dns.mx(&row.name).await.map_err(dns_unavailable)?;
    for record in &mut checked {
        record.status = match record.record_type.as_str() {
            "MX" => {
                let host = record.value.split_whitespace().last().unwrap_or_default();
                if mx.iter().any(|h| h == host) {
                    DnsRecordStatus::Ok
                } else if mx.is_empty() {
                    DnsRecordStatus::Missing
                } else {
                    DnsRecordStatus::Wrong
                }
            }
            _ => {
                let txt = s.dns.txt(&record.host).await.map_err(dns_unavailable)?;
                // Records of the same kind share a prefix: "v=spf1", "v=DKIM1", "postwarden-verification=".
                let prefix = record
                    .value
                    .split([' ', ';', '='])
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                if txt.iter().any(|t| t.trim() == record.value) {
                    DnsRecordStatus::Ok
                } else if txt.iter().any(|t| t.starts_with(&prefix)) {
                    DnsRecordStatus::Wrong
                } else {
                    DnsRecordStatus::Missing
                }
            }
        };
    }
    Ok(answer(s, row, Some(checked)))
}

/// Removes a domain no address uses (409 `domain_in_use` with the count otherwise).
pub async fn delete(s: &Services, ctx: &Ctx, org: Uuid, id: Uuid) -> Result<()> {
    let txn = s.db.begin().await?;
    // Under the organization's lock, like every insert of an address: none can be committed
    // on this domain between the count below and the delete.
    organizations::lock(&txn, org).await?;
    let row = rows::get_in(&txn, org, id).await?;
    let used = addresses::count_on_domain(&txn, org, &row.name).await?;
    if used > 0 {
        return Err(Error::new(
            ErrorCode::DomainInUse,
            format!("{used} addresses still use {}", row.name),
        )
        .with(|x| x.address_count = Some(used)));
    }
    rows::delete(&txn, id).await?;
    audit::record(
        &txn,
        ctx,
        Some(org),
        AuditAction::DomainDeleted,
        Some(format!("domain:{id}")),
        json!({"name": row.name}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// What a domain's sealed DKIM key is bound to.
fn dkim_aad(domain: Uuid) -> String {
    format!("domain:{domain}:dkim_private")
}

/// Every verified domain's DKIM private key, decrypted: (domain, selector, PEM).
pub async fn dkim_keys(s: &Services) -> Result<Vec<(String, String, String)>> {
    let sealer = Sealer::new(&s.data_key);
    let mut out = Vec::new();
    for d in rows::all_verified(s.db.read()).await? {
        let pem = String::from_utf8(sealer.open(&d.dkim_private_encrypted, &dkim_aad(d.id))?)
            .map_err(|e| Error::Internal(e.into()))?;
        out.push((d.name, d.dkim_selector, pem));
    }
    Ok(out)
}
