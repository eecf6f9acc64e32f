//! Database connections. On SQLite (WAL, `synchronous=FULL`, foreign keys on) every write goes
//! through a one-connection writer pool, so write transactions never meet `SQLITE_BUSY`, and
//! reads use a pool of their own; on PostgreSQL both are the same pool.

use std::str::FromStr;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection,
    DatabaseTransaction, DbErr, ExecResult, QueryResult, SqliteTransactionMode,
    SqlxSqliteConnector, Statement, TransactionOptions, TransactionTrait,
};

use super::changes::{self, Change};
use crate::config::Config;

/// How long a request waits for a connection of the pool before it is answered 503.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long SQLite waits for another process's write lock before the request is answered 503.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// PostgreSQL: no statement runs longer, no lock is waited for longer (then 503 `unavailable`).
const STATEMENT_TIMEOUT: &str = "30s";
/// SQLite's page cache per connection, in KiB (SQLite's default is 2,000 KiB). Nine
/// connections at the default held 6 MiB more after a few searches over 100,000 accounts;
/// the pages a request reads are in the operating system's cache anyway.
const SQLITE_CACHE_KIB: u32 = 512;
const LOCK_TIMEOUT: &str = "10s";

#[derive(Clone)]
pub struct Db {
    read: DatabaseConnection,
    write: DatabaseConnection,
    hub: Arc<ChangeHub>,
}

/// Whoever keeps something that a change makes stale (the caches, later the mail index).
pub trait Listener: Send + Sync {
    /// These changes were committed (by this process, or by another one and read from the log).
    fn changed(&self, changes: &[Change]);
    /// Changes may have been missed (the log could not be read): forget everything.
    fn forget_all(&self);
}

/// Hands every committed change to every listener of this process.
#[derive(Default)]
pub struct ChangeHub {
    listeners: RwLock<Vec<Arc<dyn Listener>>>,
}

impl ChangeHub {
    pub fn subscribe(&self, listener: Arc<dyn Listener>) {
        self.listeners
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .push(listener);
    }

    pub fn publish(&self, changes: &[Change]) {
        if changes.is_empty() {
            return;
        }
        for l in self
            .listeners
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
        {
            l.changed(changes);
        }
    }

    pub fn forget_all(&self) {
        for l in self
            .listeners
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
        {
            l.forget_all();
        }
    }
}

/// A write transaction that knows what it changes: [`Txn::touch`] names a change, and
/// [`Txn::commit`] writes the change log in the transaction, then tells this process's
/// listeners at once (other processes read the log).
pub struct Txn {
    inner: DatabaseTransaction,
    touched: Mutex<(Vec<Change>, Option<DateTime<Utc>>)>,
    hub: Arc<ChangeHub>,
}

impl Txn {
    /// Records that this transaction, once committed, makes `change` stale; `at` is the time
    /// of the operation (for pruning the log).
    pub fn touch(&self, change: Change, at: DateTime<Utc>) {
        let mut touched = self.touched.lock().unwrap_or_else(PoisonError::into_inner);
        if !touched.0.contains(&change) {
            touched.0.push(change);
        }
        touched.1.get_or_insert(at);
    }

    pub async fn commit(self) -> Result<(), DbErr> {
        let (changes, at) = self
            .touched
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(at) = at {
            changes::record(&self.inner, &changes, at).await?;
        }
        self.inner.commit().await?;
        self.hub.publish(&changes);
        Ok(())
    }

    pub async fn rollback(self) -> Result<(), DbErr> {
        self.inner.rollback().await
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for Txn {
    fn get_database_backend(&self) -> DatabaseBackend {
        self.inner.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.inner.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.inner.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.inner.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.inner.query_all_raw(stmt).await
    }
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
                .busy_timeout(BUSY_TIMEOUT)
                .pragma("cache_size", format!("-{SQLITE_CACHE_KIB}"));
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
                hub: Arc::default(),
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
                hub: Arc::default(),
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
    pub async fn begin(&self) -> Result<Txn, DbErr> {
        let options = TransactionOptions {
            sqlite_transaction_mode: (self.backend() == DatabaseBackend::Sqlite)
                .then_some(SqliteTransactionMode::Immediate),
            ..Default::default()
        };
        Ok(Txn {
            inner: self.write.begin_with_options(options).await?,
            touched: Mutex::default(),
            hub: self.hub.clone(),
        })
    }

    /// This process's listeners of committed changes.
    pub fn hub(&self) -> &ChangeHub {
        &self.hub
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
