//! Groups (SPEC §7): a name unique in the organization, a description, an optional group
//! address; members are accounts of the same organization. Deleting a group removes its
//! memberships and its address, never accounts.

use serde_json::json;
use shared::ErrorCode;
use shared::dto::{Account, Group, Page};
use shared::value::EmailAddress;
use uuid::Uuid;

use super::Services;
use super::addresses::{self, Owner};
use super::audit::{self, AuditAction, Ctx};
use crate::error::{Error, Result, is_unique_violation};
use crate::patch::Patch;
use crate::store::changes::Change;
use crate::store::groups::{self as rows, Row};
use crate::store::pagination::{cut, decode_cursor};
use crate::store::{accounts, addresses as address_rows, organizations};

pub async fn get(s: &Services, org: Uuid, id: Uuid) -> Result<Group> {
    let db = s.db.read();
    rows::view(db, rows::get_in(db, org, id).await?).await
}

fn name_taken(name: &str) -> Error {
    Error::new(
        ErrorCode::Conflict,
        format!("a group named {name} already exists"),
    )
    .about("name")
}

/// The organization's groups sorted by name, keyset-paginated on the lowercase name: three
/// statements whatever the page size.
pub async fn list(
    s: &Services,
    org: Uuid,
    limit: u64,
    cursor: Option<&str>,
) -> Result<Page<Group>> {
    let db = s.db.read();
    let after: Option<String> = cursor.map(decode_cursor).transpose()?;
    let found = rows::list(db, org, limit + 1, after).await?;
    let (found, next_cursor) = cut(found, limit, |r| r.name_lc.clone());
    Ok(Page {
        items: rows::views(db, found).await?,
        next_cursor,
    })
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
    if rows::name_used(&txn, org, &name_lc, None).await? {
        return Err(name_taken(&name));
    }
    let domain_id = match &email {
        Some(email) => {
            // The domain must stay verified until the address is in: the lock a domain's
            // deletion takes too.
            organizations::lock(&txn, org).await?;
            addresses::check_available(&txn, s, org, "email", email).await?
        }
        None => None,
    };
    let row = rows::insert(
        &txn,
        Row {
            id: ctx.new_id(),
            organization_id: org,
            name: name.clone(),
            name_lc,
            description,
            created_at: ctx.now,
            updated_at: ctx.now,
        },
    )
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
    let group = rows::view(&txn, row).await?;
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
    let mut row = rows::get_in(&txn, org, id).await?;
    if let Some(name) = &name {
        let name_lc = name.to_lowercase();
        if rows::name_used(&txn, org, &name_lc, Some(id)).await? {
            return Err(name_taken(name));
        }
        row.name = name.clone();
        row.name_lc = name_lc;
    }
    match &description {
        Patch::Set(d) => row.description = d.clone(),
        Patch::Clear => row.description = String::new(),
        Patch::Absent => {}
    }
    if !email.is_absent() {
        let current = address_rows::of_group(&txn, id).await?;
        let unchanged =
            matches!((&email, &current), (Patch::Set(new), Some(cur)) if new.as_str() == cur);
        if !unchanged {
            address_rows::delete_of_group(&txn, id).await?;
            if let Patch::Set(new) = &email {
                organizations::lock(&txn, org).await?;
                let domain_id = addresses::check_available(&txn, s, org, "email", new).await?;
                addresses::insert(&txn, org, new, Owner::Group(id), domain_id, ctx.now).await?;
            }
        }
    }
    row.updated_at = ctx.now;
    let saved = rows::update(&txn, row).await?;
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
    let group = rows::view(&txn, saved).await?;
    txn.commit().await?;
    Ok(group)
}

pub async fn delete(s: &Services, ctx: &Ctx, org: Uuid, id: Uuid) -> Result<()> {
    let txn = s.db.begin().await?;
    let row = rows::get_in(&txn, org, id).await?;
    address_rows::delete_of_group(&txn, id).await?;
    rows::delete(&txn, id).await?;
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
    s: &Services,
    org: Uuid,
    id: Uuid,
    limit: u64,
    cursor: Option<&str>,
) -> Result<Page<Account>> {
    let db = s.db.read();
    rows::get_in(db, org, id).await?;
    let after: Option<String> = cursor.map(decode_cursor).transpose()?;
    let found = rows::members(db, org, id, limit + 1, after).await?;
    let (found, next_cursor) = cut(found, limit, |r| r.username.clone());
    Ok(Page {
        items: accounts::views(db, found).await?,
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
    rows::get_in(&txn, org, id).await?;
    accounts::get_in(&txn, org, account_id).await?;
    let action = match (member, rows::is_member(&txn, id, account_id).await?) {
        (true, false) => {
            rows::add_member(&txn, org, id, account_id, ctx.now).await?;
            AuditAction::GroupMemberAdded
        }
        (false, true) => {
            rows::remove_member(&txn, id, account_id).await?;
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
