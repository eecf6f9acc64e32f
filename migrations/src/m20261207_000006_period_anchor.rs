//! The anchor of an account's chain of periods (SPEC §2): the start of its first period on its
//! current plan. Renewals count calendar months from it, so a chain that starts on the 31st
//! comes back to the 31st after a shorter month (Jan 31 → Feb 28 → Mar 31) instead of drifting
//! to the 28th. Existing periods are anchored at their own start.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("accounts")
                .add_column(timestamp_with_time_zone_null("period_anchor"))
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::update()
                .table("accounts")
                .value("period_anchor", Expr::col("period_start"))
                .and_where(Expr::col("period_start").is_not_null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("accounts")
                .drop_column("period_anchor")
                .to_owned(),
        )
        .await
    }
}
