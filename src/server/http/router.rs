//! The HTTP router: Leptos pages and server functions, static files, health.

use std::path::Path;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::Request;
use axum::handler::Handler;
use axum::http::HeaderName;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::{MethodRouter, any, get, post};
use leptos::config::Env;
use leptos_axum::{AxumRouteListing, LeptosRoutes, file_and_error_handler, generate_route_list};
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use super::versioned_assets::{self, AssetPrefix};
use super::{
    client, error_status, html_repair, old_addresses, page_cache, request_body, request_log,
    run_to_end, same_origin, security_headers,
};
use crate::app::{App, NAVIGATION_SCRIPT, shell};
use crate::server::audience::{rate_limit, visitor};
use crate::server::auth::session;
use crate::server::editorial::form_drafts;
use crate::server::handlers::{feeds, health, navigation, reading, sitemap, uploads};
use crate::server::state::AppState;

/// The page routes of the app. Generating them suppresses resource loading process-wide
/// while it runs, so it must happen once, before any page is rendered.
pub fn page_routes() -> Vec<AxumRouteListing> {
    generate_route_list(App)
}

/// The whole site: the routes inside the middleware every request passes, outermost
/// first. The middleware wraps the router once rather than each route (`Router::layer`),
/// where every layer cloned the route's whole stack beneath it, the renderer's options
/// included, for every request, a page served from memory too.
pub fn build(state: AppState, routes: Vec<AxumRouteListing>) -> Router {
    let pkg_dir = state.leptos_options.site_pkg_dir.to_string();
    let pkg = Path::new(state.leptos_options.site_root.as_ref()).join(&pkg_dir);
    let assets = AssetPrefix::for_pkg(&pkg);
    let middleware = tower::ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(
            HeaderName::from_static(request_log::REQUEST_ID),
            request_log::RequestIds::default(),
        ))
        .layer(PropagateRequestIdLayer::new(HeaderName::from_static(
            request_log::REQUEST_ID,
        )))
        // Outside the log, so that its line names the client behind a proxy.
        .layer(axum::middleware::from_fn_with_state(
            client::TrustedProxies::from_state(&state),
            client::identify,
        ))
        .layer(request_log::RequestLogLayer)
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            security_headers::Policy::for_site(&state.config.public_base_url),
            security_headers::apply,
        ))
        // The shell names the files of this version (`versioned_assets`).
        .layer(axum::Extension(assets.clone()))
        .layer(axum::middleware::from_fn(visitor::identify))
        // Outside the page cache: searches served from memory count against the limit too.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            rate_limit::limit_search,
        ))
        // Outside the page cache, so that a cached 404 still finds a redirect added since.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            old_addresses::redirect_old_addresses,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            page_cache::serve_cached,
        ))
        .layer(axum::middleware::from_fn(request_body::check_forms))
        .layer(axum::middleware::from_fn(error_status::error_status))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session::authenticate,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            same_origin::refuse_cross_site,
        ))
        // Server functions read whole forms; the longest article is over axum's default.
        .layer(DefaultBodyLimit::max(request_body::MAX_FORM_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            form_drafts::keep_rejected_forms,
        ))
        .layer(axum::middleware::from_fn(html_repair::repair))
        // Innermost: a page served from memory needs no task of its own.
        .layer(axum::middleware::from_fn(run_to_end::run_to_end))
        .service(routes_of(state, routes, &pkg, &pkg_dir, &assets));
    Router::new().fallback_service(middleware)
}

/// The routes: Leptos pages and server functions, feeds, files.
fn routes_of(
    state: AppState,
    routes: Vec<AxumRouteListing>,
    pkg: &Path,
    pkg_dir: &str,
    assets: &AssetPrefix,
) -> Router {
    // Room for the multipart framing around the largest file accepted.
    let upload_limit = usize::try_from(state.config.upload_max_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(64 * 1024);
    let immutable = state.leptos_options.env == Env::PROD;
    Router::new()
        .nest_service(
            &format!("{}/{pkg_dir}", assets.0),
            versioned_assets::files(pkg, immutable),
        )
        .route(
            &format!("{}/{NAVIGATION_SCRIPT}", assets.0),
            get(move || async move { navigation::script(immutable) }),
        )
        .route("/healthz", get(health::healthz))
        .route("/feed.xml", get(feeds::site_feed))
        .route("/category/{slug}/feed.xml", get(feeds::category_feed))
        .route("/sitemap.xml", get(sitemap::sitemap))
        .route("/sitemap/{part}", get(sitemap::sitemap_part))
        .route("/robots.txt", get(sitemap::robots))
        .route("/reading", get(reading::choose))
        .route(
            "/admin/uploads",
            post(uploads::upload).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route("/uploads/{name}", get(uploads::serve))
        .leptos_routes(&state, routes, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        // Files under the site root (the wasm bundle and its chunks, styles, images), else
        // the app's 404 page.
        .fallback(static_file_or_page(&state))
        .with_state(state)
}

/// Files are served by `ServeDir` rather than by `file_and_error_handler`, which can give a
/// file the status and headers of a page rendered at the same time on the same thread (a
/// sign-in redirect turned wasm chunks into 302s). Under these plain addresses, which keep
/// their names from build to build, browsers revalidate them (Last-Modified → 304); pages
/// name the versioned addresses (`versioned_assets`). A path no file system could hold goes
/// straight to the 404 page (the
/// file system would answer `ServeDir` with an error, and it with a 500).
fn static_file_or_page(state: &AppState) -> MethodRouter<AppState> {
    let pages = file_and_error_handler::<AppState, _>(shell).with_state(state.clone());
    let files = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .service(
            ServeDir::new(state.leptos_options.site_root.as_ref())
                .precompressed_br()
                .precompressed_gzip()
                .fallback(pages.clone()),
        );
    any(move |request: Request| async move {
        if could_be_a_file(request.uri().path()) {
            files.oneshot(request).await.into_response()
        } else {
            pages.oneshot(request).await.into_response()
        }
    })
}

/// Whether a file could have this path: no name longer than file systems allow.
fn could_be_a_file(path: &str) -> bool {
    const MAX_NAME_BYTES: usize = 255;
    const MAX_PATH_BYTES: usize = 1024;
    path.len() <= MAX_PATH_BYTES && path.split('/').all(|name| name.len() <= MAX_NAME_BYTES)
}
