//! The prepaid credit (SPEC §3): an immutable ledger whose entries carry the balance after
//! them, the organization's balance updated in the same transaction, top-ups credited once
//! whichever path (operator or payment webhook) comes first, operator adjustments.
//!
//! Every booking runs under a lock on the organization: `SELECT … FOR UPDATE` on PostgreSQL;
//! on SQLite every write transaction already holds the single writer connection.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use shared::ErrorCode;
use shared::dto::{Credit, LedgerEntry, LedgerKind, Page, TopUp, TopUpStatus};
use uuid::Uuid;

use super::Services;
use super::audit::{self, AuditAction, Ctx};
use crate::error::{Error, Result};
use crate::store::db::Txn;
use crate::store::entities::{account, ledger_entry, organization, top_up};
use crate::store::pagination::{cut, decode_cursor};

/// One movement of money to book.
#[derive(Debug, Clone)]
pub struct Movement {
    pub kind: LedgerKind,
    pub amount_cents: i64,
    /// Names the logical event; the same key is never booked twice for one organization.
    pub event_key: String,
    pub account_id: Option<Uuid>,
    pub plan: Option<String>,
    pub period: Option<(DateTime<Utc>, DateTime<Utc>)>,
    pub memo: String,
}

/// Loads the organization and locks its row until the transaction ends.
pub async fn lock_organization(txn: &Txn, org: Uuid) -> Result<organization::Model> {
    organization::Entity::find_by_id(org)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(|| Error::not_found("organization"))
}

/// Books `movement` against the locked organization `org`, updating its balance. Returns the
/// new entry, or `None` when its event was booked before. A movement that would take the balance
/// below zero is 402 `credit_insufficient` with the amount missing, and changes nothing.
pub async fn book(
    txn: &Txn,
    ctx: &Ctx,
    org: &mut organization::Model,
    movement: Movement,
) -> Result<Option<ledger_entry::Model>> {
    let booked = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::OrganizationId.eq(org.id))
        .filter(ledger_entry::Column::EventKey.eq(movement.event_key.clone()))
        .one(txn)
        .await?;
    if booked.is_some() {
        return Ok(None);
    }
    let balance = org
        .balance_cents
        .checked_add(movement.amount_cents)
        .ok_or_else(|| Error::field("amount_cents", "is too large for the balance"))?;
    if balance < 0 {
        return Err(Error::new(
            ErrorCode::CreditInsufficient,
            "the credit does not cover this",
        )
        .with("missing_cents", -balance));
    }
    // The row is locked, so the balance read is the balance written over; the condition on the
    // old balance makes that explicit.
    let updated = organization::Entity::update_many()
        .col_expr(organization::Column::BalanceCents, Expr::value(balance))
        .filter(organization::Column::Id.eq(org.id))
        .filter(organization::Column::BalanceCents.eq(org.balance_cents))
        .exec(txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(Error::Internal(anyhow::anyhow!(
            "balance of {} changed under its lock",
            org.id
        )));
    }
    org.balance_cents = balance;
    let entry = ledger_entry::ActiveModel {
        id: Set(ctx.new_id()),
        organization_id: Set(org.id),
        kind: Set(movement.kind),
        amount_cents: Set(movement.amount_cents),
        balance_after_cents: Set(balance),
        account_id: Set(movement.account_id),
        plan_code: Set(movement.plan),
        period_start: Set(movement.period.map(|p| p.0)),
        period_end: Set(movement.period.map(|p| p.1)),
        event_key: Set(movement.event_key),
        actor: Set(ctx.actor.clone()),
        memo: Set(movement.memo),
        created_at: Set(ctx.now),
    }
    .insert(txn)
    .await?;
    Ok(Some(entry))
}

/// `account_username`: the username of the entry's account, while it exists.
pub fn entry_dto(e: ledger_entry::Model, account_username: Option<String>) -> LedgerEntry {
    LedgerEntry {
        id: e.id,
        kind: e.kind,
        amount_cents: e.amount_cents,
        balance_after_cents: e.balance_after_cents,
        account_id: e.account_id,
        account_username,
        plan: e.plan_code,
        period_start: e.period_start,
        period_end: e.period_end,
        memo: e.memo,
        actor: e.actor,
        created_at: e.created_at,
    }
}

/// `organization`: the top-up's organization's (name, currency).
fn top_up_dto(t: top_up::Model, (organization_name, currency): (String, String)) -> TopUp {
    TopUp {
        id: t.id,
        organization_id: t.organization_id,
        organization_name,
        currency,
        amount_cents: t.amount_cents,
        status: t.status,
        payment_id: t.payment_id,
        created_at: t.created_at,
        credited_at: t.credited_at,
    }
}

