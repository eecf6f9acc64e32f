//! Secrets generated on first start and shared by every process on one database.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, Set};

use super::entities::secret;

pub async fn find(db: &impl ConnectionTrait, name: &str) -> Result<Option<String>, DbErr> {
    Ok(secret::Entity::find_by_id(name.to_owned())
        .one(db)
        .await?
        .map(|r| r.value))
}

/// Inserts a secret; a unique violation means another process stored one first.
pub async fn insert(
    db: &impl ConnectionTrait,
    name: &str,
    value: String,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    secret::ActiveModel {
        name: Set(name.to_owned()),
        value: Set(value),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(())
}
