//! Accounts (SPEC §6): creation, reading, listing, personal data, passwords, disable, enable,
//! delete. The orchestration of an account's lifecycle: it uses the address, subscription and
//! credit rules below it, and nothing above it uses it back but sign-in and organizations.

use std::sync::Arc;

use chrono::NaiveDate;
use serde_json::json;
use shared::ErrorCode;
use shared::dto::{Account, AccountStatus, Me, OrganizationRef, Page, Role, Scope};
use shared::value::{CountryCode, EmailAddress, ExternalEmail, Password, PhoneNumber, Username};
use uuid::Uuid;

use super::Services;
use super::addresses;
use super::audit::{self, AuditAction, Ctx};
use super::cache::AccountView;
use super::principal::Principal;
use super::subscriptions;
use crate::error::{Error, Result, is_unique_violation};
use crate::patch::Patch;
pub use crate::store::accounts::ListFilter;
use crate::store::accounts::{self as rows, Row};
use crate::store::addresses::Owner;
use crate::store::db::Txn;
use crate::store::pagination::{cut, decode_cursor};
use crate::store::plans::FREE as FREE_PLAN;
use crate::store::{organizations, sessions, throttle};

/// Personal data as a merge patch; on creation, `Absent` and `Clear` both mean "not set".
#[derive(Debug, Clone, Default)]
pub struct PersonalPatch {
    pub external_email: Patch<ExternalEmail>,
    pub mobile_phone: Patch<PhoneNumber>,
    pub postal_address: Patch<PostalPatch>,
    pub birthdate: Patch<NaiveDate>,
}

#[derive(Debug, Clone, Default)]
pub struct PostalPatch {
    pub street: Patch<String>,
    pub postal_code: Patch<String>,
    pub city: Patch<String>,
    pub region: Patch<String>,
    pub country: Patch<CountryCode>,
}

impl PersonalPatch {
    fn apply(self, a: &mut Row) {
        self.external_email
            .apply_to(&mut a.external_email, String::from);
        self.mobile_phone
            .apply_to(&mut a.mobile_phone, String::from);
        self.birthdate.apply_to(&mut a.birthdate, |d| d);
        match self.postal_address {
            Patch::Absent => {}
            Patch::Clear => {
                (a.street, a.postal_code, a.city, a.region, a.country) =
                    (None, None, None, None, None);
            }
            Patch::Set(p) => {
                p.street.apply_to(&mut a.street, |s| s);
                p.postal_code.apply_to(&mut a.postal_code, |s| s);
                p.city.apply_to(&mut a.city, |s| s);
                p.region.apply_to(&mut a.region, |s| s);
                p.country.apply_to(&mut a.country, String::from);
            }
        }
    }

    /// `personal: null` in a merge patch: every personal field cleared (the photo has its
    /// own route).
    pub fn clear_all() -> Self {
        Self {
            external_email: Patch::Clear,
            mobile_phone: Patch::Clear,
            postal_address: Patch::Clear,
            birthdate: Patch::Clear,
        }
    }
}

/// A new account, its fields already parsed.
#[derive(Debug)]
pub struct NewAccount {
    pub first_name: String,
    pub last_name: String,
    pub username: Username,
    pub email: EmailAddress,
    pub password: Password,
    pub plan: Option<String>,
    pub personal: PersonalPatch,
}

#[derive(Debug, Default)]
pub struct AccountUpdate {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub personal: PersonalPatch,
    /// The caller is the account itself: changing the recovery address (`external_email`, where
    /// reset links go) then needs `current_password`, so a stolen access token cannot take the
    /// account over.
    pub by_self: bool,
    pub current_password: Option<String>,
}

fn lower(s: &str) -> String {
    s.to_lowercase()
}

/// A new account row with no personal data, on the free plan when it belongs to an
/// organization.
pub(super) fn blank_account(
    ctx: &Ctx,
    org: Option<Uuid>,
    role: Role,
    username: &Username,
    first: String,
    last: String,
    hash: String,
) -> Row {
    Row {
        id: ctx.new_id(),
        organization_id: org,
        role,
        username: username.to_string(),
        first_name_lc: lower(&first),
        last_name_lc: lower(&last),
        first_name: first,
        last_name: last,
        status: AccountStatus::Active,
        plan_code: org.map(|_| FREE_PLAN.to_owned()),
        period_start: None,
        period_end: None,
        period_paid_cents: 0,
        period_anchor: None,
        password_hash: hash,
        external_email: None,
        mobile_phone: None,
        street: None,
        postal_code: None,
        city: None,
        region: None,
        country: None,
        birthdate: None,
        has_photo: false,
        created_at: ctx.now,
        updated_at: ctx.now,
        disabled_at: None,
    }
}

