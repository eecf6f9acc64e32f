//! Login throttling in the database, so every API process shares it: failures are counted per
//! key (`login:<name>` and `ip:<address>`) in a fixed window; once a key reaches the limit,
//! attempts are refused until its window ends. Successes are not counted.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};

use crate::store::entities::login_throttle;

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_failures: u32,
    pub window: Duration,
}

/// Seconds until `keys` may try again, or `None` when none of them is locked.
pub async fn locked_for(
    db: &impl ConnectionTrait,
    keys: &[String],
    limits: Limits,
    now: DateTime<Utc>,
) -> Result<Option<i64>, sea_orm::DbErr> {
    let rows = login_throttle::Entity::find()
        .filter(sea_orm::ColumnTrait::is_in(
            &login_throttle::Column::Key,
            keys.iter().cloned(),
        ))
        .all(db)
        .await?;
    Ok(rows
        .iter()
        .filter(|r| {
            r.failures >= limits.max_failures as i32 && r.window_start + limits.window > now
        })
        .map(|r| (r.window_start + limits.window - now).num_seconds().max(1))
        .max())
}

/// Counts one failure against each key, starting a new window where the last one ended.
pub async fn record_failure(
    db: &impl ConnectionTrait,
    keys: &[String],
    limits: Limits,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    for key in keys {
        let row = login_throttle::Entity::find_by_id(key.clone())
            .one(db)
            .await?;
        match row {
            Some(r) if r.window_start + limits.window > now => {
                let failures = r.failures.saturating_add(1);
                let mut active: login_throttle::ActiveModel = r.into();
                active.failures = Set(failures);
                active.update(db).await?;
            }
            Some(r) => {
                let mut active: login_throttle::ActiveModel = r.into();
                active.failures = Set(1);
                active.window_start = Set(now);
                active.update(db).await?;
            }
            None => {
                login_throttle::ActiveModel {
                    key: Set(key.clone()),
                    failures: Set(1),
                    window_start: Set(now),
                }
                .insert(db)
                .await?;
            }
        }
    }
    Ok(())
}

/// Forgets the failures of `key` (after a successful login of that account).
pub async fn clear(db: &impl ConnectionTrait, key: &str) -> Result<(), sea_orm::DbErr> {
    login_throttle::Entity::delete_by_id(key.to_owned())
        .exec(db)
        .await?;
    Ok(())
}

use sea_orm::QueryFilter;
