//! API keys: rows, the lookup by secret hash, and the throttled record of last use.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect,
};
use shared::dto::{ApiKey, Scope};
use uuid::Uuid;

use super::changes::Change;
use super::db::Txn;
use super::entities::api_key;
use crate::error::{Error, Result};

pub use api_key::Model as Row;

/// How often the last use of a key is written at most.
pub const LAST_USE_EVERY: Duration = Duration::minutes(1);

impl Row {
    /// The scopes named by the row; a name this build does not know is left out (fails closed).
    pub fn scopes(&self) -> Vec<Scope> {
        self.scopes
            .split(' ')
            .filter_map(|s| Scope::parse(s).ok())
            .collect()
    }

    pub fn networks(&self) -> Option<Vec<String>> {
        self.allowed_networks
            .as_deref()
            .map(|n| n.split(',').map(str::to_owned).collect())
    }

    pub fn answer(&self) -> ApiKey {
        ApiKey {
            id: self.id,
            name: self.name.clone(),
            scopes: self.scopes(),
            prefix: self.prefix.clone(),
            expires_at: self.expires_at,
            allowed_networks: self.networks(),
            created_at: self.created_at,
            created_by: self.created_by,
            last_used_at: self.last_used_at,
            last_used_ip: self.last_used_ip.clone(),
        }
    }
}

/// The column value of a set of scopes.
pub fn scopes_column(scopes: &[Scope]) -> String {
    let mut names: Vec<&str> = scopes.iter().map(|s| s.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    names.join(" ")
}

pub async fn insert(db: &impl ConnectionTrait, row: Row) -> Result<Row> {
    Ok(row.into_active_model().reset_all().insert(db).await?)
}

/// The key `id` of `org`; 404 for any other.
pub async fn get_in(db: &impl ConnectionTrait, org: Uuid, id: Uuid) -> Result<Row> {
    api_key::Entity::find_by_id(id)
        .filter(api_key::Column::OrganizationId.eq(org))
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("API key"))
}

/// The key whose secret hashes to `hash`.
pub async fn by_hash(db: &impl ConnectionTrait, hash: &str) -> Result<Option<Row>> {
    Ok(api_key::Entity::find()
        .filter(api_key::Column::SecretHash.eq(hash))
        .one(db)
        .await?)
}

/// A page of `org`'s keys, newest first, after the key `(created_at, id)`.
pub async fn list(
    db: &impl ConnectionTrait,
    org: Uuid,
    limit: u64,
    after: Option<(DateTime<Utc>, Uuid)>,
) -> Result<Vec<Row>> {
    let mut query = api_key::Entity::find()
        .filter(api_key::Column::OrganizationId.eq(org))
        .order_by_desc(api_key::Column::CreatedAt)
        .order_by_desc(api_key::Column::Id)
        .limit(limit);
    if let Some((at, id)) = after {
        query = query.filter(
            Condition::any().add(api_key::Column::CreatedAt.lt(at)).add(
                Condition::all()
                    .add(api_key::Column::CreatedAt.eq(at))
                    .add(api_key::Column::Id.lt(id)),
            ),
        );
    }
    Ok(query.all(db).await?)
}

/// Deletes the key; the commit tells every process's caches (a `session` change of its id).
pub async fn delete(txn: &Txn, id: Uuid, now: DateTime<Utc>) -> Result<()> {
    api_key::Entity::delete_by_id(id).exec(txn).await?;
    txn.touch(Change::Session(id), now);
    Ok(())
}

/// Records a use of the key at `now` from `ip`, unless one was recorded in the last minute
/// (by this process or another): at most one write a minute per key. Returns whether it wrote.
pub async fn record_use(
    db: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
    ip: Option<String>,
) -> Result<bool> {
    let done = api_key::Entity::update_many()
        .col_expr(api_key::Column::LastUsedAt, Expr::value(now))
        .col_expr(api_key::Column::LastUsedIp, Expr::value(ip))
        .filter(api_key::Column::Id.eq(id))
        .filter(
            Condition::any()
                .add(api_key::Column::LastUsedAt.is_null())
                .add(api_key::Column::LastUsedAt.lte(now - LAST_USE_EVERY)),
        )
        .exec(db)
        .await?;
    Ok(done.rows_affected > 0)
}
