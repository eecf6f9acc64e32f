//! Accounts (SPEC §6): creation, reading, listing, personal data, passwords, disable, enable,
//! delete, photos; and organizations created with their owner (sign-up, operators).

use std::sync::Arc;

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use shared::ErrorCode;
use shared::dto::{
    Account, AccountStatus, BillingPeriod, GroupRef, Page, Personal, PostalAddress, Role,
    Subscription,
};
use shared::value::{CountryCode, EmailAddress, ExternalEmail, Password, PhoneNumber, Username};
use uuid::Uuid;

use super::Services;
use super::audit::{self, AuditAction, Ctx};
use super::{addresses, credit, organizations, subscriptions};
use crate::auth::throttle;
use crate::error::{Error, Result, is_unique_violation};
use crate::patch::Patch;
use crate::store::changes::Change;
use crate::store::db::Txn;
use crate::store::entities::address::AddressKind;
use crate::store::entities::{
    account, account_photo, address, group_member, organization, password_reset, session,
};
use crate::store::pagination::{cut, decode_cursor};

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
    fn apply(self, a: &mut account::Model) {
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

/// A new organization with its owner (sign-up or operator).
#[derive(Debug)]
pub struct NewOrganization {
    pub name: String,
    pub owner_first_name: String,
    pub owner_last_name: String,
    pub owner_username: Username,
    pub owner_password: Password,
    pub owner_external_email: Option<ExternalEmail>,
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

#[derive(Debug, Default)]
pub struct ListFilter {
    pub q: Option<String>,
    pub status: Option<AccountStatus>,
    pub plan: Option<String>,
    pub group_id: Option<Uuid>,
}

use subscriptions::FREE_PLAN;

fn lower(s: &str) -> String {
    s.to_lowercase()
}

fn blank_account(
    ctx: &Ctx,
    org: Option<Uuid>,
    role: Role,
    username: &Username,
    first: String,
    last: String,
    hash: String,
) -> account::Model {
    account::Model {
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

/// Refuses a username that is reserved or already used, as username or as address on the
/// provider domain (they share one namespace there, SPEC §6).
async fn check_username_free(
    db: &impl ConnectionTrait,
    s: &Services,
    username: &Username,
) -> Result<()> {
    if username.is_reserved() {
        return Err(Error::new(
            ErrorCode::AddressReserved,
            format!("the name {username} is reserved"),
        )
        .with("field", "username"));
    }
    let taken = account::Entity::find()
        .filter(account::Column::Username.eq(username.as_str()))
        .one(db)
        .await?
        .is_some()
        || address::Entity::find_by_id(format!("{username}@{}", s.config.provider_domain))
            .one(db)
            .await?
            .is_some();
    if taken {
        return Err(Error::new(
            ErrorCode::UsernameTaken,
            format!("the username {username} is already used"),
        ));
    }
    Ok(())
}

fn username_taken_on_race(e: sea_orm::DbErr, username: &Username) -> Error {
    if is_unique_violation(&e) {
        Error::new(
            ErrorCode::UsernameTaken,
            format!("the username {username} is already used"),
        )
    } else {
        e.into()
    }
}

async fn insert_with_address(
    db: &impl ConnectionTrait,
    model: account::Model,
    address_value: &str,
) -> Result<account::Model, sea_orm::DbErr> {
    let org = model.organization_id;
    let inserted = model
        .clone()
        .into_active_model()
        .reset_all()
        .insert(db)
        .await?;
    if let Some(org) = org {
        address::ActiveModel {
            address: Set(address_value.to_owned()),
            organization_id: Set(org),
            kind: Set(AddressKind::Primary),
            account_id: Set(Some(inserted.id)),
            group_id: Set(None),
            domain_id: Set(None),
            created_at: Set(model.created_at),
        }
        .insert(db)
        .await?;
    }
    Ok(inserted)
}

/// Creates an organization and its owner (an admin on the free plan, at
/// `<username>@<provider domain>`), in one transaction.
pub async fn create_organization(
    s: &Services,
    ctx: &Ctx,
    new: NewOrganization,
) -> Result<(organization::Model, account::Model)> {
    let hash = s.hasher.hash(new.owner_password.expose()).await?;
    let txn = s.db.begin().await?;
    check_username_free(&txn, s, &new.owner_username).await?;
    let org = organization::Model {
        id: ctx.new_id(),
        name: new.name,
        owner_account_id: None,
        billing_period: BillingPeriod::Monthly,
        balance_cents: 0,
        currency: s.config.currency.clone(),
        status: "active".into(),
        created_at: ctx.now,
        low_credit_reminded_at: None,
    };
    let org = org.into_active_model().reset_all().insert(&txn).await?;
    let mut owner = blank_account(
        ctx,
        Some(org.id),
        Role::Admin,
        &new.owner_username,
        new.owner_first_name,
        new.owner_last_name,
        hash,
    );
    owner.external_email = new.owner_external_email.map(String::from);
    let address = format!("{}@{}", new.owner_username, s.config.provider_domain);
    let owner = insert_with_address(&txn, owner, &address)
        .await
        .map_err(|e| username_taken_on_race(e, &new.owner_username))?;
    let mut active = org.into_active_model();
    active.owner_account_id = Set(Some(owner.id));
    let org = active.update(&txn).await?;
    audit::record(
        &txn,
        ctx,
        Some(org.id),
        AuditAction::OrganizationCreated,
        Some(format!("organization:{}", org.id)),
        json!({"name": org.name}),
    )
    .await?;
    audit::record(
        &txn,
        ctx,
        Some(org.id),
        AuditAction::AccountCreated,
        Some(format!("account:{}", owner.id)),
        json!({"username": owner.username, "role": "admin", "owner": true}),
    )
    .await?;
    txn.commit().await?;
    Ok((org, owner))
}

/// Creates an operator (command line or start-up variables; never over HTTP).
pub async fn create_operator(
    s: &Services,
    ctx: &Ctx,
    username: &Username,
    password: &Password,
) -> Result<account::Model> {
    let hash = s.hasher.hash(password.expose()).await?;
    let txn = s.db.begin().await?;
    if account::Entity::find()
        .filter(account::Column::Username.eq(username.as_str()))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(Error::new(
            ErrorCode::UsernameTaken,
            format!("the username {username} is already used"),
        ));
    }
    let model = blank_account(
        ctx,
        None,
        Role::Operator,
        username,
        "Operator".into(),
        username.to_string(),
        hash,
    );
    let op = insert_with_address(&txn, model, "")
        .await
        .map_err(|e| username_taken_on_race(e, username))?;
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
    Ok(op)
}

pub async fn operator_exists(s: &Services) -> Result<bool> {
    Ok(account::Entity::find()
        .filter(account::Column::Role.eq(Role::Operator))
        .one(s.db.read())
        .await?
        .is_some())
}

/// Creates an account in `org` (admin).
pub async fn create(s: &Services, ctx: &Ctx, org: Uuid, new: NewAccount) -> Result<account::Model> {
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
    let plan_code = new.plan.unwrap_or_else(|| FREE_PLAN.to_owned());
    let plan = subscriptions::plan(s.db.read(), &plan_code).await?;
    let hash = s.hasher.hash(new.password.expose()).await?;
    let txn = s.db.begin().await?;
    // Caps and credit are checked under the organization's lock, in the insert's transaction.
    let mut org_row = credit::lock_organization(&txn, org).await?;
    check_username_free(&txn, s, &new.username).await?;
    // On an organization's own domain any local part may be chosen, under the address rules.
    let domain_id = if on_provider {
        None
    } else {
        addresses::check_available(&txn, s, org, "email", &new.email).await?
    };
    subscriptions::check_new_account(&txn, &org_row, &plan).await?;
    let mut model = blank_account(
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
        &mut model,
        &plan,
        s.config.yearly_discount_percent,
    )
    .await?;
    new.personal.apply(&mut model);
    let created = if on_provider {
        insert_with_address(&txn, model, new.email.as_str())
            .await
            .map_err(|e| username_taken_on_race(e, &new.username))?
    } else {
        let created = model
            .into_active_model()
            .reset_all()
            .insert(&txn)
            .await
            .map_err(|e| username_taken_on_race(e, &new.username))?;
        addresses::insert(
            &txn,
            org,
            &new.email,
            addresses::Owner::Primary(created.id),
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
    txn.commit().await?;
    Ok(created)
}

/// The account `id` of `org`; 404 for any other (SPEC §1).
pub async fn find_in(db: &impl ConnectionTrait, org: Uuid, id: Uuid) -> Result<account::Model> {
    account::Entity::find_by_id(id)
        .filter(account::Column::OrganizationId.eq(org))
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("account"))
}

/// The answer for the account `id` of `org` (404 for any other), from the cache when it holds
/// it.
pub async fn view_in(s: &Services, org: Uuid, id: Uuid) -> Result<Arc<Account>> {
    let view = view(s, id).await?;
    if view.organization_id != Some(org) {
        return Err(Error::not_found("account"));
    }
    Ok(view)
}

/// The answer for the account `id`, from the cache when it holds it; a miss reads the database
/// and fills the cache.
pub async fn view(s: &Services, id: Uuid) -> Result<Arc<Account>> {
    if let Some(view) = s.caches.account(id) {
        return Ok(view);
    }
    let generation = s.caches.accounts.generation();
    let view = Arc::new(dto(s.db.read(), find(s.db.read(), id).await?).await?);
    s.caches.accounts.fill(generation, id, view.clone());
    Ok(view)
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<account::Model> {
    account::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("account"))
}

/// Account answers for `models`, with their addresses, loaded in one query.
pub async fn dtos(db: &impl ConnectionTrait, models: Vec<account::Model>) -> Result<Vec<Account>> {
    let ids: Vec<Uuid> = models.iter().map(|m| m.id).collect();
    let memberships = super::groups::of_accounts(db, &ids).await?;
    let addresses = if ids.is_empty() {
        vec![]
    } else {
        address::Entity::find()
            .filter(address::Column::AccountId.is_in(ids))
            .order_by_asc(address::Column::Address)
            .all(db)
            .await?
    };
    let org_ids: Vec<Uuid> = models.iter().filter_map(|m| m.organization_id).collect();
    let owners: Vec<Uuid> = if org_ids.is_empty() {
        vec![]
    } else {
        organization::Entity::find()
            .filter(organization::Column::Id.is_in(org_ids))
            .all(db)
            .await?
            .into_iter()
            .filter_map(|o| o.owner_account_id)
            .collect()
    };
    Ok(models
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
            let is_owner = owners.contains(&m.id);
            let groups = memberships
                .iter()
                .filter(|(a, _)| *a == m.id)
                .map(|(_, g)| g.clone())
                .collect();
            to_dto(m, email, aliases, groups, is_owner)
        })
        .collect())
}

pub async fn dto(db: &impl ConnectionTrait, model: account::Model) -> Result<Account> {
    dtos(db, vec![model])
        .await?
        .pop()
        .ok_or_else(|| anyhow::anyhow!("account vanished").into())
}

/// The account's current subscription (none for operators).
pub fn subscription(m: &account::Model) -> Option<Subscription> {
    m.plan_code.clone().map(|plan| Subscription {
        plan,
        period_start: m.period_start,
        period_end: m.period_end,
        paid_cents: m.period_paid_cents,
        renews_at: m.period_end,
    })
}

fn to_dto(
    m: account::Model,
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

/// Accounts of `org` sorted by username, keyset-paginated on the username.
pub async fn list(
    db: &impl ConnectionTrait,
    org: Uuid,
    filter: ListFilter,
    limit: u64,
    cursor: Option<&str>,
) -> Result<Page<Account>> {
    let mut query = account::Entity::find()
        .filter(account::Column::OrganizationId.eq(org))
        .order_by_asc(account::Column::Username)
        .limit(limit + 1);
    if let Some(cursor) = cursor {
        let after: String = decode_cursor(cursor)?;
        query = query.filter(account::Column::Username.gt(after));
    }
    if let Some(status) = filter.status {
        query = query.filter(account::Column::Status.eq(status));
    }
    if let Some(plan) = filter.plan {
        query = query.filter(account::Column::PlanCode.eq(plan));
    }
    if let Some(group) = filter.group_id {
        // Another organization's group is not found, like any of its ids.
        super::groups::find_in(db, org, group).await?;
        query = query.filter(
            account::Column::Id.in_subquery(
                Query::select()
                    .column(group_member::Column::AccountId)
                    .from(group_member::Entity)
                    .and_where(Expr::col(group_member::Column::GroupId).eq(group))
                    .to_owned(),
            ),
        );
    }
    if let Some(q) = filter.q.filter(|q| !q.trim().is_empty()) {
        let q = q.trim();
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
    let (rows, next_cursor) = cut(query.all(db).await?, limit, |r| r.username.clone());
    Ok(Page {
        items: dtos(db, rows).await?,
        next_cursor,
    })
}

async fn save(txn: &Txn, mut model: account::Model, ctx: &Ctx) -> Result<account::Model> {
    model.updated_at = ctx.now;
    model.first_name_lc = lower(&model.first_name);
    model.last_name_lc = lower(&model.last_name);
    txn.touch(Change::Account(model.id), ctx.now);
    Ok(model.into_active_model().reset_all().update(txn).await?)
}

/// Names and personal data (admins), or personal data only (the account itself).
pub async fn update(
    s: &Services,
    ctx: &Ctx,
    account_id: Uuid,
    org: Uuid,
    change: AccountUpdate,
) -> Result<account::Model> {
    let before = find_in(s.db.read(), org, account_id).await?;
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
    let mut model = find_in(&txn, org, account_id).await?;
    let mut fields = vec![];
    if let Some(first) = change.first_name {
        model.first_name = first;
        fields.push("first_name");
    }
    if let Some(last) = change.last_name {
        model.last_name = last;
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
    change.personal.apply(&mut model);
    let saved = save(&txn, model, ctx).await?;
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
    txn.commit().await?;
    Ok(saved)
}

/// Mails the recovery address an account had that it has changed (queued with the change), so
/// that its owner learns of a change they did not make.
async fn tell_old_recovery_address(
    txn: &Txn,
    s: &Services,
    ctx: &Ctx,
    account: &account::Model,
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
    account: &account::Model,
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
        .with("retry_after", wait));
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

/// Uses up every outstanding reset link of the account: a new password makes them moot.
pub async fn expire_reset_links(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    ctx: &Ctx,
) -> Result<()> {
    password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::value(ctx.now))
        .filter(password_reset::Column::AccountId.eq(account_id))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

async fn revoke_sessions(
    txn: &Txn,
    account_id: Uuid,
    except: Option<Uuid>,
    ctx: &Ctx,
) -> Result<()> {
    txn.touch(Change::Account(account_id), ctx.now);
    let mut update = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(ctx.now))
        .filter(session::Column::AccountId.eq(account_id))
        .filter(session::Column::RevokedAt.is_null());
    if let Some(keep) = except {
        update = update.filter(session::Column::Id.ne(keep));
    }
    update.exec(txn).await?;
    Ok(())
}

/// Sets a new password and revokes the account's sessions, except `keep` (the caller's own
/// session when a user changes their own password).
pub async fn set_password(
    s: &Services,
    ctx: &Ctx,
    account: account::Model,
    password: &Password,
    keep: Option<Uuid>,
    action: AuditAction,
) -> Result<()> {
    let hash = s.hasher.hash(password.expose()).await?;
    let txn = s.db.begin().await?;
    let org = account.organization_id;
    let id = account.id;
    let mut model = find(&txn, id).await?;
    model.password_hash = hash;
    save(&txn, model, ctx).await?;
    revoke_sessions(&txn, id, keep, ctx).await?;
    expire_reset_links(&txn, id, ctx).await?;
    audit::record(
        &txn,
        ctx,
        org,
        action,
        Some(format!("account:{id}")),
        json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

fn protect_owner(org: &organization::Model, account_id: Uuid) -> Result<()> {
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
) -> Result<account::Model> {
    let txn = s.db.begin().await?;
    let mut model = find_in(&txn, org, account_id).await?;
    if status == AccountStatus::Disabled {
        protect_owner(&organizations::find(&txn, org).await?, account_id)?;
    }
    if model.status == status {
        return Ok(model);
    }
    model.status = status;
    model.disabled_at = (status == AccountStatus::Disabled).then_some(ctx.now);
    let saved = save(&txn, model, ctx).await?;
    let action = match status {
        AccountStatus::Disabled => {
            revoke_sessions(&txn, account_id, None, ctx).await?;
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
    txn.commit().await?;
    Ok(saved)
}

/// Deletes a disabled account for good, freeing its addresses. Returns the refund and the
/// resulting balance (refunds of paid periods arrive with the credit ledger; free plans
/// refund nothing).
pub async fn delete(s: &Services, ctx: &Ctx, org: Uuid, account_id: Uuid) -> Result<(i64, i64)> {
    let txn = s.db.begin().await?;
    let mut org_row = credit::lock_organization(&txn, org).await?;
    let model = find_in(&txn, org, account_id).await?;
    protect_owner(&org_row, account_id)?;
    if model.status != AccountStatus::Disabled {
        return Err(Error::new(
            ErrorCode::AccountNotDisabled,
            "only a disabled account can be deleted; disable it first",
        ));
    }
    let memo = format!(
        "unused part of the subscription of {} (deleted)",
        model.username
    );
    let refunded = subscriptions::refund_unused(&txn, ctx, &mut org_row, &model, &memo).await?;
    account::Entity::delete_by_id(account_id).exec(&txn).await?;
    txn.touch(Change::Account(account_id), ctx.now);
    let details = json!({"username": model.username, "refunded_cents": refunded});
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

pub async fn set_photo(
    s: &Services,
    ctx: &Ctx,
    account_id: Uuid,
    org: Option<Uuid>,
    bytes: Vec<u8>,
    content_type: &str,
) -> Result<()> {
    let txn = s.db.begin().await?;
    account_photo::Entity::delete_by_id(account_id)
        .exec(&txn)
        .await?;
    account_photo::ActiveModel {
        account_id: Set(account_id),
        content_type: Set(content_type.to_owned()),
        bytes: Set(bytes),
        updated_at: Set(ctx.now),
    }
    .insert(&txn)
    .await?;
    let mut model = find(&txn, account_id).await?;
    model.has_photo = true;
    save(&txn, model, ctx).await?;
    let target = Some(format!("account:{account_id}"));
    audit::record(
        &txn,
        ctx,
        org,
        AuditAction::AccountPhotoSet,
        target,
        json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn photo(db: &impl ConnectionTrait, account_id: Uuid) -> Result<account_photo::Model> {
    account_photo::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("photo"))
}

pub async fn delete_photo(
    s: &Services,
    ctx: &Ctx,
    account_id: Uuid,
    org: Option<Uuid>,
) -> Result<()> {
    let txn = s.db.begin().await?;
    let removed = account_photo::Entity::delete_by_id(account_id)
        .exec(&txn)
        .await?;
    if removed.rows_affected == 0 {
        return Err(Error::not_found("photo"));
    }
    let mut model = find(&txn, account_id).await?;
    model.has_photo = false;
    save(&txn, model, ctx).await?;
    let target = Some(format!("account:{account_id}"));
    audit::record(
        &txn,
        ctx,
        org,
        AuditAction::AccountPhotoDeleted,
        target,
        json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
