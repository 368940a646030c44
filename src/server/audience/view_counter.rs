//! 浏览量 under load. A view is judged against the recent views (kept in memory once read
//! or written, so a returning visitor costs no query) and counted in memory; a background
//! task writes the counts in one transaction every second, and the last ones are written
//! when the server stops. A failed write keeps its counts for the next one, so no counted
//! view is lost.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::db::Store;
use crate::db::store::Exec;

use crate::db::views::{self, WINDOW_SECONDS};
use crate::server::audience::visitor::Visitor;

/// How often counted views are written.
pub const FLUSH_EVERY: Duration = Duration::from_secs(1);
/// Recent views remembered in memory before the memory starts afresh.
const MAX_KNOWN: usize = 200_000;
/// Views that did not count are remembered (for the visitor's other keys) only while fewer
/// than this many wait to be written: a client that refuses cookies gets a new one with
/// every request, and must not turn into a flood of writes.
const MAX_PENDING_REPEATS: usize = 10_000;
/// Stands for "no view stored" among the known views.
const NEVER: i64 = i64::MIN;

#[derive(Clone, Default)]
pub struct ViewCounter {
    pending: Arc<Mutex<Pending>>,
}

#[derive(Default)]
struct Pending {
    /// Views counted per article, not yet written.
    counts: HashMap<i64, i64>,
    /// Views counted per article, being written.
    in_flight: HashMap<i64, i64>,
    /// (article, visitor key) → time, not yet written, or being written.
    views: HashMap<(i64, String), i64>,
    /// (article, visitor key) → time of the stored view (`NEVER` for none), as last read or
    /// written.
    known: HashMap<(i64, String), i64>,
    /// Views counted per article since the server started, for pages served from memory.
    totals: HashMap<i64, i64>,
}

impl ViewCounter {
    /// Counts a visitor's view of an article at `now`, unless one of their keys viewed it
    /// within the window. Returns whether it counted.
    pub async fn record(
        &self,
        pool: &Store,
        article_id: i64,
        visitor: &Visitor,
        now: i64,
    ) -> sqlx::Result<bool> {
        let unknown = self.unknown_keys(article_id, visitor);
        if unknown.is_empty() {
            // The usual case: no connection is taken.
            return Ok(self.count(article_id, visitor, unknown, &[], now));
        }
        self.record_on(&mut pool.acquire().await?, article_id, visitor, now)
            .await
    }

    /// `record`, on a connection the caller holds for other queries too.
    pub async fn record_on(
        &self,
        conn: impl Into<Exec<'_>>,
        article_id: i64,
        visitor: &Visitor,
        now: i64,
    ) -> sqlx::Result<bool> {
        let unknown = self.unknown_keys(article_id, visitor);
        let stored = if unknown.is_empty() {
            Vec::new()
        } else {
            views::last_views(conn, article_id, &unknown).await?
        };
        Ok(self.count(article_id, visitor, unknown, &stored, now))
    }

    /// The visitor's keys whose last view of the article this server has not read yet.
    fn unknown_keys(&self, article_id: i64, visitor: &Visitor) -> Vec<String> {
        let skip = usize::from(visitor.issued_cookie);
        let Ok(pending) = self.pending.lock() else {
            return Vec::new();
        };
        visitor.keys[skip.min(visitor.keys.len())..]
            .iter()
            .filter(|key| {
                let entry = (article_id, (*key).clone());
                !pending.views.contains_key(&entry) && !pending.known.contains_key(&entry)
            })
            .cloned()
            .collect()
    }

    /// Counts the view, knowing when the `unknown` keys last viewed the article (`stored`).
    fn count(
        &self,
        article_id: i64,
        visitor: &Visitor,
        unknown: Vec<String>,
        stored: &[(String, i64)],
        now: i64,
    ) -> bool {
        let Ok(mut pending) = self.pending.lock() else {
            return false;
        };
        if pending.known.len() > MAX_KNOWN {
            pending.known.clear();
        }
        for key in unknown {
            let at = stored
                .iter()
                .find(|(stored_key, _)| *stored_key == key)
                .map_or(NEVER, |(_, at)| *at);
            pending.known.insert((article_id, key), at);
        }
        let mut fresh = true;
        let mut stale_keys = Vec::new();
        for key in &visitor.keys {
            let entry = (article_id, key.clone());
            let last = pending
                .views
                .get(&entry)
                .copied()
                .max(pending.known.get(&entry).copied())
                .unwrap_or(NEVER);
            if last > now - WINDOW_SECONDS {
                fresh = false;
            } else {
                stale_keys.push(entry);
            }
        }
        if fresh || pending.views.len() < MAX_PENDING_REPEATS {
            for entry in stale_keys {
                pending.views.insert(entry, now);
            }
        }
        if fresh {
            *pending.counts.entry(article_id).or_default() += 1;
            *pending.totals.entry(article_id).or_default() += 1;
        }
        fresh
    }

