//! Organizations: rows, the balance's compare-and-swap, and the organization answer (caps from
//! the owner's plan, usage) built in a fixed number of statements for a whole page.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect,
};
use shared::dto::{Caps, Credit, Organization};
use uuid::Uuid;

use super::entities::{account, domain, organization, plan};
use crate::error::{Error, Result};

pub use organization::Model as Row;

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Row>> {
    Ok(organization::Entity::find_by_id(id).one(db).await?)
}

/// The organization `id`; 404 when there is none.
pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Row> {
    find(db, id)
        .await?
        .ok_or_else(|| Error::not_found("organization"))
}

/// Loads the organization and locks its row until the transaction ends (`SELECT … FOR UPDATE`
/// on PostgreSQL; on SQLite every write transaction already holds the one writer connection).
pub async fn lock(db: &impl ConnectionTrait, id: Uuid) -> Result<Row> {
    organization::Entity::find_by_id(id)
        .lock_exclusive()
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("organization"))
}

pub async fn insert(db: &impl ConnectionTrait, row: Row) -> Result<Row> {
    Ok(row.into_active_model().reset_all().insert(db).await?)
}

/// Writes every column of `row`.
pub async fn update(db: &impl ConnectionTrait, row: Row) -> Result<Row> {
    Ok(row.into_active_model().reset_all().update(db).await?)
}

/// Sets the balance from `old` to `new`; `false` when it was not `old` any more.
pub async fn swap_balance(db: &impl ConnectionTrait, id: Uuid, old: i64, new: i64) -> Result<bool> {
    let updated = organization::Entity::update_many()
        .col_expr(organization::Column::BalanceCents, Expr::value(new))
        .filter(organization::Column::Id.eq(id))
        .filter(organization::Column::BalanceCents.eq(old))
        .exec(db)
        .await?;
    Ok(updated.rows_affected == 1)
}

/// Every organization after `after`, oldest first, at most `limit`.
pub async fn list(db: &impl ConnectionTrait, limit: u64, after: Option<Uuid>) -> Result<Vec<Row>> {
    let mut query = organization::Entity::find()
        .order_by_asc(organization::Column::Id)
        .limit(limit);
    if let Some(after) = after {
        query = query.filter(organization::Column::Id.gt(after));
    }
    Ok(query.all(db).await?)
}

/// The (name, currency) of each of `ids`.
pub async fn names(
    db: &impl ConnectionTrait,
    mut ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, (String, String)>> {
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(organization::Entity::find()
        .select_only()
        .column(organization::Column::Id)
        .column(organization::Column::Name)
        .column(organization::Column::Currency)
        .filter(organization::Column::Id.is_in(ids))
        .into_tuple::<(Uuid, String, String)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, name, currency)| (id, (name, currency)))
        .collect())
}

/// Rows per organization of `ids` in `table` (by its `organization_id`), optionally only those
/// on a free plan (accounts).
async fn count_by_org(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
    table: impl sea_orm::sea_query::IntoTableRef,
    free_only: bool,
) -> Result<HashMap<Uuid, i64>> {
    let org = Expr::col(Alias::new("organization_id"));
    let mut q = Query::select()
        .expr(org.clone())
        .expr(Expr::cust("COUNT(*)"))
        .from(table)
        .and_where(org.clone().is_in(ids.iter().copied()))
        .group_by_col(Alias::new("organization_id"))
        .to_owned();
    if free_only {
        q.and_where(
            Expr::col(account::Column::PlanCode).in_subquery(
                Query::select()
                    .column(plan::Column::Code)
                    .from(plan::Entity)
                    .and_where(Expr::col(plan::Column::IsFree).eq(true))
                    .to_owned(),
            ),
        );
    }
    let counts = db
        .query_all(&q)
        .await?
        .iter()
        .map(|r| Ok((r.try_get_by_index(0)?, r.try_get_by_index(1)?)))
        .collect::<Result<_, DbErr>>()?;
    Ok(counts)
}

/// The answers for `rows`: five statements whatever their number.
pub async fn views(db: &impl ConnectionTrait, rows: Vec<Row>) -> Result<Vec<Organization>> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<Uuid> = rows.iter().map(|o| o.id).collect();
    let owner_ids: Vec<Uuid> = rows.iter().filter_map(|o| o.owner_account_id).collect();
    let owners: HashMap<Uuid, (String, Option<String>)> = account::Entity::find()
        .select_only()
        .column(account::Column::Id)
        .column(account::Column::Username)
        .column(account::Column::PlanCode)
        .filter(account::Column::Id.is_in(owner_ids))
        .into_tuple::<(Uuid, String, Option<String>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, username, plan)| (id, (username, plan)))
        .collect();
    let plans: HashMap<String, plan::Model> = plan::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.code.clone(), p))
        .collect();
    let totals = count_by_org(db, &ids, account::Entity, false).await?;
    let free = count_by_org(db, &ids, account::Entity, true).await?;
    let domains = count_by_org(db, &ids, domain::Entity, false).await?;
    rows.into_iter()
        .map(|org| {
            let lost = || anyhow::anyhow!("organization {} has lost its owner", org.id);
            let owner_id = org.owner_account_id.ok_or_else(lost)?;
            let (owner_username, plan_code) = owners.get(&owner_id).cloned().ok_or_else(lost)?;
            let plan_code = plan_code.unwrap_or_else(|| super::plans::FREE.to_owned());
            let plan = plans
                .get(&plan_code)
                .ok_or_else(|| anyhow::anyhow!("plan {plan_code} is not in the catalog"))?;
            Ok(Organization {
                id: org.id,
                name: org.name,
                owner_account_id: owner_id,
                owner_username,
                caps: Caps {
                    accounts: plan.cap_accounts,
                    free_accounts: plan.cap_free_accounts,
                    domains: plan.cap_domains,
                },
                plan: plan_code,
                provisioning_plan: org.provisioning_plan,
                billing_period: org.billing_period,
                usage: Caps {
                    accounts: totals.get(&org.id).copied().unwrap_or(0),
                    free_accounts: free.get(&org.id).copied().unwrap_or(0),
                    domains: domains.get(&org.id).copied().unwrap_or(0),
                },
                credit: Credit {
                    balance_cents: org.balance_cents,
                    currency: org.currency,
                },
                created_at: org.created_at,
            })
        })
        .collect()
}

pub async fn view(db: &impl ConnectionTrait, row: Row) -> Result<Organization> {
    views(db, vec![row])
        .await?
        .pop()
        .ok_or_else(|| anyhow::anyhow!("organization vanished").into())
}

/// Marks the low-credit reminder as sent at `at`.
pub async fn reminded(db: &impl ConnectionTrait, id: Uuid, at: DateTime<Utc>) -> Result<()> {
    organization::Entity::update_many()
        .col_expr(
            organization::Column::LowCreditRemindedAt,
            Expr::value(Some(at)),
        )
        .filter(organization::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
