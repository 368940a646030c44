//! Keeps one address from flooding search: each address may search a number of times per
//! window; other visitors are unaffected.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;

use crate::error::AppError;
use crate::server::http::client::Client;
use crate::server::state::AppState;

/// Searches one address may make per window by default: far more than a person types.
pub const SEARCHES_PER_WINDOW: u32 = 30;
pub const WINDOW: Duration = Duration::from_secs(60);

/// Addresses remembered before expired windows are swept out.
const SWEEP_ABOVE: usize = 10_000;

#[derive(Clone)]
pub struct RateLimiter {
    windows: Arc<Mutex<HashMap<IpAddr, (Instant, u32)>>>,
    /// 0: no limit.
    per_window: u32,
}

impl Default for RateLimiter {
    fn default() -> Self {
        RateLimiter::new(SEARCHES_PER_WINDOW)
    }
}

impl RateLimiter {
    pub fn new(per_window: u32) -> RateLimiter {
        RateLimiter {
            windows: Arc::default(),
            per_window,
        }
    }

    /// Counts a request from `address` at `now`; whether it is within the limit.
    pub fn allow(&self, address: IpAddr, now: Instant) -> bool {
        if self.per_window == 0 {
            return true;
        }
        let Ok(mut windows) = self.windows.lock() else {
            // A panic elsewhere poisoned the lock; let searches through rather than fail.
            return true;
        };
        if windows.len() > SWEEP_ABOVE {
            windows.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let (start, count) = windows.entry(address).or_insert((now, 0));
        if now.duration_since(*start) >= WINDOW {
            *start = now;
            *count = 0;
        }
        *count += 1;
        *count <= self.per_window
    }
}

/// Applies the limit to the search page and the search server function.
pub async fn limit_search(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let is_search = path == "/search" || path == "/api/search";
    if !is_search {
        return next.run(request).await;
    }
    let address = request
        .extensions()
        .get::<Client>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |client| client.address);
    if state.search_limiter.allow(address, Instant::now()) {
        return next.run(request).await;
    }
    let retry = [(header::RETRY_AFTER, WINDOW.as_secs().to_string())];
    let error = AppError::RateLimited;
    if path.starts_with("/api/") {
        let body = serde_json::to_string(&error).unwrap_or_default();
        let headers = [(header::CONTENT_TYPE, "application/json".to_string())];
        return (
            StatusCode::TOO_MANY_REQUESTS,
            retry,
            headers,
            [(SERVER_FN_ERROR_HEADER, path.to_string())],
            body,
        )
            .into_response();
    }
    let page = format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>请稍后再试</title></head>\
         <body><h1>请稍后再试</h1><p>{error}</p><p><a href=\"/\">返回首页</a></p></body></html>"
    );
    let headers = [(header::CONTENT_TYPE, "text/html; charset=utf-8".to_string())];
    (StatusCode::TOO_MANY_REQUESTS, retry, headers, page).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_address_has_its_own_allowance() {
        let limiter = RateLimiter::default();
        let now = Instant::now();
        let flood: IpAddr = "10.0.0.1".parse().unwrap();
        let reader: IpAddr = "10.0.0.2".parse().unwrap();
        for _ in 0..SEARCHES_PER_WINDOW {
            assert!(limiter.allow(flood, now));
        }
        assert!(!limiter.allow(flood, now));
        assert!(limiter.allow(reader, now), "another visitor is unaffected");
        assert!(
            limiter.allow(flood, now + WINDOW),
            "the allowance comes back"
        );
    }

    #[test]
    fn zero_means_no_limit() {
        let limiter = RateLimiter::new(0);
        let now = Instant::now();
        let address: IpAddr = "10.0.0.1".parse().unwrap();
        assert!((0..1_000).all(|_| limiter.allow(address, now)));
    }
}
