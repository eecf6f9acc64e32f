//! Pieces shared by several screens.

pub mod confirm;
pub mod copy_button;
pub mod field;
pub mod form_feedback;
pub mod loaded;
pub mod problem;
pub mod shell;
pub mod sign_out;
pub mod to_sign_in;
