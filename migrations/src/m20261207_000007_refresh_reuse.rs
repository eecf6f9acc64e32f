//! The refresh token a session had before its last rotation, hashed like the current one: when
//! it is presented again, someone holds a copy of a spent token, and the whole session is
//! revoked (the "token family" rule).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("sessions")
                .add_column(string_null("previous_refresh_hash"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("sessions_previous_refresh_hash")
                .table("sessions")
                .col("previous_refresh_hash")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("sessions_previous_refresh_hash")
                .table("sessions")
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("sessions")
                .drop_column("previous_refresh_hash")
                .to_owned(),
        )
        .await
    }
}
