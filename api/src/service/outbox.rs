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
use shared::dto::{OutboxMail, OutboxStatus, Page};
use tokio::sync::Notify;
use uuid::Uuid;

use super::Services;
use super::audit::Ctx;
use super::crypto::Sealer;
use crate::error::Result;
use crate::store::db::Txn;
use crate::store::outbox::{self as rows, Attempt, Row};
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
    rows::insert(
        txn,
        Row {
            id,
            recipient: to.to_owned(),
            subject: subject.to_owned(),
            body_sealed: Sealer::new(&s.data_key).seal(body.as_bytes(), &aad(id))?,
            message_id: format!("<{id}@{}>", s.config.provider_domain),
            status: OutboxStatus::Queued,
            attempts: 0,
            next_attempt_at: ctx.now,
            lease_until: None,
            last_error: None,
            created_at: ctx.now,
            sent_at: None,
        },
    )
    .await?;
    s.outbox.0.notify_one();
    Ok(())
}

/// Claims the mails due now under a lease, in one short transaction.
async fn claim(s: &Services, now: DateTime<Utc>) -> Result<Vec<Row>> {
    let txn = s.db.begin().await?;
    let rows = rows::claim(&txn, now, BATCH, LEASE).await?;
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
        let attempt = match delivered {
            Ok(()) => {
                sent += 1;
                Attempt::Sent { at: now }
            }
            Err(e) => {
                let error = format!("{e:#}");
                tracing::warn!(mail = %row.id, attempts, error, "mail not delivered");
                if now - row.created_at >= GIVE_UP_AFTER {
                    Attempt::Failed { error }
                } else {
                    Attempt::Retry {
                        at: now + backoff(attempts),
                        error,
                    }
                }
            }
        };
        let txn = s.db.begin().await?;
        rows::record(&txn, row.id, attempts, attempt).await?;
        txn.commit().await?;
    }
    Ok((claimed, sent))
}

/// The outbox for operators, newest first, optionally of one status.
pub async fn list(
    s: &Services,
    status: Option<OutboxStatus>,
    limit: u64,
    cursor: Option<&str>,
) -> Result<Page<OutboxMail>> {
    let before: Option<Uuid> = cursor.map(decode_cursor).transpose()?;
    let found = rows::list(s.db.read(), status, limit + 1, before).await?;
    let (found, next_cursor) = cut(found, limit, |r| r.id);
    let items = found
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