/// A top-up as the API answers it, with its organization's name.
pub async fn top_up_answer(db: &impl ConnectionTrait, t: top_up::Model) -> Result<TopUp> {
    let org = super::organizations::find(db, t.organization_id).await?;
    Ok(top_up_dto(t, (org.name, org.currency)))
}

pub async fn balance(db: &impl ConnectionTrait, org: Uuid) -> Result<Credit> {
    let org = super::organizations::find(db, org).await?;
    Ok(Credit {
        balance_cents: org.balance_cents,
        currency: org.currency,
    })
}

#[derive(Debug, Default)]
pub struct LedgerFilter {
    pub kind: Option<LedgerKind>,
    pub account_id: Option<Uuid>,
    pub since: Option<DateTime<Utc>>,
}

/// Ledger entries, newest first (UUIDv7 ids sort by time).
pub async fn transactions(
    db: &impl ConnectionTrait,
    org: Uuid,
    filter: LedgerFilter,
    limit: u64,
    cursor: Option<&str>,
) -> Result<Page<LedgerEntry>> {
    let mut query = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::OrganizationId.eq(org))
        .order_by_desc(ledger_entry::Column::Id)
        .limit(limit + 1);
    if let Some(kind) = filter.kind {
        query = query.filter(ledger_entry::Column::Kind.eq(kind));
    }
    if let Some(account) = filter.account_id {
        query = query.filter(ledger_entry::Column::AccountId.eq(account));
    }
    if let Some(since) = filter.since {
        query = query.filter(ledger_entry::Column::CreatedAt.gte(since));
    }
    if let Some(cursor) = cursor {
        let id: Uuid = decode_cursor(cursor)?;
        query = query.filter(ledger_entry::Column::Id.lt(id));
    }
    let (rows, next_cursor) = cut(query.all(db).await?, limit, |r| r.id);
    // The page's accounts' usernames, in one query (deleted accounts have none).
    let mut ids: Vec<Uuid> = rows.iter().filter_map(|r| r.account_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let usernames: HashMap<Uuid, String> = if ids.is_empty() {
        HashMap::new()
    } else {
        account::Entity::find()
            .select_only()
            .column(account::Column::Id)
            .column(account::Column::Username)
            .filter(account::Column::OrganizationId.eq(org))
            .filter(account::Column::Id.is_in(ids))
            .into_tuple::<(Uuid, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
    let items = rows
        .into_iter()
        .map(|e| {
            let username = e.account_id.and_then(|id| usernames.get(&id).cloned());
            entry_dto(e, username)
        })
        .collect();
    Ok(Page { items, next_cursor })
}

/// Top-ups, newest first: of one organization, or of all (operators), optionally by status.
pub async fn top_ups(
    db: &impl ConnectionTrait,
    org: Option<Uuid>,
    status: Option<TopUpStatus>,
    limit: u64,
    cursor: Option<&str>,
) -> Result<Page<TopUp>> {
    let mut query = top_up::Entity::find()
        .order_by_desc(top_up::Column::Id)
        .limit(limit + 1);
    if let Some(org) = org {
        query = query.filter(top_up::Column::OrganizationId.eq(org));
    }
    if let Some(status) = status {
        query = query.filter(top_up::Column::Status.eq(status));
    }
    if let Some(cursor) = cursor {
        let id: Uuid = decode_cursor(cursor)?;
        query = query.filter(top_up::Column::Id.lt(id));
    }
    let (rows, next_cursor) = cut(query.all(db).await?, limit, |r| r.id);
    // The page's organizations' names and currencies, in one query.
    let mut ids: Vec<Uuid> = rows.iter().map(|r| r.organization_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let orgs: HashMap<Uuid, (String, String)> = organization::Entity::find()
        .filter(organization::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, (o.name, o.currency)))
        .collect();
    let items = rows
        .into_iter()
        .map(|t| {
            let org = orgs.get(&t.organization_id).cloned().unwrap_or_default();
            top_up_dto(t, org)
        })
        .collect();
    Ok(Page { items, next_cursor })
}

/// An admin asks for a top-up; it is credited once paid.
pub async fn request_top_up(
    s: &Services,
    ctx: &Ctx,
    org: Uuid,
    amount_cents: i64,
) -> Result<top_up::Model> {
    let txn = s.db.begin().await?;
    let row = top_up::ActiveModel {
        id: Set(ctx.new_id()),
        organization_id: Set(org),
        amount_cents: Set(amount_cents),
        status: Set(TopUpStatus::Pending),
        payment_id: Set(None),
        requested_by: Set(ctx.actor.clone()),
        created_at: Set(ctx.now),
        credited_at: Set(None),
    }
    .insert(&txn)
    .await?;
    let target = Some(format!("top_up:{}", row.id));
    audit::record(
        &txn,
        ctx,
        Some(org),
        AuditAction::CreditTopUpRequested,
        target,
        json!({"amount_cents": amount_cents}),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// How a top-up was paid.
pub enum Payment {
    /// An operator recorded a received payment (bank transfer).
    Operator,
    /// The payment provider's webhook: its payment id and the amount it says was paid.
    Provider {
        payment_id: String,
        amount_cents: i64,
    },
}

/// Credits a top-up once, whichever path comes first. Returns the top-up and whether it was
/// credited by this call. `org` scopes the lookup (operators name the organization in the path).
pub async fn credit_top_up(
    s: &Services,
    ctx: &Ctx,
    org: Option<Uuid>,
    id: Uuid,
    payment: Payment,
) -> Result<(top_up::Model, bool)> {
    let txn = s.db.begin().await?;
    let mut query = top_up::Entity::find_by_id(id);
    if let Some(org) = org {
        query = query.filter(top_up::Column::OrganizationId.eq(org));
    }
    let found = query.one(&txn).await?;
    let Some(found) = found else {
        return Err(match payment {
            Payment::Operator => Error::not_found("top-up"),
            Payment::Provider { .. } => {
                Error::field("top_up_id", "is not a top-up of this deployment")
            }
        });
    };
    // Lock the organization first: concurrent paths for one top-up serialise here.
    let mut organization = lock_organization(&txn, found.organization_id).await?;
    let row = top_up::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| Error::not_found("top-up"))?;
    let mut payment_id = None;
    if let Payment::Provider {
        payment_id: pid,
        amount_cents,
    } = &payment
    {
        if *amount_cents != row.amount_cents {
            return Err(Error::field(
                "amount_cents",
                format!(
                    "is {amount_cents} but the top-up is for {}",
                    row.amount_cents
                ),
            ));
        }
        let used = top_up::Entity::find()
            .filter(top_up::Column::PaymentId.eq(pid.clone()))
            .one(&txn)
            .await?;
        match used {
            Some(other) if other.id == row.id => return Ok((row, false)),
            Some(_) => {
                return Err(Error::field(
                    "payment_id",
                    "was already used for another top-up",
                ));
            }
            None => payment_id = Some(pid.clone()),
        }
    }
    if row.status == TopUpStatus::Credited {
        return Ok((row, false));
    }
    let movement = Movement {
        kind: LedgerKind::TopUp,
        amount_cents: row.amount_cents,
        event_key: format!("top_up:{}", row.id),
        account_id: None,
        plan: None,
        period: None,
        memo: match &payment_id {
            Some(pid) => format!("payment {pid}"),
            None => "payment recorded by an operator".into(),
        },
    };
    book(&txn, ctx, &mut organization, movement).await?;
    let mut active = row.into_active_model();
    active.status = Set(TopUpStatus::Credited);
    active.credited_at = Set(Some(ctx.now));
    if payment_id.is_some() {
        active.payment_id = Set(payment_id.clone());
    }
    let row = active.update(&txn).await?;
    let details = json!({"amount_cents": row.amount_cents, "payment_id": payment_id});
    audit::record(
        &txn,
        ctx,
        Some(row.organization_id),
        AuditAction::CreditTopUpCredited,
        Some(format!("top_up:{id}")),
        details,
    )
    .await?;
    txn.commit().await?;
    Ok((row, true))
}

/// An operator's adjustment, with a memo; never below zero.
pub async fn adjust(
    s: &Services,
    ctx: &Ctx,
    org: Uuid,
    amount_cents: i64,
    memo: String,
) -> Result<ledger_entry::Model> {
    let txn = s.db.begin().await?;
    let mut organization = lock_organization(&txn, org).await?;
    let movement = Movement {
        kind: LedgerKind::Adjustment,
        amount_cents,
        event_key: format!("adjustment:{}", ctx.new_id()),
        account_id: None,
        plan: None,
        period: None,
        memo: memo.clone(),
    };
    let entry = book(&txn, ctx, &mut organization, movement)
        .await?
        .ok_or_else(|| {
            Error::Internal(anyhow::anyhow!("a fresh adjustment key was already booked"))
        })?;
    let details = json!({"amount_cents": amount_cents, "memo": memo});
    audit::record(
        &txn,
        ctx,
        Some(org),
        AuditAction::CreditAdjusted,
        Some(format!("ledger_entry:{}", entry.id)),
        details,
    )
    .await?;
    txn.commit().await?;
    Ok(entry)
}
