//! Secrets at rest (DKIM private keys): ChaCha20-Poly1305 under a key derived from the
//! deployment's data-encryption key (`POSTWARDEN_SECRET_KEY`, else generated and kept in the
//! database). Each value is sealed with associated data naming the row and column it belongs
//! to, so a sealed value copied onto another row does not open there. Stored as
//! `v2:` + base64 of nonce ‖ ciphertext; values from before associated data (plain base64) still
//! open, without it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use sha2::{Digest, Sha256};

#[derive(Clone)]
pub struct Sealer {
    cipher: ChaCha20Poly1305,
}

impl Sealer {
    pub fn new(data_key: &str) -> Self {
        let key = Sha256::digest(data_key.as_bytes());
        Self {
            cipher: ChaCha20Poly1305::new(&Key::from(<[u8; 32]>::from(key))),
        }
    }

    /// Seals `plaintext` for the place named by `aad` (such as `domain:<id>:dkim_private`).
    pub fn seal(&self, plaintext: &[u8], aad: &str) -> anyhow::Result<String> {
        let mut nonce = [0u8; 12];
        getrandom::fill(&mut nonce).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
        let payload = Payload {
            msg: plaintext,
            aad: aad.as_bytes(),
        };
        let sealed = self
            .cipher
            .encrypt(&Nonce::from(nonce), payload)
            .map_err(|_| anyhow::anyhow!("encryption failed"))?;
        Ok(format!(
            "{VERSION}{}",
            STANDARD.encode([&nonce[..], &sealed].concat())
        ))
    }

    /// Opens a value sealed for `aad`.
    pub fn open(&self, stored: &str, aad: &str) -> anyhow::Result<Vec<u8>> {
        let (encoded, aad) = match stored.strip_prefix(VERSION) {
            Some(rest) => (rest, aad.as_bytes()),
            None => (stored, &b""[..]),
        };
        let bytes = STANDARD.decode(encoded)?;
        if bytes.len() < 12 {
            anyhow::bail!("sealed value too short");
        }
        let (nonce, sealed) = bytes.split_at(12);
        let nonce: [u8; 12] = nonce.try_into()?;
        let payload = Payload { msg: sealed, aad };
        self.cipher
            .decrypt(&Nonce::from(nonce), payload)
            .map_err(|_| {
                anyhow::anyhow!(
                    "cannot decrypt: wrong data-encryption key, another row's value, or corrupted"
                )
            })
    }
}

/// The prefix of values sealed with associated data.
const VERSION: &str = "v2:";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_the_same_key_and_place() {
        let sealer = Sealer::new("key one");
        let sealed = sealer.seal(b"private key", "domain:1:dkim").unwrap();
        assert!(sealed.starts_with("v2:"));
        assert_ne!(
            sealed,
            sealer.seal(b"private key", "domain:1:dkim").unwrap(),
            "fresh nonce every time"
        );
        assert_eq!(
            sealer.open(&sealed, "domain:1:dkim").unwrap(),
            b"private key"
        );
        assert!(
            Sealer::new("key two")
                .open(&sealed, "domain:1:dkim")
                .is_err()
        );
        assert!(
            sealer.open(&sealed, "domain:2:dkim").is_err(),
            "copied onto another row, it does not open"
        );
        assert!(sealer.open("AAAA", "domain:1:dkim").is_err());
    }

    #[test]
    fn values_sealed_before_associated_data_still_open() {
        let sealer = Sealer::new("key one");
        let mut nonce = [0u8; 12];
        nonce[0] = 7;
        let legacy = sealer
            .cipher
            .encrypt(&Nonce::from(nonce), &b"old key"[..])
            .unwrap();
        let stored = STANDARD.encode([&nonce[..], &legacy].concat());
        assert_eq!(sealer.open(&stored, "domain:1:dkim").unwrap(), b"old key");
    }
}
