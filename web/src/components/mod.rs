//! Pieces shared by several screens.

pub mod field;
pub mod money_input;
pub mod problem;
pub mod shell;
pub mod sign_out;
pub mod to_sign_in;
