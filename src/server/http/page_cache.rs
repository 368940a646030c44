//! Visitors' pages, the sitemap and the feeds, rendered at most once a second. A traffic
//! spike after a notice goes out asks for the same few pages thousands of times; each is
//! rendered once and served from memory until it is a second old or anything is changed,
//! whichever comes first. Every
//! successful change (any POST: saves, publications, settings) empties the cache, and the
//! one-second life makes scheduled articles appear on time. While one request renders an
//! expired page anew, the others get the previous rendering (for two seconds at most)
//! rather than all rendering it at once. Signed-in editors and anything
//! but a plain GET of a page always render afresh. Served from memory, an article page still
//! counts its view and a search page still counts towards 热门搜索.
//!
//! Pages carry an `ETag`; a browser that has the page gets a 304. A page served from memory
//! carries the current response's script nonce (see `security_headers`), so the ETag is
//! computed without the nonce, and a 304 sends no new policy: the browser keeps the page
//! and the policy it came with.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::BytesMut;
use sha2::{Digest, Sha256};

use crate::server::audience::hot_queries::LOGGED_HEADER;
use crate::server::audience::visitor::Visitor;
use crate::server::auth::session;
use crate::server::clock::unix_now;
use crate::server::handlers::reading;
use crate::server::http::cookies::cookie;
use crate::server::http::security_headers::CspNonce;
use crate::server::http::view_patch::{patch_views, shown_views};
use crate::server::state::AppState;

/// How long a rendered page is served.
pub const LIFETIME: Duration = Duration::from_secs(1);
/// While one request renders a page anew, the others are served the previous rendering
/// for at most this much longer, instead of all rendering it at once.
const RENDERING_GRACE: Duration = Duration::from_secs(2);
/// Pages kept; the oldest go first.
const MAX_PAGES: usize = 512;
/// Pages larger than this are not kept.
const MAX_PAGE_BYTES: usize = 512 * 1024;

#[derive(Clone, Default)]
pub struct PageCache {
    pages: Arc<Mutex<HashMap<String, Entry>>>,
}

struct Entry {
    page: Page,
    /// A request is rendering this page anew.
    rendering: bool,
}

#[derive(Clone)]
struct Page {
    body: Bytes,
    /// The script nonce the body was rendered with, and where in the body it is.
    nonce: String,
    nonce_at: Vec<usize>,
    headers: HeaderMap,
    etag: HeaderValue,
    at: Instant,
    /// On an article page: the article, the 浏览量 it shows, and the views counted since
    /// the server started when it was rendered.
    views: Option<(i64, i64, i64)>,
    /// On a search page that found something: the query logged for 热门搜索.
    logged_search: Option<String>,
}

impl PageCache {
    /// Forgets every page: something changed.
    pub fn clear(&self) {
        if let Ok(mut pages) = self.pages.lock() {
            pages.clear();
        }
    }

    /// The page to serve, or `None` when this request should render it (and then `put`).
    fn get(&self, key: &str) -> Option<Page> {
        let mut pages = self.pages.lock().ok()?;
        let entry = pages.get_mut(key)?;
        let age = entry.page.at.elapsed();
        if age < LIFETIME || (entry.rendering && age < LIFETIME + RENDERING_GRACE) {
            return Some(entry.page.clone());
        }
        entry.rendering = true;
        None
    }

    fn put(&self, key: String, page: Page) {
        if let Ok(mut pages) = self.pages.lock() {
            if pages.len() >= MAX_PAGES {
                pages.retain(|_, entry| entry.page.at.elapsed() < LIFETIME);
                if pages.len() >= MAX_PAGES {
                    pages.clear();
                }
            }
            pages.insert(
                key,
                Entry {
                    page,
                    rendering: false,
                },
            );
        }
    }

    /// The page could not be rendered for keeping: the next request tries again.
    fn forget(&self, key: &str) {
        if let Ok(mut pages) = self.pages.lock() {
            pages.remove(key);
        }
    }
}

/// The cache key of a request whose page may be cached, or `None`.
fn cache_key(request: &Request) -> Option<String> {
    let path = request.uri().path();
    let cacheable_path = !(path.starts_with("/api/")
        || path.starts_with("/admin")
        || path.starts_with("/uploads/")
        || path.starts_with("/pkg/")
        || path.starts_with("/assets/"));
    let signed_in = cookie(request.headers(), session::COOKIE_NAME).is_some();
    if request.method() != Method::GET || !cacheable_path || signed_in {
        return None;
    }
    // Large-text mode changes the page's <html>.
    let mode = if reading::chose_large_text(request.headers()) {
        "large"
    } else {
        "standard"
    };
    Some(format!("{mode} {}", request.uri()))
}

/// Pages, and the sitemap and feeds: crawlers and feed readers ask for them as often as
/// visitors ask for pages.
fn is_kept_type(headers: &HeaderMap) -> bool {
    super::is_html(headers)
        || headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|kind| {
                kind.starts_with("application/xml") || kind.starts_with("application/rss+xml")
            })
}

