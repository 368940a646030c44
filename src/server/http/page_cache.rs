//! Visitors' pages, the sitemap and the feeds, rendered at most once a second. A traffic
//! spike after a notice goes out asks for the same few pages thousands of times; each is
//! rendered once and served from memory until it is a second old or anything is changed,
//! whichever comes first. Every
//! successful change (any POST: saves, publications, settings) empties the cache, and the
//! one-second life makes scheduled articles appear on time. While one request renders an
//! expired page anew, the others get the previous rendering (for two seconds at most), or
//! wait for that one rendering when there is no recent one, rather than all rendering it at
//! once (a search at a million articles takes 70 ms: sixty-four visitors rendering it
//! together kept each waiting 1.5 s). Signed-in editors and anything
//! but a plain GET of a page always render afresh. Served from memory, an article page still
//! counts its view and a search page still counts towards 热门搜索.
//!
//! Pages carry an `ETag`; a browser that has the page gets a 304. A kept page is the same
//! bytes for every visitor: its policy names its inline scripts by hash rather than by a
//! nonce per response (`security_headers::kept_page_policy`), and it is compressed in
//! brotli or gzip once, on the first request that accepts it, not on every response.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use tokio::sync::watch;

use crate::server::audience::hot_queries::LOGGED_HEADER;
use crate::server::audience::visitor::Visitor;
use crate::server::auth::session;
use crate::server::clock::unix_now;
use crate::server::handlers::reading;
use crate::server::http::content_coding::Coding;
use crate::server::http::cookies::cookie;
use crate::server::http::security_headers::kept_page_policy;
use crate::server::http::view_patch::{patch_views, shown_views};
use crate::server::state::AppState;

/// How long a rendered page is served.
pub const LIFETIME: Duration = Duration::from_secs(1);
/// While one request renders a page anew, the others are served the previous rendering
/// for at most this much longer, instead of all rendering it at once; with no rendering
/// that recent, they wait this long at most for the one under way.
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
    /// `None` while the page's first rendering is under way.
    page: Option<Arc<Page>>,
    /// A request is rendering this page anew; its end (kept, failed or abandoned by a
    /// visitor who left) is seen by every receiver.
    rendering: Option<watch::Receiver<()>>,
}

/// What a request does about its page.
enum Lookup {
    Serve(Arc<Page>),
    /// Render the page, keep it and tell those waiting for it (when the request holds the
    /// `Rendering`), or render it for this request alone.
    Render(Option<Rendering>),
    /// Another request is rendering a page there is no recent copy of: wait for it.
    Wait(watch::Receiver<()>),
}

/// The one request rendering a page. Dropped without `put` (the page was not kept, or the
/// visitor left and the request was dropped mid-render), it lets the next request render.
struct Rendering {
    cache: PageCache,
    key: String,
    /// Dropping it wakes every request waiting for this rendering.
    done: watch::Sender<()>,
}

impl Drop for Rendering {
    fn drop(&mut self) {
        if let Ok(mut pages) = self.cache.pages.lock()
            && let Some(entry) = pages.get_mut(&self.key)
            && entry
                .rendering
                .as_ref()
                .is_some_and(|rendering| rendering.same_channel(&self.done.subscribe()))
        {
            entry.rendering = None;
            if entry.page.is_none() {
                pages.remove(&self.key);
            }
        }
    }
}
struct Page {
    body: Bytes,
    /// The body in brotli and in gzip, each made when a request first accepts it (`None`
    /// if compressing failed: such requests get the body as it is).
    brotli: OnceLock<Option<Bytes>>,
    gzip: OnceLock<Option<Bytes>>,
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

