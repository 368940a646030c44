//! Refuses state-changing requests that another site's page sent (cross-site request
//! forgery): a POST must name this site in `Origin`, or failing that in `Referer`. Browsers
//! send `Origin` with every form and fetch POST, hydrated or not.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::server::state::AppState;

pub async fn refuse_cross_site(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) || is_same_site(request.headers(), &state.config.public_base_url)
    {
        return next.run(request).await;
    }
    tracing::warn!(path = %request.uri().path(), "refused a cross-site request");
    let error = AppError::Forbidden("请求来源不是本站,已拒绝。请在本站页面上操作".into());
    if request.uri().path().starts_with("/api/") {
        // Server-function callers read errors as JSON.
        let body = serde_json::to_string(&error).unwrap_or_default();
        (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response()
    } else {
        error.into_response()
    }
}

/// Whether the request's `Origin` (or `Referer`) is this site: the host it was sent to, or
/// the configured public address.
fn is_same_site(headers: &HeaderMap, public_base_url: &str) -> bool {
    let text = |name| headers.get(name).and_then(|value| value.to_str().ok());
    let Some(source) = text(header::ORIGIN).or_else(|| text(header::REFERER)) else {
        return false;
    };
    let Some(source_host) = authority(source) else {
        return false;
    };
    text(header::HOST).is_some_and(|host| host.eq_ignore_ascii_case(source_host))
        || authority(public_base_url).is_some_and(|public| public.eq_ignore_ascii_case(source_host))
}

/// `host:port` of an absolute http(s) URL.
fn authority(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(&rest[..end]).filter(|host| !host.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn the_sites_own_pages_may_post() {
        let public = "https://www.szmr.org.cn";
        assert!(is_same_site(
            &headers(&[
                (header::HOST, "127.0.0.1:3000"),
                (header::ORIGIN, "http://127.0.0.1:3000")
            ]),
            public
        ));
        assert!(is_same_site(
            &headers(&[
                (header::HOST, "10.0.0.5"),
                (header::ORIGIN, "https://www.szmr.org.cn")
            ]),
            public
        ));
        assert!(is_same_site(
            &headers(&[
                (header::HOST, "127.0.0.1:3000"),
                (header::REFERER, "http://127.0.0.1:3000/admin/articles/1")
            ]),
            public
        ));
    }

    #[test]
    fn other_sites_and_anonymous_posts_are_refused() {
        let public = "https://www.szmr.org.cn";
        for pairs in [
            vec![
                (header::HOST, "127.0.0.1:3000"),
                (header::ORIGIN, "https://evil.example"),
            ],
            vec![(header::HOST, "127.0.0.1:3000"), (header::ORIGIN, "null")],
            vec![
                (header::HOST, "127.0.0.1:3000"),
                (header::ORIGIN, "http://127.0.0.1:3000.evil.example"),
            ],
            vec![(header::HOST, "127.0.0.1:3000")],
            vec![
                (header::HOST, "127.0.0.1:3000"),
                (
                    header::REFERER,
                    "https://evil.example/?http://127.0.0.1:3000",
                ),
            ],
        ] {
            assert!(!is_same_site(&headers(&pairs), public), "{pairs:?}");
        }
    }
}
