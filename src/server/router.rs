//! The HTTP router: Leptos pages and server functions, static files, health.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use leptos_axum::{AxumRouteListing, LeptosRoutes, file_and_error_handler, generate_route_list};
use tower_http::compression::CompressionLayer;

use super::state::AppState;
use super::{api_status, feeds, rate_limit, reading, sitemap, visitor};
use crate::app::{App, shell};

/// The page routes of the app. Generating them suppresses resource loading process-wide
/// while it runs, so it must happen once, before any page is rendered.
pub fn page_routes() -> Vec<AxumRouteListing> {
    generate_route_list(App)
}

pub fn build(state: AppState, routes: Vec<AxumRouteListing>) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/feed.xml", get(feeds::site_feed))
        .route("/category/{slug}/feed.xml", get(feeds::category_feed))
        .route("/sitemap.xml", get(sitemap::sitemap))
        .route("/sitemap/{part}", get(sitemap::sitemap_part))
        .route("/robots.txt", get(sitemap::robots))
        .route("/reading", get(reading::choose))
        .leptos_routes(&state, routes, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            rate_limit::limit_search,
        ))
        .layer(axum::middleware::from_fn(api_status::error_status))
        .layer(axum::middleware::from_fn(visitor::identify))
        .layer(CompressionLayer::new())
        .with_state(state)
}

/// Liveness for operators: the database answers.
async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match sqlx::query_scalar::<_, i64>("SELECT 1")
        .fetch_one(&state.pool)
        .await
    {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(error) => {
            tracing::error!(%error, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
