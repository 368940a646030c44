//! What every request handler and server function shares.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::Env;
use leptos::prelude::*;

use super::audience::hot_queries::{HotQueries, SearchLog};
use super::audience::rate_limit::RateLimiter;
use super::audience::view_counter::ViewCounter;
use super::auth::session_cache::SessionCache;
use super::chrome_cache::ChromeCache;
use super::config::Config;
use super::editorial::form_drafts::FallbackDrafts;
use super::http::kept_pages::PageCache;
use crate::db::Store;
use crate::error::AppError;

/// Cloned by every middleware of every request, so one reference count: cloning each
/// shared part instead cost a dozen atomic updates a clone, contended between cores.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    /// The database, SQLite or PostgreSQL.
    pub pool: Store,
    pub leptos_options: LeptosOptions,
    pub config: Arc<Config>,
    pub search_limiter: RateLimiter,
    pub hot_queries: HotQueries,
    pub fallback_drafts: FallbackDrafts,
    pub view_counter: ViewCounter,
    pub page_cache: PageCache,
    pub chrome_cache: ChromeCache,
    pub sessions: SessionCache,
    pub search_log: SearchLog,
}

impl AppState {
    pub fn new(pool: Store, config: Config) -> AppState {
        let search_limiter = RateLimiter::new(config.search_limit_per_minute);
        AppState(Arc::new(Shared {
            pool,
            leptos_options: leptos_options(&config),
            config: Arc::new(config),
            search_limiter,
            hot_queries: HotQueries::default(),
            fallback_drafts: FallbackDrafts::default(),
            view_counter: ViewCounter::default(),
            page_cache: PageCache::default(),
            chrome_cache: ChromeCache::default(),
            sessions: SessionCache::default(),
            search_log: SearchLog::default(),
        }))
    }
}

impl AppState {
    /// Something changed: pages, what they show around their content and who is signed in
    /// are read anew.
    pub fn forget_rendered(&self) {
        self.page_cache.clear();
        self.chrome_cache.clear();
        self.sessions.clear();
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// Leptos' own settings, from our configuration and the variables cargo-leptos sets.
pub fn leptos_options(config: &Config) -> LeptosOptions {
    let var = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.into());
    LeptosOptions::builder()
        .output_name(var("LEPTOS_OUTPUT_NAME", "gazette"))
        .site_root(config.site_root.clone())
        .site_pkg_dir(var("LEPTOS_SITE_PKG_DIR", "pkg"))
        .site_addr(config.site_addr)
        .env(var("LEPTOS_ENV", "PROD").parse::<Env>().unwrap_or_default())
        .reload_port(var("LEPTOS_RELOAD_PORT", "3001").parse().unwrap_or(3001))
        .build()
}

/// The state, as provided to server functions and rendering by the router.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the reactive context");
        AppError::Internal
    })
}