/// The article a page shows, if it is an article page: its views are counted on every
/// request, cached or not.
fn article_id(path: &str) -> Option<i64> {
    path.strip_prefix("/article/")?.parse().ok()
}

pub async fn serve_cached(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() == Method::POST {
        let response = next.run(request).await;
        if response.status().is_success() || response.status().is_redirection() {
            state.forget_rendered();
        }
        return response;
    }
    let Some(key) = cache_key(&request) else {
        return next.run(request).await;
    };
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let nonce = request
        .extensions()
        .get::<CspNonce>()
        .map(|nonce| nonce.0.clone())
        .unwrap_or_default();
    let article = article_id(request.uri().path());
    if let Some(page) = state.page_cache.get(&key) {
        if let Some(id) = article {
            count_view(&state, id, request.extensions().get::<Visitor>()).await;
        }
        if let Some(query) = &page.logged_search {
            state.search_log.push(query.clone(), unix_now());
        }
        let page = with_nonce(with_current_views(page, &state), &nonce);
        return answer(page, if_none_match.as_ref());
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::OK || !is_kept_type(response.headers()) {
        state.page_cache.forget(&key);
        return response;
    }
    // A sitemap part of 50,000 addresses is megabytes, and said so beforehand: served, not kept.
    let too_large = http_body::Body::size_hint(response.body())
        .exact()
        .is_some_and(|bytes| bytes > MAX_PAGE_BYTES as u64);
    if too_large {
        state.page_cache.forget(&key);
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(body) = to_bytes(body, MAX_PAGE_BYTES).await else {
        tracing::error!(key, "page over the cache limit could not be read");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let mut headers = parts.headers;
    let logged_search = headers
        .remove(LOGGED_HEADER)
        .and_then(|value| value.to_str().ok().and_then(decode));
    // Cookies belong to the visitor who caused the render, never to a cached page.
    let keep = !headers.contains_key(header::SET_COOKIE);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    // The render counted this request's view already.
    let views = article
        .zip(shown_views(&body))
        .map(|(id, shown)| (id, shown, state.view_counter.total(id)));
    let nonce_at = positions(&body, &nonce);
    let page = Page {
        etag: etag(&body, &nonce_at, nonce.len()),
        nonce_at,
        body,
        nonce,
        headers,
        at: Instant::now(),
        views,
        logged_search,
    };
    if keep {
        state.page_cache.put(key, page.clone());
    } else {
        state.page_cache.forget(&key);
    }
    answer(page, if_none_match.as_ref())
}

/// The page, or a 304 when the browser already has these bytes.
fn answer(page: Page, if_none_match: Option<&HeaderValue>) -> Response {
    let matches = if_none_match
        .and_then(|value| value.to_str().ok())
        .is_some_and(|tags| {
            tags.split(',').any(|tag| {
                tag.trim() == page.etag.to_str().unwrap_or_default() || tag.trim() == "*"
            })
        });
    let mut response = if matches {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        for name in [header::CACHE_CONTROL, header::VARY] {
            if let Some(value) = page.headers.get(&name) {
                response.headers_mut().insert(name, value.clone());
            }
        }
        response
    } else {
        let mut response = Response::new(Body::from(page.body));
        *response.headers_mut() = page.headers;
        response
    };
    response.headers_mut().insert(header::ETAG, page.etag);
    response
}

/// The page with the 浏览量 counted since it was rendered: the number on the page and in
/// its hydration data.
fn with_current_views(mut page: Page, state: &AppState) -> Page {
    let Some((article, shown, total_then)) = page.views else {
        return page;
    };
    let current = shown + state.view_counter.total(article) - total_then;
    if current == shown {
        return page;
    }
    let text = patch_views(&String::from_utf8_lossy(&page.body), shown, current);
    page.nonce_at = positions(text.as_bytes(), &page.nonce);
    page.etag = etag(text.as_bytes(), &page.nonce_at, page.nonce.len());
    page.body = Bytes::from(text);
    page
}

/// Where `nonce` is in `body`, as byte offsets.
fn positions(body: &[u8], nonce: &str) -> Vec<usize> {
    if nonce.is_empty() {
        return Vec::new();
    }
    // Nonces are alphanumeric, so occurrences never overlap.
    memchr::memmem::find_iter(body, nonce.as_bytes()).collect()
}

/// The body's bytes between the nonces at `nonce_at`.
fn around_nonce<'a>(
    body: &'a [u8],
    nonce_at: &'a [usize],
    nonce_len: usize,
) -> impl Iterator<Item = &'a [u8]> {
    let starts = std::iter::once(0).chain(nonce_at.iter().map(move |at| at + nonce_len));
    let ends = nonce_at.iter().copied().chain(std::iter::once(body.len()));
    starts.zip(ends).map(move |(start, end)| &body[start..end])
}

/// The page with this response's script nonce in place of the one it was rendered with:
/// copied piece by piece from the positions found when it was stored, with no search.
fn with_nonce(mut page: Page, nonce: &str) -> Page {
    if page.nonce_at.is_empty() || page.nonce == nonce {
        return page;
    }
    let old = page.nonce.len();
    let mut body = BytesMut::with_capacity(page.body.len() + page.nonce_at.len() * nonce.len());
    for (n, part) in around_nonce(&page.body, &page.nonce_at, old).enumerate() {
        if n > 0 {
            body.extend_from_slice(nonce.as_bytes());
        }
        body.extend_from_slice(part);
    }
    page.body = body.freeze();
    if nonce.len() != old {
        page.nonce_at = positions(&page.body, nonce);
    }
    page.nonce = nonce.to_owned();
    page
}

/// The query a page logged, from its percent-encoded header.
fn decode(encoded: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("q={encoded}"))
        .ok()?
        .into_iter()
        .next()
        .map(|(_, query)| query)
}

