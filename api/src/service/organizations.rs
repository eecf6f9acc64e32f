//! Organizations (SPEC §1, §3): created with their owner (sign-up, operators), read with the
//! caps the owner's plan sets and what they use, renamed, their billing period changed; and the
//! plan catalog operators edit.

use serde_json::json;
use shared::dto::{BillingPeriod, Caps, Organization, Page, Plan};
use shared::value::{ExternalEmail, Password, Username};
use uuid::Uuid;

use super::Services;
use super::accounts;
use super::audit::{self, AuditAction, Ctx};
use crate::error::{Error, Result};
use crate::store::organizations::{self as rows, Row};
use crate::store::pagination::{cut, decode_cursor};
use crate::store::plans;

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

/// An operator's edit of a plan of the catalog.
#[derive(Debug)]
pub struct PlanEdit {
    pub code: String,
    pub name: String,
    pub monthly_price_cents: i64,
    pub max_aliases: i64,
    pub storage_mb: i64,
    pub caps: Caps,
}

pub fn plan_answer(p: plans::Row, discount_percent: u8) -> Plan {
    Plan {
        yearly_price_cents: super::periods::period_price(
            p.monthly_price_cents,
            BillingPeriod::Yearly,
            discount_percent,
        ),
        caps: Caps {
            accounts: p.cap_accounts,
            free_accounts: p.cap_free_accounts,
            domains: p.cap_domains,
        },
        code: p.code,
        name: p.name,
        monthly_price_cents: p.monthly_price_cents,
        max_aliases: p.max_aliases,
        storage_mb: p.storage_mb,
        is_free: p.is_free,
    }
}

/// The catalog, cheapest first.
pub async fn plans(s: &Services) -> Result<Vec<Plan>> {
    let discount = s.config.yearly_discount_percent;
    Ok(plans::all(s.db.read())
        .await?
        .into_iter()
        .map(|p| plan_answer(p, discount))
        .collect())
}

/// Creates an organization and its owner (an admin on the free plan, at
/// `<username>@<provider domain>`), in one transaction.
pub async fn create(
    s: &Services,
    ctx: &Ctx,
    new: NewOrganization,
) -> Result<(Organization, shared::dto::Account)> {
    let hash = s.hasher.hash(new.owner_password.expose()).await?;
    let txn = s.db.begin().await?;
    accounts::check_username_free(&txn, s, &new.owner_username).await?;
    let org = rows::insert(
        &txn,
        Row {
            id: ctx.new_id(),
            name: new.name,
            owner_account_id: None,
            billing_period: BillingPeriod::Monthly,
            balance_cents: 0,
            currency: s.config.currency.clone(),
            status: "active".into(),
            created_at: ctx.now,
            low_credit_reminded_at: None,
            provisioning_plan: plans::FREE.to_owned(),
        },
    )
    .await?;
    let mut owner = accounts::blank_account(
        ctx,
        Some(org.id),
        shared::dto::Role::Admin,
        &new.owner_username,
        new.owner_first_name,
        new.owner_last_name,
        hash,
    );
    owner.external_email = new.owner_external_email.map(String::from);
    let address = format!("{}@{}", new.owner_username, s.config.provider_domain);
    let owner = accounts::insert_with_address(&txn, owner, Some(&address)).await?;
    let org = rows::update(
        &txn,
        Row {
            owner_account_id: Some(owner.id),
            ..org
        },
    )
    .await?;
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
    let answers = (
        rows::view(&txn, org).await?,
        crate::store::accounts::view(&txn, owner).await?,
    );
    txn.commit().await?;
    Ok(answers)
}

/// The organization `id` with its caps and usage; 404 when there is none.
pub async fn get(s: &Services, id: Uuid) -> Result<Organization> {
    let db = s.db.read();
    rows::view(db, rows::get(db, id).await?).await
}

/// Every organization, oldest first (operators): five statements whatever the page size.
pub async fn list(s: &Services, limit: u64, cursor: Option<&str>) -> Result<Page<Organization>> {
    let db = s.db.read();
    let after: Option<Uuid> = cursor.map(decode_cursor).transpose()?;
    let (found, next_cursor) = cut(rows::list(db, limit + 1, after).await?, limit, |r| r.id);
    Ok(Page {
        items: rows::views(db, found).await?,
        next_cursor,
    })
}

/// Renames the organization or changes its billing period (which applies from each account's
/// next renewal).
pub async fn update(
    s: &Services,
    ctx: &Ctx,
    org: Uuid,
    name: Option<String>,
    period: Option<BillingPeriod>,
    provisioning_plan: Option<String>,
) -> Result<Organization> {
    let txn = s.db.begin().await?;
    let mut row = rows::lock(&txn, org).await?;
    if let Some(name) = &name {
        row.name = name.clone();
    }
    if let Some(period) = period {
        row.billing_period = period;
    }
    if let Some(code) = &provisioning_plan {
        if plans::find(&txn, code).await?.is_none() {
            return Err(Error::field(
                "provisioning_plan",
                "is not a plan of the catalog",
            ));
        }
        row.provisioning_plan = code.clone();
    }
    let row = rows::update(&txn, row).await?;
    let details = json!({"name": name, "billing_period": period.map(|p| p.as_str()),
                         "provisioning_plan": provisioning_plan});
    audit::record(
        &txn,
        ctx,
        Some(org),
        AuditAction::OrganizationUpdated,
        Some(format!("organization:{org}")),
        details,
    )
    .await?;
    let view = rows::view(&txn, row).await?;
    txn.commit().await?;
    Ok(view)
}

/// An operator edits a plan of the catalog. Prices apply to periods charged from now on; what
/// earlier periods cost stays stored with them.
pub async fn update_plan(s: &Services, ctx: &Ctx, edit: PlanEdit) -> Result<Plan> {
    let txn = s.db.begin().await?;
    if plans::find(&txn, &edit.code).await?.is_none() {
        return Err(Error::not_found("plan"));
    }
    let saved = plans::update(
        &txn,
        plans::Row {
            is_free: edit.monthly_price_cents == 0,
            code: edit.code,
            name: edit.name,
            monthly_price_cents: edit.monthly_price_cents,
            max_aliases: edit.max_aliases,
            storage_mb: edit.storage_mb,
            cap_accounts: edit.caps.accounts,
            cap_free_accounts: edit.caps.free_accounts,
            cap_domains: edit.caps.domains,
        },
    )
    .await?;
    let details = json!({
        "monthly_price_cents": saved.monthly_price_cents, "max_aliases": saved.max_aliases,
        "caps": [saved.cap_accounts, saved.cap_free_accounts, saved.cap_domains],
    });
    audit::record(
        &txn,
        ctx,
        None,
        AuditAction::PlanUpdated,
        Some(format!("plan:{}", saved.code)),
        details,
    )
    .await?;
    txn.commit().await?;
    Ok(plan_answer(saved, s.config.yearly_discount_percent))
}
