//! Groups (SPEC §7): a name unique in the organization, a description, an optional group
//! address; members are accounts of the same organization. Deleting a group removes its
//! memberships and its address, never accounts.

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use shared::ErrorCode;
use shared::dto::{Account, Group, GroupRef, Page};
use shared::value::EmailAddress;
use uuid::Uuid;

use super::Services;
use super::accounts;
use super::addresses::{self, Owner};
use super::audit::{self, AuditAction, Ctx};
use crate::error::{Error, Result, is_unique_violation};
use crate::patch::Patch;
use crate::store::changes::Change;
use crate::store::entities::{account, address, group, group_member};
use crate::store::pagination::{cut, decode_cursor};

pub async fn find_in(db: &impl ConnectionTrait, org: Uuid, id: Uuid) -> Result<group::Model> {
    group::Entity::find_by_id(id)
        .filter(group::Column::OrganizationId.eq(org))
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("group"))
}

async fn dto(db: &impl ConnectionTrait, g: group::Model) -> Result<Group> {
    let member_count = group_member::Entity::find()
        .filter(group_member::Column::GroupId.eq(g.id))
        .count(db)
        .await? as i64;
    let email = address::Entity::find()
        .filter(address::Column::GroupId.eq(g.id))
        .one(db)
        .await?
        .map(|a| a.address);
    Ok(Group {
        id: g.id,
        name: g.name,
        description: g.description,
        email,
        member_count,
        created_at: g.created_at,
        updated_at: g.updated_at,
    })
}

pub async fn get(db: &impl ConnectionTrait, org: Uuid, id: Uuid) -> Result<Group> {
    dto(db, find_in(db, org, id).await?).await
}

fn name_taken(name: &str) -> Error {
    Error::new(
        ErrorCode::Conflict,
        format!("a group named {name} already exists"),
    )
    .with("field", "name")
}

/// The organization's groups sorted by name, keyset-paginated on the lowercase name.
pub async fn list(
    db: &impl ConnectionTrait,
    org: Uuid,
    limit: u64,
    cursor: Option<&str>,
) -> Result<Page<Group>> {
    let mut query = group::Entity::find()
        .filter(group::Column::OrganizationId.eq(org))
        .order_by_asc(group::Column::NameLc)
        .limit(limit + 1);
    if let Some(cursor) = cursor {
        let after: String = decode_cursor(cursor)?;
        query = query.filter(group::Column::NameLc.gt(after));
    }
    let (rows, next_cursor) = cut(query.all(db).await?, limit, |r| r.name_lc.clone());
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        items.push(dto(db, row).await?);
    }
    Ok(Page { items, next_cursor })
}

pub async fn create(
    s: &Services,
    ctx: &Ctx,
    org: Uuid,
    name: String,
    description: String,
    email: Option<EmailAddress>,
) -> Result<Group> {
    let txn = s.db.begin().await?;
    let name_lc = name.to_lowercase();
    let exists = group::Entity::find()
        .filter(group::Column::OrganizationId.eq(org))
        .filter(group::Column::NameLc.eq(name_lc.clone()))
        .one(&txn)
        .await?;
    if exists.is_some() {
        return Err(name_taken(&name));
    }
    let domain_id = match &email {
        Some(email) => {
            // The domain must stay verified until the address is in: the lock a domain's
            // deletion takes too.
            super::credit::lock_organization(&txn, org).await?;
            addresses::check_available(&txn, s, org, "email", email).await?
        }
        None => None,
    };
    let row = group::ActiveModel {
        id: Set(ctx.new_id()),
        organization_id: Set(org),
        name: Set(name.clone()),
        name_lc: Set(name_lc),
        description: Set(description),
        created_at: Set(ctx.now),
        updated_at: Set(ctx.now),
    }
    .insert(&txn)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            name_taken(&name)
        } else {
            e.into()
        }
    })?;
    if let Some(email) = &email {
        addresses::insert(&txn, org, email, Owner::Group(row.id), domain_id, ctx.now).await?;
    }
    let details = json!({"name": row.name, "email": email.as_ref().map(|e| e.as_str())});
    audit::record(
        &txn,
        ctx,
        Some(org),
        AuditAction::GroupCreated,
        Some(format!("group:{}", row.id)),
        details,
    )
    .await?;
    let group = dto(&txn, row).await?;
    txn.commit().await?;
    Ok(group)
}

