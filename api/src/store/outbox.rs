//! The outbox's rows: queued, claimed under a lease, sent or failed.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use shared::dto::OutboxStatus;
use uuid::Uuid;

use super::entities::outbox;
use crate::error::Result;

pub use outbox::Model as Row;

pub async fn insert(db: &impl ConnectionTrait, row: Row) -> Result<()> {
    row.into_active_model().reset_all().insert(db).await?;
    Ok(())
}

/// Claims up to `batch` mails due at `now` for `lease` (counting the attempt), skipping rows
/// another process holds locked on PostgreSQL. Run it in a transaction of its own.
pub async fn claim(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    batch: u64,
    lease: Duration,
) -> Result<Vec<Row>> {
    let mut due = outbox::Entity::find()
        .filter(outbox::Column::Status.eq(OutboxStatus::Queued))
        // A first attempt is due at once, even when the process that queued the mail runs
        // ahead of this one's clock; retries wait for their time.
        .filter(
            outbox::Column::Attempts
                .eq(0)
                .or(outbox::Column::NextAttemptAt.lte(now)),
        )
        .filter(
            outbox::Column::LeaseUntil
                .is_null()
                .or(outbox::Column::LeaseUntil.lte(now)),
        )
        .order_by_asc(outbox::Column::CreatedAt)
        .order_by_asc(outbox::Column::Id)
        .limit(batch);
    if db.get_database_backend() == DatabaseBackend::Postgres {
        due = due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let rows = due.all(db).await?;
    if !rows.is_empty() {
        outbox::Entity::update_many()
            .col_expr(outbox::Column::LeaseUntil, Expr::value(Some(now + lease)))
            .col_expr(
                outbox::Column::Attempts,
                Expr::col(outbox::Column::Attempts).add(1),
            )
            .filter(outbox::Column::Id.is_in(rows.iter().map(|r| r.id)))
            .exec(db)
            .await?;
    }
    Ok(rows)
}

/// How an attempt ended.
pub enum Attempt {
    Sent { at: DateTime<Utc> },
    Retry { at: DateTime<Utc>, error: String },
    Failed { error: String },
}

/// Records the `attempts`-th attempt on mail `id` and releases its lease; a sent mail's body is
/// emptied.
pub async fn record(
    db: &impl ConnectionTrait,
    id: Uuid,
    attempts: i32,
    attempt: Attempt,
) -> Result<()> {
    let mut update = outbox::ActiveModel {
        id: Set(id),
        attempts: Set(attempts),
        lease_until: Set(None),
        ..Default::default()
    };
    match attempt {
        Attempt::Sent { at } => {
            update.status = Set(OutboxStatus::Sent);
            update.sent_at = Set(Some(at));
            update.body_sealed = Set(String::new());
            update.last_error = Set(None);
        }
        Attempt::Retry { at, error } => {
            update.next_attempt_at = Set(at);
            update.last_error = Set(Some(error));
        }
        Attempt::Failed { error } => {
            update.status = Set(OutboxStatus::Failed);
            update.last_error = Set(Some(error));
        }
    }
    update.update(db).await?;
    Ok(())
}

/// Newest first, optionally of one status, before `before`, at most `limit`.
pub async fn list(
    db: &impl ConnectionTrait,
    status: Option<OutboxStatus>,
    limit: u64,
    before: Option<Uuid>,
) -> Result<Vec<Row>> {
    let mut query = outbox::Entity::find()
        .order_by_desc(outbox::Column::Id)
        .limit(limit);
    if let Some(status) = status {
        query = query.filter(outbox::Column::Status.eq(status));
    }
    if let Some(before) = before {
        query = query.filter(outbox::Column::Id.lt(before));
    }
    Ok(query.all(db).await?)
}
