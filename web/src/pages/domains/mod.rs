//! Email domains.

pub mod detail;
pub mod list;
