//! Storage: connections, entities, pagination helpers, and the queries of some aggregates.

pub mod changes;
pub mod db;
pub mod entities;
pub mod idempotency;
pub mod pagination;
