//! Organizations and the plan catalog, as admins and operators read them.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use shared::dto::{BillingPeriod, Caps, Credit, Organization, Page, Plan};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::store::entities::{account, organization, plan};
use crate::store::pagination::{decode_cursor, encode_cursor};

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

pub async fn find_plan(db: &impl ConnectionTrait, code: &str) -> Result<Option<plan::Model>> {
    Ok(plan::Entity::find_by_id(code.to_owned()).one(db).await?)
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
        .ok_or_else(|| anyhow::anyhow!("owner {owner_id} of organization {} is missing", org.id))?;
    let plan_code = owner.plan_code.unwrap_or_else(|| "free".into());
    let plan = find_plan(db, &plan_code)
        .await?
        .ok_or_else(|| anyhow::anyhow!("plan {plan_code} is missing"))?;
    let members = || account::Entity::find().filter(account::Column::OrganizationId.eq(org.id));
    let accounts = members().count(db).await? as i64;
    let free_accounts = members()
        .filter(
            account::Column::PlanCode.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(plan::Column::Code)
                    .from(plan::Entity)
                    .and_where(Expr::col(plan::Column::IsFree).eq(true))
                    .to_owned(),
            ),
        )
        .count(db)
        .await? as i64;
    Ok(Organization {
        id: org.id,
        name: org.name,
        owner_account_id: owner_id,
        plan: plan_code,
        billing_period: BillingPeriod::parse(&org.billing_period).unwrap_or(BillingPeriod::Monthly),
        caps: Caps {
            accounts: plan.cap_accounts,
            free_accounts: plan.cap_free_accounts,
            domains: plan.cap_domains,
        },
        usage: Caps {
            accounts,
            free_accounts,
            domains: 0,
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
    let mut rows = query.all(db).await?;
    let next_cursor = if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| encode_cursor(&r.id))
    } else {
        None
    };
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        items.push(dto(db, row).await?);
    }
    Ok(Page { items, next_cursor })
}
