//! When an organization's owner was last reminded that the credit runs low, so the reminder
//! goes out at most once a week while the credit stays short.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("organizations")
                .add_column(timestamp_with_time_zone_null("low_credit_reminded_at"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("organizations")
                .drop_column("low_credit_reminded_at")
                .to_owned(),
        )
        .await
    }
}
