//! Access tokens (HS256 JWTs with a `sid` claim naming the live session) and random secrets
//! (refresh and reset tokens), which are stored only as SHA-256 hashes.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub const ACCESS_TOKEN_SECONDS: i64 = 15 * 60;
/// Seconds past `exp` a token is still taken, for clocks of several processes a little apart.
const LEEWAY_SECONDS: i64 = 5;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The account id.
    pub sub: Uuid,
    /// The session id; checked against a live session row on every request.
    pub sid: Uuid,
    /// The organization, for scoping (absent for operators).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<Uuid>,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Clone)]
pub struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl Keys {
    pub fn new(secret: &[u8]) -> anyhow::Result<Self> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "sub"]);
        // Expiry is checked against the server's clock in `verify`, not the system's.
        validation.validate_exp = false;
        Ok(Self {
            encoding: EncodingKey::from_secret(secret)?,
            decoding: DecodingKey::from_secret(secret)?,
            validation,
        })
    }

    pub fn issue(
        &self,
        account: Uuid,
        session: Uuid,
        org: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<String> {
        let claims = Claims {
            sub: account,
            sid: session,
            org,
            iat: now.timestamp(),
            exp: now.timestamp() + ACCESS_TOKEN_SECONDS,
        };
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    /// The claims of a valid token that has not expired at `now`.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Option<Claims> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()
            .map(|d| d.claims)
            .filter(|c| now.timestamp() <= c.exp + LEEWAY_SECONDS)
    }
}

/// `bytes` random bytes from the operating system, base64url without padding.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    // getrandom fails only when the OS has no entropy source at all; a zero buffer would then
    // be unsafe, so fall back to mixing UUIDv4s (themselves from the OS RNG).
    if getrandom::fill(&mut buf).is_err() {
        for (i, b) in buf.iter_mut().enumerate() {
            *b = Uuid::new_v4().as_bytes()[i % 16];
        }
    }
    URL_SAFE_NO_PAD.encode(buf)
}

pub fn sha256_hex(input: &str) -> String {
    hex::encode(Sha256::digest(input.as_bytes()))
}

/// HMAC-SHA256 of the concatenated `parts` under `key`, hex.
pub fn hmac_sha256_hex(key: &[u8], parts: &[&[u8]]) -> String {
    use hmac::{Hmac, Mac};
    // HMAC takes keys of any length: `new_from_slice` cannot fail for it.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return String::new();
    };
    for part in parts {
        mac.update(part);
    }
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmacs_depend_on_the_key_and_every_part() {
        let a = hmac_sha256_hex(b"key one", &[b"POST /api/v1/groups?\n", b"{}"]);
        assert_eq!(a.len(), 64);
        assert_eq!(
            a,
            hmac_sha256_hex(b"key one", &[b"POST /api/v1/groups?\n{}"])
        );
        assert_ne!(
            a,
            hmac_sha256_hex(b"key two", &[b"POST /api/v1/groups?\n{}"])
        );
        assert_ne!(
            a,
            hmac_sha256_hex(b"key one", &[b"POST /api/v1/groups?\n{ }"])
        );
        assert_ne!(
            a,
            sha256_hex("POST /api/v1/groups?\n{}"),
            "keyed, not a plain hash"
        );
        // RFC 4231, test case 2.
        assert_eq!(
            hmac_sha256_hex(b"Jefe", &[b"what do ya want ", b"for nothing?"]),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    use chrono::{Duration, TimeZone};

    #[test]
    fn tokens_round_trip_and_reject_tampering() {
        let keys = Keys::new(b"0123456789abcdef0123456789abcdef").unwrap();
        let (a, s) = (Uuid::new_v4(), Uuid::new_v4());
        let now = Utc.with_ymd_and_hms(2026, 12, 31, 23, 59, 50).unwrap();
        let token = keys.issue(a, s, None, now).unwrap();
        let claims = keys.verify(&token, now).unwrap();
        assert_eq!((claims.sub, claims.sid), (a, s));
        assert!(
            Keys::new(b"another secret another secret ..")
                .unwrap()
                .verify(&token, now)
                .is_none()
        );
        let mut tampered = token.clone();
        tampered.pop();
        assert!(keys.verify(&tampered, now).is_none());
    }

    #[test]
    fn tokens_expire_by_the_clock_they_are_checked_with() {
        let keys = Keys::new(b"0123456789abcdef0123456789abcdef").unwrap();
        let (a, s) = (Uuid::new_v4(), Uuid::new_v4());
        // Issued long ago or far ahead of the machine's own clock: only `now` counts.
        for issued in [
            Utc.with_ymd_and_hms(2001, 2, 3, 4, 5, 6).unwrap(),
            Utc.with_ymd_and_hms(2099, 12, 31, 23, 59, 59).unwrap(),
        ] {
            let token = keys.issue(a, s, None, issued).unwrap();
            let at = |secs| issued + Duration::seconds(secs);
            assert!(keys.verify(&token, at(ACCESS_TOKEN_SECONDS)).is_some());
            assert!(
                keys.verify(&token, at(ACCESS_TOKEN_SECONDS + LEEWAY_SECONDS))
                    .is_some()
            );
            assert!(
                keys.verify(&token, at(ACCESS_TOKEN_SECONDS + LEEWAY_SECONDS + 1))
                    .is_none()
            );
        }
    }

    #[test]
    fn random_tokens_are_long_and_distinct() {
        let a = random_token(32);
        assert_eq!(a.len(), 43);
        assert_ne!(a, random_token(32));
    }
}
