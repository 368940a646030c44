//! The HTTP stack: the router and the middleware every request passes, outermost first as
//! `router::build` layers them (request ids and the log line, compression, security
//! headers, visitor identity, the search limit, the page cache, form checks, error
//! statuses, sessions, same-origin checks, form drafts, the repairs to the rendered HTML,
//! and innermost a task of its own for each request that reaches the routes), and the
//! versioned addresses of the code and styles (`versioned_assets`). Rules about editors or
//! visitors live in `auth/`, `editorial/` and `audience/`; this room only wires them to
//! requests.

pub mod client;
pub mod content_coding;
pub mod cookies;
pub mod error_status;
pub mod html_repair;
pub mod kept_pages;
pub mod log_format;
pub mod old_addresses;
pub mod page_cache;
pub mod path_param;
pub mod precompress;
pub mod request_body;
pub mod request_log;
pub mod router;
pub mod run_to_end;
pub mod same_origin;
pub mod security_headers;
pub mod versioned_assets;
pub mod view_patch;

/// Whether a response is an HTML page (what the page cache keeps and the content
/// security policy covers).
pub fn is_html(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|kind| kind.starts_with("text/html"))
}
