//! 热门搜索: the most searched queries of the last 30 days, recounted every few minutes
//! rather than on every page view.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::SqlitePool;

use super::unix_now;
use crate::db;

/// How far back the count looks.
const LOOK_BACK_SECONDS: i64 = 30 * 24 * 60 * 60;
/// How long a count is shown before it is made again.
const FRESH_FOR: Duration = Duration::from_secs(5 * 60);
/// How many queries are shown.
const SHOWN: i64 = 8;

/// The queries, and when they were counted.
type Count = (Instant, Vec<String>);

#[derive(Clone, Default)]
pub struct HotQueries {
    counted: Arc<Mutex<Option<Count>>>,
}

impl HotQueries {
    pub async fn get(&self, pool: &SqlitePool) -> sqlx::Result<Vec<String>> {
        let cached = self.counted.lock().ok().and_then(|counted| counted.clone());
        if let Some((at, queries)) = cached
            && at.elapsed() < FRESH_FOR
        {
            return Ok(queries);
        }
        let queries = db::search::hot_queries(pool, unix_now() - LOOK_BACK_SECONDS, SHOWN).await?;
        if let Ok(mut counted) = self.counted.lock() {
            *counted = Some((Instant::now(), queries.clone()));
        }
        Ok(queries)
    }
}
