//! Storage: the only layer that builds SQL. Connections and transactions (`db`), the change log
//! (`changes`), the entities, keyset cursors, and one module per aggregate whose functions take a
//! connection or transaction and return rows or read models (`shared` answers).

pub mod accounts;
pub mod addresses;
pub mod api_keys;
pub mod audit;
pub mod changes;
pub mod db;
pub mod domains;
pub mod entities;
pub mod groups;
pub mod idempotency;
pub mod ledger;
pub mod organizations;
pub mod outbox;
pub mod pagination;
pub mod plans;
pub mod secrets;
pub mod sessions;
pub mod throttle;
