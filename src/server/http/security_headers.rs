//! Headers that limit what a browser will do with our responses: a Content-Security-Policy
//! whose script nonce is new for every response, no MIME sniffing, no full URLs in Referer,
//! no framing of the editors' area, and HSTS when the site is public over https.
//!
//! The nonce is chosen here, before the page cache and the renderer see the request: pages
//! are rendered with it (`provide_request_nonce`). A page the cache keeps is served to many
//! visitors as the same bytes, compressed once, so it cannot carry a new nonce each time:
//! its policy names its inline scripts by their SHA-256 instead (`kept_page_policy`), which
//! lets exactly those scripts run and no other.

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

/// Which inline scripts a page's policy lets run.
pub enum InlineScripts<'a> {
    /// Those carrying this response's nonce.
    Nonce(&'a str),
    /// Those whose text has one of these hashes (`'sha256-…'` sources, from
    /// `inline_script_hashes`).
    Hashes(&'a [String]),
}

/// The policy for an HTML page. Scripts: our own files and the page's own inline scripts;
/// never inline handlers or `javascript:` URLs. Styles: our stylesheets only (the article
/// sanitiser drops `style` attributes). Images may come from other sites, as editors link
/// them.
pub fn content_security_policy(scripts: InlineScripts, admin: bool, live_reload: bool) -> String {
    let frame_ancestors = if admin { "'none'" } else { "'self'" };
    let connect = if live_reload {
        "'self' ws: wss:"
    } else {
        "'self'"
    };
    let inline = match scripts {
        InlineScripts::Nonce(nonce) => format!("'nonce-{nonce}'"),
        // No inline script at all: 'none' would void 'self' too, so name nothing.
        InlineScripts::Hashes(hashes) => hashes.join(" "),
    };
    let space = if inline.is_empty() { "" } else { " " };
    format!(
        "default-src 'self'; script-src 'self'{space}{inline} 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' https: http: data:; connect-src {connect}; \
         object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors {frame_ancestors}"
    )
}

/// The policy of a visitors' page served from memory (never the editors' area, which is
/// not kept): its own inline scripts, by hash.
pub fn kept_page_policy(page: &[u8]) -> Option<HeaderValue> {
    let hashes = inline_script_hashes(page);
    let policy = content_security_policy(InlineScripts::Hashes(&hashes), false, *LIVE_RELOAD);
    HeaderValue::from_str(&policy).ok()
}

/// `'sha256-…'` sources for the text of every inline `<script>` of a page we rendered (ours:
/// a script's text never holds `</script>`, which Leptos escapes in the data it writes).
pub fn inline_script_hashes(page: &[u8]) -> Vec<String> {
    use base64::Engine;
    use memchr::memmem;
    use sha2::{Digest, Sha256};

    let mut hashes: Vec<String> = Vec::new();
    let mut rest = page;
    while let Some(start) = memmem::find(rest, b"<script") {
        rest = &rest[start + b"<script".len()..];
        let Some(tag_end) = memchr::memchr(b'>', rest) else {
            break;
        };
        let attributes = &rest[..tag_end];
        rest = &rest[tag_end + 1..];
        let Some(text_end) = memmem::find(rest, b"</script>") else {
            break;
        };
        let text = &rest[..text_end];
        rest = &rest[text_end..];
        if memmem::find(attributes, b" src=").is_some() {
            continue;
        }
        let digest = Sha256::digest(text);
        let source = format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest)
        );
        if !hashes.contains(&source) {
            hashes.push(source);
        }
    }
    hashes
}

/// `cargo leptos watch` is reloading pages over a websocket.
static LIVE_RELOAD: std::sync::LazyLock<bool> =
    std::sync::LazyLock::new(|| std::env::var_os("LEPTOS_WATCH").is_some());

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
    let admin = crate::app::is_editors_area(request.uri().path());
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
        let policy = content_security_policy(InlineScripts::Nonce(&nonce.0), admin, *LIVE_RELOAD);
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
        let policy = content_security_policy(InlineScripts::Nonce("abc"), true, false);
        assert!(policy.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval';"));
        assert!(!policy.contains("unsafe-inline"));
        assert!(policy.contains("frame-ancestors 'none'"));
        let public = content_security_policy(InlineScripts::Nonce("abc"), false, false);
        assert!(public.contains("frame-ancestors 'self'"));
        let reloading = content_security_policy(InlineScripts::Nonce("abc"), false, true);
        assert!(reloading.contains("connect-src 'self' ws:"));
        let hashes = ["'sha256-AAAA'".to_string(), "'sha256-BBBB'".to_string()];
        let hashed = content_security_policy(InlineScripts::Hashes(&hashes), false, false);
        assert!(
            hashed.contains("script-src 'self' 'sha256-AAAA' 'sha256-BBBB' 'wasm-unsafe-eval';")
        );
        let none = content_security_policy(InlineScripts::Hashes(&[]), false, false);
        assert!(none.contains("script-src 'self' 'wasm-unsafe-eval';"));
    }

    #[test]
    fn inline_scripts_are_named_by_the_hash_of_their_text_and_files_are_not() {
        let page = br#"<head><script type="module" nonce="n">go()</script><script src="/pkg/a.js"></script></head><body><p>alert(1)</p><script>go()</script><script nonce="n">data(1)</script><script>"#;
        // printf 'go()' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            inline_script_hashes(page),
            [
                "'sha256-5KYv+PUboo5h+0+YAtGRPbwv5d/QxzHslP4YGnUaxRw='",
                "'sha256-N6jebGo+Crq7BH2NDzR2S3xZeJXdhJfZ7GlyZhai+l8='",
            ]
        );
        assert!(inline_script_hashes(b"<p>no scripts</p>").is_empty());
    }
}