pub async fn update(
    s: &Services,
    ctx: &Ctx,
    org: Uuid,
    id: Uuid,
    name: Option<String>,
    description: Patch<String>,
    email: Patch<EmailAddress>,
) -> Result<Group> {
    let txn = s.db.begin().await?;
    let row = find_in(&txn, org, id).await?;
    let mut active = row.clone().into_active_model();
    if let Some(name) = &name {
        let name_lc = name.to_lowercase();
        let clash = group::Entity::find()
            .filter(group::Column::OrganizationId.eq(org))
            .filter(group::Column::NameLc.eq(name_lc.clone()))
            .filter(group::Column::Id.ne(id))
            .one(&txn)
            .await?;
        if clash.is_some() {
            return Err(name_taken(name));
        }
        active.name = Set(name.clone());
        active.name_lc = Set(name_lc);
    }
    match &description {
        Patch::Set(d) => active.description = Set(d.clone()),
        Patch::Clear => active.description = Set(String::new()),
        Patch::Absent => {}
    }
    if !email.is_absent() {
        let current = address::Entity::find()
            .filter(address::Column::GroupId.eq(id))
            .one(&txn)
            .await?;
        let unchanged = matches!((&email, &current), (Patch::Set(new), Some(cur)) if new.as_str() == cur.address);
        if !unchanged {
            address::Entity::delete_many()
                .filter(address::Column::GroupId.eq(id))
                .exec(&txn)
                .await?;
            if let Patch::Set(new) = &email {
                super::credit::lock_organization(&txn, org).await?;
                let domain_id = addresses::check_available(&txn, s, org, "email", new).await?;
                addresses::insert(&txn, org, new, Owner::Group(id), domain_id, ctx.now).await?;
            }
        }
    }
    active.updated_at = Set(ctx.now);
    let saved = active.update(&txn).await?;
    if name.is_some() {
        // Account answers name their groups.
        txn.touch(Change::Organization(org), ctx.now);
    }
    audit::record(
        &txn,
        ctx,
        Some(org),
        AuditAction::GroupUpdated,
        Some(format!("group:{id}")),
        json!({"name": saved.name}),
    )
    .await?;
    let group = dto(&txn, saved).await?;
    txn.commit().await?;
    Ok(group)
}

pub async fn delete(s: &Services, ctx: &Ctx, org: Uuid, id: Uuid) -> Result<()> {
    let txn = s.db.begin().await?;
    let row = find_in(&txn, org, id).await?;
    address::Entity::delete_many()
        .filter(address::Column::GroupId.eq(id))
        .exec(&txn)
        .await?;
    group::Entity::delete_by_id(id).exec(&txn).await?;
    txn.touch(Change::Organization(org), ctx.now);
    audit::record(
        &txn,
        ctx,
        Some(org),
        AuditAction::GroupDeleted,
        Some(format!("group:{id}")),
        json!({"name": row.name}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Members sorted by username, keyset-paginated like the account list.
pub async fn members(
    db: &impl ConnectionTrait,
    org: Uuid,
    id: Uuid,
    limit: u64,
    cursor: Option<&str>,
) -> Result<Page<Account>> {
    find_in(db, org, id).await?;
    let mut query = account::Entity::find()
        .filter(account::Column::OrganizationId.eq(org))
        .filter(
            account::Column::Id.in_subquery(
                Query::select()
                    .column(group_member::Column::AccountId)
                    .from(group_member::Entity)
                    .and_where(Expr::col(group_member::Column::GroupId).eq(id))
                    .to_owned(),
            ),
        )
        .order_by_asc(account::Column::Username)
        .limit(limit + 1);
    if let Some(cursor) = cursor {
        let after: String = decode_cursor(cursor)?;
        query = query.filter(account::Column::Username.gt(after));
    }
    let (rows, next_cursor) = cut(query.all(db).await?, limit, |r| r.username.clone());
    Ok(Page {
        items: accounts::dtos(db, rows).await?,
        next_cursor,
    })
}

/// Adds (`true`) or removes an account; both are idempotent.
pub async fn set_member(
    s: &Services,
    ctx: &Ctx,
    org: Uuid,
    id: Uuid,
    account_id: Uuid,
    member: bool,
) -> Result<()> {
    let txn = s.db.begin().await?;
    find_in(&txn, org, id).await?;
    accounts::find_in(&txn, org, account_id).await?;
    let existing = group_member::Entity::find_by_id((id, account_id))
        .one(&txn)
        .await?;
    let action = match (member, existing) {
        (true, None) => {
            group_member::ActiveModel {
                group_id: Set(id),
                account_id: Set(account_id),
                organization_id: Set(org),
                created_at: Set(ctx.now),
            }
            .insert(&txn)
            .await?;
            AuditAction::GroupMemberAdded
        }
        (false, Some(_)) => {
            group_member::Entity::delete_by_id((id, account_id))
                .exec(&txn)
                .await?;
            AuditAction::GroupMemberRemoved
        }
        _ => return Ok(()),
    };
    txn.touch(Change::Account(account_id), ctx.now);
    audit::record(
        &txn,
        ctx,
        Some(org),
        action,
        Some(format!("group:{id}")),
        json!({"account_id": account_id}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The groups of each account, for account answers.
pub async fn of_accounts(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<(Uuid, GroupRef)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let memberships = group_member::Entity::find()
        .filter(group_member::Column::AccountId.is_in(ids.to_vec()))
        .all(db)
        .await?;
    if memberships.is_empty() {
        return Ok(vec![]);
    }
    let group_ids: Vec<Uuid> = memberships.iter().map(|m| m.group_id).collect();
    let groups = group::Entity::find()
        .filter(group::Column::Id.is_in(group_ids))
        .order_by_asc(group::Column::NameLc)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for g in groups {
        for m in memberships.iter().filter(|m| m.group_id == g.id) {
            out.push((
                m.account_id,
                GroupRef {
                    id: g.id,
                    name: g.name.clone(),
                },
            ));
        }
    }
    Ok(out)
}
