//! Secrets generated on first start and stored in the database, so that every process on one
//! PostgreSQL shares them: the JWT signing secret and the data-encryption key.

use chrono::{DateTime, Utc};

use crate::auth::token::random_token;
use crate::config::Secret;
use crate::store::db::Db;
use crate::store::secrets;

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
    if let Some(value) = secrets::find(db.read(), name).await? {
        return Ok(value);
    }
    let txn = db.begin().await?;
    let inserted = secrets::insert(&txn, name, random_token(32), now).await;
    match inserted {
        Ok(_) => txn.commit().await?,
        Err(e) if crate::error::is_unique_violation(&e) => txn.rollback().await?,
        Err(e) => return Err(e.into()),
    }
    secrets::find(db.read(), name)
        .await?
        .ok_or_else(|| anyhow::anyhow!("secret {name} vanished after insert"))
}
