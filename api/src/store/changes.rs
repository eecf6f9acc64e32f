//! The change log (SPEC §10): what a commit made stale, for the caches of every process.
//!
//! A write transaction names what it changes ([`crate::store::db::Txn::touch`]); the rows are
//! written in that transaction when it commits, so a change is logged if and only if it
//! happened. PostgreSQL also announces the commit on [`CHANNEL`] (`NOTIFY` is delivered at
//! commit, never for a rolled-back transaction), and every process reads the log by sequence.
//! Sign-ins, refreshes and idempotency bookkeeping change nothing a cache holds and write no row.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

/// The PostgreSQL channel each commit with changes is announced on.
pub const CHANNEL: &str = "postwarden_changes";

/// What a commit made stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    /// One bearer credential ended: a session (sign-out, a refresh token replayed) or an API
    /// key (revoked), by its id. Stored as kind `session`.
    Session(Uuid),
    /// One account: its status, password, role, personal data, plan, addresses, groups, photo.
    Account(Uuid),
    /// Everything of one organization (its owner, a group renamed or deleted, a domain deleted).
    Organization(Uuid),
}

impl Change {
    fn parts(self) -> (&'static str, Uuid) {
        match self {
            Self::Session(id) => ("session", id),
            Self::Account(id) => ("account", id),
            Self::Organization(id) => ("organization", id),
        }
    }

    fn from_parts(kind: &str, key: Uuid) -> Option<Self> {
        match kind {
            "session" => Some(Self::Session(key)),
            "account" => Some(Self::Account(key)),
            "organization" => Some(Self::Organization(key)),
            _ => None,
        }
    }
}

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "changes")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub seq: i64,
        pub kind: String,
        pub key: Uuid,
        pub at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

/// Writes `changes` (in the caller's transaction) and, on PostgreSQL, announces them.
pub async fn record(
    db: &impl ConnectionTrait,
    changes: &[Change],
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    if changes.is_empty() {
        return Ok(());
    }
    let rows = changes.iter().map(|c| {
        let (kind, key) = c.parts();
        entity::ActiveModel {
            kind: Set(kind.to_owned()),
            key: Set(key),
            at: Set(at),
            ..Default::default()
        }
    });
    entity::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    if db.get_database_backend() == DatabaseBackend::Postgres {
        db.execute_unprepared(&format!("NOTIFY {CHANNEL}")).await?;
    }
    Ok(())
}

/// The newest sequence number (0 when the log is empty).
pub async fn latest(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    let seq: Option<Option<i64>> = entity::Entity::find()
        .select_only()
        .expr(Expr::col(entity::Column::Seq).max())
        .into_tuple()
        .one(db)
        .await?;
    Ok(seq.flatten().unwrap_or(0))
}

/// Up to `limit` changes after `seq`, oldest first.
pub async fn after(
    db: &impl ConnectionTrait,
    seq: i64,
    limit: u64,
) -> Result<Vec<(i64, Change)>, DbErr> {
    let rows: Vec<(i64, String, Uuid)> = entity::Entity::find()
        .select_only()
        .columns([
            entity::Column::Seq,
            entity::Column::Kind,
            entity::Column::Key,
        ])
        .filter(entity::Column::Seq.gt(seq))
        .order_by_asc(entity::Column::Seq)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(seq, kind, key)| Change::from_parts(&kind, key).map(|c| (seq, c)))
        .collect())
}

/// Deletes changes logged before `before` (every process has long read them).
pub async fn prune(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(entity::Entity::delete_many()
        .filter(Expr::col(entity::Column::At).lt(before))
        .exec(db)
        .await?
        .rows_affected)
}

/// PostgreSQL: calls `wake` whenever a commit announces changes on [`CHANNEL`]; reconnects a
/// second after the connection drops (the followers' poll covers the meantime). Never returns.
pub async fn listen(url: String, wake: impl Fn()) {
    loop {
        let connected = async {
            let mut listener = sea_orm::sqlx::postgres::PgListener::connect(&url).await?;
            listener.listen(CHANNEL).await?;
            loop {
                listener.recv().await?;
                wake();
            }
        };
        let result: Result<(), sea_orm::sqlx::Error> = connected.await;
        if let Err(e) = result {
            tracing::warn!(error = %e, "listening for changes failed; retrying");
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
}
