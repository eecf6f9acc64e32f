//! Throttling in the database, so every API process shares it. Attempts are counted per key
//! (`account:<id>` or `login:<name>`, `ip:<address>`, `reset:<account>`) in a fixed window that
//! starts with the first attempt; once a key has used its attempts, the next ones are refused
//! until the window ends.
//!
//! An attempt is counted **before** the work it guards (the password check), by one atomic
//! upsert per key (`INSERT … ON CONFLICT … DO UPDATE … RETURNING`, on SQLite and PostgreSQL
//! alike). Concurrent requests therefore each see the attempts before them, and no window lets
//! through more than the limit, however many arrive at once. A successful sign-in clears its
//! account's key and gives its attempt back to the client's address.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::store::entities::login_throttle::{self, Column};

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Attempts allowed in one window.
    pub max_failures: u32,
    pub window: Duration,
}

/// Counts one attempt against each of `keys` at `now`. Returns the seconds to wait when any
/// key has now gone past its limit (the attempt must then be refused), else `None`.
pub async fn attempt(
    db: &impl ConnectionTrait,
    keys: &[String],
    limits: Limits,
    now: DateTime<Utc>,
) -> Result<Option<i64>, sea_orm::DbErr> {
    // The stored window is still open when it started after `cutoff`.
    let cutoff = now - limits.window;
    let open = || Expr::col((login_throttle::Entity, Column::WindowStart)).gt(cutoff);
    let mut wait = None;
    for key in keys {
        let row = login_throttle::Entity::insert(login_throttle::ActiveModel {
            key: Set(key.clone()),
            failures: Set(1),
            window_start: Set(now),
        })
        .on_conflict(
            OnConflict::column(Column::Key)
                .value(
                    Column::Failures,
                    Expr::case(
                        open(),
                        Expr::col((login_throttle::Entity, Column::Failures)).add(1),
                    )
                    .finally(1),
                )
                .value(
                    Column::WindowStart,
                    Expr::case(
                        open(),
                        Expr::col((login_throttle::Entity, Column::WindowStart)),
                    )
                    .finally(now),
                )
                .to_owned(),
        )
        .exec_with_returning(db)
        .await?;
        if i64::from(row.failures) > i64::from(limits.max_failures) {
            let seconds = Ord::max((row.window_start + limits.window - now).num_seconds(), 1);
            wait = Some(wait.map_or(seconds, |w: i64| Ord::max(w, seconds)));
        }
    }
    Ok(wait)
}

/// Gives back one attempt of `key` (the client's address after a successful sign-in).
pub async fn forgive(db: &impl ConnectionTrait, key: &str) -> Result<(), sea_orm::DbErr> {
    login_throttle::Entity::update_many()
        .col_expr(Column::Failures, Expr::col(Column::Failures).sub(1))
        .filter(Column::Key.eq(key))
        .filter(Column::Failures.gt(0))
        .exec(db)
        .await?;
    Ok(())
}

/// Forgets the attempts of `key` (after a successful sign-in of that account).
pub async fn clear(db: &impl ConnectionTrait, key: &str) -> Result<(), sea_orm::DbErr> {
    login_throttle::Entity::delete_by_id(key.to_owned())
        .exec(db)
        .await?;
    Ok(())
}
