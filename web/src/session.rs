//! The signed-in session's tokens, kept in `localStorage` so that a reload stays signed in.

use serde::{Deserialize, Serialize};
use web_sys::Storage;

const KEY: &str = "postwarden.session";

/// The access token (sent as `Authorization: Bearer`) and the refresh token that renews it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
}

/// Tokens are secrets: never print them.
impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tokens { .. }")
    }
}

/// The browser refused to keep the session (storage turned off, private mode, quota).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StorageUnavailable;

impl std::fmt::Display for StorageUnavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(
            "This browser does not let the page keep you signed in (is storage turned off?).",
        )
    }
}

fn storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The stored tokens, if any (and readable).
pub fn load() -> Option<Tokens> {
    let raw = storage()?.get_item(KEY).ok().flatten()?;
    serde_json::from_str(&raw).ok()
}

pub fn store(tokens: &Tokens) -> Result<(), StorageUnavailable> {
    let raw = serde_json::to_string(tokens).map_err(|_| StorageUnavailable)?;
    storage()
        .ok_or(StorageUnavailable)?
        .set_item(KEY, &raw)
        .map_err(|_| StorageUnavailable)
}

/// Forgets the session in this browser.
pub fn clear() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(KEY);
    }
}
