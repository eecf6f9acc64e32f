//! Credentials: password hashing, access tokens, random secrets and login throttling.

pub mod password;
pub mod token;
