//! Organizations and the plan catalog, as admins and operators read them.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use shared::dto::{BillingPeriod, Caps, Credit, Organization, Page, Plan};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::store::entities::{account, organization, plan};
use crate::store::pagination::{cut, decode_cursor};

pub fn plan_dto(p: plan::Model, discount_percent: u8) -> Plan {
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
pub async fn plans(db: &impl ConnectionTrait, discount_percent: u8) -> Result<Vec<Plan>> {
    let rows = plan::Entity::find()
        .order_by_asc(plan::Column::MonthlyPriceCents)
        .order_by_asc(plan::Column::Code)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|p| plan_dto(p, discount_percent))
        .collect())
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<organization::Model> {
    organization::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("organization"))
}

/// The organization with the caps its owner's plan sets and what it uses of them.
pub async fn dto(db: &impl ConnectionTrait, org: organization::Model) -> Result<Organization> {
    let owner_id = org
        .owner_account_id
        .ok_or_else(|| anyhow::anyhow!("organization {} has no owner", org.id))?;
    let owner = account::Entity::find_by_id(owner_id)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("organization {} has lost its owner", org.id))?;
    let plan = super::subscriptions::plan(
        db,
        owner
            .plan_code
            .as_deref()
            .unwrap_or(super::subscriptions::FREE_PLAN),
    )
    .await?;
    let plan_code = plan.code.clone();
    let (accounts, free_accounts, domains) = super::subscriptions::usage(db, org.id).await?;
    Ok(Organization {
        id: org.id,
        name: org.name,
        owner_account_id: owner_id,
        owner_username: owner.username,
        plan: plan_code,
        billing_period: org.billing_period,
        caps: Caps {
            accounts: plan.cap_accounts,
            free_accounts: plan.cap_free_accounts,
            domains: plan.cap_domains,
        },
        usage: Caps {
            accounts,
            free_accounts,
            domains,
        },
        credit: Credit {
            balance_cents: org.balance_cents,
            currency: org.currency,
        },
        created_at: org.created_at,
    })
}

/// Every organization, oldest first (operators).
pub async fn list(
    db: &impl ConnectionTrait,
    limit: u64,
    cursor: Option<&str>,
) -> Result<Page<Organization>> {
    let mut query = organization::Entity::find()
        .order_by_asc(organization::Column::Id)
        .limit(limit + 1);
    if let Some(cursor) = cursor {
        let id: Uuid = decode_cursor(cursor)?;
        query = query.filter(organization::Column::Id.gt(id));
    }
    let (rows, next_cursor) = cut(query.all(db).await?, limit, |r| r.id);
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        items.push(dto(db, row).await?);
    }
    Ok(Page { items, next_cursor })
}

/// Renames the organization or changes its billing period (which applies from each account's
/// next renewal).
pub async fn update(
    s: &super::Services,
    ctx: &super::audit::Ctx,
    org: Uuid,
    name: Option<String>,
    period: Option<BillingPeriod>,
) -> Result<organization::Model> {
    use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
    let txn = s.db.begin().await?;
    let row = super::credit::lock_organization(&txn, org).await?;
    let mut active = row.into_active_model();
    if let Some(name) = &name {
        active.name = Set(name.clone());
    }
    if let Some(period) = period {
        active.billing_period = Set(period);
    }
    let row = active.update(&txn).await?;
    let details = serde_json::json!({"name": name, "billing_period": period.map(|p| p.as_str())});
    super::audit::record(
        &txn,
        ctx,
        Some(org),
        super::audit::AuditAction::OrganizationUpdated,
        Some(format!("organization:{org}")),
        details,
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// An operator edits a plan of the catalog. Prices apply to periods charged from now on; what
/// earlier periods cost stays stored with them.
pub async fn update_plan(
    s: &super::Services,
    ctx: &super::audit::Ctx,
    plan: plan::Model,
) -> Result<plan::Model> {
    use sea_orm::{ActiveModelTrait, IntoActiveModel};
    let txn = s.db.begin().await?;
    if plan::Entity::find_by_id(plan.code.clone())
        .one(&txn)
        .await?
        .is_none()
    {
        return Err(Error::not_found("plan"));
    }
    let saved = plan.into_active_model().reset_all().update(&txn).await?;
    let details = serde_json::json!({
        "monthly_price_cents": saved.monthly_price_cents, "max_aliases": saved.max_aliases,
        "caps": [saved.cap_accounts, saved.cap_free_accounts, saved.cap_domains],
    });
    super::audit::record(
        &txn,
        ctx,
        None,
        super::audit::AuditAction::PlanUpdated,
        Some(format!("plan:{}", saved.code)),
        details,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}
