//! Slows and then refuses repeated failed sign-ins, per account and per address, so that
//! passwords cannot be guessed at speed. Kept in memory: a restart forgives, which is fine
//! for a lock measured in minutes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Failures are counted over this window, and a lock lasts this long.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failures after which each further attempt waits a little longer.
const SLOW_AFTER: u32 = 3;
/// Failures after which an account is locked for the window.
pub const ACCOUNT_LIMIT: u32 = 5;
/// An address may mistype more often: an office shares one.
pub const ADDRESS_LIMIT: u32 = 20;
const MAX_DELAY: Duration = Duration::from_secs(5);

#[derive(Clone, Default)]
pub struct SignInThrottle {
    failures: Arc<Mutex<HashMap<String, (Instant, u32)>>>,
}

/// What to do with an attempt.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Go ahead after waiting this long.
    Proceed(Duration),
    /// Refuse; the lock ends in this many minutes.
    Refuse(u64),
}

/// The throttle keys of an attempt: the account (whatever its case) and the address.
pub fn keys(username: &str, address: &str) -> [(String, u32); 2] {
    [
        (format!("user:{}", username.to_lowercase()), ACCOUNT_LIMIT),
        (format!("addr:{address}"), ADDRESS_LIMIT),
    ]
}

impl SignInThrottle {
    pub fn check(&self, keys: &[(String, u32)], now: Instant) -> Verdict {
        let Ok(mut failures) = self.failures.lock() else {
            return Verdict::Refuse(1);
        };
        failures.retain(|_, (first, _)| now.duration_since(*first) < WINDOW);
        let mut delay = Duration::ZERO;
        for (key, limit) in keys {
            let Some((first, count)) = failures.get(key) else {
                continue;
            };
            if count >= limit {
                let left = WINDOW.saturating_sub(now.duration_since(*first));
                return Verdict::Refuse(left.as_secs().div_ceil(60).max(1));
            }
            if *count >= SLOW_AFTER {
                delay = delay.max(Duration::from_secs(u64::from(count - SLOW_AFTER + 1)));
            }
        }
        Verdict::Proceed(delay.min(MAX_DELAY))
    }

    pub fn failed(&self, keys: &[(String, u32)], now: Instant) {
        if let Ok(mut failures) = self.failures.lock() {
            for (key, _) in keys {
                failures.entry(key.clone()).or_insert((now, 0)).1 += 1;
            }
        }
    }

    /// A correct password clears the account's count (not the address's).
    pub fn succeeded(&self, keys: &[(String, u32)]) {
        if let (Ok(mut failures), Some((key, _))) = (self.failures.lock(), keys.first()) {
            failures.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_slow_then_lock_an_account() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        let keys = keys("Editor", "10.0.0.1");
        assert_eq!(throttle.check(&keys, now), Verdict::Proceed(Duration::ZERO));
        for _ in 0..3 {
            throttle.failed(&keys, now);
        }
        assert_eq!(
            throttle.check(&keys, now),
            Verdict::Proceed(Duration::from_secs(1))
        );
        for _ in 0..2 {
            throttle.failed(&keys, now);
        }
        assert_eq!(throttle.check(&keys, now), Verdict::Refuse(15));
        // The same account from elsewhere, in another case, is locked too.
        assert_eq!(
            throttle.check(&super::keys("editor", "10.0.0.2"), now),
            Verdict::Refuse(15)
        );
        // Another account from the first address is only slowed.
        assert!(matches!(
            throttle.check(&super::keys("other", "10.0.0.1"), now),
            Verdict::Proceed(_)
        ));
        // The lock ends with the window.
        assert_eq!(
            throttle.check(&keys, now + WINDOW),
            Verdict::Proceed(Duration::ZERO)
        );
    }

    #[test]
    fn an_address_guessing_many_accounts_is_refused() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        for n in 0..ADDRESS_LIMIT {
            throttle.failed(&keys(&format!("user{n}"), "10.0.0.9"), now);
        }
        assert!(matches!(
            throttle.check(&keys("fresh", "10.0.0.9"), now),
            Verdict::Refuse(_)
        ));
    }

    #[test]
    fn success_forgives_the_account() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        let keys = keys("editor", "10.0.0.1");
        for _ in 0..4 {
            throttle.failed(&keys, now);
        }
        throttle.succeeded(&keys);
        assert_eq!(
            throttle.check(&keys[..1], now),
            Verdict::Proceed(Duration::ZERO)
        );
    }
}
