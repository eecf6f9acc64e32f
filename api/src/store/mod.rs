//! Storage: connections, entities and pagination helpers.

pub mod db;
pub mod entities;
pub mod pagination;
