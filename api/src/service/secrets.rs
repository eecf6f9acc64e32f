//! Secrets generated on first start and stored in the database, so that every process on one
//! PostgreSQL shares them: the JWT signing secret and the data-encryption key.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};

use crate::auth::token::random_token;
use crate::config::Secret;
use crate::store::db::Db;
use crate::store::entities::secret;

pub const JWT_SECRET: &str = "jwt_secret";
pub const DATA_KEY: &str = "data_encryption_key";

/// The configured value, else the stored one, else a new random 256-bit value stored now (when
/// two processes race, the first insert wins and both use it).
pub async fn load_or_generate(
    db: &Db,
    name: &str,
    configured: Option<&Secret>,
    now: DateTime<Utc>,
) -> anyhow::Result<String> {
    if let Some(Secret(value)) = configured {
        return Ok(value.clone());
    }
    if let Some(row) = secret::Entity::find_by_id(name.to_owned())
        .one(db.read())
        .await?
    {
        return Ok(row.value);
    }
    let txn = db.begin().await?;
    let inserted = secret::ActiveModel {
        name: Set(name.to_owned()),
        value: Set(random_token(32)),
        created_at: Set(now),
    }
    .insert(&txn)
    .await;
    match inserted {
        Ok(_) => txn.commit().await?,
        Err(e) if crate::error::is_unique_violation(&e) => txn.rollback().await?,
        Err(e) => return Err(e.into()),
    }
    let row = secret::Entity::find_by_id(name.to_owned())
        .one(db.read())
        .await?
        .ok_or_else(|| anyhow::anyhow!("secret {name} vanished after insert"))?;
    Ok(row.value)
}
