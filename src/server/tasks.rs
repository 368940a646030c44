//! Background work while serving: writing counted views and logged searches every second,
//! and forgetting what has expired.

use std::time::Duration;

use super::editorial::form_drafts;
use crate::db::Store;

use super::audience::{hot_queries, view_counter};
use super::clock::unix_now;
use super::state::AppState;
use crate::db;

/// How often expired views and sessions are forgotten.
const PRUNE_EVERY: Duration = Duration::from_secs(10 * 60);

/// Writes counted views and logged searches once a second, until told to stop.
pub async fn keep_writing(state: AppState, mut stop: tokio::sync::oneshot::Receiver<()>) {
    let mut interval = tokio::time::interval(view_counter::FLUSH_EVERY);
    loop {
        tokio::select! {
            _ = interval.tick() => write_buffered(&state).await,
            _ = &mut stop => return,
        }
    }
}

pub async fn write_buffered(state: &AppState) {
    if let Err(error) = state.view_counter.flush(&state.pool).await {
        tracing::warn!(%error, "could not write view counts; they are kept for the next try");
    }
    if let Err(error) = state.search_log.flush(&state.pool).await {
        tracing::warn!(%error, "could not log searches; they are kept for the next try");
    }
}

/// Forgets views that can no longer stop a view from counting, expired sessions, and
/// searches too old to count towards 热门搜索 (else the log grows with every search).
pub async fn prune_expired(pool: Store) {
    let mut interval = tokio::time::interval(PRUNE_EVERY);
    loop {
        interval.tick().await;
        if let Err(error) = db::views::prune(&pool, unix_now()).await {
            tracing::warn!(%error, "could not prune old views");
        }
        if let Err(error) = db::sessions::delete_expired(&pool, unix_now()).await {
            tracing::warn!(%error, "could not remove expired sessions");
        }
        let too_old = unix_now() - hot_queries::LOOK_BACK_SECONDS;
        if let Err(error) = db::search::prune_log(&pool, too_old).await {
            tracing::warn!(%error, "could not prune the search log");
        }
        // Drafts are kept an hour and failures counted over a quarter of one.
        let expired = unix_now() - form_drafts::KEEP_FOR;
        if let Err(error) = db::shared_state::prune(&pool, expired).await {
            tracing::warn!(%error, "could not prune old form drafts and sign-in failures");
        }
    }
}
