//! The operator's screens.

pub mod organizations;
pub mod plans;
pub mod top_ups;