    /// What this request does: serve a kept page, render it, or wait for another
    /// request's rendering of it.
    fn get(&self, key: &str) -> Lookup {
        let Ok(mut pages) = self.pages.lock() else {
            return Lookup::Render(None);
        };
        let entry = pages.entry(key.to_owned()).or_insert(Entry {
            page: None,
            rendering: None,
        });
        let age = entry.page.as_ref().map(|page| page.at.elapsed());
        if let Some(page) = &entry.page
            && age.is_some_and(|age| age < LIFETIME)
        {
            return Lookup::Serve(page.clone());
        }
        if let Some(rendering) = &entry.rendering {
            return match &entry.page {
                Some(page) if age.is_some_and(|age| age < LIFETIME + RENDERING_GRACE) => {
                    Lookup::Serve(page.clone())
                }
                _ => Lookup::Wait(rendering.clone()),
            };
        }
        let (done, rendering) = watch::channel(());
        entry.rendering = Some(rendering);
        Lookup::Render(Some(Rendering {
            cache: self.clone(),
            key: key.to_owned(),
            done,
        }))
    }

    /// After waiting for another request's rendering: the page it kept, or `None` when
    /// it kept none (or took too long) and this request renders its own.
    fn get_rendered(&self, key: &str) -> Option<Arc<Page>> {
        let pages = self.pages.lock().ok()?;
        let page = pages.get(key)?.page.as_ref()?;
        (page.at.elapsed() < LIFETIME).then(|| page.clone())
    }

    /// Keeps `updated` in place of `served` (the same page, with the views counted since),
    /// unless the page has been rendered anew or forgotten meanwhile.
    fn update(&self, key: &str, served: &Arc<Page>, updated: Arc<Page>) {
        if let Ok(mut pages) = self.pages.lock()
            && let Some(entry) = pages.get_mut(key)
            && entry
                .page
                .as_ref()
                .is_some_and(|page| Arc::ptr_eq(page, served))
        {
            entry.page = Some(updated);
        }
    }