fn username_taken(username: &Username) -> Error {
    Error::new(
        ErrorCode::UsernameTaken,
        format!("the username {username} is already used"),
    )
}

/// Refuses a username that is reserved or already used, as username or as address on the
/// provider domain (they share one namespace there, SPEC §6).
pub(super) async fn check_username_free(
    txn: &Txn,
    s: &Services,
    username: &Username,
) -> Result<()> {
    if username.is_reserved() {
        return Err(Error::new(
            ErrorCode::AddressReserved,
            format!("the name {username} is reserved"),
        )
        .about("username"));
    }
    let on_provider = format!("{username}@{}", s.config.provider_domain);
    if rows::by_username(txn, username.as_str()).await?.is_some()
        || crate::store::addresses::exists(txn, &on_provider).await?
    {
        return Err(username_taken(username));
    }
    Ok(())
}

/// Inserts the account, with its primary address on the provider domain when `address` is
/// given; a username taken by a concurrent insert is 409 `username_taken`.
pub(super) async fn insert_with_address(txn: &Txn, row: Row, address: Option<&str>) -> Result<Row> {
    let username = row.username.clone();
    let taken = |e: sea_orm::DbErr| {
        if is_unique_violation(&e) {
            Error::new(
                ErrorCode::UsernameTaken,
                format!("the username {username} is already used"),
            )
        } else {
            e.into()
        }
    };
    let org = row.organization_id;
    let now = row.created_at;
    let inserted = rows::insert(txn, row).await.map_err(taken)?;
    if let (Some(org), Some(address)) = (org, address) {
        crate::store::addresses::insert(txn, org, address, Owner::Primary(inserted.id), None, now)
            .await
            .map_err(taken)?;
    }
    Ok(inserted)
}

/// Creates an operator (command line or start-up variables; never over HTTP).
pub async fn create_operator(
    s: &Services,
    ctx: &Ctx,
    username: &Username,
    password: &Password,
) -> Result<Uuid> {
    let hash = s.hasher.hash(password.expose()).await?;
    let txn = s.db.begin().await?;
    if rows::by_username(&txn, username.as_str()).await?.is_some() {
        return Err(username_taken(username));
    }
    let row = blank_account(
        ctx,
        None,
        Role::Operator,
        username,
        "Operator".into(),
        username.to_string(),
        hash,
    );
    let op = insert_with_address(&txn, row, None).await?;
    audit::record(
        &txn,
        ctx,
        None,
        AuditAction::OperatorCreated,
        Some(format!("account:{}", op.id)),
        json!({"username": op.username}),
    )
    .await?;
    txn.commit().await?;
    Ok(op.id)
}

pub async fn operator_exists(s: &Services) -> Result<bool> {
    rows::operator_exists(s.db.read()).await
}

/// Creates an account in `org` (admin). An API key needs `billing:write` besides
/// `accounts:write` for a plan that is not free.
pub async fn create(
    s: &Services,
    ctx: &Ctx,
    caller: &Principal,
    org: Uuid,
    new: NewAccount,
) -> Result<Account> {
    let provider = &s.config.provider_domain;
    let on_provider = new.email.domain() == provider;
    if on_provider && new.email.local_part() != new.username.as_str() {
        return Err(Error::field(
            "email",
            format!(
                "on {provider} the address is the username: {}@{provider}",
                new.username
            ),
        ));
    }
    let plan_code = match new.plan {
        Some(code) => code,
        None => {
            organizations::get(s.db.read(), org)
                .await?
                .provisioning_plan
        }
    };
    let plan = subscriptions::plan(s.db.read(), &plan_code).await?;
    if !plan.is_free {
        caller.require(&[Scope::BillingWrite])?;
    }
    let hash = s.hasher.hash(new.password.expose()).await?;
    let txn = s.db.begin().await?;
    // Caps and credit are checked under the organization's lock, in the insert's transaction.
    let mut org_row = organizations::lock(&txn, org).await?;
    check_username_free(&txn, s, &new.username).await?;
    // On an organization's own domain any local part may be chosen, under the address rules.
    let domain_id = if on_provider {
        None
    } else {
        addresses::check_available(&txn, s, org, "email", &new.email).await?
    };
    subscriptions::check_new_account(&txn, &org_row, &plan).await?;
    let mut row = blank_account(
        ctx,
        Some(org),
        Role::User,
        &new.username,
        new.first_name,
        new.last_name,
        hash,
    );
    let charged = subscriptions::start(
        &txn,
        ctx,
        &mut org_row,
        &mut row,
        &plan,
        s.config.yearly_discount_percent,
    )
    .await?;
    new.personal.apply(&mut row);
    let created = if on_provider {
        insert_with_address(&txn, row, Some(new.email.as_str())).await?
    } else {
        let created = insert_with_address(&txn, row, None).await?;
        addresses::insert(
            &txn,
            org,
            &new.email,
            Owner::Primary(created.id),
            domain_id,
            ctx.now,
        )
        .await?;
        created
    };
    audit::record(
        &txn,
        ctx,
        Some(org),
        AuditAction::AccountCreated,
        Some(format!("account:{}", created.id)),
        json!({"username": created.username, "plan": created.plan_code, "charged_cents": charged}),
    )
    .await?;
    let view = rows::view(&txn, created).await?;
    txn.commit().await?;
    Ok(view)
}

