//! Groups and their members (SPEC §7). Composite foreign keys make a member of another
//! organization's group impossible in the schema itself: a membership names the organization,
//! and both the group and the account must belong to it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("ux_accounts_id_org")
                .table("accounts")
                .col("id")
                .col("organization_id")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("groups")
                .col(uuid("id").primary_key())
                .col(uuid("organization_id"))
                .col(string("name"))
                .col(string("name_lc"))
                .col(string("description"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("groups", "organization_id")
                        .to("organizations", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            ("ux_groups_org_name", &["organization_id", "name_lc"][..]),
            ("ux_groups_id_org", &["id", "organization_id"][..]),
        ] {
            let mut index = Index::create()
                .name(name)
                .table("groups")
                .unique()
                .to_owned();
            for col in cols {
                index.col(*col);
            }
            m.create_index(index).await?;
        }
        m.create_table(
            Table::create()
                .table("group_members")
                .col(uuid("group_id"))
                .col(uuid("account_id"))
                .col(uuid("organization_id"))
                .col(timestamp_with_time_zone("created_at"))
                .primary_key(Index::create().col("group_id").col("account_id"))
                .foreign_key(
                    ForeignKey::create()
                        .from_tbl("group_members")
                        .from_col("group_id")
                        .from_col("organization_id")
                        .to_tbl("groups")
                        .to_col("id")
                        .to_col("organization_id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from_tbl("group_members")
                        .from_col("account_id")
                        .from_col("organization_id")
                        .to_tbl("accounts")
                        .to_col("id")
                        .to_col("organization_id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_group_members_account")
                .table("group_members")
                .col("account_id")
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("group_members").to_owned())
            .await?;
        m.drop_table(Table::drop().table("groups").to_owned())
            .await?;
        m.drop_index(
            Index::drop()
                .name("ux_accounts_id_org")
                .table("accounts")
                .to_owned(),
        )
        .await
    }
}
