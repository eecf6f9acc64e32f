//! Database connections. On SQLite (WAL, `synchronous=FULL`, foreign keys on) every write goes
//! through a one-connection writer pool, so write transactions never meet `SQLITE_BUSY`, and
//! reads use a pool of their own; on PostgreSQL both are the same pool.

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sea_orm::{
    ConnectOptions, Database, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    SqliteTransactionMode, SqlxSqliteConnector, TransactionOptions, TransactionTrait,
};

use crate::config::Config;

/// How long a request waits for a connection of the pool before it is answered 503.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long SQLite waits for another process's write lock before the request is answered 503.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// PostgreSQL: no statement runs longer, no lock is waited for longer (then 503 `unavailable`).
const STATEMENT_TIMEOUT: &str = "30s";
const LOCK_TIMEOUT: &str = "10s";

#[derive(Clone)]
pub struct Db {
    read: DatabaseConnection,
    write: DatabaseConnection,
}

impl Db {
    pub async fn connect(config: &Config) -> anyhow::Result<Self> {
        if config.is_sqlite() {
            std::fs::create_dir_all(&config.data_dir).with_context(|| {
                format!("creating the data directory {}", config.data_dir.display())
            })?;
            let options = SqliteConnectOptions::from_str(&config.database_url)
                .with_context(|| "DATABASE_URL is not a valid sqlite:// URL")?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(BUSY_TIMEOUT);
            let write = SqlitePoolOptions::new()
                .max_connections(1)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .test_before_acquire(false)
                .connect_with(options.clone())
                .await
                .context("opening the SQLite database")?;
            let read = SqlitePoolOptions::new()
                .max_connections(8)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .test_before_acquire(false)
                .connect_with(options)
                .await
                .context("opening the SQLite database")?;
            Ok(Self {
                read: SqlxSqliteConnector::from_sqlx_sqlite_pool(read),
                write: SqlxSqliteConnector::from_sqlx_sqlite_pool(write),
            })
        } else {
            let mut options = ConnectOptions::new(config.database_url.clone());
            options
                .max_connections(16)
                .min_connections(1)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                // A ping before every acquisition doubles the round trips of every request; a
                // dead connection shows as an error on first use instead (503, retried).
                .test_before_acquire(false)
                .sqlx_logging(false)
                .map_sqlx_postgres_opts(|o| {
                    o.options([
                        ("statement_timeout", STATEMENT_TIMEOUT),
                        ("lock_timeout", LOCK_TIMEOUT),
                    ])
                });
            let pool = Database::connect(options)
                .await
                .context("connecting to PostgreSQL")?;
            Ok(Self {
                read: pool.clone(),
                write: pool,
            })
        }
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        Migrator::up(&self.write, None)
            .await
            .context("migrating the database")
    }

    /// For queries that only read.
    pub fn read(&self) -> &DatabaseConnection {
        &self.read
    }

    /// Begins a write transaction. On SQLite it holds this process's single writer connection
    /// until it ends, and takes the database's write lock at once (`BEGIN IMMEDIATE`): a
    /// transaction that read first and wrote later could otherwise meet `SQLITE_BUSY` when
    /// another process (`postwarden-api renew`, a second server) writes meanwhile, while waiting
    /// at the start is handled by `busy_timeout`.
    pub async fn begin(&self) -> Result<DatabaseTransaction, sea_orm::DbErr> {
        let options = TransactionOptions {
            sqlite_transaction_mode: (self.backend() == DatabaseBackend::Sqlite)
                .then_some(SqliteTransactionMode::Immediate),
            ..Default::default()
        };
        self.write.begin_with_options(options).await
    }

    pub fn backend(&self) -> DatabaseBackend {
        self.write.get_database_backend()
    }

    /// Whether both the readers and the writer answer within a second each (`/readyz`). On
    /// SQLite the writer is this process's single write connection: a writer held by a stuck
    /// transaction makes the process not ready.
    pub async fn ping(&self) -> bool {
        let answers = |conn: &DatabaseConnection| {
            let conn = conn.clone();
            async move {
                tokio::time::timeout(Duration::from_secs(1), conn.ping())
                    .await
                    .is_ok_and(|r| r.is_ok())
            }
        };
        answers(&self.read).await && answers(&self.write).await
    }
}
