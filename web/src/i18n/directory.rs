//! Texts of Email domains and Groups.

pub static EN: &[(&str, &str)] = &[];

pub static IT: &[(&str, &str)] = &[];