/// The answer for the account `id` of `org` (404 for any other), from the cache when it holds
/// it.
pub async fn view_in(s: &Services, org: Uuid, id: Uuid) -> Result<Arc<AccountView>> {
    let view = view(s, id).await?;
    if view.organization_id != Some(org) {
        return Err(Error::not_found("account"));
    }
    Ok(view)
}

/// The answer for the account `id`, from the cache when it holds it; a miss reads the database
/// and fills the cache.
pub async fn view(s: &Services, id: Uuid) -> Result<Arc<AccountView>> {
    if let Some(view) = s.caches.account(id) {
        return Ok(view);
    }
    let generation = s.caches.accounts.generation();
    let db = s.db.read();
    let view = Arc::new(AccountView::new(
        rows::view(db, rows::get(db, id).await?).await?,
    ));
    s.caches.accounts.fill(generation, id, view.clone());
    Ok(view)
}

/// The caller's own answer: its account (from the cache) and its organization.
pub async fn me(s: &Services, id: Uuid) -> Result<Me> {
    let account = view(s, id).await?.account.clone();
    let organization = match account.organization_id {
        Some(org) => organizations::names(s.db.read(), vec![org])
            .await?
            .remove(&org)
            .map(|(name, _)| OrganizationRef { id: org, name }),
        None => None,
    };
    Ok(Me {
        account,
        organization,
    })
}

/// Accounts of `org` sorted by username, keyset-paginated on the username: four statements
/// whatever the page size.
pub async fn list(
    s: &Services,
    org: Uuid,
    filter: ListFilter,
    limit: u64,
    cursor: Option<&str>,
) -> Result<Page<Account>> {
    let db = s.db.read();
    let after: Option<String> = cursor.map(decode_cursor).transpose()?;
    if let Some(group) = filter.group_id {
        // Another organization's group is not found, like any of its ids.
        crate::store::groups::get_in(db, org, group).await?;
    }
    let found = rows::list(db, org, filter, limit + 1, after).await?;
    let (found, next_cursor) = cut(found, limit, |r| r.username.clone());
    Ok(Page {
        items: rows::views(db, found).await?,
        next_cursor,
    })
}

/// Writes the row with its derived columns; the account's cached answers go stale.
async fn save(txn: &Txn, mut row: Row, ctx: &Ctx) -> Result<Row> {
    row.updated_at = ctx.now;
    row.first_name_lc = lower(&row.first_name);
    row.last_name_lc = lower(&row.last_name);
    rows::update(txn, row, ctx.now).await
}

