//! One log line per request: its id (also sent back as `x-request-id`, or kept from a proxy
//! that set one), method, path, status and time. Only the path is logged: never the query,
//! headers, cookies or bodies, where passwords and session tokens travel.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, Response};
use tracing::Span;

pub const REQUEST_ID: &str = "x-request-id";

pub fn span(request: &Request<Body>) -> Span {
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        id,
        method = %request.method(),
        path = request.uri().path(),
    )
}

pub fn answered<B>(response: &Response<B>, latency: Duration, _span: &Span) {
    tracing::info!(
        status = response.status().as_u16(),
        ms = (latency.as_secs_f64() * 10_000.0).round() / 10.0,
        "answered"
    );
}
