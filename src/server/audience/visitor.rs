//! Who is visiting, for 浏览量: a first-party cookie, or where there is none yet, the address
//! and browser. Search engines and other robots are not visitors.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::header::{CONTENT_TYPE, SET_COOKIE, USER_AGENT};
use http::{HeaderMap, HeaderValue};
use sha2::{Digest, Sha256};

use crate::server::http::client::Client;
use crate::server::http::cookies::cookie;

pub const COOKIE_NAME: &str = "gz_vid";

/// A year: the cookie only has to outlive the counting window, but a stable id keeps a
/// returning reader from looking new.
const COOKIE_MAX_AGE_SECONDS: u64 = 365 * 24 * 60 * 60;

/// The keys a request's visitor is known by; empty for robots.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Visitor {
    pub keys: Vec<String>,
    /// The first key is a cookie issued by this very request, so it has never viewed
    /// anything.
    pub issued_cookie: bool,
}

impl Visitor {
    pub fn is_counted(&self) -> bool {
        !self.keys.is_empty()
    }
}

/// Puts the request's `Visitor` into its extensions, and gives a new visitor its cookie.
pub async fn identify(mut request: Request, next: Next) -> Response {
    let address = request
        .extensions()
        .get::<Client>()
        .map(|client| client.address.to_string());
    let (visitor, new_cookie) = recognise(request.headers(), address.as_deref());
    request.extensions_mut().insert(visitor);
    let mut response = next.run(request).await;
    if let Some(id) = new_cookie
        && is_page_or_data(response.headers())
        && let Ok(value) = HeaderValue::from_str(&format!(
            "{COOKIE_NAME}={id}; Path=/; Max-Age={COOKIE_MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax"
        ))
    {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}

/// The visitor behind these headers, and the cookie id to give them if they have none.
fn recognise(headers: &HeaderMap, address: Option<&str>) -> (Visitor, Option<String>) {
    let user_agent = headers
        .get(USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    if is_robot(user_agent) {
        return (Visitor::default(), None);
    }
    if let Some(id) = cookie_id(headers) {
        return (
            Visitor {
                keys: vec![format!("c:{id}")],
                issued_cookie: false,
            },
            None,
        );
    }
    // Until the browser sends its new cookie back, the address and browser stand in for it;
    // both keys are recorded so that the next request, with the cookie, is recognised.
    let id = uuid::Uuid::new_v4().simple().to_string();
    let fingerprint = Sha256::digest(format!("{}|{user_agent}", address.unwrap_or("")));
    let fingerprint: String = fingerprint[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    (
        Visitor {
            keys: vec![format!("c:{id}"), format!("a:{fingerprint}")],
            issued_cookie: true,
        },
        Some(id),
    )
}

/// Our cookie's value, if the request carries a well-formed one.
fn cookie_id(headers: &HeaderMap) -> Option<String> {
    cookie(headers, COOKIE_NAME)
        .filter(|id| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_string)
}

/// Search engines, feed readers and monitors announce themselves in their user agent.
fn is_robot(user_agent: &str) -> bool {
    const MARKERS: [&str; 8] = [
        "bot",
        "spider",
        "crawl",
        "slurp",
        "fetcher",
        "monitor",
        "preview",
        "python-requests",
    ];
    let user_agent = user_agent.to_ascii_lowercase();
    user_agent.is_empty() || MARKERS.iter().any(|marker| user_agent.contains(marker))
}

/// Pages and server-function answers get the cookie; static files stay cacheable.
fn is_page_or_data(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|kind| kind.starts_with("text/html") || kind.starts_with("application/json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHROME: &str =
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36";

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn robots_are_not_counted() {
        for agent in [
            "",
            "Mozilla/5.0 (compatible; Baiduspider/2.0)",
            "Googlebot/2.1",
            "Sogou web spider",
        ] {
            let (visitor, cookie) = recognise(&headers(&[("user-agent", agent)]), Some("1.2.3.4"));
            assert!(!visitor.is_counted(), "{agent}");
            assert!(cookie.is_none());
        }
    }

    #[test]
    fn a_cookie_identifies_the_visitor() {
        let id = "0123456789abcdef0123456789abcdef";
        let (visitor, cookie) = recognise(
            &headers(&[
                ("user-agent", CHROME),
                ("cookie", &format!("a=b; {COOKIE_NAME}={id}")),
            ]),
            Some("1.2.3.4"),
        );
        assert_eq!(visitor.keys, [format!("c:{id}")]);
        assert!(cookie.is_none());
    }

    #[test]
    fn a_new_visitor_gets_a_cookie_and_an_address_key() {
        let (first, cookie) = recognise(&headers(&[("user-agent", CHROME)]), Some("1.2.3.4"));
        let cookie = cookie.unwrap();
        assert_eq!(first.keys[0], format!("c:{cookie}"));
        let (again, _) = recognise(&headers(&[("user-agent", CHROME)]), Some("1.2.3.4"));
        assert_eq!(
            first.keys[1], again.keys[1],
            "same address and browser, same key"
        );
        let (elsewhere, _) = recognise(&headers(&[("user-agent", CHROME)]), Some("5.6.7.8"));
        assert_ne!(first.keys[1], elsewhere.keys[1]);
    }

    #[test]
    fn malformed_cookies_are_ignored() {
        let (_, cookie) = recognise(
            &headers(&[
                ("user-agent", CHROME),
                ("cookie", &format!("{COOKIE_NAME}=../../etc")),
            ]),
            None,
        );
        assert!(cookie.is_some(), "a new id replaces the malformed one");
    }
}
