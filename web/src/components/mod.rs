//! Pieces shared by several screens.

pub mod field;
pub mod form_state;
pub mod outcome;
pub mod password;
pub mod personal;
pub mod photo;
pub mod problem;
pub mod shell;
pub mod sign_out;
pub mod to_sign_in;
