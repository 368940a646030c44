//! Password hashes: argon2id with a random salt, in the PHC string format.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::db::users::PasswordHashString;
use crate::error::AppError;

/// A hash no password matches, to verify against when the account does not exist, so that
/// the answer takes as long either way.
pub static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    hash(&generate())
        .map(|hash| hash.as_str().to_string())
        .unwrap_or_default()
});

pub fn hash(password: &str) -> Result<PasswordHashString, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| PasswordHashString::from_phc(hash.to_string()))
        .map_err(|e| format!("无法生成密码散列: {e}"))
}

/// `hash` inside a server function: a failure is logged with its cause and answered as a 500.
pub fn hash_for_request(password: &str) -> Result<PasswordHashString, AppError> {
    hash(password).map_err(|reason| {
        tracing::error!(%reason, "could not hash a password");
        AppError::Internal
    })
}

/// Whether `password` matches `stored`; a malformed stored hash matches nothing.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A password for an account made on the operator's behalf: 20 random letters and digits.
pub fn generate() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..20].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_salted() {
        let first = hash("正确的密码123").unwrap();
        let second = hash("正确的密码123").unwrap();
        assert!(first.as_str().starts_with("$argon2id$"));
        assert_ne!(first.as_str(), second.as_str());
        assert!(verify("正确的密码123", first.as_str()));
        assert!(!verify("错误的密码123", first.as_str()));
        assert!(!verify("正确的密码123", "not a hash"));
        assert!(!format!("{first:?}").contains("argon2"));
    }

    #[test]
    fn generated_passwords_are_long_enough() {
        let password = generate();
        assert_eq!(password.len(), 20);
        assert!(crate::model::check_password(&password).is_ok());
    }
}
