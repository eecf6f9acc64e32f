//! Foreign keys the first schema left out, so the database itself refuses an address whose
//! domain or group is gone, and an organization whose owner is not an account:
//! `addresses.domain_id → domains`, `addresses.group_id → groups` (deleted with their group),
//! `organizations.owner_account_id → accounts`. Rows that already break them are repaired
//! first (a dangling `domain_id` or owner is cleared, a group address without its group removed).
//!
//! PostgreSQL adds the constraints in place. SQLite cannot add a constraint to a table, so the
//! two tables are rebuilt the way SQLite documents (foreign keys off, copy into a new table with
//! the constraints, drop, rename, recreate the indexes, check, foreign keys on), in one
//! transaction.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

const REPAIR: &[&str] = &[
    "UPDATE addresses SET domain_id = NULL \
     WHERE domain_id IS NOT NULL AND domain_id NOT IN (SELECT id FROM domains)",
    "DELETE FROM addresses WHERE group_id IS NOT NULL AND group_id NOT IN (SELECT id FROM groups)",
    "UPDATE organizations SET owner_account_id = NULL \
     WHERE owner_account_id IS NOT NULL AND owner_account_id NOT IN (SELECT id FROM accounts)",
];

/// The constraints each rebuilt SQLite table gains, as table constraint clauses.
const SQLITE_ADDED: &[(&str, &str)] = &[
    (
        "addresses",
        r#"FOREIGN KEY ("domain_id") REFERENCES "domains" ("id"), FOREIGN KEY ("group_id") REFERENCES "groups" ("id") ON DELETE CASCADE"#,
    ),
    (
        "organizations",
        r#"FOREIGN KEY ("owner_account_id") REFERENCES "accounts" ("id")"#,
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// SQLite's foreign keys can only be switched off outside a transaction.
    fn use_transaction(&self) -> Option<bool> {
        Some(false)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        match m.get_database_backend() {
            DbBackend::Sqlite => up_sqlite(m).await,
            _ => {
                let txn = m.begin().await?;
                let db = txn.get_connection();
                for sql in REPAIR {
                    db.execute_unprepared(sql).await?;
                }
                db.execute_unprepared(
                    "ALTER TABLE addresses \
                     ADD CONSTRAINT fk_addresses_domain FOREIGN KEY (domain_id) REFERENCES domains (id), \
                     ADD CONSTRAINT fk_addresses_group FOREIGN KEY (group_id) REFERENCES groups (id) ON DELETE CASCADE; \
                     ALTER TABLE organizations \
                     ADD CONSTRAINT fk_organizations_owner FOREIGN KEY (owner_account_id) REFERENCES accounts (id)",
                )
                .await?;
                txn.commit().await
            }
        }
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() == DbBackend::Sqlite {
            return Err(DbErr::Migration(
                "the SQLite tables are not rebuilt back without their foreign keys".into(),
            ));
        }
        m.get_connection()
            .execute_unprepared(
                "ALTER TABLE addresses DROP CONSTRAINT fk_addresses_domain, \
                 DROP CONSTRAINT fk_addresses_group; \
                 ALTER TABLE organizations DROP CONSTRAINT fk_organizations_owner",
            )
            .await
            .map(|_| ())
    }
}

async fn up_sqlite(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let conn = m.get_connection();
    conn.execute_unprepared("PRAGMA foreign_keys = OFF").await?;
    let rebuilt = rebuild_sqlite(m).await;
    // Back on whatever happened: the connection goes back to the pool.
    conn.execute_unprepared("PRAGMA foreign_keys = ON").await?;
    rebuilt
}

async fn rebuild_sqlite(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let txn = m.begin().await?;
    let db = txn.get_connection();
    for sql in REPAIR {
        db.execute_unprepared(sql).await?;
    }
    for (table, added) in SQLITE_ADDED {
        let schema = |kind: &str| {
            Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "SELECT sql FROM sqlite_master WHERE type = ? AND tbl_name = ? AND sql IS NOT NULL",
                [kind.into(), (*table).into()],
            )
        };
        let create: String = db
            .query_one_raw(schema("table"))
            .await?
            .ok_or_else(|| DbErr::Migration(format!("no table {table}")))?
            .try_get("", "sql")?;
        let indexes: Vec<String> = db
            .query_all_raw(schema("index"))
            .await?
            .iter()
            .map(|row| row.try_get("", "sql"))
            .collect::<Result<_, _>>()?;
        let body_end = create
            .rfind(')')
            .ok_or_else(|| DbErr::Migration(format!("unexpected schema of {table}")))?;
        let prefix = format!("CREATE TABLE \"{table}\"");
        let Some(columns) = create[..body_end].strip_prefix(&prefix) else {
            return Err(DbErr::Migration(format!(
                "unexpected schema of {table}: {create}"
            )));
        };
        let new = format!("CREATE TABLE \"{table}_new\"{columns}, {added})");
        db.execute_unprepared(&new).await?;
        db.execute_unprepared(&format!(
            "INSERT INTO \"{table}_new\" SELECT * FROM \"{table}\"; \
             DROP TABLE \"{table}\"; \
             ALTER TABLE \"{table}_new\" RENAME TO \"{table}\";"
        ))
        .await?;
        for index in indexes {
            db.execute_unprepared(&index).await?;
        }
    }
    let broken = db
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA foreign_key_check",
        ))
        .await?;
    if !broken.is_empty() {
        return Err(DbErr::Migration(format!(
            "{} rows break a foreign key after the rebuild",
            broken.len()
        )));
    }
    txn.commit().await
}
