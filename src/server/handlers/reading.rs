//! The large-text, high-contrast reading mode older readers can switch on. It is a cookie,
//! so the server renders the chosen mode from the first byte, with or without JavaScript.

use axum::extract::Query;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::server::http::cookies::cookie;

pub const COOKIE_NAME: &str = "gz_reading";

/// A year: the choice outlives visits.
const COOKIE_MAX_AGE_SECONDS: u64 = 365 * 24 * 60 * 60;

/// Whether the request carries the large-text choice.
pub fn chose_large_text(headers: &HeaderMap) -> bool {
    cookie(headers, COOKIE_NAME) == Some("large")
}

#[derive(Deserialize)]
pub struct Choice {
    /// `large` or `standard`.
    mode: String,
    /// Where to go back to: a path on this site.
    #[serde(rename = "return", default)]
    return_to: String,
}

/// `GET /reading?mode=large|standard&return=/path`: remembers the choice and goes back.
pub async fn choose(Query(choice): Query<Choice>) -> Response {
    let cookie = match choice.mode.as_str() {
        "large" => {
            format!("{COOKIE_NAME}=large; Path=/; Max-Age={COOKIE_MAX_AGE_SECONDS}; SameSite=Lax")
        }
        "standard" => format!("{COOKIE_NAME}=; Path=/; Max-Age=0; SameSite=Lax"),
        _ => return (StatusCode::BAD_REQUEST, "阅读模式只能是 large 或 standard").into_response(),
    };
    let location = safe_return_path(&choice.return_to);
    let (Ok(cookie), Ok(location)) = (
        HeaderValue::from_str(&cookie),
        HeaderValue::from_str(location),
    ) else {
        return (StatusCode::BAD_REQUEST, "返回地址无效").into_response();
    };
    (
        StatusCode::SEE_OTHER,
        [(header::SET_COOKIE, cookie), (header::LOCATION, location)],
    )
        .into_response()
}

/// The path to return to, if it stays on this site; otherwise the home page.
fn safe_return_path(path: &str) -> &str {
    let on_site = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control);
    if on_site { path } else { "/" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returns_only_to_this_site() {
        assert_eq!(safe_return_path("/article/1?x=1"), "/article/1?x=1");
        for outside in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "",
            "javascript:alert(1)",
            "/a\nb",
        ] {
            assert_eq!(safe_return_path(outside), "/", "{outside:?}");
        }
    }

    #[test]
    fn reads_the_choice_from_cookies() {
        let mut headers = HeaderMap::new();
        assert!(!chose_large_text(&headers));
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=b; gz_reading=large"),
        );
        assert!(chose_large_text(&headers));
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("gz_reading=largest"),
        );
        assert!(!chose_large_text(&headers));
    }
}