/// A weak validator: the same bytes before compression, leaving out the script nonce
/// (at `nonce_at`) that changes with every response.
fn etag(body: &[u8], nonce_at: &[usize], nonce_len: usize) -> HeaderValue {
    let mut hasher = Sha256::new();
    for part in around_nonce(body, nonce_at, nonce_len) {
        hasher.update(part);
    }
    let digest = hasher.finalize();
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    HeaderValue::from_str(&format!("W/\"{hex}\"")).unwrap_or(HeaderValue::from_static("W/\"0\""))
}

async fn count_view(state: &AppState, article_id: i64, visitor: Option<&Visitor>) {
    let Some(visitor) = visitor.filter(|visitor| visitor.is_counted()) else {
        return;
    };
    if let Err(error) = state
        .view_counter
        .record(&state.pool, article_id, visitor, unix_now())
        .await
    {
        tracing::warn!(%error, article_id, "could not count a view");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(body: &[u8], nonce: &str) -> HeaderValue {
        etag(body, &positions(body, nonce), nonce.len())
    }

    fn page(age: Duration) -> Page {
        Page {
            body: Bytes::from_static(b"<p>page</p>"),
            nonce: String::new(),
            nonce_at: Vec::new(),
            headers: HeaderMap::new(),
            etag: tag(b"<p>page</p>", ""),
            at: Instant::now() - age,
            views: None,
            logged_search: None,
        }
    }

    #[test]
    fn one_request_renders_an_expired_page_while_the_others_get_the_last_one() {
        let cache = PageCache::default();
        assert!(cache.get("/").is_none(), "nothing yet: render");
        cache.put("/".into(), page(Duration::ZERO));
        assert!(cache.get("/").is_some(), "fresh");
        cache.put("/".into(), page(LIFETIME));
        assert!(cache.get("/").is_none(), "expired: this request renders");
        assert!(cache.get("/").is_some(), "meanwhile the others are served");
        cache.put("/".into(), page(LIFETIME + RENDERING_GRACE));
        assert!(cache.get("/").is_none());
        assert!(
            cache.get("/").is_none(),
            "a render taking too long is not waited for"
        );
        cache.clear();
        assert!(cache.get("/").is_none());
    }

    #[test]
    fn etags_follow_the_bytes_but_not_the_nonce() {
        assert_eq!(tag(b"<p>a</p>", ""), tag(b"<p>a</p>", ""));
        assert_ne!(tag(b"<p>a</p>", ""), tag(b"<p>b</p>", ""));
        assert!(tag(b"x", "").to_str().unwrap().starts_with("W/\""));
        assert_eq!(
            tag(b"<script nonce=\"n1\">a</script>", "n1"),
            tag(b"<script nonce=\"n2\">a</script>", "n2")
        );
    }

    #[test]
    fn nonce_positions_are_byte_offsets() {
        // Not UTF-8: a lossy decoding would shift every offset after the bad byte.
        assert_eq!(positions(b"\xffab-\xffab", "ab"), [1, 5]);
        assert_eq!(positions(b"ab", ""), Vec::<usize>::new());
        let parts: Vec<&[u8]> = around_nonce(b"xabyabz", &[1, 4], 2).collect();
        assert_eq!(parts, [&b"x"[..], b"y", b"z"]);
    }

    #[test]
    fn a_page_from_memory_carries_the_new_nonce() {
        let mut rendered = page(Duration::ZERO);
        rendered.body = Bytes::from_static(b"<script nonce=\"old\">x</script><p>old</p>");
        rendered.nonce = "old".into();
        rendered.nonce_at = positions(&rendered.body, "old");
        let served = with_nonce(rendered, "new");
        assert_eq!(
            &served.body[..],
            b"<script nonce=\"new\">x</script><p>new</p>"
        );
        let again = with_nonce(served, "longer");
        assert_eq!(
            &again.body[..],
            b"<script nonce=\"longer\">x</script><p>longer</p>"
        );
        assert_eq!(
            with_nonce(again, "n").body,
            "<script nonce=\"n\">x</script><p>n</p>"
        );
    }

    #[test]
    fn logged_searches_survive_their_header() {
        let query = "预付卡 管理&a=b";
        assert_eq!(decode(&crate::model::encode(query)).as_deref(), Some(query));
    }

    #[test]
    fn only_article_pages_name_an_article() {
        assert_eq!(article_id("/article/42"), Some(42));
        assert_eq!(article_id("/article/abc"), None);
        assert_eq!(article_id("/category/news"), None);
    }
}
