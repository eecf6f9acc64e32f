//! Storage: connections, entities and pagination helpers.

pub mod changes;
pub mod db;
pub mod entities;
pub mod pagination;
