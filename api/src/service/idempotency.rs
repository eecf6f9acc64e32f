//! `Idempotency-Key` bookkeeping: the stored claims and answers the HTTP middleware replays
//! (its rules are documented on `http::middleware::idempotency`). A thin layer over
//! `store::idempotency`, so the HTTP layer never reaches the database itself.

use chrono::{DateTime, Utc};

use super::Services;
use crate::error::Result;
use crate::store::idempotency as rows;
pub use crate::store::idempotency::{Answer, KEEP_HOURS, Row};

pub async fn find(s: &Services, scope: &str, key: &str) -> Result<Option<Row>> {
    Ok(rows::find(&s.db, scope, key).await?)
}

/// Claims the key for a request about to run; `false` when another claim holds it.
pub async fn claim(
    s: &Services,
    scope: &str,
    key: &str,
    request_hash: String,
    now: DateTime<Utc>,
) -> Result<bool> {
    Ok(rows::claim(&s.db, scope, key, request_hash, now).await?)
}

pub async fn forget_row(s: &Services, row: &Row) -> Result<()> {
    Ok(rows::forget_row(&s.db, row).await?)
}

pub async fn forget(s: &Services, scope: &str, key: &str) -> Result<()> {
    Ok(rows::forget(&s.db, scope, key).await?)
}

/// Stores the answer of the claimed request.
pub async fn answer(s: &Services, scope: &str, key: &str, answer: Answer) -> Result<()> {
    Ok(rows::answer(&s.db, scope, key, answer).await?)
}
