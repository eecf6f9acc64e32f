//! Texts of Dashboard, Credit, Audit log and Sign up.

pub static EN: &[(&str, &str)] = &[];

pub static IT: &[(&str, &str)] = &[];
