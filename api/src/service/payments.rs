//! The payment provider's webhook signature (API.md, process contract):
//! `Postwarden-Signature: t=<unix seconds>,v1=<hex>` where `v1` is
//! HMAC-SHA256(secret, "<t>.<raw body>"), refused when `t` is more than 300 s from now.

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const TOLERANCE_SECS: i64 = 300;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the Postwarden-Signature header is missing or malformed")]
    Malformed,
    #[error("the signature timestamp is more than 300 s from now")]
    Stale,
    #[error("the signature does not match")]
    Mismatch,
}

/// Checks `header` against the raw `body`; any `v1` that matches is enough (key rotation).
pub fn verify(
    secret: &[u8],
    header: &str,
    body: &[u8],
    now_unix: i64,
) -> Result<(), SignatureError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", v)) => {
                signatures.push(hex::decode(v).map_err(|_| SignatureError::Malformed)?)
            }
            _ => {}
        }
    }
    let t = timestamp.ok_or(SignatureError::Malformed)?;
    if signatures.is_empty() {
        return Err(SignatureError::Malformed);
    }
    // `t` is the caller's: checked arithmetic, so an extreme value is stale, not an overflow.
    let fresh = now_unix
        .checked_sub(t)
        .is_some_and(|d| d.unsigned_abs() <= TOLERANCE_SECS.unsigned_abs());
    if !fresh {
        return Err(SignatureError::Stale);
    }
    let matches = |signature: &Vec<u8>| {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
            return false;
        };
        mac.update(t.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        // Constant-time comparison.
        mac.verify_slice(signature).is_ok()
    };
    if signatures.iter().any(matches) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// The header value for `body` at `t` (tests and integrators' examples).
pub fn sign(secret: &[u8], body: &[u8], t: i64) -> String {
    let mac = crate::auth::token::hmac_sha256_hex(secret, &[format!("{t}.").as_bytes(), body]);
    format!("t={t},v1={mac}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"whsec_test";

    #[test]
    fn signatures_verify_only_when_fresh_and_exact() {
        let body = br#"{"payment_id":"pay_1"}"#;
        let header = sign(SECRET, body, 1_000_000);
        assert_eq!(verify(SECRET, &header, body, 1_000_000), Ok(()));
        assert_eq!(verify(SECRET, &header, body, 1_000_300), Ok(()));
        assert_eq!(
            verify(SECRET, &header, body, 1_000_301),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(SECRET, &header, body, 999_699),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(b"other", &header, body, 1_000_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(SECRET, &header, b"{}", 1_000_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(SECRET, "t=1000000", body, 1_000_000),
            Err(SignatureError::Malformed)
        );
        assert_eq!(
            verify(SECRET, "v1=zz,t=1", body, 1),
            Err(SignatureError::Malformed)
        );
        assert_eq!(verify(SECRET, "", body, 1), Err(SignatureError::Malformed));
        let rotated = format!("{},v1={}", header, "00".repeat(32));
        assert_eq!(verify(SECRET, &rotated, body, 1_000_000), Ok(()));
    }

    #[test]
    fn extreme_timestamps_are_stale_not_an_overflow() {
        let body = b"{}";
        for (t, now) in [(i64::MIN, 1_000_000), (i64::MAX, -1_000_000), (1, i64::MIN)] {
            let header = sign(SECRET, body, t);
            assert_eq!(
                verify(SECRET, &header, body, now),
                Err(SignatureError::Stale)
            );
        }
    }
}
