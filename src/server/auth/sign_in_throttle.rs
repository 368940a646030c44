//! Slows and then refuses repeated failed sign-ins, per account and per address, so that
//! passwords cannot be guessed at speed. The failures are kept in the database, so that
//! servers sharing one count together and a restart forgives nothing.

use std::time::Duration;

use crate::db::{self, Store};

/// Failures are counted over this window, and a lock lasts this long.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failures after which each further attempt waits a little longer.
const SLOW_AFTER: i64 = 3;
/// Failures after which an account is locked for the window.
pub const ACCOUNT_LIMIT: i64 = 5;
/// An address may mistype more often: an office shares one.
pub const ADDRESS_LIMIT: i64 = 20;
const MAX_DELAY: Duration = Duration::from_secs(5);

/// What to do with an attempt.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Go ahead after waiting this long.
    Proceed(Duration),
    /// Refuse; the lock ends in this many minutes.
    Refuse(u64),
}

/// The throttle keys of an attempt, each with its limit: the account (whatever its case),
/// then the address.
pub fn keys(username: &str, address: &str) -> [(String, i64); 2] {
    [
        (format!("user:{}", username.to_lowercase()), ACCOUNT_LIMIT),
        (format!("addr:{address}"), ADDRESS_LIMIT),
    ]
}

fn window_seconds() -> i64 {
    WINDOW.as_secs() as i64
}

fn names(keys: &[(String, i64)]) -> Vec<&str> {
    keys.iter().map(|(key, _)| key.as_str()).collect()
}

/// Whether an attempt under `keys` at `now` (Unix seconds) may go ahead.
pub async fn check(store: &Store, keys: &[(String, i64)], now: i64) -> sqlx::Result<Verdict> {
    let failures =
        db::shared_state::sign_in_failures(store, &names(keys), now - window_seconds()).await?;
    Ok(verdict(keys, &failures, now))
}

/// The verdict on an attempt at `now`, given the failures counted under its keys.
fn verdict(keys: &[(String, i64)], failures: &[(String, i64, i64)], now: i64) -> Verdict {
    let mut delay = Duration::ZERO;
    for (key, limit) in keys {
        let Some((_, first, count)) = failures.iter().find(|(counted, _, _)| counted == key) else {
            continue;
        };
        if count >= limit {
            let left = (first + window_seconds() - now).max(0) as u64;
            return Verdict::Refuse(left.div_ceil(60).max(1));
        }
        if *count >= SLOW_AFTER {
            delay = delay.max(Duration::from_secs((count - SLOW_AFTER + 1) as u64));
        }
    }
    Verdict::Proceed(delay.min(MAX_DELAY))
}

pub async fn failed(store: &Store, keys: &[(String, i64)], now: i64) -> sqlx::Result<()> {
    db::shared_state::add_sign_in_failure(store, &names(keys), now, now - window_seconds()).await
}

/// A correct password clears the account's count (not the address's).
pub async fn succeeded(store: &Store, keys: &[(String, i64)]) -> sqlx::Result<()> {
    match keys.first() {
        Some((key, _)) => db::shared_state::forget_sign_in_failures(store, key).await,
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::on_each_backend;

    #[tokio::test]
    async fn failures_slow_then_lock_an_account() {
        on_each_backend(async |store| {
            let now = 1_000_000;
            let keys = keys("Editor", "10.0.0.1");
            assert_eq!(
                check(&store, &keys, now).await.unwrap(),
                Verdict::Proceed(Duration::ZERO)
            );
            for _ in 0..3 {
                failed(&store, &keys, now).await.unwrap();
            }
            assert_eq!(
                check(&store, &keys, now).await.unwrap(),
                Verdict::Proceed(Duration::from_secs(1))
            );
            for _ in 0..2 {
                failed(&store, &keys, now).await.unwrap();
            }
            assert_eq!(
                check(&store, &keys, now).await.unwrap(),
                Verdict::Refuse(15)
            );
            // The same account from elsewhere, in another case, is locked too.
            assert_eq!(
                check(&store, &super::keys("editor", "10.0.0.2"), now)
                    .await
                    .unwrap(),
                Verdict::Refuse(15)
            );
            // Another account from the first address is only slowed.
            assert!(matches!(
                check(&store, &super::keys("other", "10.0.0.1"), now)
                    .await
                    .unwrap(),
                Verdict::Proceed(_)
            ));
            // The lock ends with the window.
            assert_eq!(
                check(&store, &keys, now + window_seconds()).await.unwrap(),
                Verdict::Proceed(Duration::ZERO)
            );
        })
        .await;
    }

    #[tokio::test]
    async fn an_address_guessing_many_accounts_is_refused() {
        on_each_backend(async |store| {
            let now = 1_000_000;
            for n in 0..ADDRESS_LIMIT {
                failed(&store, &keys(&format!("user{n}"), "10.0.0.9"), now)
                    .await
                    .unwrap();
            }
            assert!(matches!(
                check(&store, &keys("fresh", "10.0.0.9"), now)
                    .await
                    .unwrap(),
                Verdict::Refuse(_)
            ));
        })
        .await;
    }

    #[tokio::test]
    async fn success_forgives_the_account() {
        on_each_backend(async |store| {
            let now = 1_000_000;
            let keys = keys("editor", "10.0.0.1");
            for _ in 0..4 {
                failed(&store, &keys, now).await.unwrap();
            }
            succeeded(&store, &keys).await.unwrap();
            assert_eq!(
                check(&store, &keys[..1], now).await.unwrap(),
                Verdict::Proceed(Duration::ZERO)
            );
        })
        .await;
    }

    #[test]
    fn a_lock_reports_the_minutes_left() {
        let keys = keys("editor", "10.0.0.1");
        let failures = [("user:editor".to_string(), 1_000, ACCOUNT_LIMIT)];
        assert_eq!(verdict(&keys, &failures, 1_000 + 60), Verdict::Refuse(14));
        assert_eq!(verdict(&keys, &failures, 1_000 + 899), Verdict::Refuse(1));
    }
}
