//! The Postwarden schema, for SQLite and PostgreSQL alike. One migration per file
//! (`mYYYYMMDD_HHMMSS_name.rs`): `DeriveMigrationName` names a migration after its file.

pub use sea_orm_migration::prelude::*;

mod m20261130_000001_foundation;
mod m20261130_000002_credit;
mod m20261130_000003_reminders;
mod m20261130_000004_groups;
mod m20261130_000005_domains;
mod m20261207_000006_period_anchor;
mod m20261207_000007_refresh_reuse;
mod m20261207_000008_integrity;
mod m20261207_000009_outbox;
mod m20261207_000010_changes;
mod m20261208_000011_api_keys;
mod m20261208_000012_provisioning_plan;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261130_000001_foundation::Migration),
            Box::new(m20261130_000002_credit::Migration),
            Box::new(m20261130_000003_reminders::Migration),
            Box::new(m20261130_000004_groups::Migration),
            Box::new(m20261130_000005_domains::Migration),
            Box::new(m20261207_000006_period_anchor::Migration),
            Box::new(m20261207_000007_refresh_reuse::Migration),
            Box::new(m20261207_000008_integrity::Migration),
            Box::new(m20261207_000009_outbox::Migration),
            Box::new(m20261207_000010_changes::Migration),
            Box::new(m20261208_000011_api_keys::Migration),
            Box::new(m20261208_000012_provisioning_plan::Migration),
        ]
    }
}
