//! The prepaid credit (SPEC §3): an immutable ledger whose entries carry the balance after
//! them, the organization's balance updated in the same transaction, top-ups credited once
//! whichever path (operator or payment webhook) comes first, operator adjustments.
//!
//! Every booking runs under a lock on the organization: `SELECT … FOR UPDATE` on PostgreSQL;
//! on SQLite every write transaction already holds the single writer connection.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde_json::json;
use shared::ErrorCode;
use shared::dto::{Credit, LedgerEntry, LedgerKind, Page, TopUp, TopUpStatus};
use uuid::Uuid;

use super::Services;
use super::audit::{self, AuditAction, Ctx};
use crate::error::{Error, Result};
use crate::store::db::Txn;
pub use crate::store::ledger::Filter as LedgerFilter;
use crate::store::ledger::{self, Entry};
use crate::store::pagination::{cut, decode_cursor};
use crate::store::{accounts, organizations};

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

/// Books `movement` against the locked organization `org`, updating its balance. Returns the
/// new entry, or `None` when its event was booked before. A movement that would take the balance
/// below zero is 402 `credit_insufficient` with the amount missing, and changes nothing.
pub async fn book(
    txn: &Txn,
    ctx: &Ctx,
    org: &mut organizations::Row,
    movement: Movement,
) -> Result<Option<Entry>> {
    if ledger::booked(txn, org.id, &movement.event_key).await? {
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
        .with(|x| {
            x.missing_cents = Some(-balance);
            x.currency = Some(org.currency.clone());
        }));
    }
    // The row is locked, so the balance read is the balance written over; the condition on the
    // old balance makes that explicit.
    if !organizations::swap_balance(txn, org.id, org.balance_cents, balance).await? {
        return Err(Error::Internal(anyhow::anyhow!(
            "balance of {} changed under its lock",
            org.id
        )));
    }
    org.balance_cents = balance;
    let entry = Entry {
        id: ctx.new_id(),
        organization_id: org.id,
        kind: movement.kind,
        amount_cents: movement.amount_cents,
        balance_after_cents: balance,
        account_id: movement.account_id,
        plan_code: movement.plan,
        period_start: movement.period.map(|p| p.0),
        period_end: movement.period.map(|p| p.1),
        event_key: movement.event_key,
        actor: ctx.actor.clone(),
        memo: movement.memo,
        created_at: ctx.now,
    };
    Ok(Some(ledger::insert(txn, entry).await?))
}

/// `account_username`: the username of the entry's account, while it exists.
pub fn entry_answer(e: Entry, account_username: Option<String>) -> LedgerEntry {
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
fn top_up_answer(t: ledger::TopUp, (organization_name, currency): (String, String)) -> TopUp {
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
async fn answer_top_up(db: &impl ConnectionTrait, t: ledger::TopUp) -> Result<TopUp> {
    let org = organizations::get(db, t.organization_id).await?;
    Ok(top_up_answer(t, (org.name, org.currency)))
}

pub async fn balance(s: &Services, org: Uuid) -> Result<Credit> {
    let org = organizations::get(s.db.read(), org).await?;
    Ok(Credit {
        balance_cents: org.balance_cents,
        currency: org.currency,
    })
}

/// Ledger entries, newest first (UUIDv7 ids sort by time), with their accounts' usernames:
/// two statements whatever the page size.
pub async fn transactions(
    s: &Services,
    org: Uuid,
    filter: LedgerFilter,
    limit: u64,
    cursor: Option<&str>,
) -> Result<Page<LedgerEntry>> {
    let db = s.db.read();
    let before: Option<Uuid> = cursor.map(decode_cursor).transpose()?;
    let found = ledger::entries(db, org, filter, limit + 1, before).await?;
    let (found, next_cursor) = cut(found, limit, |r| r.id);
    // Deleted accounts have none.
    let ids = found.iter().filter_map(|r| r.account_id).collect();
    let usernames = accounts::usernames(db, org, ids).await?;
    let items = found
        .into_iter()
        .map(|e| {
            let username = e.account_id.and_then(|id| usernames.get(&id).cloned());
            entry_answer(e, username)
        })
        .collect();
    Ok(Page { items, next_cursor })
}

/// Top-ups, newest first: of one organization, or of all (operators), optionally by status;
/// two statements whatever the page size.
pub async fn top_ups(
    s: &Services,
    org: Option<Uuid>,
    status: Option<TopUpStatus>,
    limit: u64,
    cursor: Option<&str>,
) -> Result<Page<TopUp>> {
    let db = s.db.read();
    let before: Option<Uuid> = cursor.map(decode_cursor).transpose()?;
    let found = ledger::top_ups(db, org, status, limit + 1, before).await?;
    let (found, next_cursor) = cut(found, limit, |r| r.id);
    let orgs = organizations::names(db, found.iter().map(|r| r.organization_id).collect()).await?;
    let items = found
        .into_iter()
        .map(|t| {
            let org = orgs.get(&t.organization_id).cloned().unwrap_or_default();
            top_up_answer(t, org)
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
) -> Result<TopUp> {
    let txn = s.db.begin().await?;
    let row = ledger::insert_top_up(
        &txn,
        ledger::TopUp {
            id: ctx.new_id(),
            organization_id: org,
            amount_cents,
            status: TopUpStatus::Pending,
            payment_id: None,
            requested_by: ctx.actor.clone(),
            created_at: ctx.now,
            credited_at: None,
        },
    )
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
    let answer = answer_top_up(&txn, row).await?;
    txn.commit().await?;
    Ok(answer)
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
) -> Result<(TopUp, bool)> {
    let txn = s.db.begin().await?;
    let found = ledger::top_up(&txn, org, id).await?;
    let Some(found) = found else {
        return Err(match payment {
            Payment::Operator => Error::not_found("top-up"),
            Payment::Provider { .. } => {
                Error::field("top_up_id", "is not a top-up of this deployment")
            }
        });
    };
    // Lock the organization first: concurrent paths for one top-up serialise here.
    let mut organization = organizations::lock(&txn, found.organization_id).await?;
    let mut row = ledger::top_up(&txn, None, id)
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
        match ledger::top_up_paid_by(&txn, pid).await? {
            Some(other) if other.id == row.id => {
                return Ok((answer_top_up(&txn, row).await?, false));
            }
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
        return Ok((answer_top_up(&txn, row).await?, false));
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
    row.status = TopUpStatus::Credited;
    row.credited_at = Some(ctx.now);
    if payment_id.is_some() {
        row.payment_id = payment_id.clone();
    }
    let row = ledger::update_top_up(&txn, row).await?;
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
    let answer = answer_top_up(&txn, row).await?;
    txn.commit().await?;
    Ok((answer, true))
}

/// An operator's adjustment, with a memo; never below zero.
pub async fn adjust(
    s: &Services,
    ctx: &Ctx,
    org: Uuid,
    amount_cents: i64,
    memo: String,
) -> Result<LedgerEntry> {
    let txn = s.db.begin().await?;
    let mut organization = organizations::lock(&txn, org).await?;
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
    Ok(entry_answer(entry, None))
}
