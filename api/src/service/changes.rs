//! The change signal across processes (SPEC §10): every process follows the change log and
//! hands what other processes committed to its listeners (the caches). It reads the log every
//! [`POLL`], and at once when PostgreSQL announces a commit (`LISTEN`); this process's own
//! commits reach its listeners without waiting (see [`crate::store::db::Txn::commit`]), and
//! reading them again from the log is harmless.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use super::Services;
use crate::store::changes::{self, Change};

/// How often the log is read when nothing announces a change.
pub const POLL: Duration = Duration::from_millis(250);
/// Rows read at most per query (a backlog takes several).
const BATCH: u64 = 1000;
/// How long a missing sequence number is waited for. On PostgreSQL a transaction that took its
/// number earlier may commit after a later one; a rolled-back transaction leaves a hole for good.
const GAP_PATIENCE: Duration = Duration::from_secs(60);
/// Holes tracked at most; beyond, the oldest are given up.
const MAX_GAPS: usize = 10_000;

/// Where a process stands in the log: the highest sequence applied, and the holes below it
/// that a transaction still running may fill.
#[derive(Debug)]
pub struct Cursor {
    max: i64,
    gaps: BTreeMap<i64, Instant>,
}

impl Cursor {
    pub fn at(seq: i64) -> Self {
        Self {
            max: seq,
            gaps: BTreeMap::new(),
        }
    }

    /// The query reads the log after this sequence number.
    pub fn floor(&self) -> i64 {
        self.gaps
            .keys()
            .next()
            .map_or(self.max, |first| (first - 1).min(self.max))
    }

    /// Takes the rows read after [`Cursor::floor`]; returns those not applied yet.
    pub fn advance(&mut self, rows: Vec<(i64, Change)>, now: Instant) -> Vec<Change> {
        let mut fresh = Vec::new();
        for (seq, change) in rows {
            if seq <= self.max {
                if self.gaps.remove(&seq).is_some() {
                    fresh.push(change);
                }
                continue;
            }
            for hole in (self.max + 1)..seq {
                self.gaps.insert(hole, now);
                if self.gaps.len() > MAX_GAPS {
                    self.gaps.pop_first();
                }
            }
            self.max = seq;
            fresh.push(change);
        }
        self.gaps
            .retain(|_, seen| now.duration_since(*seen) < GAP_PATIENCE);
        fresh
    }
}

/// Wakes the follower (a `NOTIFY` arrived).
#[derive(Clone, Default)]
pub struct Wake(Arc<Notify>);

/// Follows the change log until the process ends.
pub async fn follow(s: Services) {
    let wake = Wake::default();
    let _listener = (!s.config.is_sqlite()).then(|| {
        let wake = wake.clone();
        let url = s.config.database_url.clone();
        AbortOnDrop(tokio::spawn(changes::listen(url, move || {
            wake.0.notify_one()
        })))
    });
    let hub = s.db.hub();
    let mut cursor = None;
    let mut failed = false;
    loop {
        let read = async {
            let cursor = match &mut cursor {
                Some(cursor) => cursor,
                None => cursor.insert(Cursor::at(changes::latest(s.db.read()).await?)),
            };
            loop {
                let rows = changes::after(s.db.read(), cursor.floor(), BATCH).await?;
                let full = rows.len() as u64 == BATCH;
                hub.publish(&cursor.advance(rows, Instant::now()));
                if !full {
                    return Ok::<_, sea_orm::DbErr>(cursor.max);
                }
            }
        };
        match read.await {
            Ok(seen) => {
                if failed {
                    // What was missed meanwhile is in the log, unless it was pruned: start over.
                    hub.forget_all();
                    failed = false;
                }
                s.caches.mark_fresh(seen);
            }
            Err(e) => {
                s.caches.mark_stale();
                if !failed {
                    tracing::warn!(error = %e, "reading the change log failed; caches are off");
                }
                failed = true;
            }
        }
        let _ = tokio::time::timeout(POLL, wake.0.notified()).await;
    }
}

/// Stops the listener when the follower stops.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Deletes the change log older than an hour (every process read it long ago).
pub async fn prune(s: &Services) -> crate::error::Result<u64> {
    let txn = s.db.begin().await?;
    let pruned = changes::prune(&txn, s.clock.now() - chrono::Duration::hours(1)).await?;
    txn.commit().await?;
    Ok(pruned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn row(seq: i64) -> (i64, Change) {
        (seq, Change::Account(Uuid::from_u128(seq as u128)))
    }

    #[test]
    fn every_change_is_applied_once_even_when_it_commits_late() {
        let t0 = Instant::now();
        let mut cursor = Cursor::at(10);
        assert_eq!(cursor.floor(), 10);
        // 12 committed before 11.
        assert_eq!(cursor.advance(vec![row(12)], t0).len(), 1);
        assert_eq!(cursor.floor(), 10, "11 may still come");
        // Read again from 10: 12 is not applied twice, 11 is.
        assert_eq!(cursor.advance(vec![row(11), row(12)], t0), vec![row(11).1]);
        assert_eq!(cursor.floor(), 12);
        assert!(cursor.advance(vec![row(12)], t0).is_empty());
    }

    #[test]
    fn a_hole_left_by_a_rollback_is_given_up_after_a_while() {
        let t0 = Instant::now();
        let mut cursor = Cursor::at(0);
        cursor.advance(vec![row(2)], t0);
        assert_eq!(cursor.floor(), 0);
        cursor.advance(vec![row(2)], t0 + GAP_PATIENCE);
        assert_eq!(cursor.floor(), 2);
    }
}
