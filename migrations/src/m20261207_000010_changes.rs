//! The change log (SPEC §10): one row, written in the transaction of the change, for every
//! commit that makes what a cache holds stale (a session revoked, an account disabled or
//! edited, an organization's owner or groups changed). Every process reads it by sequence to
//! invalidate its caches; PostgreSQL also announces each commit with `NOTIFY`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("changes")
                .col(big_pk_auto("seq"))
                .col(string("kind").check(Expr::col("kind").is_in([
                    "session",
                    "account",
                    "organization",
                ])))
                .col(uuid("key"))
                .col(timestamp_with_time_zone("at"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("changes").to_owned())
            .await
    }
}
