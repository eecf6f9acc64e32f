//! The credit ledger and top-ups (SPEC §3). Every entry is immutable and carries the balance
//! after it; `UNIQUE (organization_id, event_key)` books each logical event (a top-up, a payment,
//! a renewal of one account for one period) at most once. The organization's balance column
//! (with its `CHECK (balance_cents >= 0)`) was created by the first migration.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("ledger_entries")
                .col(uuid("id").primary_key())
                .col(uuid("organization_id"))
                .col(string("kind"))
                .col(big_integer("amount_cents"))
                .col(
                    big_integer("balance_after_cents")
                        .check(Expr::col("balance_after_cents").gte(0)),
                )
                .col(uuid_null("account_id"))
                .col(string_null("plan_code"))
                .col(timestamp_with_time_zone_null("period_start"))
                .col(timestamp_with_time_zone_null("period_end"))
                .col(string("event_key"))
                .col(string("actor"))
                .col(string("memo"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("ledger_entries", "organization_id")
                        .to("organizations", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .check(Expr::col("kind").is_in([
                    "top_up",
                    "charge",
                    "refund",
                    "renewal",
                    "adjustment",
                ]))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_ledger_event")
                .table("ledger_entries")
                .col("organization_id")
                .col("event_key")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_ledger_org_id")
                .table("ledger_entries")
                .col("organization_id")
                .col("id")
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("top_ups")
                .col(uuid("id").primary_key())
                .col(uuid("organization_id"))
                .col(
                    big_integer("amount_cents")
                        .check(Expr::col("amount_cents").between(1, 10_000_000)),
                )
                .col(string("status"))
                .col(string_null("payment_id").unique_key())
                .col(string("requested_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("credited_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("top_ups", "organization_id")
                        .to("organizations", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .check(Expr::col("status").is_in(["pending", "credited"]))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_top_ups_status")
                .table("top_ups")
                .col("status")
                .col("id")
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("top_ups").to_owned())
            .await?;
        m.drop_table(Table::drop().table("ledger_entries").to_owned())
            .await
    }
}
