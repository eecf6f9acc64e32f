//! Accounts: rows, their photos, and the account answer (the read model every account route,
//! the group member list and the caches serve) built in a fixed number of statements.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, Order, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use shared::dto::{Account, AccountStatus, GroupRef, Personal, PostalAddress, Role, Subscription};
use uuid::Uuid;

use super::changes::Change;
use super::db::Txn;
use super::entities::address::AddressKind;
use super::entities::{account, account_photo, address, group, group_member, organization, plan};
use crate::error::{Error, Result};

pub use account::Model as Row;

/// What an account list may be narrowed to.
#[derive(Debug, Default)]
pub struct ListFilter {
    /// A prefix of the username, a name or an address (case-insensitive).
    pub q: Option<String>,
    pub status: Option<AccountStatus>,
    pub plan: Option<String>,
    pub group_id: Option<Uuid>,
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Row>> {
    Ok(account::Entity::find_by_id(id).one(db).await?)
}

/// The account `id`; 404 when there is none.
pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Row> {
    find(db, id)
        .await?
        .ok_or_else(|| Error::not_found("account"))
}

/// The account `id` of `org`; 404 for any other (SPEC §1).
pub async fn get_in(db: &impl ConnectionTrait, org: Uuid, id: Uuid) -> Result<Row> {
    account::Entity::find_by_id(id)
        .filter(account::Column::OrganizationId.eq(org))
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("account"))
}

pub async fn by_username(db: &impl ConnectionTrait, username: &str) -> Result<Option<Row>> {
    Ok(account::Entity::find()
        .filter(account::Column::Username.eq(username))
        .one(db)
        .await?)
}

/// The account whose primary address is `addr`.
pub async fn by_primary_address(db: &impl ConnectionTrait, addr: &str) -> Result<Option<Row>> {
    Ok(account::Entity::find()
        .filter(
            account::Column::Id.in_subquery(
                Query::select()
                    .column(address::Column::AccountId)
                    .from(address::Entity)
                    .and_where(Expr::col(address::Column::Address).eq(addr))
                    .and_where(Expr::col(address::Column::Kind).eq(AddressKind::Primary))
                    .to_owned(),
            ),
        )
        .one(db)
        .await?)
}

pub async fn operator_exists(db: &impl ConnectionTrait) -> Result<bool> {
    Ok(account::Entity::find()
        .filter(account::Column::Role.eq(Role::Operator))
        .one(db)
        .await?
        .is_some())
}

/// Inserts a new account; the error is the database's, so a unique violation on the username
/// can be told apart.
pub async fn insert(db: &impl ConnectionTrait, row: Row) -> Result<Row, DbErr> {
    row.into_active_model().reset_all().insert(db).await
}

/// Writes every column of `row` and names the account as changed.
pub async fn update(txn: &Txn, row: Row, now: DateTime<Utc>) -> Result<Row> {
    txn.touch(Change::Account(row.id), now);
    Ok(row.into_active_model().reset_all().update(txn).await?)
}

pub async fn delete(txn: &Txn, id: Uuid, now: DateTime<Utc>) -> Result<()> {
    account::Entity::delete_by_id(id).exec(txn).await?;
    txn.touch(Change::Account(id), now);
    Ok(())
}

fn like_prefix(q: &str) -> LikeExpr {
    let escaped: String = q
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    LikeExpr::new(format!("{escaped}%")).escape('\\')
}

fn in_group(group: Uuid) -> sea_orm::sea_query::SimpleExpr {
    account::Column::Id.in_subquery(
        Query::select()
            .column(group_member::Column::AccountId)
            .from(group_member::Entity)
            .and_where(Expr::col(group_member::Column::GroupId).eq(group))
            .to_owned(),
    )
}

