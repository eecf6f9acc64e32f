//! Organizations' own mail domains (SPEC §5). A name may be added by several organizations
//! while pending, but verified by one only: the partial unique index makes the race between two
//! verifications have exactly one winner.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("domains")
                .col(uuid("id").primary_key())
                .col(uuid("organization_id"))
                .col(string("name"))
                .col(string("status"))
                .col(string("verification_token"))
                .col(timestamp_with_time_zone_null("verified_at"))
                .col(string("dkim_selector"))
                .col(text("dkim_public"))
                .col(text("dkim_private_encrypted"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("domains", "organization_id")
                        .to("organizations", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .check(Expr::col("status").is_in(["pending", "verified"]))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_domains_org_name")
                .table("domains")
                .col("organization_id")
                .col("name")
                .unique()
                .to_owned(),
        )
        .await?;
        // Partial indexes are written the same way in PostgreSQL and SQLite.
        m.get_connection()
            .execute_unprepared("CREATE UNIQUE INDEX ux_domains_verified_name ON domains (name) WHERE status = 'verified'")
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("domains").to_owned())
            .await
    }
}
