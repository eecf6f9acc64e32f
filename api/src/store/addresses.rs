//! Addresses: one row per address on the whole platform (primary, alias or group address).

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::entities::address;
pub use super::entities::address::AddressKind;
use crate::error::Result;

pub use address::Model as Row;

/// What an address points at.
#[derive(Debug, Clone, Copy)]
pub enum Owner {
    Primary(Uuid),
    Alias(Uuid),
    Group(Uuid),
}

pub async fn find(db: &impl ConnectionTrait, addr: &str) -> Result<Option<Row>> {
    Ok(address::Entity::find_by_id(addr.to_owned()).one(db).await?)
}

pub async fn exists(db: &impl ConnectionTrait, addr: &str) -> Result<bool> {
    Ok(find(db, addr).await?.is_some())
}

/// Stores an address; the error is the database's, so a unique violation can be told apart.
pub async fn insert(
    db: &impl ConnectionTrait,
    org: Uuid,
    addr: &str,
    owner: Owner,
    domain_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Row, DbErr> {
    let (kind, account_id, group_id) = match owner {
        Owner::Primary(account) => (AddressKind::Primary, Some(account), None),
        Owner::Alias(account) => (AddressKind::Alias, Some(account), None),
        Owner::Group(group) => (AddressKind::Group, None, Some(group)),
    };
    address::ActiveModel {
        address: Set(addr.to_owned()),
        organization_id: Set(org),
        kind: Set(kind),
        account_id: Set(account_id),
        group_id: Set(group_id),
        domain_id: Set(domain_id),
        created_at: Set(now),
    }
    .insert(db)
    .await
}

/// The account's primary address.
pub async fn primary_of(db: &impl ConnectionTrait, account_id: Uuid) -> Result<Option<String>> {
    Ok(address::Entity::find()
        .filter(address::Column::AccountId.eq(account_id))
        .filter(address::Column::Kind.eq(AddressKind::Primary))
        .one(db)
        .await?
        .map(|a| a.address))
}

/// The account's aliases, by address.
pub async fn aliases_of(db: &impl ConnectionTrait, account_id: Uuid) -> Result<Vec<Row>> {
    Ok(address::Entity::find()
        .filter(address::Column::AccountId.eq(account_id))
        .filter(address::Column::Kind.eq(AddressKind::Alias))
        .order_by_asc(address::Column::Address)
        .all(db)
        .await?)
}

pub async fn alias_count(db: &impl ConnectionTrait, account_id: Uuid) -> Result<i64> {
    Ok(address::Entity::find()
        .filter(address::Column::AccountId.eq(account_id))
        .filter(address::Column::Kind.eq(AddressKind::Alias))
        .count(db)
        .await? as i64)
}

/// Removes one of the account's aliases; `false` when it has no such alias.
pub async fn delete_alias(db: &impl ConnectionTrait, account_id: Uuid, addr: &str) -> Result<bool> {
    let removed = address::Entity::delete_many()
        .filter(address::Column::Address.eq(addr))
        .filter(address::Column::AccountId.eq(account_id))
        .filter(address::Column::Kind.eq(AddressKind::Alias))
        .exec(db)
        .await?;
    Ok(removed.rows_affected > 0)
}

/// The group's address.
pub async fn of_group(db: &impl ConnectionTrait, group_id: Uuid) -> Result<Option<String>> {
    Ok(address::Entity::find()
        .filter(address::Column::GroupId.eq(group_id))
        .one(db)
        .await?
        .map(|a| a.address))
}

pub async fn delete_of_group(db: &impl ConnectionTrait, group_id: Uuid) -> Result<()> {
    address::Entity::delete_many()
        .filter(address::Column::GroupId.eq(group_id))
        .exec(db)
        .await?;
    Ok(())
}

/// How many of the organization's addresses are on `domain`.
pub async fn count_on_domain(db: &impl ConnectionTrait, org: Uuid, domain: &str) -> Result<i64> {
    Ok(address::Entity::find()
        .filter(address::Column::OrganizationId.eq(org))
        .filter(address::Column::Address.like(format!("%@{domain}")))
        .count(db)
        .await? as i64)
}
