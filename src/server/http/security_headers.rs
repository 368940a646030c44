//! Headers that limit what a browser will do with our responses: a Content-Security-Policy
//! whose script nonce is new for every response, no MIME sniffing, no full URLs in Referer,
//! no framing of the editors' area, and HSTS when the site is public over https.
//!
//! The nonce is chosen here, before the page cache and the renderer see the request: pages
//! are rendered with it (`provide_request_nonce`), and the page cache swaps it for the
//! current request's when it answers from memory.

use std::fmt::Write;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// The script nonce of one response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CspNonce(pub String);

impl CspNonce {
    /// 128 bits from the thread's CSPRNG (no system call per response), as 32 hex digits
    /// (valid in a CSP nonce-source).
    pub fn new() -> CspNonce {
        use rand::RngCore;
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        let mut hex = String::with_capacity(32);
        for byte in bytes {
            let _ = write!(hex, "{byte:02x}");
        }
        CspNonce(hex)
    }
}

impl Default for CspNonce {
    fn default() -> Self {
        CspNonce::new()
    }
}

/// Makes Leptos put this request's nonce on the scripts it renders (hydration, streamed
/// resources, hot reload). Called by the shell before anything that renders a script.
pub fn provide_request_nonce() {
    use leptos::prelude::use_context;
    let nonce = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned())
        .unwrap_or_default();
    leptos::prelude::provide_context(leptos::nonce::Nonce::from_value(nonce.0));
}

/// The policy for an HTML page. Scripts: our own files and inline scripts carrying the
/// nonce; never inline handlers or `javascript:` URLs. Styles: our stylesheets only (the
/// article sanitiser drops `style` attributes). Images may come from other sites, as
/// editors link them.
pub fn content_security_policy(nonce: &str, admin: bool, live_reload: bool) -> String {
    let frame_ancestors = if admin { "'none'" } else { "'self'" };
    let connect = if live_reload {
        "'self' ws: wss:"
    } else {
        "'self'"
    };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' https: http: data:; connect-src {connect}; \
         object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors {frame_ancestors}"
    )
}

/// `cargo leptos watch` is reloading pages over a websocket.
static LIVE_RELOAD: std::sync::LazyLock<bool> =
    std::sync::LazyLock::new(|| std::env::var_os("LEPTOS_WATCH").is_some());

fn is_admin(path: &str) -> bool {
    path == "/admin" || path.starts_with("/admin/")
}

/// What differs from site to site.
#[derive(Clone, Copy)]
pub struct Policy {
    /// The site is public over https: browsers are told to keep to it.
    hsts: bool,
}

impl Policy {
    pub fn for_site(public_base_url: &str) -> Policy {
        Policy {
            hsts: public_base_url.starts_with("https://"),
        }
    }
}

pub async fn apply(State(policy): State<Policy>, mut request: Request, next: Next) -> Response {
    let nonce = CspNonce::new();
    let admin = is_admin(request.uri().path());
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static(if admin { "DENY" } else { "SAMEORIGIN" }),
    );
    if policy.hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    // Responses that set their own policy (uploaded files) keep it.
    if super::is_html(headers) && !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        let policy = content_security_policy(&nonce.0, admin, *LIVE_RELOAD);
        if let Ok(value) = HeaderValue::from_str(&policy) {
            headers.insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_differ_and_are_long() {
        let (a, b) = (CspNonce::new(), CspNonce::new());
        assert_ne!(a, b);
        assert_eq!(a.0.len(), 32);
        assert!(a.0.chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn policy_has_no_unsafe_inline_scripts_and_keeps_admin_unframed() {
        let policy = content_security_policy("abc", true, false);
        assert!(policy.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval';"));
        assert!(!policy.contains("unsafe-inline"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(content_security_policy("abc", false, false).contains("frame-ancestors 'self'"));
        assert!(content_security_policy("abc", false, true).contains("connect-src 'self' ws:"));
    }

    #[test]
    fn only_the_editors_area_is_admin() {
        assert!(is_admin("/admin"));
        assert!(is_admin("/admin/articles/3"));
        assert!(!is_admin("/administration"));
        assert!(!is_admin("/article/1"));
    }
}
