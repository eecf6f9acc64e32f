//! Sessions (one per sign-in, with its rotating refresh token) and password-reset links.
//! Every revocation names the session or account as changed, so the principal cache drops it.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use shared::dto::{AccountStatus, Role};
use uuid::Uuid;

use super::changes::Change;
use super::db::Txn;
use super::entities::{account, password_reset, session};
use crate::error::Result;

pub use password_reset::Model as ResetLink;
pub use session::Model as Row;

/// What a live session of an active account says about its caller.
pub struct Live {
    pub organization_id: Option<Uuid>,
    pub role: Role,
    pub expires_at: DateTime<Utc>,
}

/// The session `id` of `account` when it is unrevoked and unexpired at `now` and its account
/// active: one statement.
pub async fn live(
    db: &impl ConnectionTrait,
    id: Uuid,
    account: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<Live>> {
    let q = Query::select()
        .column((account::Entity, account::Column::OrganizationId))
        .column((account::Entity, account::Column::Role))
        .column((session::Entity, session::Column::ExpiresAt))
        .from(session::Entity)
        .inner_join(
            account::Entity,
            Expr::col((account::Entity, account::Column::Id))
                .equals((session::Entity, session::Column::AccountId)),
        )
        .and_where(Expr::col((session::Entity, session::Column::Id)).eq(id))
        .and_where(Expr::col((session::Entity, session::Column::AccountId)).eq(account))
        .and_where(Expr::col((session::Entity, session::Column::RevokedAt)).is_null())
        .and_where(Expr::col((session::Entity, session::Column::ExpiresAt)).gt(now))
        .and_where(Expr::col((account::Entity, account::Column::Status)).eq(AccountStatus::Active))
        .to_owned();
    let Some(row) = db.query_one(&q).await? else {
        return Ok(None);
    };
    Ok(Some(Live {
        organization_id: row.try_get_by_index(0)?,
        role: row.try_get_by_index(1)?,
        expires_at: row.try_get_by_index(2)?,
    }))
}

pub async fn insert(db: &impl ConnectionTrait, row: Row) -> Result<()> {
    row.into_active_model().reset_all().insert(db).await?;
    Ok(())
}

/// The live session whose current refresh token hashes to `hash`.
pub async fn by_refresh(
    db: &impl ConnectionTrait,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<Row>> {
    Ok(session::Entity::find()
        .filter(session::Column::RefreshHash.eq(hash))
        .filter(session::Column::RevokedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(now))
        .one(db)
        .await?)
}

/// The unrevoked session whose previous refresh token hashes to `hash`.
pub async fn by_previous_refresh(db: &impl ConnectionTrait, hash: &str) -> Result<Option<Row>> {
    Ok(session::Entity::find()
        .filter(session::Column::PreviousRefreshHash.eq(hash))
        .filter(session::Column::RevokedAt.is_null())
        .one(db)
        .await?)
}

/// Replaces the session's refresh token `old` by `new` (compare-and-swap: `false` when `old`
/// was not current any more).
pub async fn rotate(db: &impl ConnectionTrait, id: Uuid, old: &str, new: &str) -> Result<bool> {
    let swapped = session::Entity::update_many()
        .col_expr(session::Column::RefreshHash, Expr::value(new))
        .col_expr(session::Column::PreviousRefreshHash, Expr::value(old))
        .filter(session::Column::Id.eq(id))
        .filter(session::Column::RefreshHash.eq(old))
        .filter(session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(swapped.rows_affected == 1)
}

/// Revokes one session.
pub async fn revoke(txn: &Txn, id: Uuid, now: DateTime<Utc>) -> Result<()> {
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .filter(session::Column::Id.eq(id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(txn)
        .await?;
    txn.touch(Change::Session(id), now);
    Ok(())
}

/// Revokes every live session of the account except `keep`.
pub async fn revoke_all(
    txn: &Txn,
    account: Uuid,
    keep: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut update = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .filter(session::Column::AccountId.eq(account))
        .filter(session::Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        update = update.filter(session::Column::Id.ne(keep));
    }
    update.exec(txn).await?;
    txn.touch(Change::Account(account), now);
    Ok(())
}

pub async fn insert_reset_link(db: &impl ConnectionTrait, row: ResetLink) -> Result<()> {
    row.into_active_model().reset_all().insert(db).await?;
    Ok(())
}

pub async fn reset_link(db: &impl ConnectionTrait, hash: &str) -> Result<Option<ResetLink>> {
    Ok(password_reset::Entity::find_by_id(hash.to_owned())
        .one(db)
        .await?)
}

/// Uses the link once: `false` when it was already used (two requests racing: one wins).
pub async fn use_reset_link(
    db: &impl ConnectionTrait,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let used = password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::value(now))
        .filter(password_reset::Column::TokenHash.eq(hash))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(used.rows_affected == 1)
}

/// Uses up every outstanding reset link of the account.
pub async fn expire_reset_links(
    db: &impl ConnectionTrait,
    account: Uuid,
    now: DateTime<Utc>,
) -> Result<()> {
    password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::value(now))
        .filter(password_reset::Column::AccountId.eq(account))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