/// Names and personal data (admins), or personal data only (the account itself).
pub async fn update(
    s: &Services,
    ctx: &Ctx,
    account_id: Uuid,
    org: Uuid,
    change: AccountUpdate,
) -> Result<Account> {
    let before = rows::get_in(s.db.read(), org, account_id).await?;
    let old_recovery = before.external_email.clone();
    let recovery_changes = match &change.personal.external_email {
        Patch::Absent => false,
        Patch::Clear => old_recovery.is_some(),
        Patch::Set(new) => old_recovery.as_deref() != Some(new.as_str()),
    };
    if recovery_changes && change.by_self {
        confirm_current_password(s, ctx, &before, change.current_password.as_deref()).await?;
    }
    let txn = s.db.begin().await?;
    let mut row = rows::get_in(&txn, org, account_id).await?;
    let mut fields = vec![];
    if let Some(first) = change.first_name {
        row.first_name = first;
        fields.push("first_name");
    }
    if let Some(last) = change.last_name {
        row.last_name = last;
        fields.push("last_name");
    }
    let p = &change.personal;
    for (absent, name) in [
        (p.external_email.is_absent(), "personal.external_email"),
        (p.mobile_phone.is_absent(), "personal.mobile_phone"),
        (p.postal_address.is_absent(), "personal.postal_address"),
        (p.birthdate.is_absent(), "personal.birthdate"),
    ] {
        if !absent {
            fields.push(name);
        }
    }
    change.personal.apply(&mut row);
    let saved = save(&txn, row, ctx).await?;
    // Which fields changed, never their values: personal data stays out of the audit trail.
    audit::record(
        &txn,
        ctx,
        Some(org),
        AuditAction::AccountUpdated,
        Some(format!("account:{account_id}")),
        json!({"fields": fields}),
    )
    .await?;
    if let (true, Some(old)) = (recovery_changes, old_recovery) {
        tell_old_recovery_address(&txn, s, ctx, &saved, &old).await?;
    }
    let view = rows::view(&txn, saved).await?;
    txn.commit().await?;
    Ok(view)
}

/// Mails the recovery address an account had that it has changed (queued with the change), so
/// that its owner learns of a change they did not make.
async fn tell_old_recovery_address(
    txn: &Txn,
    s: &Services,
    ctx: &Ctx,
    account: &Row,
    old: &str,
) -> Result<()> {
    let now = match &account.external_email {
        Some(new) => format!("is now {new}"),
        None => "was removed".to_owned(),
    };
    let body = format!(
        "Hello {},\n\nThe recovery address of your Postwarden account {} {now}: password reset \
         links no longer come to {old}. If you did not make this change, ask your \
         administrator to secure the account.\n\n-- Postwarden\n",
        account.first_name, account.username
    );
    super::outbox::enqueue(txn, s, ctx, old, "Your recovery address was changed", body).await
}

/// Checks an account's own current password before a change of its own credentials (its
/// password, its recovery address). Guesses are throttled like sign-ins, per account
/// (`password:<id>`): missing or wrong is 422 naming `current_password`, too many is 429.
pub async fn confirm_current_password(
    s: &Services,
    ctx: &Ctx,
    account: &Row,
    current: Option<&str>,
) -> Result<()> {
    let Some(current) = current.filter(|c| !c.is_empty()) else {
        return Err(Error::field(
            "current_password",
            "is required to change your own password or recovery address",
        ));
    };
    let key = format!("password:{}", account.id);
    let txn = s.db.begin().await?;
    let wait = throttle::attempt(&txn, std::slice::from_ref(&key), s.login_limits, ctx.now).await?;
    txn.commit().await?;
    if let Some(wait) = wait {
        return Err(Error::new(
            ErrorCode::RateLimited,
            format!("too many wrong passwords; try again in {wait} s"),
        )
        .with(|x| x.retry_after = u64::try_from(wait).ok()));
    }
    if !s
        .hasher
        .verify(current, Some(&account.password_hash))
        .await?
    {
        return Err(Error::field(
            "current_password",
            "is not the current password",
        ));
    }
    let txn = s.db.begin().await?;
    throttle::clear(&txn, &key).await?;
    txn.commit().await?;
    Ok(())
}

/// Replaces the password hash of `row` in `txn`: every session but `keep` is revoked and every
/// outstanding reset link used up. The one way a password changes (admin, self, reset link).
pub(super) async fn replace_password(
    txn: &Txn,
    ctx: &Ctx,
    mut row: Row,
    hash: String,
    keep: Option<Uuid>,
) -> Result<()> {
    let id = row.id;
    row.password_hash = hash;
    save(txn, row, ctx).await?;
    sessions::revoke_all(txn, id, keep, ctx.now).await?;
    sessions::expire_reset_links(txn, id, ctx.now).await?;
    Ok(())
}

