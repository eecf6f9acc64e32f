//! Pieces shared by several screens.

pub mod confirm;
pub mod copy_button;
pub mod cursor_pages;
pub mod data_table;
pub mod field;
pub mod filter_form;
pub mod form_state;
pub mod load_state;
pub mod loaded;
pub mod money_input;
pub mod outcome;
pub mod password;
pub mod personal;
pub mod photo;
pub mod problem;
pub mod shell;
pub mod sign_out;
pub mod to_sign_in;