/// Accounts of `org` by username after `after`, at most `limit` (the caller asks one more to
/// know whether a next page exists).
pub async fn list(
    db: &impl ConnectionTrait,
    org: Uuid,
    filter: ListFilter,
    limit: u64,
    after: Option<String>,
) -> Result<Vec<Row>> {
    let mut query = account::Entity::find()
        .filter(account::Column::OrganizationId.eq(org))
        .order_by_asc(account::Column::Username)
        .limit(limit);
    if let Some(after) = after {
        query = query.filter(account::Column::Username.gt(after));
    }
    if let Some(status) = filter.status {
        query = query.filter(account::Column::Status.eq(status));
    }
    if let Some(plan) = filter.plan {
        query = query.filter(account::Column::PlanCode.eq(plan));
    }
    if let Some(group) = filter.group_id {
        query = query.filter(in_group(group));
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        query = query.filter(
            Condition::any()
                .add(Expr::col(account::Column::Username).like(like_prefix(q)))
                .add(Expr::col(account::Column::FirstNameLc).like(like_prefix(q)))
                .add(Expr::col(account::Column::LastNameLc).like(like_prefix(q)))
                .add(
                    account::Column::Id.in_subquery(
                        Query::select()
                            .column(address::Column::AccountId)
                            .from(address::Entity)
                            .and_where(Expr::col(address::Column::OrganizationId).eq(org))
                            .and_where(Expr::col(address::Column::Address).like(like_prefix(q)))
                            .to_owned(),
                    ),
                ),
        );
    }
    Ok(query.all(db).await?)
}

