//! Domains (SPEC §5): added by an admin within the domain cap, proved by a TXT record at the
//! apex over real DNS, verified by one organization at most; the records to publish (MX, SPF,
//! DKIM with a per-domain RSA-2048 key, DMARC) and their live status; removal only when unused.

use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use shared::ErrorCode;
use shared::dto::{DnsRecord, DnsRecordStatus, Domain, DomainStatus, DomainVerification, Page};
use shared::value::DomainName;
use uuid::Uuid;

use super::Services;
use super::audit::{self, AuditAction, Ctx};
use super::crypto::Sealer;
use super::dns::Unavailable;
use super::{credit, subscriptions};
use crate::auth::token::random_token;
use crate::error::{Error, Result, is_unique_violation};
use crate::store::entities::{address, domain};
use crate::store::pagination::{cut, decode_cursor};

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
pub fn records(s: &Services, d: &domain::Model) -> Vec<DnsRecord> {
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

fn dto(s: &Services, d: domain::Model, checked: Option<Vec<DnsRecord>>) -> Domain {
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

pub async fn find_in(db: &impl ConnectionTrait, org: Uuid, id: Uuid) -> Result<domain::Model> {
    domain::Entity::find_by_id(id)
        .filter(domain::Column::OrganizationId.eq(org))
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("domain"))
}

/// The organization's domain with this name, if it holds it.
pub async fn held(
    db: &impl ConnectionTrait,
    org: Uuid,
    name: &str,
) -> Result<Option<domain::Model>> {
    Ok(domain::Entity::find()
        .filter(domain::Column::OrganizationId.eq(org))
        .filter(domain::Column::Name.eq(name))
        .one(db)
        .await?)
}

/// The verified domain with this name, whoever holds it.
pub async fn verified(db: &impl ConnectionTrait, name: &str) -> Result<Option<domain::Model>> {
    Ok(domain::Entity::find()
        .filter(domain::Column::Name.eq(name))
        .filter(domain::Column::Status.eq(DomainStatus::Verified))
        .one(db)
        .await?)
}

pub async fn count(db: &impl ConnectionTrait, org: Uuid) -> Result<i64> {
    Ok(domain::Entity::find()
        .filter(domain::Column::OrganizationId.eq(org))
        .count(db)
        .await? as i64)
}

pub async fn get(s: &Services, org: Uuid, id: Uuid) -> Result<Domain> {
    Ok(dto(s, find_in(s.db.read(), org, id).await?, None))
}

/// The organization's domains by name.
pub async fn list(
    s: &Services,
    org: Uuid,
    limit: u64,
    cursor: Option<&str>,
) -> Result<Page<Domain>> {
    let mut query = domain::Entity::find()
        .filter(domain::Column::OrganizationId.eq(org))
        .order_by_asc(domain::Column::Name)
        .limit(limit + 1);
    if let Some(cursor) = cursor {
        let after: String = decode_cursor(cursor)?;
        query = query.filter(domain::Column::Name.gt(after));
    }
    let (rows, next_cursor) = cut(query.all(s.db.read()).await?, limit, |r| r.name.clone());
    Ok(Page {
        items: rows.into_iter().map(|d| dto(s, d, None)).collect(),
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
    let organization = credit::lock_organization(&txn, org).await?;
    if held(&txn, org, name.as_str()).await?.is_some() {
        return Err(Error::new(
            ErrorCode::Conflict,
            format!("the organization already has {name}"),
        )
        .with("field", "name"));
    }
    if verified(&txn, name.as_str()).await?.is_some() {
        return Err(Error::new(
            ErrorCode::DomainTaken,
            format!("{name} is verified by another organization"),
        ));
    }
    let caps = subscriptions::owner_plan(&txn, &organization).await?;
    if count(&txn, org).await? >= caps.cap_domains {
        return Err(Error::new(
            ErrorCode::LimitReached,
            format!(
                "the {} plan of the owner allows {} domains",
                caps.code, caps.cap_domains
            ),
        )
        .with("cap", "domains")
        .with("limit", caps.cap_domains));
    }
    let row = domain::ActiveModel {
        id: Set(id),
        organization_id: Set(org),
        name: Set(name.to_string()),
        status: Set(DomainStatus::Pending),
        verification_token: Set(random_token(24)),
        verified_at: Set(None),
        dkim_selector: Set(DKIM_SELECTOR.into()),
        dkim_public: Set(public),
        dkim_private_encrypted: Set(sealed),
        created_at: Set(ctx.now),
    }
    .insert(&txn)
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
    Ok(dto(s, row, None))
}

/// Looks the verification TXT record up; marks the domain verified when it is there. Exactly one
/// organization wins a race for one name (the partial unique index on verified names).
pub async fn verify(s: &Services, ctx: &Ctx, org: Uuid, id: Uuid) -> Result<Domain> {
    let row = find_in(s.db.read(), org, id).await?;
    if row.status == DomainStatus::Verified {
        return Ok(dto(s, row, None));
    }
    // This one is pending, so a verified domain of that name is another organization's.
    if verified(s.db.read(), &row.name).await?.is_some() {
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
        .with("found", found));
    }
    let txn = s.db.begin().await?;
    let mut active = find_in(&txn, org, id).await?.into_active_model();
    active.status = Set(DomainStatus::Verified);
    active.verified_at = Set(Some(ctx.now));
    let saved = active.update(&txn).await.map_err(|e| {
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
    Ok(dto(s, saved, None))
}

/// Re-queries every record and reports `ok`, `missing` or `wrong` for each.
pub async fn check(s: &Services, org: Uuid, id: Uuid) -> Result<Domain> {
    let row = find_in(s.db.read(), org, id).await?;
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
    Ok(dto(s, row, Some(checked)))
}

/// Removes a domain no address uses (409 `domain_in_use` with the count otherwise).
pub async fn delete(s: &Services, ctx: &Ctx, org: Uuid, id: Uuid) -> Result<()> {
    let txn = s.db.begin().await?;
    // Under the organization's lock, like every insert of an address: none can be committed
    // on this domain between the count below and the delete.
    credit::lock_organization(&txn, org).await?;
    let row = find_in(&txn, org, id).await?;
    let suffix = format!("%@{}", row.name);
    let used = address::Entity::find()
        .filter(address::Column::OrganizationId.eq(org))
        .filter(address::Column::Address.like(suffix))
        .count(&txn)
        .await? as i64;
    if used > 0 {
        return Err(Error::new(
            ErrorCode::DomainInUse,
            format!("{used} addresses still use {}", row.name),
        )
        .with("address_count", used));
    }
    domain::Entity::delete_by_id(id).exec(&txn).await?;
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
    let rows = domain::Entity::find()
        .filter(domain::Column::Status.eq(DomainStatus::Verified))
        .order_by_asc(domain::Column::Name)
        .all(s.db.read())
        .await?;
    let mut out = Vec::new();
    for d in rows {
        let pem = String::from_utf8(sealer.open(&d.dkim_private_encrypted, &dkim_aad(d.id))?)
            .map_err(|e| Error::Internal(e.into()))?;
        out.push((d.name, d.dkim_selector, pem));
    }
    Ok(out)
}
