//! 热门搜索: the most searched queries of the last 30 days, recounted every few minutes
//! rather than on every page view.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::db::Store;

use crate::db;
use crate::server::clock::unix_now;

/// How far back the count looks.
pub const LOOK_BACK_SECONDS: i64 = 30 * 24 * 60 * 60;
/// How long a count is shown before it is made again.
const FRESH_FOR: Duration = Duration::from_secs(5 * 60);
/// How many queries are shown.
const SHOWN: i64 = 8;

/// The queries, and when they were counted.
type Count = (Instant, Vec<String>);

#[derive(Clone, Default)]
pub struct HotQueries {
    counted: Arc<Mutex<Option<Count>>>,
    /// A request is counting anew; the others show the last count meanwhile.
    counting: Arc<AtomicBool>,
}

impl HotQueries {
    pub async fn get(&self, pool: &Store) -> sqlx::Result<Vec<String>> {
        let cached = self.counted.lock().ok().and_then(|counted| counted.clone());
        if let Some((at, queries)) = &cached
            && at.elapsed() < FRESH_FOR
        {
            return Ok(queries.clone());
        }
        if let Some((_, queries)) = cached
            && self.counting.swap(true, Ordering::AcqRel)
        {
            return Ok(queries);
        }
        let counted = db::search::hot_queries(pool, unix_now() - LOOK_BACK_SECONDS, SHOWN).await;
        self.counting.store(false, Ordering::Release);
        let queries = counted?;
        if let Ok(mut counted) = self.counted.lock() {
            *counted = Some((Instant::now(), queries.clone()));
        }
        Ok(queries)
    }
}

/// Searches to remember for 热门搜索, written with the view counts once a second rather than
/// one write per search.
#[derive(Clone, Default)]
pub struct SearchLog {
    pending: Arc<Mutex<Vec<(String, i64)>>>,
}

/// The response header through which a rendered search page says which query it logged, so
/// that the same page served from memory logs it again.
pub const LOGGED_HEADER: &str = "x-gazette-logged-search";

impl SearchLog {
    pub fn push(&self, query: String, now: i64) {
        if let Ok(mut pending) = self.pending.lock() {
            pending.push((query, now));
        }
    }

    /// Writes the searches logged since the last write; a failed write keeps them.
    pub async fn flush(&self, pool: &Store) -> sqlx::Result<()> {
        let queries = match self.pending.lock() {
            Ok(mut pending) => std::mem::take(&mut *pending),
            Err(_) => return Ok(()),
        };
        if queries.is_empty() {
            return Ok(());
        }
        if let Err(error) = db::search::log_queries(pool, &queries).await {
            if let Ok(mut pending) = self.pending.lock() {
                pending.extend(queries);
            }
            return Err(error);
        }
        Ok(())
    }
}
