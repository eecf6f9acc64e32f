//! Opaque keyset cursors: the sort key of the last item of a page, as base64url JSON.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

pub fn encode_cursor<T: Serialize>(key: &T) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).unwrap_or_default())
}

pub fn decode_cursor<T: DeserializeOwned>(cursor: &str) -> Result<T> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| Error::field("cursor", "is not a cursor returned by this list"))
}

/// Cuts a keyset page: `rows` were fetched with `LIMIT limit + 1`; when the extra row came, it
/// is dropped and the cursor is the sort key of the page's last row.
pub fn cut<T, K: Serialize>(
    mut rows: Vec<T>,
    limit: u64,
    key: impl Fn(&T) -> K,
) -> (Vec<T>, Option<String>) {
    if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        let cursor = rows.last().map(|r| encode_cursor(&key(r)));
        (rows, cursor)
    } else {
        (rows, None)
    }
}
