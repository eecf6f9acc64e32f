//! Idempotency keys (the `Idempotency-Key` replay of `http/middleware.rs`): one row per scope
//! (the caller) and key, claimed before its request runs (status 0), then answered or forgotten.
//! Each write is a transaction of its own; none of them changes what a cache holds.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, DbErr, EntityTrait, QueryFilter, Set};

use super::db::Db;
use super::entities::idempotency_key::{self, ActiveModel, Column, Entity};
use crate::error::is_unique_violation;

/// A stored key: its request's fingerprint, and its answer once there is one.
pub type Row = idempotency_key::Model;

/// How long a key is kept (and replayed) after its claim.
pub const KEEP_HOURS: i64 = 24;

/// What a claimed key is answered with from now on.
pub struct Answer {
    pub status: i32,
    pub location: Option<String>,
    pub body: String,
}

pub async fn find(db: &Db, scope: &str, key: &str) -> Result<Option<Row>, DbErr> {
    Entity::find_by_id((scope.to_owned(), key.to_owned()))
        .one(db.read())
        .await
}

/// Claims a key for a request about to run, so that a concurrent retry cannot run it twice:
/// false when another request holds it already.
pub async fn claim(
    db: &Db,
    scope: &str,
    key: &str,
    request_hash: String,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let txn = db.begin().await?;
    let claimed = ActiveModel {
        scope: Set(scope.to_owned()),
        key: Set(key.to_owned()),
        request_hash: Set(request_hash),
        status_code: Set(0),
        location: Set(None),
        response_body: Set(String::new()),
        created_at: Set(now),
    }
    .insert(&txn)
    .await;
    match claimed {
        Ok(_) => txn.commit().await.map(|()| true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Forgets exactly this row (an expired key, a claim whose request died): a concurrent retry
/// may have claimed the key again meanwhile, and keeps its claim.
pub async fn forget_row(db: &Db, row: &Row) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    Entity::delete_many()
        .filter(Column::Scope.eq(row.scope.as_str()))
        .filter(Column::Key.eq(row.key.as_str()))
        .filter(Column::CreatedAt.eq(row.created_at))
        .filter(Column::StatusCode.eq(row.status_code))
        .exec(&txn)
        .await?;
    txn.commit().await
}

/// Forgets a key, whatever its state (the request it was claimed for failed).
pub async fn forget(db: &Db, scope: &str, key: &str) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    Entity::delete_many()
        .filter(Column::Scope.eq(scope))
        .filter(Column::Key.eq(key))
        .exec(&txn)
        .await?;
    txn.commit().await
}

/// Stores the answer of a claimed key.
pub async fn answer(db: &Db, scope: &str, key: &str, answer: Answer) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    Entity::update_many()
        .col_expr(Column::StatusCode, Expr::value(answer.status))
        .col_expr(Column::Location, Expr::value(answer.location))
        .col_expr(Column::ResponseBody, Expr::value(answer.body))
        .filter(Column::Scope.eq(scope))
        .filter(Column::Key.eq(key))
        .exec(&txn)
        .await?;
    txn.commit().await
}

/// Deletes the keys claimed more than [`KEEP_HOURS`] before `now` (the hourly janitor).
pub async fn prune(db: &Db, now: DateTime<Utc>) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    Entity::delete_many()
        .filter(Column::CreatedAt.lt(now - Duration::hours(KEEP_HOURS)))
        .exec(&txn)
        .await?;
    txn.commit().await
}
