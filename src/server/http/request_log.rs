//! One log line per request: its id (also sent back as `x-request-id`, or kept from a proxy
//! that set one), the client's address, method, path, status and time. Only the path is logged: never the query,
//! headers, cookies or bodies, where passwords and session tokens travel.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, Request, Response};
use tower_http::request_id::{MakeRequestId, RequestId};
use tracing::Span;

use super::client::Client;

pub const REQUEST_ID: &str = "x-request-id";

/// Request ids: a random prefix for this run of the server, then a count. Unique across
/// restarts, and no random numbers to draw per request.
#[derive(Clone)]
pub struct RequestIds {
    run: Arc<str>,
    next: Arc<AtomicU64>,
}

impl Default for RequestIds {
    fn default() -> Self {
        use rand::RngCore;
        RequestIds {
            run: format!("{:08x}", rand::rng().next_u32()).into(),
            next: Arc::new(AtomicU64::new(1)),
        }
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n}", self.run))
            .ok()
            .map(RequestId::new)
    }
}

pub fn span(request: &Request<Body>) -> Span {
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("-");
    let client = request
        .extensions()
        .get::<Client>()
        .map(|client| client.address);
    tracing::info_span!(
        "request",
        id,
        client = client.map(tracing::field::display),
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
