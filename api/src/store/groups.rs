//! Groups and their memberships, and the group answer built in a fixed number of statements for
//! a whole page.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use shared::dto::{AccountStatus, Group};
use uuid::Uuid;

use super::accounts;
use super::entities::address::AddressKind;
use super::entities::{account, address, group, group_member};
use crate::error::{Error, Result};

pub use group::Model as Row;

/// The group `id` of `org`; 404 for any other.
pub async fn get_in(db: &impl ConnectionTrait, org: Uuid, id: Uuid) -> Result<Row> {
    group::Entity::find_by_id(id)
        .filter(group::Column::OrganizationId.eq(org))
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("group"))
}

/// Whether another group of `org` than `except` has this (lowercase) name.
pub async fn name_used(
    db: &impl ConnectionTrait,
    org: Uuid,
    name_lc: &str,
    except: Option<Uuid>,
) -> Result<bool> {
    let mut query = group::Entity::find()
        .filter(group::Column::OrganizationId.eq(org))
        .filter(group::Column::NameLc.eq(name_lc));
    if let Some(except) = except {
        query = query.filter(group::Column::Id.ne(except));
    }
    Ok(query.one(db).await?.is_some())
}

/// Inserts a group; the error is the database's, so a unique violation can be told apart.
pub async fn insert(db: &impl ConnectionTrait, row: Row) -> Result<Row, DbErr> {
    row.into_active_model().reset_all().insert(db).await
}

pub async fn update(db: &impl ConnectionTrait, row: Row) -> Result<Row> {
    Ok(row.into_active_model().reset_all().update(db).await?)
}

pub async fn delete(db: &impl ConnectionTrait, id: Uuid) -> Result<()> {
    group::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// The organization's groups by lowercase name after `after`, at most `limit`.
pub async fn list(
    db: &impl ConnectionTrait,
    org: Uuid,
    limit: u64,
    after: Option<String>,
) -> Result<Vec<Row>> {
    let mut query = group::Entity::find()
        .filter(group::Column::OrganizationId.eq(org))
        .order_by_asc(group::Column::NameLc)
        .limit(limit);
    if let Some(after) = after {
        query = query.filter(group::Column::NameLc.gt(after));
    }
    Ok(query.all(db).await?)
}

pub async fn is_member(db: &impl ConnectionTrait, group: Uuid, account: Uuid) -> Result<bool> {
    Ok(group_member::Entity::find_by_id((group, account))
        .one(db)
        .await?
        .is_some())
}

pub async fn add_member(
    db: &impl ConnectionTrait,
    org: Uuid,
    group: Uuid,
    account: Uuid,
    now: DateTime<Utc>,
) -> Result<()> {
    group_member::ActiveModel {
        group_id: Set(group),
        account_id: Set(account),
        organization_id: Set(org),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn remove_member(db: &impl ConnectionTrait, group: Uuid, account: Uuid) -> Result<()> {
    group_member::Entity::delete_by_id((group, account))
        .exec(db)
        .await?;
    Ok(())
}

/// Members of `group` (in `org`) by username after `after`, at most `limit`.
pub async fn members(
    db: &impl ConnectionTrait,
    org: Uuid,
    group: Uuid,
    limit: u64,
    after: Option<String>,
) -> Result<Vec<accounts::Row>> {
    let mut query = account::Entity::find()
        .filter(account::Column::OrganizationId.eq(org))
        .filter(
            account::Column::Id.in_subquery(
                Query::select()
                    .column(group_member::Column::AccountId)
                    .from(group_member::Entity)
                    .and_where(Expr::col(group_member::Column::GroupId).eq(group))
                    .to_owned(),
            ),
        )
        .order_by_asc(account::Column::Username)
        .limit(limit);
    if let Some(after) = after {
        query = query.filter(account::Column::Username.gt(after));
    }
    Ok(query.all(db).await?)
}

/// The mailbox (primary address) of each member of `group` that has one, and whether the
/// member is active, sorted: one statement.
pub async fn member_mailboxes(
    db: &impl ConnectionTrait,
    group: Uuid,
) -> Result<Vec<(String, bool)>> {
    let q = Query::select()
        .column((address::Entity, address::Column::Address))
        .column((account::Entity, account::Column::Status))
        .from(group_member::Entity)
        .inner_join(
            account::Entity,
            Expr::col((account::Entity, account::Column::Id))
                .equals((group_member::Entity, group_member::Column::AccountId)),
        )
        .inner_join(
            address::Entity,
            Expr::col((address::Entity, address::Column::AccountId))
                .equals((account::Entity, account::Column::Id)),
        )
        .and_where(Expr::col((group_member::Entity, group_member::Column::GroupId)).eq(group))
        .and_where(Expr::col((address::Entity, address::Column::Kind)).eq(AddressKind::Primary))
        .order_by((address::Entity, address::Column::Address), Order::Asc)
        .to_owned();
    let mut out = db
        .query_all(&q)
        .await?
        .iter()
        .map(|r| {
            let status: AccountStatus = r.try_get_by_index(1)?;
            Ok((r.try_get_by_index(0)?, status == AccountStatus::Active))
        })
        .collect::<Result<Vec<(String, bool)>, DbErr>>()?;
    out.sort();
    Ok(out)
}

/// The answers for `rows`: three statements whatever their number.
pub async fn views(db: &impl ConnectionTrait, rows: Vec<Row>) -> Result<Vec<Group>> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<Uuid> = rows.iter().map(|g| g.id).collect();
    let counts = Query::select()
        .column(group_member::Column::GroupId)
        .expr(Expr::cust("COUNT(*)"))
        .from(group_member::Entity)
        .and_where(Expr::col(group_member::Column::GroupId).is_in(ids.clone()))
        .group_by_col(Alias::new("group_id"))
        .to_owned();
    let counts: HashMap<Uuid, i64> = db
        .query_all(&counts)
        .await?
        .iter()
        .map(|r| Ok((r.try_get_by_index(0)?, r.try_get_by_index(1)?)))
        .collect::<Result<_, DbErr>>()?;
    let emails: HashMap<Uuid, String> = address::Entity::find()
        .select_only()
        .column(address::Column::GroupId)
        .column(address::Column::Address)
        .filter(address::Column::GroupId.is_in(ids))
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|g| Group {
            member_count: counts.get(&g.id).copied().unwrap_or(0),
            email: emails.get(&g.id).cloned(),
            id: g.id,
            name: g.name,
            description: g.description,
            created_at: g.created_at,
            updated_at: g.updated_at,
        })
        .collect())
}

pub async fn view(db: &impl ConnectionTrait, row: Row) -> Result<Group> {
    views(db, vec![row])
        .await?
        .pop()
        .ok_or_else(|| anyhow::anyhow!("group vanished").into())
}