/// The usernames of those of `ids` that still exist in `org`.
pub async fn usernames(
    db: &impl ConnectionTrait,
    org: Uuid,
    mut ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, String>> {
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(account::Entity::find()
        .select_only()
        .column(account::Column::Id)
        .column(account::Column::Username)
        .filter(account::Column::OrganizationId.eq(org))
        .filter(account::Column::Id.is_in(ids))
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// Accounts whose period ends by `until`, the earliest first.
pub async fn period_ending_by(db: &impl ConnectionTrait, until: DateTime<Utc>) -> Result<Vec<Row>> {
    Ok(account::Entity::find()
        .filter(account::Column::PeriodEnd.lte(until))
        .order_by_asc(account::Column::PeriodEnd)
        .order_by_asc(account::Column::Id)
        .all(db)
        .await?)
}

/// The accounts of `org` in all, and those on a free plan.
pub async fn counts(db: &impl ConnectionTrait, org: Uuid) -> Result<(i64, i64)> {
    let accounts = account::Entity::find().filter(account::Column::OrganizationId.eq(org));
    let total = accounts.clone().count(db).await? as i64;
    let free = accounts
        .filter(
            account::Column::PlanCode.in_subquery(
                Query::select()
                    .column(plan::Column::Code)
                    .from(plan::Entity)
                    .and_where(Expr::col(plan::Column::IsFree).eq(true))
                    .to_owned(),
            ),
        )
        .count(db)
        .await? as i64;
    Ok((total, free))
}

pub async fn photo(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<account_photo::Model>> {
    Ok(account_photo::Entity::find_by_id(id).one(db).await?)
}

/// Stores the account's photo, replacing the one it had.
pub async fn put_photo(
    db: &impl ConnectionTrait,
    id: Uuid,
    bytes: Vec<u8>,
    content_type: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    account_photo::Entity::delete_by_id(id).exec(db).await?;
    account_photo::ActiveModel {
        account_id: Set(id),
        content_type: Set(content_type.to_owned()),
        bytes: Set(bytes),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Removes the account's photo; `false` when it had none.
pub async fn delete_photo(db: &impl ConnectionTrait, id: Uuid) -> Result<bool> {
    let removed = account_photo::Entity::delete_by_id(id).exec(db).await?;
    Ok(removed.rows_affected > 0)
}

/// The account's current subscription (none for operators).
pub fn subscription(m: &Row) -> Option<Subscription> {
    m.plan_code.clone().map(|plan| Subscription {
        plan,
        period_start: m.period_start,
        period_end: m.period_end,
        paid_cents: m.period_paid_cents,
        renews_at: m.period_end,
    })
}

/// The answer for one account.
pub async fn view(db: &impl ConnectionTrait, row: Row) -> Result<Account> {
    views(db, vec![row])
        .await?
        .pop()
        .ok_or_else(|| anyhow::anyhow!("account vanished").into())
}

/// The answers for `rows`, with their addresses, groups and whether each is its
/// organization's owner: three statements whatever the number of rows.
pub async fn views(db: &impl ConnectionTrait, rows: Vec<Row>) -> Result<Vec<Account>> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<Uuid> = rows.iter().map(|m| m.id).collect();
    let addresses = address::Entity::find()
        .filter(address::Column::AccountId.is_in(ids.clone()))
        .order_by_asc(address::Column::Address)
        .all(db)
        .await?;
    let memberships = Query::select()
        .column((group_member::Entity, group_member::Column::AccountId))
        .column((group::Entity, group::Column::Id))
        .column((group::Entity, group::Column::Name))
        .from(group_member::Entity)
        .inner_join(
            group::Entity,
            Expr::col((group::Entity, group::Column::Id))
                .equals((group_member::Entity, group_member::Column::GroupId)),
        )
        .and_where(Expr::col((group_member::Entity, group_member::Column::AccountId)).is_in(ids))
        .order_by((group::Entity, group::Column::NameLc), Order::Asc)
        .to_owned();
    let memberships: Vec<(Uuid, Uuid, String)> = db
        .query_all(&memberships)
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get_by_index(0)?,
                r.try_get_by_index(1)?,
                r.try_get_by_index(2)?,
            ))
        })
        .collect::<Result<_, DbErr>>()?;
    let mut org_ids: Vec<Uuid> = rows.iter().filter_map(|m| m.organization_id).collect();
    org_ids.sort_unstable();
    org_ids.dedup();
    let owners: Vec<Uuid> = if org_ids.is_empty() {
        vec![]
    } else {
        organization::Entity::find()
            .select_only()
            .column(organization::Column::OwnerAccountId)
            .filter(organization::Column::Id.is_in(org_ids))
            .into_tuple::<Option<Uuid>>()
            .all(db)
            .await?
            .into_iter()
            .flatten()
            .collect()
    };
    Ok(rows
        .into_iter()
        .map(|m| {
            let mine = addresses.iter().filter(|a| a.account_id == Some(m.id));
            let email = mine
                .clone()
                .find(|a| a.kind == AddressKind::Primary)
                .map(|a| a.address.clone());
            let aliases = mine
                .filter(|a| a.kind == AddressKind::Alias)
                .map(|a| a.address.clone())
                .collect();
            let groups = memberships
                .iter()
                .filter(|(a, _, _)| *a == m.id)
                .map(|(_, id, name)| GroupRef {
                    id: *id,
                    name: name.clone(),
                })
                .collect();
            let is_owner = owners.contains(&m.id);
            answer(m, email, aliases, groups, is_owner)
        })
        .collect())
}

fn answer(
    m: Row,
    email: Option<String>,
    aliases: Vec<String>,
    groups: Vec<GroupRef>,
    is_owner: bool,
) -> Account {
    let subscription = subscription(&m);
    Account {
        id: m.id,
        username: m.username,
        first_name: m.first_name,
        last_name: m.last_name,
        email,
        aliases,
        role: m.role,
        status: m.status,
        plan: m.plan_code,
        subscription,
        personal: Personal {
            external_email: m.external_email,
            mobile_phone: m.mobile_phone,
            postal_address: PostalAddress {
                street: m.street,
                postal_code: m.postal_code,
                city: m.city,
                region: m.region,
                country: m.country,
            },
            birthdate: m.birthdate,
            has_photo: m.has_photo,
        },
        groups,
        organization_id: m.organization_id,
        is_owner,
        created_at: m.created_at,
        updated_at: m.updated_at,
        disabled_at: m.disabled_at,
    }
}
