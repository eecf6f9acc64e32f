//! The organization's provisioning plan (API.md): the plan an account gets when its creation
//! names none (the API, the CLI's import, SCIM). No foreign key: SQLite adds a referencing
//! column only with a NULL default, and the code checks the plan exists when it is set.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("organizations")
                .add_column(string("provisioning_plan").default("free"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("organizations")
                .drop_column("provisioning_plan")
                .to_owned(),
        )
        .await
    }
}