    /// Views of an article counted since the server started.
    pub fn total(&self, article_id: i64) -> i64 {
        self.pending.lock().map_or(0, |pending| {
            pending.totals.get(&article_id).copied().unwrap_or(0)
        })
    }

    /// Writes what was counted since the last write; returns how many views it added.
    pub async fn flush(&self, pool: &Store) -> sqlx::Result<i64> {
        let (counts, written) = {
            let Ok(mut pending) = self.pending.lock() else {
                return Ok(0);
            };
            let written: Vec<(i64, String, i64)> = pending
                .views
                .iter()
                .map(|((article, key), at)| (*article, key.clone(), *at))
                .collect();
            let counts = std::mem::take(&mut pending.counts);
            for (article, count) in &counts {
                *pending.in_flight.entry(*article).or_default() += count;
            }
            (counts, written)
        };
        if counts.is_empty() && written.is_empty() {
            return Ok(0);
        }
        let result = views::write_batch(pool, &counts, &written).await;
        let Ok(mut pending) = self.pending.lock() else {
            return result.map(|()| 0);
        };
        pending.in_flight.clear();
        match result {
            Ok(()) => {
                // Views recorded again while writing stay for the next write.
                for (article, key, at) in written {
                    let entry = (article, key);
                    if pending.views.get(&entry) == Some(&at) {
                        pending.views.remove(&entry);
                    }
                    pending.known.insert(entry, at);
                }
                Ok(counts.values().sum())
            }
            Err(error) => {
                for (article, count) in counts {
                    *pending.counts.entry(article).or_default() += count;
                }
                Err(error)
            }
        }
    }

