//! Audit events, insert only.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::entities::audit_event;
use crate::error::Result;

pub use audit_event::Model as Row;

#[derive(Debug, Default)]
pub struct Filter {
    /// `None`: every organization (operators).
    pub organization_id: Option<Uuid>,
    pub action: Option<String>,
    pub actor: Option<String>,
    pub target: Option<String>,
    pub since: Option<DateTime<Utc>>,
}

pub async fn insert(db: &impl ConnectionTrait, row: Row) -> Result<()> {
    row.into_active_model().reset_all().insert(db).await?;
    Ok(())
}

/// Newest first (UUIDv7 ids sort by time), before `before`, at most `limit`.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: Filter,
    limit: u64,
    before: Option<Uuid>,
) -> Result<Vec<Row>> {
    let mut query = audit_event::Entity::find()
        .order_by_desc(audit_event::Column::Id)
        .limit(limit);
    if let Some(org) = filter.organization_id {
        query = query.filter(audit_event::Column::OrganizationId.eq(org));
    }
    if let Some(action) = filter.action {
        query = query.filter(audit_event::Column::Action.eq(action));
    }
    if let Some(actor) = filter.actor {
        query = query.filter(audit_event::Column::Actor.eq(actor));
    }
    if let Some(target) = filter.target {
        query = query.filter(audit_event::Column::Target.eq(target));
    }
    if let Some(since) = filter.since {
        query = query.filter(audit_event::Column::At.gte(since));
    }
    if let Some(before) = before {
        query = query.filter(audit_event::Column::Id.lt(before));
    }
    Ok(query.all(db).await?)
}
