//! Secrets at rest (DKIM private keys): ChaCha20-Poly1305 under a key derived from the
//! deployment's data-encryption key (`POSTWARDEN_SECRET_KEY`, else generated and kept in the
//! database). Stored as base64 of nonce ‖ ciphertext.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit};
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

    pub fn seal(&self, plaintext: &[u8]) -> anyhow::Result<String> {
        let mut nonce = [0u8; 12];
        getrandom::fill(&mut nonce).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
        let sealed = self
            .cipher
            .encrypt(&Nonce::from(nonce), plaintext)
            .map_err(|_| anyhow::anyhow!("encryption failed"))?;
        Ok(STANDARD.encode([&nonce[..], &sealed].concat()))
    }

    pub fn open(&self, stored: &str) -> anyhow::Result<Vec<u8>> {
        let bytes = STANDARD.decode(stored)?;
        if bytes.len() < 12 {
            anyhow::bail!("sealed value too short");
        }
        let (nonce, sealed) = bytes.split_at(12);
        let nonce: [u8; 12] = nonce.try_into()?;
        self.cipher
            .decrypt(&Nonce::from(nonce), sealed)
            .map_err(|_| {
                anyhow::anyhow!("cannot decrypt: wrong data-encryption key or corrupted value")
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_the_same_key() {
        let sealer = Sealer::new("key one");
        let sealed = sealer.seal(b"private key").unwrap();
        assert_ne!(
            sealed,
            sealer.seal(b"private key").unwrap(),
            "fresh nonce every time"
        );
        assert_eq!(sealer.open(&sealed).unwrap(), b"private key");
        assert!(Sealer::new("key two").open(&sealed).is_err());
        assert!(sealer.open("AAAA").is_err());
    }
}