    /// Views of an article counted but not yet stored, to add to the stored 浏览量.
    pub fn unwritten(&self, article_id: i64) -> i64 {
        self.pending.lock().map_or(0, |pending| {
            pending.counts.get(&article_id).copied().unwrap_or(0)
                + pending.in_flight.get(&article_id).copied().unwrap_or(0)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::{execute, number, on_each_backend};

    async fn article(pool: &Store) -> i64 {
        execute(
            pool,
            "INSERT INTO categories (id, slug, name) VALUES (1, 'news', '行业动态');
             INSERT INTO articles (id, category_id, title, status, published_at)
             VALUES (1, 1, 't', 'published', 0)",
        )
        .await;
        1
    }

    async fn stored_count(pool: &Store, id: i64) -> i64 {
        number(
            pool,
            &format!("SELECT view_count FROM articles WHERE id = {id}"),
        )
        .await
    }

    fn keys(names: &[&str]) -> Visitor {
        Visitor {
            keys: names.iter().map(|name| name.to_string()).collect(),
            issued_cookie: false,
        }
    }

    #[tokio::test]
    async fn counts_a_visitor_once_per_window() {
        on_each_backend(async |store| {
            let pool = store;
            let counter = ViewCounter::default();
            let id = article(&pool).await;
            let t = 1_000_000;
            assert!(counter.record(&pool, id, &keys(&["a"]), t).await.unwrap());
            assert!(
                !counter
                    .record(&pool, id, &keys(&["a"]), t + 60)
                    .await
                    .unwrap()
            );
            counter.flush(&pool).await.unwrap();
            // Once written, the stored view keeps deciding.
            assert!(
                !counter
                    .record(&pool, id, &keys(&["a"]), t + WINDOW_SECONDS - 1)
                    .await
                    .unwrap()
            );
            assert!(
                counter
                    .record(&pool, id, &keys(&["a"]), t + WINDOW_SECONDS)
                    .await
                    .unwrap()
            );
            assert_eq!(counter.flush(&pool).await.unwrap(), 1);
            assert_eq!(stored_count(&pool, id).await, 2);
        })
        .await;
    }

    #[tokio::test]
    async fn any_known_key_makes_a_repeat_view() {
        on_each_backend(async |store| {
            let pool = store;
            let counter = ViewCounter::default();
            let id = article(&pool).await;
            // A first visit without a cookie is known by its address and by the cookie it is given.
            assert!(
                counter
                    .record(&pool, id, &keys(&["cookie:x", "ip:y"]), 100)
                    .await
                    .unwrap()
            );
            assert!(
                !counter
                    .record(&pool, id, &keys(&["cookie:x"]), 200)
                    .await
                    .unwrap()
            );
            counter.flush(&pool).await.unwrap();
            assert!(
                !counter
                    .record(&pool, id, &keys(&["cookie:z", "ip:y"]), 300)
                    .await
                    .unwrap()
            );
            assert!(
                counter
                    .record(&pool, id, &keys(&["cookie:w"]), 300)
                    .await
                    .unwrap()
            );
            counter.flush(&pool).await.unwrap();
            assert_eq!(stored_count(&pool, id).await, 2);
        })
        .await;
    }

    #[tokio::test]
    async fn views_stored_before_a_restart_still_count() {
        on_each_backend(async |store| {
            let pool = store;
            let id = article(&pool).await;
            let before = ViewCounter::default();
            assert!(before.record(&pool, id, &keys(&["a"]), 100).await.unwrap());
            before.flush(&pool).await.unwrap();
            let after = ViewCounter::default();
            assert!(!after.record(&pool, id, &keys(&["a"]), 200).await.unwrap());
            assert_eq!(after.total(id), 0);
            assert_eq!(before.total(id), 1);
        })
        .await;
    }

    #[tokio::test]
    async fn a_client_refusing_cookies_is_one_visitor() {
        on_each_backend(async |store| {
            let pool = store;
            let counter = ViewCounter::default();
            let id = article(&pool).await;
            for request in 0..50 {
                let visitor = Visitor {
                    keys: vec![format!("c:new{request}"), "a:same-address".into()],
                    issued_cookie: true,
                };
                counter
                    .record(&pool, id, &visitor, 100 + request)
                    .await
                    .unwrap();
            }
            assert_eq!(counter.flush(&pool).await.unwrap(), 1);
        })
        .await;
    }

    #[tokio::test]
    async fn concurrent_visits_are_counted_exactly() {
        on_each_backend(async |store| {
            let pool = store;
            let counter = ViewCounter::default();
            let id = article(&pool).await;
            let mut tasks = Vec::new();
            // 200 visitors, each opening the article three times, while writes happen.
            for visitor in 0..200 {
                for _ in 0..3 {
                    let (counter, pool) = (counter.clone(), pool.clone());
                    tasks.push(tokio::spawn(async move {
                        let visitor = Visitor {
                            keys: vec![format!("v{visitor}")],
                            issued_cookie: false,
                        };
                        counter.record(&pool, id, &visitor, 1_000).await.unwrap()
                    }));
                }
                if visitor % 50 == 0 {
                    counter.flush(&pool).await.unwrap();
                }
            }
            let mut counted = 0;
            for task in tasks {
                counted += i64::from(task.await.unwrap());
            }
            counter.flush(&pool).await.unwrap();
            assert_eq!(counted, 200);
            assert_eq!(stored_count(&pool, id).await, 200);
        })
        .await;
    }

    #[tokio::test]
    async fn a_failed_write_keeps_its_counts() {
        on_each_backend(async |store| {
            let pool = store;
            let counter = ViewCounter::default();
            let id = article(&pool).await;
            assert!(counter.record(&pool, id, &keys(&["a"]), 100).await.unwrap());
            // The articles table refuses writes for a moment.
            let (refuse, allow) = match pool.backend() {
                crate::db::Backend::Sqlite => (
                    "CREATE TRIGGER refuse BEFORE UPDATE OF view_count ON articles
                 BEGIN SELECT RAISE(ABORT, 'disk full'); END",
                    "DROP TRIGGER refuse",
                ),
                crate::db::Backend::Postgres => (
                    "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN RAISE EXCEPTION 'disk full'; END $$;
                 CREATE TRIGGER refuse BEFORE UPDATE OF view_count ON articles
                 FOR EACH ROW EXECUTE FUNCTION refuse()",
                    "DROP TRIGGER refuse ON articles",
                ),
            };
            execute(&pool, refuse).await;
            assert!(counter.flush(&pool).await.is_err());
            execute(&pool, allow).await;
            assert_eq!(counter.flush(&pool).await.unwrap(), 1);
            assert_eq!(stored_count(&pool, id).await, 1);
        })
        .await;
    }
}
