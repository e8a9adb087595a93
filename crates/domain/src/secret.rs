//! Passwords and random tokens. Passwords are hashed with argon2id; tokens
//! (sessions, API tokens, CSRF) are 256 random bits, stored only as SHA-256.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("Adgangskoden skal være mindst {MIN_PASSWORD_CHARS} tegn.")]
    TooShort,
    #[error("Adgangskoden må højst være {MAX_PASSWORD_CHARS} tegn.")]
    TooLong,
    #[error("Adgangskoden kunne ikke krypteres: {0}")]
    Hashing(String),
}

/// Checks the password rules and returns the argon2id PHC string to store.
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort);
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(PasswordError::TooLong);
    }
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| PasswordError::Hashing(e.to_string()))
}

/// Whether `password` matches the stored PHC string. A malformed stored value
/// never matches.
pub fn verify_password(password: &str, stored: &str) -> bool {
    if password.chars().count() > MAX_PASSWORD_CHARS {
        return false;
    }
    PasswordHash::new(stored)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Spends as long as a real verification, so that "no such user" and "wrong
/// password" take the same time.
pub fn verify_nothing(password: &str) {
    static DUMMY: LazyLock<String> =
        LazyLock::new(|| hash_password("ingen bruger har denne kode").unwrap_or_default());
    let _ = verify_password(password, &DUMMY);
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the operating system's random source failed: {0}")]
pub struct RandomError(String);

/// A fresh random token: 32 bytes as 64 lower-case hex digits.
pub fn random_token() -> Result<String, RandomError> {
    let mut bytes = [0_u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| RandomError(e.to_string()))?;
    Ok(hex(&bytes))
}

/// The stored form of a token: SHA-256, hex.
pub fn token_digest(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

/// SHA-256 of `bytes`, as 64 lower-case hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A token signed with `key`: `NONCE.SIGNATURE`, where the signature is
/// HMAC-SHA256 of the random nonce. Only who holds the key can make one.
pub fn signed_token(key: &[u8]) -> Result<String, RandomError> {
    let nonce = random_token()?;
    Ok(format!("{nonce}.{}", signature(key, &nonce)))
}

/// Whether `token` was made by [`signed_token`] with `key`.
pub fn verify_signed_token(key: &[u8], token: &str) -> bool {
    token
        .split_once('.')
        .is_some_and(|(nonce, sig)| constant_time_eq(sig, &signature(key, nonce)))
}

fn signature(key: &[u8], message: &str) -> String {
    // HMAC takes a key of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC accepts every key length"));
    mac.update(message.as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// Compares two strings in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0_u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let stored = hash_password("korrekt hest batteri").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify_password("korrekt hest batteri", &stored));
        assert!(!verify_password("forkert hest batteri", &stored));
        assert!(!verify_password("korrekt hest batteri", "ikke en hash"));
        assert_ne!(
            stored,
            hash_password("korrekt hest batteri").unwrap(),
            "salted"
        );
    }

    #[test]
    fn password_rules() {
        assert_eq!(hash_password("kort"), Err(PasswordError::TooShort));
        assert_eq!(hash_password(&"x".repeat(257)), Err(PasswordError::TooLong));
    }

    #[test]
    fn tokens_are_random_and_stored_as_digests() {
        let a = random_token().unwrap();
        let b = random_token().unwrap();
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(token_digest(&a).len(), 64);
        assert_ne!(token_digest(&a), a);
        assert!(constant_time_eq(&a, &a.clone()));
        assert!(!constant_time_eq(&a, &b));
        assert!(!constant_time_eq("a", "ab"));
    }

    #[test]
    fn signed_tokens_need_the_key() {
        let token = signed_token(b"hemmelig").unwrap();
        assert!(verify_signed_token(b"hemmelig", &token));
        assert!(!verify_signed_token(b"en anden", &token));
        let (nonce, _) = token.split_once('.').unwrap();
        assert!(!verify_signed_token(b"hemmelig", nonce));
        assert!(!verify_signed_token(b"hemmelig", &format!("{nonce}.00")));
        assert!(!verify_signed_token(b"hemmelig", "x"));
    }
}