    fn put(&self, key: String, page: Arc<Page>) {
        if let Ok(mut pages) = self.pages.lock() {
            if pages.len() >= MAX_PAGES {
                pages.retain(|_, entry| {
                    entry.rendering.is_some()
                        || entry
                            .page
                            .as_ref()
                            .is_some_and(|page| page.at.elapsed() < LIFETIME)
                });
                if pages.len() >= MAX_PAGES {
                    pages.clear();
                }
            }
            pages.insert(
                key,
                Entry {
                    page: Some(page),
                    rendering: None,
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
    let coding = Coding::preferred(request.headers());
    let article = article_id(request.uri().path());
    let visitor = request.extensions().get::<Visitor>().cloned();
    let rendering = match state.page_cache.get(&key) {
        Lookup::Serve(page) => {
            return serve_kept(&state, &key, page, article, visitor, coding, if_none_match).await;
        }
        Lookup::Render(rendering) => rendering,
        Lookup::Wait(mut done) => {
            // Ends when the other request is done, kept page or not.
            let _ = tokio::time::timeout(RENDERING_GRACE, done.changed()).await;
            if let Some(page) = state.page_cache.get_rendered(&key) {
                return serve_kept(&state, &key, page, article, visitor, coding, if_none_match)
                    .await;
            }
            None
        }
    };
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
    // Which body a browser gets depends on what it accepts.
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    // The render counted this request's view already.
    let views = article
        .zip(shown_views(&body))
        .map(|(id, shown)| (id, shown, state.view_counter.total(id)));
    let page = Arc::new(Page::new(
        body,
        headers,
        Instant::now(),
        views,
        logged_search,
    ));
    if keep {
        state.page_cache.put(key, page.clone());
    } else {
        state.page_cache.forget(&key);
    }
    // Those waiting for this page get it now.
    drop(rendering);
    answer(&page, coding, if_none_match.as_ref())
}

/// A kept page, as served to this request: its view and its search counted, its 浏览量
/// brought up to date.
async fn serve_kept(
    state: &AppState,
    key: &str,
    page: Arc<Page>,
    article: Option<i64>,
    visitor: Option<Visitor>,
    coding: Coding,
    if_none_match: Option<HeaderValue>,
) -> Response {
    if let Some(id) = article {
        count_view(state, id, visitor.as_ref()).await;
    }
    if let Some(query) = &page.logged_search {
        state.search_log.push(query.clone(), unix_now());
    }
    let page = match with_current_views(&page, state) {
        Some(updated) => {
            let updated = Arc::new(updated);
            state.page_cache.update(key, &page, updated.clone());
            updated
        }
        None => page,
    };
    answer(&page, coding, if_none_match.as_ref())
}

impl Page {
    /// A page to keep: its tag, and for HTML its policy, follow from its bytes.
    fn new(
        body: Bytes,
        mut headers: HeaderMap,
        at: Instant,
        views: Option<(i64, i64, i64)>,
        logged_search: Option<String>,
    ) -> Page {
        if super::is_html(&headers)
            && let Some(policy) = kept_page_policy(&body)
        {
            headers.insert(header::CONTENT_SECURITY_POLICY, policy);
        }
        Page {
            etag: etag(&body),
            body,
            brotli: OnceLock::new(),
            gzip: OnceLock::new(),
            headers,
            at,
            views,
            logged_search,
        }
    }

    /// The body in `coding`, compressed on first demand; the body as it is if that failed.
    fn body_in(&self, coding: Coding) -> (Bytes, Coding) {
        let coded = match coding {
            Coding::Brotli => &self.brotli,
            Coding::Gzip => &self.gzip,
            Coding::Identity => return (self.body.clone(), Coding::Identity),
        };
        let made = coded.get_or_init(|| match coding.encode(&self.body) {
            Ok(bytes) => Some(bytes),
            Err(error) => {
                tracing::warn!(%error, ?coding, "a kept page could not be compressed");
                None
            }
        });
        match made {
            Some(bytes) => (bytes.clone(), coding),
            None => (self.body.clone(), Coding::Identity),
        }
    }
}

/// The page, or a 304 when the browser already has these bytes.
fn answer(page: &Page, coding: Coding, if_none_match: Option<&HeaderValue>) -> Response {
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
        let (body, coding) = page.body_in(coding);
        let mut response = Response::new(Body::from(body));
        *response.headers_mut() = page.headers.clone();
        if let Some(value) = coding.header_value() {
            response
                .headers_mut()
                .insert(header::CONTENT_ENCODING, value);
        }
        response
    };
    response
        .headers_mut()
        .insert(header::ETAG, page.etag.clone());
    response
}

/// The page with the 浏览量 counted since it was rendered, the number on the page and in
/// its hydration data; `None` when nothing was counted since.
fn with_current_views(page: &Page, state: &AppState) -> Option<Page> {
    let (article, shown, total_then) = page.views?;
    let total_now = state.view_counter.total(article);
    let current = shown + total_now - total_then;
    if current == shown {
        return None;
    }
    let text = patch_views(&String::from_utf8_lossy(&page.body), shown, current);
    Some(Page::new(
        Bytes::from(text),
        page.headers.clone(),
        page.at,
        Some((article, current, total_now)),
        page.logged_search.clone(),
    ))
}

/// The query a page logged, from its percent-encoded header.
fn decode(encoded: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("q={encoded}"))
        .ok()?
        .into_iter()
        .next()
        .map(|(_, query)| query)
}

/// A weak validator: the same bytes before compression.
fn etag(body: &[u8]) -> HeaderValue {
    let digest = Sha256::digest(body);
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

    fn page(age: Duration) -> Arc<Page> {
        Arc::new(Page::new(
            Bytes::from_static(b"<p>page</p>"),
            HeaderMap::new(),
            Instant::now() - age,
            None,
            None,
        ))
    }

    fn served(lookup: Lookup) -> Option<Arc<Page>> {
        match lookup {
            Lookup::Serve(page) => Some(page),
            _ => None,
        }
    }

    fn renders(lookup: Lookup) -> Rendering {
        match lookup {
            Lookup::Render(Some(rendering)) => rendering,
            _ => panic!("expected this request to render"),
        }
    }

    fn waits(lookup: Lookup) -> watch::Receiver<()> {
        match lookup {
            Lookup::Wait(done) => done,
            _ => panic!("expected this request to wait"),
        }
    }

    #[test]
    fn one_request_renders_an_expired_page_while_the_others_get_the_last_one() {
        let cache = PageCache::default();
        cache.put("/".into(), page(Duration::ZERO));
        assert!(served(cache.get("/")).is_some(), "fresh");
        cache.put("/".into(), page(LIFETIME));
        let rendering = renders(cache.get("/"));
        assert!(
            served(cache.get("/")).is_some(),
            "meanwhile the others are served"
        );
        cache.put("/".into(), page(Duration::ZERO));
        drop(rendering);
        assert!(served(cache.get("/")).is_some());
        cache.clear();
        let _rendering = renders(cache.get("/"));
    }

    #[tokio::test]
    async fn with_no_recent_page_the_others_wait_for_the_one_rendering() {
        let cache = PageCache::default();
        let rendering = renders(cache.get("/"));
        let mut waiting: Vec<_> = (0..8).map(|_| waits(cache.get("/"))).collect();
        assert!(cache.get_rendered("/").is_none());
        cache.put("/".into(), page(Duration::ZERO));
        drop(rendering);
        for done in &mut waiting {
            assert!(
                done.changed().await.is_err(),
                "woken: the rendering is over"
            );
        }
        assert!(cache.get_rendered("/").is_some());

        cache.put("/".into(), page(LIFETIME + RENDERING_GRACE));
        let _rendering = renders(cache.get("/"));
        let _done = waits(cache.get("/"));
    }

    #[tokio::test]
    async fn a_rendering_left_unfinished_lets_the_next_request_render() {
        let cache = PageCache::default();
        let rendering = renders(cache.get("/"));
        let mut done = waits(cache.get("/"));
        // The visitor left: the request was dropped mid-render.
        drop(rendering);
        assert!(done.changed().await.is_err());
        assert!(cache.get_rendered("/").is_none());
        let first = renders(cache.get("/"));

        // Everything was changed meanwhile: a later rendering is not undone by this one.
        cache.clear();
        let second = renders(cache.get("/"));
        drop(first);
        let _done = waits(cache.get("/"));
        drop(second);
    }

    #[test]
    fn an_update_replaces_only_the_page_it_was_made_from() {
        let cache = PageCache::default();
        let kept = page(Duration::ZERO);
        cache.put("/".into(), kept.clone());
        let updated = page(Duration::ZERO);
        cache.update("/", &kept, updated.clone());
        assert!(Arc::ptr_eq(&served(cache.get("/")).unwrap(), &updated));
        let rendered_since = page(Duration::ZERO);
        cache.put("/".into(), rendered_since.clone());
        cache.update("/", &updated, page(Duration::ZERO));
        assert!(Arc::ptr_eq(
            &served(cache.get("/")).unwrap(),
            &rendered_since
        ));
    }

    #[test]
    fn etags_follow_the_bytes() {
        assert_eq!(etag(b"<p>a</p>"), etag(b"<p>a</p>"));
        assert_ne!(etag(b"<p>a</p>"), etag(b"<p>b</p>"));
        assert!(etag(b"x").to_str().unwrap().starts_with("W/\""));
    }

    #[test]
    fn a_kept_page_names_its_scripts_by_hash_and_is_compressed_once() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        let body =
            Bytes::from_static(b"<script nonce=\"n\">go()</script><p>\xe5\x8d\x8f\xe4\xbc\x9a</p>");
        let page = Page::new(body.clone(), headers, Instant::now(), None, None);
        let policy = page.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap();
        assert!(policy.contains("'sha256-5KYv+PUboo5h+0+YAtGRPbwv5d/QxzHslP4YGnUaxRw='"));
        assert!(!policy.contains("nonce"), "{policy}");

        let (first, coding) = page.body_in(Coding::Brotli);
        assert_eq!(coding, Coding::Brotli);
        let (again, _) = page.body_in(Coding::Brotli);
        assert_eq!(
            first.as_ptr(),
            again.as_ptr(),
            "the same bytes, not compressed again"
        );
        assert_eq!(page.body_in(Coding::Identity).0, body);
        assert_eq!(page.body_in(Coding::Gzip).1, Coding::Gzip);
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