/// Sets a new password and revokes the account's sessions, except `keep` (the caller's own
/// session when a user changes their own password).
pub(super) async fn set_password(
    s: &Services,
    ctx: &Ctx,
    account_id: Uuid,
    password: &Password,
    keep: Option<Uuid>,
    action: AuditAction,
) -> Result<()> {
    let hash = s.hasher.hash(password.expose()).await?;
    let txn = s.db.begin().await?;
    let row = rows::get(&txn, account_id).await?;
    let org = row.organization_id;
    replace_password(&txn, ctx, row, hash, keep).await?;
    audit::record(
        &txn,
        ctx,
        org,
        action,
        Some(format!("account:{account_id}")),
        json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// An admin sets the password of an account of `org`; its sessions are revoked. An admin's own
/// password needs the current one here too (as `/me/password`), and keeps the caller's session.
pub async fn set_password_by_admin(
    s: &Services,
    ctx: &Ctx,
    org: Uuid,
    account_id: Uuid,
    caller: &Principal,
    password: &Password,
    current: Option<&str>,
) -> Result<()> {
    let row = rows::get_in(s.db.read(), org, account_id).await?;
    if caller.scopes().is_some() && row.role != Role::User {
        return Err(Error::forbidden(
            "an API key cannot set the password of an administrator",
        ));
    }
    let keep = if Some(account_id) == caller.account_id() {
        confirm_current_password(s, ctx, &row, current).await?;
        caller.session_id()
    } else {
        None
    };
    set_password(
        s,
        ctx,
        account_id,
        password,
        keep,
        AuditAction::AccountPasswordSet,
    )
    .await
}

fn protect_owner(org: &organizations::Row, account_id: Uuid) -> Result<()> {
    if org.owner_account_id == Some(account_id) {
        return Err(Error::new(
            ErrorCode::OwnerProtected,
            "the owner's account cannot be disabled or deleted",
        ));
    }
    Ok(())
}

/// Disables (no login, live sessions revoked at once, mail refused) or enables an account.
pub async fn set_status(
    s: &Services,
    ctx: &Ctx,
    org: Uuid,
    account_id: Uuid,
    status: AccountStatus,
) -> Result<Account> {
    let txn = s.db.begin().await?;
    let mut row = rows::get_in(&txn, org, account_id).await?;
    if status == AccountStatus::Disabled {
        protect_owner(&organizations::get(&txn, org).await?, account_id)?;
    }
    if row.status == status {
        return rows::view(&txn, row).await;
    }
    row.status = status;
    row.disabled_at = (status == AccountStatus::Disabled).then_some(ctx.now);
    let saved = save(&txn, row, ctx).await?;
    let action = match status {
        AccountStatus::Disabled => {
            sessions::revoke_all(&txn, account_id, None, ctx.now).await?;
            AuditAction::AccountDisabled
        }
        AccountStatus::Active => AuditAction::AccountEnabled,
    };
    audit::record(
        &txn,
        ctx,
        Some(org),
        action,
        Some(format!("account:{account_id}")),
        json!({}),
    )
    .await?;
    let view = rows::view(&txn, saved).await?;
    txn.commit().await?;
    Ok(view)
}

/// Deletes a disabled account for good, freeing its addresses. Returns the refund and the
/// resulting balance.
pub async fn delete(s: &Services, ctx: &Ctx, org: Uuid, account_id: Uuid) -> Result<(i64, i64)> {
    let txn = s.db.begin().await?;
    let mut org_row = organizations::lock(&txn, org).await?;
    let row = rows::get_in(&txn, org, account_id).await?;
    protect_owner(&org_row, account_id)?;
    if row.status != AccountStatus::Disabled {
        return Err(Error::new(
            ErrorCode::AccountNotDisabled,
            "only a disabled account can be deleted; disable it first",
        ));
    }
    let memo = format!(
        "unused part of the subscription of {} (deleted)",
        row.username
    );
    let refunded = subscriptions::refund_unused(&txn, ctx, &mut org_row, &row, &memo).await?;
    rows::delete(&txn, account_id, ctx.now).await?;
    let details = json!({"username": row.username, "refunded_cents": refunded});
    audit::record(
        &txn,
        ctx,
        Some(org),
        AuditAction::AccountDeleted,
        Some(format!("account:{account_id}")),
        details,
    )
    .await?;
    txn.commit().await?;
    Ok((refunded, org_row.balance_cents))
}

/// Marks whether the account has a photo, in the photo's transaction.
pub(super) async fn set_has_photo(txn: &Txn, ctx: &Ctx, account_id: Uuid, has: bool) -> Result<()> {
    let mut row = rows::get(txn, account_id).await?;
    row.has_photo = has;
    save(txn, row, ctx).await?;
    Ok(())
}
