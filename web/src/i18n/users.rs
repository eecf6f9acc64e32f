//! Texts of Users: the list, Add a user, a user's details and actions, and Your account.

pub static EN: &[(&str, &str)] = &[];

pub static IT: &[(&str, &str)] = &[];
