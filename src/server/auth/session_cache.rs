//! Whose a session token is, read from the database at most once a second per token rather
//! than for every request an editor's browser makes (a page rendered afresh, each server
//! function it calls). It follows the page cache's rules: any change made on this server
//! empties it (signing out, a changed password, a disabled account: all are POSTs), and a
//! change made elsewhere (another server, `gazette users`), like a session's expiry, shows
//! within a second.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::db;
use crate::db::Store;
use crate::model::SessionUser;
use crate::server::clock::unix_now;
use crate::server::http::kept_pages::LIFETIME;

/// Tokens kept; past this, only those read within the second are (unknown tokens sent in
/// a flood cannot grow it without end).
const MAX_TOKENS: usize = 4096;

#[derive(Clone, Default)]
pub struct SessionCache {
    read: Arc<Mutex<Readings>>,
}

#[derive(Default)]
struct Readings {
    users: HashMap<String, (Instant, Option<SessionUser>)>,
    /// Counts the clearings, so that a reading begun before one is not kept after it.
    clearings: u64,
}

impl SessionCache {
    /// The user of a live session of an enabled account with this token hash.
    pub async fn user(&self, pool: &Store, token_hash: &str) -> sqlx::Result<Option<SessionUser>> {
        let Some(clearings) = self.clearings() else {
            return db::sessions::user(pool, token_hash, unix_now()).await;
        };
        if let Some(user) = self.kept(token_hash) {
            return Ok(user);
        }
        let user = db::sessions::user(pool, token_hash, unix_now()).await?;
        self.keep(token_hash, clearings, user.clone());
        Ok(user)
    }

    /// Forgets every token: something changed.
    pub fn clear(&self) {
        if let Ok(mut read) = self.read.lock() {
            read.users.clear();
            read.clearings += 1;
        }
    }

    fn clearings(&self) -> Option<u64> {
        self.read.lock().ok().map(|read| read.clearings)
    }

    fn kept(&self, token_hash: &str) -> Option<Option<SessionUser>> {
        let read = self.read.lock().ok()?;
        let (at, user) = read.users.get(token_hash)?;
        (at.elapsed() < LIFETIME).then(|| user.clone())
    }

    /// Keeps what was read, unless the cache was cleared since the reading began.
    fn keep(&self, token_hash: &str, clearings: u64, user: Option<SessionUser>) {
        let Ok(mut read) = self.read.lock() else {
            return;
        };
        if read.clearings != clearings {
            return;
        }
        if !read.users.contains_key(token_hash) && read.users.len() >= MAX_TOKENS {
            read.users.retain(|_, (at, _)| at.elapsed() < LIFETIME);
            // Most of them recent: start afresh rather than search them all again at the
            // next few tokens of a flood.
            if read.users.len() >= MAX_TOKENS * 3 / 4 {
                read.users.clear();
            }
        }
        read.users
            .insert(token_hash.to_owned(), (Instant::now(), user));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::{execute, named, on_each_backend};
    use crate::db::users::test_hash as hash;
    use crate::model::Role;

    #[tokio::test]
    async fn a_token_is_read_once_a_second_and_anew_after_any_change() {
        on_each_backend(async |store| {
            let id = db::users::create(
                &store,
                "editor",
                Role::Editor,
                &hash("一个足够长的密码").unwrap(),
            )
            .await
            .unwrap();
            db::sessions::create(&store, "t1", id, i64::MAX)
                .await
                .unwrap();
            let cache = SessionCache::default();
            let user = cache.user(&store, "t1").await.unwrap();
            assert_eq!(user.map(|user| user.id), Some(id), "{}", named(&store));
            assert_eq!(cache.user(&store, "unknown").await.unwrap(), None);

            execute(&store, "DELETE FROM sessions").await;
            assert!(
                cache.user(&store, "t1").await.unwrap().is_some(),
                "kept for a second"
            );
            cache.clear();
            assert_eq!(cache.user(&store, "t1").await.unwrap(), None, "signed out");
        })
        .await;
    }

    #[test]
    fn a_reading_begun_before_a_change_is_not_kept() {
        let cache = SessionCache::default();
        let before = cache.clearings().unwrap();
        cache.clear();
        cache.keep("t1", before, None);
        assert_eq!(cache.kept("t1"), None);
        cache.keep("t1", cache.clearings().unwrap(), None);
        assert_eq!(cache.kept("t1"), Some(None));
    }

    #[test]
    fn a_flood_of_unknown_tokens_does_not_grow_it_without_end() {
        let cache = SessionCache::default();
        for token in 0..MAX_TOKENS * 3 {
            cache.keep(&token.to_string(), 0, None);
        }
        assert!(cache.read.lock().unwrap().users.len() <= MAX_TOKENS);
    }

    #[test]
    fn a_full_cache_of_mostly_recent_tokens_starts_afresh() {
        let cache = SessionCache::default();
        let old = Instant::now() - LIFETIME * 2;
        {
            let mut read = cache.read.lock().unwrap();
            for token in 0..MAX_TOKENS {
                let at = if token % 8 == 0 { old } else { Instant::now() };
                read.users.insert(token.to_string(), (at, None));
            }
        }
        cache.keep("one more", 0, None);
        // Keeping the seven eighths read within the second would have it full again after a
        // few more tokens, each of them searching the whole map.
        assert_eq!(cache.read.lock().unwrap().users.len(), 1);
    }
}
