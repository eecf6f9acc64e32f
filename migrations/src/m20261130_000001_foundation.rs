//! Organizations, plans (seeded with SPEC §2's catalog), accounts, addresses, sessions,
//! password resets, idempotency keys, audit events, login throttling and generated secrets.
//! The constraints here carry SPEC's rules in the database itself (DATA.md).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// SPEC §2: code, name, monthly price, aliases per account, storage (MB), caps (accounts, free
/// accounts, domains) when the owner holds the plan.
type PlanRow = (&'static str, &'static str, i64, i64, i64, i64, i64, i64);

const PLANS: &[PlanRow] = &[
    ("free", "Free", 0, 0, 500, 1, 1, 0),
    ("entry", "Entry", 350, 10, 5_000, 25, 5, 1),
    ("pro", "Pro", 750, 50, 20_000, 250, 25, 10),
    ("ultra", "Ultra", 2500, 75, 50_000, 1000, 100, 50),
];

fn created_at() -> ColumnDef {
    timestamp_with_time_zone("created_at")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("plans")
                .col(string("code").primary_key())
                .col(string("name"))
                .col(
                    big_integer("monthly_price_cents")
                        .check(Expr::col("monthly_price_cents").gte(0)),
                )
                .col(big_integer("max_aliases").check(Expr::col("max_aliases").gte(0)))
                .col(big_integer("storage_mb"))
                .col(big_integer("cap_accounts"))
                .col(big_integer("cap_free_accounts"))
                .col(big_integer("cap_domains"))
                .col(boolean("is_free"))
                .to_owned(),
        )
        .await?;
        let mut seed = Query::insert()
            .into_table("plans")
            .columns([
                "code",
                "name",
                "monthly_price_cents",
                "max_aliases",
                "storage_mb",
                "cap_accounts",
                "cap_free_accounts",
                "cap_domains",
                "is_free",
            ])
            .to_owned();
        for &(code, name, price, aliases, storage, accounts, free, domains) in PLANS {
            seed.values_panic([
                code.into(),
                name.into(),
                price.into(),
                aliases.into(),
                storage.into(),
                accounts.into(),
                free.into(),
                domains.into(),
                (price == 0).into(),
            ]);
        }
        m.exec_stmt(seed).await?;

        m.create_table(
            Table::create()
                .table("organizations")
                .col(uuid("id").primary_key())
                .col(string("name"))
                .col(uuid_null("owner_account_id"))
                .col(string("billing_period").default("monthly"))
                .col(
                    big_integer("balance_cents")
                        .default(0)
                        .check(Expr::col("balance_cents").gte(0)),
                )
                .col(string("currency"))
                .col(string("status").default("active"))
                .col(created_at())
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("accounts")
                .col(uuid("id").primary_key())
                .col(uuid_null("organization_id"))
                .col(string("role"))
                .col(string("username").unique_key())
                .col(string("first_name"))
                .col(string("last_name"))
                // Lowercase copies for `q` prefix search, so it behaves the same on both databases.
                .col(string("first_name_lc"))
                .col(string("last_name_lc"))
                .col(string("status").default("active"))
                .col(string_null("plan_code"))
                .col(timestamp_with_time_zone_null("period_start"))
                .col(timestamp_with_time_zone_null("period_end"))
                .col(big_integer("period_paid_cents").default(0))
                .col(string("password_hash"))
                .col(string_null("external_email"))
                .col(string_null("mobile_phone"))
                .col(string_null("street"))
                .col(string_null("postal_code"))
                .col(string_null("city"))
                .col(string_null("region"))
                .col(string_null("country"))
                .col(date_null("birthdate"))
                .col(boolean("has_photo").default(false))
                .col(created_at())
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("disabled_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("accounts", "organization_id")
                        .to("organizations", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("accounts", "plan_code")
                        .to("plans", "code"),
                )
                .check(Expr::col("role").is_in(["operator", "admin", "user"]))
                .check(Expr::col("status").is_in(["active", "disabled"]))
                // Operators belong to no organization; everybody else to exactly one.
                .check(
                    Expr::col("role")
                        .eq("operator")
                        .and(Expr::col("organization_id").is_null())
                        .or(Expr::col("role")
                            .ne("operator")
                            .and(Expr::col("organization_id").is_not_null())
                            .and(Expr::col("plan_code").is_not_null())),
                )
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            (
                "idx_accounts_org_username",
                &["organization_id", "username"][..],
            ),
            (
                "idx_accounts_first_name_lc",
                &["organization_id", "first_name_lc"][..],
            ),
            (
                "idx_accounts_last_name_lc",
                &["organization_id", "last_name_lc"][..],
            ),
        ] {
            let mut index = Index::create().name(name).table("accounts").to_owned();
            for col in cols {
                index.col(*col);
            }
            m.create_index(index).await?;
        }

        // Photos live apart from the account row, which every authenticated request reads.
        m.create_table(
            Table::create()
                .table("account_photos")
                .col(uuid("account_id").primary_key())
                .col(string("content_type"))
                .col(blob("bytes"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("account_photos", "account_id")
                        .to("accounts", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        // One table for primary addresses, aliases and (later) group addresses: platform-wide
        // uniqueness is the primary key.
        m.create_table(
            Table::create()
                .table("addresses")
                .col(string("address").primary_key())
                .col(uuid("organization_id"))
                .col(string("kind"))
                .col(uuid_null("account_id"))
                .col(uuid_null("group_id"))
                .col(uuid_null("domain_id"))
                .col(created_at())
                .foreign_key(
                    ForeignKey::create()
                        .from("addresses", "organization_id")
                        .to("organizations", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("addresses", "account_id")
                        .to("accounts", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .check(Expr::col("kind").is_in(["primary", "alias", "group"]))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_addresses_account")
                .table("addresses")
                .col("account_id")
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("sessions")
                .col(uuid("id").primary_key())
                .col(uuid("account_id"))
                .col(string("refresh_hash").unique_key())
                .col(created_at())
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .col(string_null("client_ip"))
                .foreign_key(
                    ForeignKey::create()
                        .from("sessions", "account_id")
                        .to("accounts", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_sessions_account")
                .table("sessions")
                .col("account_id")
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("password_resets")
                .col(string("token_hash").primary_key())
                .col(uuid("account_id"))
                .col(created_at())
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("used_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("password_resets", "account_id")
                        .to("accounts", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("idempotency_keys")
                .col(string("scope"))
                .col(string("key"))
                .col(string("request_hash"))
                .col(integer("status_code"))
                .col(string_null("location"))
                .col(text("response_body"))
                .col(created_at())
                .primary_key(Index::create().col("scope").col("key"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("audit_events")
                .col(uuid("id").primary_key())
                .col(timestamp_with_time_zone("at"))
                .col(uuid_null("organization_id"))
                .col(string("actor"))
                .col(string("action"))
                .col(string_null("target"))
                .col(string_null("request_id"))
                .col(string_null("client_ip"))
                .col(json_binary("details"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_audit_org_id")
                .table("audit_events")
                .col("organization_id")
                .col("id")
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("login_throttle")
                .col(string("key").primary_key())
                .col(integer("failures"))
                .col(timestamp_with_time_zone("window_start"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("secrets")
                .col(string("name").primary_key())
                .col(text("value"))
                .col(created_at())
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "secrets",
            "login_throttle",
            "audit_events",
            "idempotency_keys",
            "password_resets",
            "sessions",
            "addresses",
            "account_photos",
            "accounts",
            "organizations",
            "plans",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
