//! The outbox (SPEC §11): every mail Postwarden sends is a row written in the transaction of
//! the change that causes it, delivered by a background worker with retries for 24 hours. The
//! body is sealed (it may carry a reset link) and emptied once sent; `lease_until` keeps two
//! processes from sending one mail at once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("outbox")
                .col(uuid("id").primary_key())
                .col(string("recipient"))
                .col(string("subject"))
                .col(text("body_sealed"))
                .col(string("message_id"))
                .col(
                    string("status").check(Expr::col("status").is_in(["queued", "sent", "failed"])),
                )
                .col(integer("attempts").default(0))
                .col(timestamp_with_time_zone("next_attempt_at"))
                .col(timestamp_with_time_zone_null("lease_until"))
                .col(string_null("last_error"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("sent_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_outbox_due")
                .table("outbox")
                .col("status")
                .col("next_attempt_at")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("outbox").to_owned()).await
    }
}
