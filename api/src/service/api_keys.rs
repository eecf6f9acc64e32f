//! API keys (API.md, "API keys"): made by an organization's administrators, each a non-owner
//! admin limited to its scopes. The secret (`pwk_` and 256 random bits) is shown once and kept
//! as its SHA-256; a request with it costs one hash and a cache lookup, like a session's token.

use std::net::IpAddr;
use std::str::FromStr;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use ipnet::IpNet;
use serde_json::json;
use shared::dto::{ApiKey, CreatedApiKey, Page, Role, Scope};
use uuid::Uuid;

use super::Services;
use super::audit::{self, AuditAction, Ctx};
use super::cache::CachedKey;
use super::principal::{Credential, Principal};
use crate::auth::token::{random_token, sha256_hex};
use crate::error::{Error, Result};
use crate::store::api_keys::{self as rows, LAST_USE_EVERY, Row};
use crate::store::pagination::{cut, decode_cursor};

/// What every key's secret starts with: a bearer token with it is a key, not a session.
pub const SECRET_PREFIX: &str = "pwk_";
/// How much of the secret is kept to tell keys apart (`pwk_` and 8 characters).
const SHOWN_PREFIX: usize = 12;

/// A key to make, as the request gave it (already parsed).
pub struct NewKey {
    pub name: String,
    pub scopes: Vec<Scope>,
    pub expires_at: Option<DateTime<Utc>>,
    pub allowed_networks: Option<Vec<IpNet>>,
}

pub async fn create(
    s: &Services,
    ctx: &Ctx,
    org: Uuid,
    created_by: Uuid,
    new: NewKey,
) -> Result<CreatedApiKey> {
    if new.expires_at.is_some_and(|at| at <= ctx.now) {
        return Err(Error::field("expires_at", "must be in the future"));
    }
    let secret = format!("{SECRET_PREFIX}{}", random_token(32));
    let networks = new.allowed_networks.map(|n| {
        n.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",")
    });
    let txn = s.db.begin().await?;
    let row = rows::insert(
        &txn,
        Row {
            id: ctx.new_id(),
            organization_id: org,
            name: new.name,
            scopes: rows::scopes_column(&new.scopes),
            secret_hash: sha256_hex(&secret),
            prefix: secret.chars().take(SHOWN_PREFIX).collect(),
            expires_at: new.expires_at,
            allowed_networks: networks,
            created_at: ctx.now,
            created_by,
            last_used_at: None,
            last_used_ip: None,
        },
    )
    .await?;
    audit::record(
        &txn,
        ctx,
        Some(org),
        AuditAction::ApiKeyCreated,
        Some(format!("api_key:{}", row.id)),
        json!({"name": row.name, "scopes": row.scopes(), "prefix": row.prefix}),
    )
    .await?;
    txn.commit().await?;
    Ok(CreatedApiKey {
        key: row.answer(),
        secret,
    })
}

pub async fn list(
    s: &Services,
    org: Uuid,
    limit: u64,
    cursor: Option<&str>,
) -> Result<Page<ApiKey>> {
    let after = cursor
        .map(decode_cursor::<(DateTime<Utc>, Uuid)>)
        .transpose()?;
    let found = rows::list(s.db.read(), org, limit + 1, after).await?;
    let (found, next_cursor) = cut(found, limit, |r| (r.created_at, r.id));
    Ok(Page {
        items: found.iter().map(Row::answer).collect(),
        next_cursor,
    })
}

pub async fn get(s: &Services, org: Uuid, id: Uuid) -> Result<ApiKey> {
    Ok(rows::get_in(s.db.read(), org, id).await?.answer())
}

/// Deletes the key: it stops working at once on this process, within the change signal's
/// bound on the others.
pub async fn revoke(s: &Services, ctx: &Ctx, org: Uuid, id: Uuid) -> Result<()> {
    let txn = s.db.begin().await?;
    let row = rows::get_in(&txn, org, id).await?;
    rows::delete(&txn, id, ctx.now).await?;
    audit::record(
        &txn,
        ctx,
        Some(org),
        AuditAction::ApiKeyRevoked,
        Some(format!("api_key:{id}")),
        json!({"name": row.name, "prefix": row.prefix}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The principal of the key whose secret is `secret`, used at `now` from `client_ip`: 401
/// when it is unknown, revoked, expired or used from outside its networks. Records the use at
/// most once a minute.
pub async fn authenticate(
    s: &Services,
    secret: &str,
    now: DateTime<Utc>,
    client_ip: Option<&str>,
) -> Result<Principal> {
    let unauthorized = || Error::unauthorized("the API key is invalid, expired or revoked");
    let hash = sha256_hex(secret);
    let key = match s.caches.key(&hash) {
        Some(key) => key,
        None => {
            let generation = s.caches.keys.generation();
            let row = rows::by_hash(s.db.read(), &hash)
                .await?
                .ok_or_else(unauthorized)?;
            let key = cached(&row);
            s.caches.keys.fill(generation, hash.clone(), key.clone());
            key
        }
    };
    if key.expires_at.is_some_and(|at| at <= now) {
        return Err(unauthorized());
    }
    if let Some(networks) = &key.networks {
        let ip = client_ip.and_then(|ip| IpAddr::from_str(ip).ok());
        if !ip.is_some_and(|ip| networks.iter().any(|n| n.contains(&ip))) {
            return Err(unauthorized());
        }
    }
    if key.last_used_at.is_none_or(|at| at + LAST_USE_EVERY <= now) {
        note_use(s, &hash, key.clone(), now, client_ip).await;
    }
    Ok(key.principal)
}

/// Writes the last use (unless another process just did) and keeps the cache's copy current.
/// A failure is logged, never the request's: the use is recorded on a later one.
async fn note_use(
    s: &Services,
    hash: &str,
    mut key: CachedKey,
    now: DateTime<Utc>,
    client_ip: Option<&str>,
) {
    let generation = s.caches.keys.generation();
    let written = async {
        let txn = s.db.begin().await?;
        rows::record_use(&txn, key.key_id, now, client_ip.map(str::to_owned)).await?;
        txn.commit().await?;
        Ok::<_, Error>(())
    };
    match written.await {
        Ok(()) => {
            key.last_used_at = Some(now);
            s.caches.keys.fill(generation, hash.to_owned(), key);
        }
        Err(e) => tracing::warn!(key = %key.key_id, error = %e, "recording an API key's use"),
    }
}

fn cached(row: &Row) -> CachedKey {
    let networks = row.networks().map(|n| {
        n.iter()
            .filter_map(|c| IpNet::from_str(c).ok())
            .collect::<Arc<[IpNet]>>()
    });
    CachedKey {
        principal: Principal {
            org: Some(row.organization_id),
            role: Role::Admin,
            credential: Credential::ApiKey {
                key_id: row.id,
                scopes: row.scopes().into(),
            },
        },
        key_id: row.id,
        expires_at: row.expires_at,
        networks,
        last_used_at: row.last_used_at,
    }
}
