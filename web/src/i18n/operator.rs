//! Texts of the operator's screens: organizations, top-ups, plans.

pub static EN: &[(&str, &str)] = &[];

pub static IT: &[(&str, &str)] = &[];
