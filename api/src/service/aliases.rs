//! Aliases (SPEC §7): as many as the account's plan allows, each an address under the rules of
//! SPEC §6.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::json;
use shared::ErrorCode;
use shared::dto::Alias;
use shared::value::EmailAddress;
use uuid::Uuid;

use super::Services;
use super::addresses::{self, Owner};
use super::audit::{self, AuditAction, Ctx};
use super::{accounts, credit, subscriptions};
use crate::error::{Error, Result};
use crate::store::changes::Change;
use crate::store::entities::address::{self, AddressKind};

pub async fn list(db: &impl ConnectionTrait, org: Uuid, account_id: Uuid) -> Result<Vec<Alias>> {
    accounts::find_in(db, org, account_id).await?;
    let rows = address::Entity::find()
        .filter(address::Column::AccountId.eq(account_id))
        .filter(address::Column::Kind.eq(AddressKind::Alias))
        .order_by_asc(address::Column::Address)
        .all(db)
        .await?;
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
    credit::lock_organization(&txn, org).await?;
    let account = accounts::find_in(&txn, org, account_id).await?;
    let domain_id = addresses::check_available(&txn, s, org, "address", addr).await?;
    let plan = subscriptions::plan(
        &txn,
        account
            .plan_code
            .as_deref()
            .unwrap_or(subscriptions::FREE_PLAN),
    )
    .await?;
    let count = address::Entity::find()
        .filter(address::Column::AccountId.eq(account_id))
        .filter(address::Column::Kind.eq(AddressKind::Alias))
        .count(&txn)
        .await? as i64;
    if count >= plan.max_aliases {
        return Err(Error::new(
            ErrorCode::LimitReached,
            format!(
                "the {} plan allows {} aliases per account",
                plan.code, plan.max_aliases
            ),
        )
        .with("cap", "aliases")
        .with("limit", plan.max_aliases));
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
    accounts::find_in(&txn, org, account_id).await?;
    let removed = address::Entity::delete_many()
        .filter(address::Column::Address.eq(addr.as_str()))
        .filter(address::Column::AccountId.eq(account_id))
        .filter(address::Column::Kind.eq(AddressKind::Alias))
        .exec(&txn)
        .await?;
    if removed.rows_affected == 0 {
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
