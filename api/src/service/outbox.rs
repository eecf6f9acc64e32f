//! The outbox (SPEC §11): every mail Postwarden sends is queued in the database by the
//! transaction of the change that causes it (so it exists exactly when the change does) and
//! delivered by [`deliver_due`], which the server runs in the background on every replica.
//!
//! - Delivery is at least once, with the same `Message-ID` on every attempt.
//! - A batch is claimed under a lease (`lease_until`, one minute) in a short transaction, with
//!   `FOR UPDATE SKIP LOCKED` on PostgreSQL, so two processes never send one mail at once; a
//!   process that dies while sending leaves its lease to expire and the mail to be retried.
//! - A failed attempt is retried after 30 s, 1 min, 2 min, … (at most an hour apart) until the
//!   mail is 24 hours old; then it is `failed`, kept with its last error for the operator.
//! - The body is sealed at rest (it may carry a reset link) and emptied once the mail is sent.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use shared::dto::{OutboxMail, OutboxStatus, Page};
use tokio::sync::Notify;
use uuid::Uuid;

use super::Services;
use super::audit::Ctx;
use super::crypto::Sealer;
use crate::error::Result;
use crate::store::db::Txn;
use crate::store::entities::outbox;
use crate::store::pagination::{cut, decode_cursor};

/// How long a claimed mail is left to the process that claimed it.
const LEASE: Duration = Duration::seconds(60);
/// How long a mail is retried before it is `failed`.
const GIVE_UP_AFTER: Duration = Duration::hours(24);
/// Mails claimed at once.
const BATCH: u64 = 20;

/// Wakes the worker when a mail is queued, so it leaves at once rather than at the next tick.
#[derive(Clone, Default)]
pub struct Signal(Arc<Notify>);

impl Signal {
    pub async fn wait(&self, or_after: std::time::Duration) {
        let _ = tokio::time::timeout(or_after, self.0.notified()).await;
    }
}

/// The wait after the `attempts`-th failed attempt: 30 s, doubling, at most an hour.
pub fn backoff(attempts: i32) -> Duration {
    let doublings = Ord::min(u32::try_from(attempts.saturating_sub(1)).unwrap_or(0), 7);
    Ord::min(Duration::seconds(30 << doublings), Duration::hours(1))
}

fn aad(id: Uuid) -> String {
    format!("outbox:{id}:body")
}

/// Queues a plain-text mail in `txn`: it leaves once (and only if) `txn` commits.
pub async fn enqueue(
    txn: &Txn,
    s: &Services,
    ctx: &Ctx,
    to: &str,
    subject: &str,
    body: String,
) -> Result<()> {
    let id = ctx.new_id();
    outbox::ActiveModel {
        id: Set(id),
        recipient: Set(to.to_owned()),
        subject: Set(subject.to_owned()),
        body_sealed: Set(Sealer::new(&s.data_key).seal(body.as_bytes(), &aad(id))?),
        message_id: Set(format!("<{id}@{}>", s.config.provider_domain)),
        status: Set(OutboxStatus::Queued),
        attempts: Set(0),
        next_attempt_at: Set(ctx.now),
        lease_until: Set(None),
        last_error: Set(None),
        created_at: Set(ctx.now),
        sent_at: Set(None),
    }
    .insert(txn)
    .await?;
    s.outbox.0.notify_one();
    Ok(())
}

/// Claims the mails due now under a lease, in one short transaction.
async fn claim(s: &Services, now: DateTime<Utc>) -> Result<Vec<outbox::Model>> {
    let txn = s.db.begin().await?;
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
        .limit(BATCH);
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        due = due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let rows = due.all(&txn).await?;
    if !rows.is_empty() {
        outbox::Entity::update_many()
            .col_expr(outbox::Column::LeaseUntil, Expr::value(Some(now + LEASE)))
            .col_expr(
                outbox::Column::Attempts,
                Expr::col(outbox::Column::Attempts).add(1),
            )
            .filter(outbox::Column::Id.is_in(rows.iter().map(|r| r.id)))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(rows)
}

/// Sends what is due, batch after batch until a claim comes back short; returns how many mails
/// left. One mail's failure is recorded on it and does not stop the others.
pub async fn deliver_due(s: &Services) -> Result<usize> {
    let mut sent = 0;
    loop {
        let (claimed, delivered) = deliver_batch(s).await?;
        sent += delivered;
        if claimed < BATCH as usize {
            return Ok(sent);
        }
    }
}

/// One claimed batch: how many were claimed, how many left.
async fn deliver_batch(s: &Services) -> Result<(usize, usize)> {
    let now = s.clock.now();
    let sealer = Sealer::new(&s.data_key);
    let rows = claim(s, now).await?;
    let claimed = rows.len();
    let mut sent = 0;
    for row in rows {
        let attempts = row.attempts + 1;
        let delivered = match sealer.open(&row.body_sealed, &aad(row.id)) {
            Ok(body) => {
                let body = String::from_utf8_lossy(&body).into_owned();
                s.mailer
                    .send(&row.recipient, &row.subject, body, &row.message_id)
                    .await
            }
            Err(e) => Err(e),
        };
        let mut update = outbox::ActiveModel {
            id: Set(row.id),
            attempts: Set(attempts),
            lease_until: Set(None),
            ..Default::default()
        };
        match delivered {
            Ok(()) => {
                sent += 1;
                update.status = Set(OutboxStatus::Sent);
                update.sent_at = Set(Some(now));
                update.body_sealed = Set(String::new());
                update.last_error = Set(None);
            }
            Err(e) => {
                let error = format!("{e:#}");
                tracing::warn!(mail = %row.id, attempts, error, "mail not delivered");
                if now - row.created_at >= GIVE_UP_AFTER {
                    update.status = Set(OutboxStatus::Failed);
                } else {
                    update.next_attempt_at = Set(now + backoff(attempts));
                }
                update.last_error = Set(Some(error));
            }
        }
        let txn = s.db.begin().await?;
        update.update(&txn).await?;
        txn.commit().await?;
    }
    Ok((claimed, sent))
}

/// The outbox for operators, newest first, optionally of one status.
pub async fn list(
    db: &impl ConnectionTrait,
    status: Option<OutboxStatus>,
    limit: u64,
    cursor: Option<&str>,
) -> Result<Page<OutboxMail>> {
    let mut query = outbox::Entity::find()
        .order_by_desc(outbox::Column::Id)
        .limit(limit + 1);
    if let Some(status) = status {
        query = query.filter(outbox::Column::Status.eq(status));
    }
    if let Some(cursor) = cursor {
        let id: Uuid = decode_cursor(cursor)?;
        query = query.filter(outbox::Column::Id.lt(id));
    }
    let (rows, next_cursor) = cut(query.all(db).await?, limit, |r| r.id);
    let items = rows
        .into_iter()
        .map(|r| OutboxMail {
            id: r.id,
            to: r.recipient,
            subject: r.subject,
            status: r.status,
            attempts: r.attempts,
            last_error: r.last_error,
            created_at: r.created_at,
            sent_at: r.sent_at,
        })
        .collect();
    Ok(Page { items, next_cursor })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_an_hour() {
        let secs: Vec<i64> = (1..=10).map(|n| backoff(n).num_seconds()).collect();
        assert_eq!(secs, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
        assert_eq!(backoff(0).num_seconds(), 30);
        assert_eq!(backoff(i32::MAX).num_seconds(), 3600);
    }
}
