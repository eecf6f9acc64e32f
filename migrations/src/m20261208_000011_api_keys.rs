//! API keys (API.md, "API keys"): a secret shown once, stored as its SHA-256 behind a unique
//! index (the secret is 256 random bits, so a fast hash is the right one). Scopes are stored as
//! their names separated by spaces, networks as CIDRs separated by commas. `created_by` has no
//! foreign key: a key outlives the admin who made it. A revoked key is deleted.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("api_keys")
                .col(uuid("id").primary_key())
                .col(uuid("organization_id"))
                .col(string("name"))
                .col(string("scopes"))
                .col(string("secret_hash"))
                .col(string("prefix"))
                .col(timestamp_with_time_zone_null("expires_at"))
                .col(string_null("allowed_networks"))
                .col(timestamp_with_time_zone("created_at"))
                .col(uuid("created_by"))
                .col(timestamp_with_time_zone_null("last_used_at"))
                .col(string_null("last_used_ip"))
                .foreign_key(
                    ForeignKey::create()
                        .from("api_keys", "organization_id")
                        .to("organizations", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_api_keys_secret_hash")
                .table("api_keys")
                .col("secret_hash")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_api_keys_org_created")
                .table("api_keys")
                .col("organization_id")
                .col("created_at")
                .col("id")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("api_keys").to_owned())
            .await
    }
}
