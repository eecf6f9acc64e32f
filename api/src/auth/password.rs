//! Argon2id (m=19456 KiB, t=2, p=1) on tokio's blocking pool, with at most as many hashes in
//! flight as there are cores ([`crate::blocking::Bounded`]), so a burst of logins cannot starve
//! the async executor or memory.

use std::sync::Arc;

use anyhow::anyhow;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::blocking::Bounded;

#[derive(Clone)]
pub struct Hasher {
    pool: Bounded,
    /// A hash of a random password, verified against when the login names nobody, so an
    /// unknown user costs the same time as a wrong password.
    dummy: Arc<str>,
}

fn argon2() -> Argon2<'static> {
    // The parameters are constants known to be valid; fall back to the (identical) defaults.
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_now(password: &str) -> anyhow::Result<String> {
    argon2()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow!("argon2: {e}"))
}

fn verify_now(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

impl Hasher {
    pub fn new() -> anyhow::Result<Self> {
        let dummy = hash_now(&crate::auth::token::random_token(16))?;
        Ok(Self {
            pool: Bounded::default(),
            dummy: dummy.into(),
        })
    }

    pub async fn hash(&self, password: &str) -> anyhow::Result<String> {
        let password = password.to_owned();
        self.pool.run(move || hash_now(&password)).await?
    }

    /// Verifies `password` against `hash`, or against the dummy hash when there is none.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> anyhow::Result<bool> {
        let found = hash.is_some();
        let hash = hash.map_or_else(|| self.dummy.to_string(), str::to_owned);
        let password = password.to_owned();
        let ok = self.pool.run(move || verify_now(&password, &hash)).await?;
        Ok(found && ok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ() {
        let hasher = Hasher::new().unwrap();
        let a = hasher.hash("Correct horse 1").await.unwrap();
        let b = hasher.hash("Correct horse 1").await.unwrap();
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert_ne!(a, b, "salted");
        assert!(hasher.verify("Correct horse 1", Some(&a)).await.unwrap());
        assert!(!hasher.verify("Correct horse 2", Some(&a)).await.unwrap());
        assert!(!hasher.verify("anything", None).await.unwrap());
    }
}
