//! Pieces shared by several screens.

pub mod cursor_pages;
pub mod data_table;
pub mod field;
pub mod filter_form;
pub mod load_state;
pub mod problem;
pub mod shell;
pub mod sign_out;
pub mod to_sign_in;
