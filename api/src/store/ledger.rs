//! The credit ledger and top-ups.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
};
use shared::dto::{LedgerKind, TopUpStatus};
use uuid::Uuid;

use super::entities::{ledger_entry, top_up};
use crate::error::Result;

pub use ledger_entry::Model as Entry;
pub use top_up::Model as TopUp;

/// Whether the organization's ledger already holds an entry for `event_key`.
pub async fn booked(db: &impl ConnectionTrait, org: Uuid, event_key: &str) -> Result<bool> {
    Ok(ledger_entry::Entity::find()
        .filter(ledger_entry::Column::OrganizationId.eq(org))
        .filter(ledger_entry::Column::EventKey.eq(event_key))
        .one(db)
        .await?
        .is_some())
}

pub async fn insert(db: &impl ConnectionTrait, entry: Entry) -> Result<Entry> {
    Ok(entry.into_active_model().reset_all().insert(db).await?)
}

#[derive(Debug, Default)]
pub struct Filter {
    pub kind: Option<LedgerKind>,
    pub account_id: Option<Uuid>,
    pub since: Option<DateTime<Utc>>,
}

/// The organization's entries, newest first (UUIDv7 ids sort by time), before `before`, at most
/// `limit`.
pub async fn entries(
    db: &impl ConnectionTrait,
    org: Uuid,
    filter: Filter,
    limit: u64,
    before: Option<Uuid>,
) -> Result<Vec<Entry>> {
    let mut query = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::OrganizationId.eq(org))
        .order_by_desc(ledger_entry::Column::Id)
        .limit(limit);
    if let Some(kind) = filter.kind {
        query = query.filter(ledger_entry::Column::Kind.eq(kind));
    }
    if let Some(account) = filter.account_id {
        query = query.filter(ledger_entry::Column::AccountId.eq(account));
    }
    if let Some(since) = filter.since {
        query = query.filter(ledger_entry::Column::CreatedAt.gte(since));
    }
    if let Some(before) = before {
        query = query.filter(ledger_entry::Column::Id.lt(before));
    }
    Ok(query.all(db).await?)
}

/// Top-ups newest first, of one organization or of all, optionally by status.
pub async fn top_ups(
    db: &impl ConnectionTrait,
    org: Option<Uuid>,
    status: Option<TopUpStatus>,
    limit: u64,
    before: Option<Uuid>,
) -> Result<Vec<TopUp>> {
    let mut query = top_up::Entity::find()
        .order_by_desc(top_up::Column::Id)
        .limit(limit);
    if let Some(org) = org {
        query = query.filter(top_up::Column::OrganizationId.eq(org));
    }
    if let Some(status) = status {
        query = query.filter(top_up::Column::Status.eq(status));
    }
    if let Some(before) = before {
        query = query.filter(top_up::Column::Id.lt(before));
    }
    Ok(query.all(db).await?)
}

/// The top-up `id`, of `org` when it is given.
pub async fn top_up(
    db: &impl ConnectionTrait,
    org: Option<Uuid>,
    id: Uuid,
) -> Result<Option<TopUp>> {
    let mut query = top_up::Entity::find_by_id(id);
    if let Some(org) = org {
        query = query.filter(top_up::Column::OrganizationId.eq(org));
    }
    Ok(query.one(db).await?)
}

/// The top-up a provider's payment id was credited to.
pub async fn top_up_paid_by(db: &impl ConnectionTrait, payment_id: &str) -> Result<Option<TopUp>> {
    Ok(top_up::Entity::find()
        .filter(top_up::Column::PaymentId.eq(payment_id))
        .one(db)
        .await?)
}

pub async fn insert_top_up(db: &impl ConnectionTrait, row: TopUp) -> Result<TopUp> {
    Ok(row.into_active_model().reset_all().insert(db).await?)
}

pub async fn update_top_up(db: &impl ConnectionTrait, row: TopUp) -> Result<TopUp> {
    Ok(row.into_active_model().reset_all().update(db).await?)
}
