//! Domains an organization added, pending or verified.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use shared::dto::DomainStatus;
use uuid::Uuid;

use super::entities::domain;
use crate::error::{Error, Result};

pub use domain::Model as Row;

/// The domain `id` of `org`; 404 for any other.
pub async fn get_in(db: &impl ConnectionTrait, org: Uuid, id: Uuid) -> Result<Row> {
    domain::Entity::find_by_id(id)
        .filter(domain::Column::OrganizationId.eq(org))
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("domain"))
}

/// The organization's domain with this name, if it holds it.
pub async fn held(db: &impl ConnectionTrait, org: Uuid, name: &str) -> Result<Option<Row>> {
    Ok(domain::Entity::find()
        .filter(domain::Column::OrganizationId.eq(org))
        .filter(domain::Column::Name.eq(name))
        .one(db)
        .await?)
}

/// The verified domain with this name, whoever holds it.
pub async fn verified(db: &impl ConnectionTrait, name: &str) -> Result<Option<Row>> {
    Ok(domain::Entity::find()
        .filter(domain::Column::Name.eq(name))
        .filter(domain::Column::Status.eq(DomainStatus::Verified))
        .one(db)
        .await?)
}

/// Every verified domain, by name.
pub async fn all_verified(db: &impl ConnectionTrait) -> Result<Vec<Row>> {
    Ok(domain::Entity::find()
        .filter(domain::Column::Status.eq(DomainStatus::Verified))
        .order_by_asc(domain::Column::Name)
        .all(db)
        .await?)
}

pub async fn count(db: &impl ConnectionTrait, org: Uuid) -> Result<i64> {
    Ok(domain::Entity::find()
        .filter(domain::Column::OrganizationId.eq(org))
        .count(db)
        .await? as i64)
}

/// The organization's domains by name after `after`, at most `limit`.
pub async fn list(
    db: &impl ConnectionTrait,
    org: Uuid,
    limit: u64,
    after: Option<String>,
) -> Result<Vec<Row>> {
    let mut query = domain::Entity::find()
        .filter(domain::Column::OrganizationId.eq(org))
        .order_by_asc(domain::Column::Name)
        .limit(limit);
    if let Some(after) = after {
        query = query.filter(domain::Column::Name.gt(after));
    }
    Ok(query.all(db).await?)
}

/// Inserts a domain; the error is the database's, so a unique violation can be told apart.
pub async fn insert(db: &impl ConnectionTrait, row: Row) -> Result<Row, DbErr> {
    row.into_active_model().reset_all().insert(db).await
}

/// Writes every column of `row`; the error is the database's (the partial unique index on
/// verified names).
pub async fn update(db: &impl ConnectionTrait, row: Row) -> Result<Row, DbErr> {
    row.into_active_model().reset_all().update(db).await
}

pub async fn delete(db: &impl ConnectionTrait, id: Uuid) -> Result<()> {
    domain::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}
