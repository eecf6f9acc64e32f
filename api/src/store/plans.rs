//! The plan catalog.

use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryOrder};

use super::entities::plan;
use crate::error::Result;

pub use plan::Model as Row;

/// The plan every organization's owner starts on, and accounts fall back to.
pub const FREE: &str = "free";

pub async fn find(db: &impl ConnectionTrait, code: &str) -> Result<Option<Row>> {
    Ok(plan::Entity::find_by_id(code.to_owned()).one(db).await?)
}

/// The catalog, cheapest first.
pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<Row>> {
    Ok(plan::Entity::find()
        .order_by_asc(plan::Column::MonthlyPriceCents)
        .order_by_asc(plan::Column::Code)
        .all(db)
        .await?)
}

/// Writes every column of an existing plan.
pub async fn update(db: &impl ConnectionTrait, row: Row) -> Result<Row> {
    Ok(row.into_active_model().reset_all().update(db).await?)
}
