//! A request is carried to its end even when its client gives up on it (a closed tab, a
//! proxy's timeout): it runs in a task of its own, and an answer nobody waits for is
//! dropped once made. Leptos renders a page with tasks beside the request's own (resources,
//! the effect of each `<Suspense>`); a request dropped half-way tore the page's reactive
//! owners down under them, and they panicked on values already disposed. A save carried
//! to its end is not left half done either.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::request_log;

pub async fn run_to_end(request: Request, next: Next) -> Response {
    match tokio::spawn(request_log::for_this_request(next.run(request))).await {
        Ok(response) => response,
        Err(error) => {
            tracing::error!(%error, "a request's task ended abnormally");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
