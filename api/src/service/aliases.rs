//! Aliases (SPEC §7): as many as the account's plan allows, each an address under the rules of
//! SPEC §6.

use serde_json::json;
use shared::dto::Alias;
use shared::value::EmailAddress;
use uuid::Uuid;

use super::Services;
use super::addresses::{self, Owner};
use super::audit::{self, AuditAction, Ctx};
use super::subscriptions;
use crate::error::{Error, Result};
use crate::store::changes::Change;
use crate::store::plans::FREE as FREE_PLAN;
use crate::store::{accounts, addresses as rows, organizations};

pub async fn list(s: &Services, org: Uuid, account_id: Uuid) -> Result<Vec<Alias>> {
    let db = s.db.read();
    accounts::get_in(db, org, account_id).await?;
    let rows = rows::aliases_of(db, account_id).await?;
    Ok(rows
        .into_iter()
        .map(|a| Alias {
            address: a.address,
            created_at: a.created_at,
        })
        .collect())
}

/// Adds an alias, within the plan's limit (checked under the organization's lock).
pub async fn add(
    s: &Services,
    ctx: &Ctx,
    org: Uuid,
    account_id: Uuid,
    addr: &EmailAddress,
) -> Result<Alias> {
    let txn = s.db.begin().await?;
    organizations::lock(&txn, org).await?;
    let account = accounts::get_in(&txn, org, account_id).await?;
    let domain_id = addresses::check_available(&txn, s, org, "address", addr).await?;
    let plan = subscriptions::plan(&txn, account.plan_code.as_deref().unwrap_or(FREE_PLAN)).await?;
    let count = rows::alias_count(&txn, account_id).await?;
    if count >= plan.max_aliases {
        return Err(Error::limit_reached(
            shared::Cap::Aliases,
            plan.max_aliases,
            format!(
                "the {} plan allows {} aliases per account",
                plan.code, plan.max_aliases
            ),
        ));
    }
    let row = addresses::insert(
        &txn,
        org,
        addr,
        Owner::Alias(account_id),
        domain_id,
        ctx.now,
    )
    .await?;
    txn.touch(Change::Account(account_id), ctx.now);
    let details = json!({"address": row.address});
    audit::record(
        &txn,
        ctx,
        Some(org),
        AuditAction::AliasAdded,
        Some(format!("account:{account_id}")),
        details,
    )
    .await?;
    txn.commit().await?;
    Ok(Alias {
        address: row.address,
        created_at: row.created_at,
    })
}

pub async fn remove(
    s: &Services,
    ctx: &Ctx,
    org: Uuid,
    account_id: Uuid,
    addr: &EmailAddress,
) -> Result<()> {
    let txn = s.db.begin().await?;
    accounts::get_in(&txn, org, account_id).await?;
    if !rows::delete_alias(&txn, account_id, addr.as_str()).await? {
        return Err(Error::not_found("alias"));
    }
    txn.touch(Change::Account(account_id), ctx.now);
    let details = json!({"address": addr.as_str()});
    audit::record(
        &txn,
        ctx,
        Some(org),
        AuditAction::AliasRemoved,
        Some(format!("account:{account_id}")),
        details,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
