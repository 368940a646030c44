//! Visitors' pages, the sitemap and the feeds, rendered at most once a second. A traffic
//! spike after a notice goes out asks for the same few pages thousands of times; each is
//! rendered once and served from memory until it is a second old or anything is changed,
//! whichever comes first (`kept_pages`: which pages are kept, and which request renders
//! each). Every successful change (any POST: saves, publications, settings) empties the
//! cache, and the one-second life makes scheduled articles appear on time. Signed-in
//! editors and anything but a plain GET of a page always render afresh. Served from memory,
//! an article page still counts its view and a search page still counts towards 热门搜索.
//!
//! Pages carry an `ETag`; a browser that has the page gets a 304. A kept page is the same
//! bytes for every visitor: its policy names its inline scripts by hash rather than by a
//! nonce per response (`security_headers::kept_page_policy`), and it is compressed in
//! brotli or gzip once, on the first request that accepts it, not on every response.

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

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

/// Pages larger than this are not kept.
const MAX_PAGE_BYTES: usize = 512 * 1024;

/// A page as kept: the same bytes for every visitor it is served to.
pub(super) struct Page {
    body: Bytes,
    /// The body in brotli and in gzip, each made when a request first accepts it (`None`
    /// if compressing failed: such requests get the body as it is).
    brotli: OnceLock<Option<Bytes>>,
    gzip: OnceLock<Option<Bytes>>,
    headers: HeaderMap,
    etag: HeaderValue,
    /// When it was rendered.
    pub(super) at: Instant,
    /// On an article page: the article, the 浏览量 it shows, and the views counted since
    /// the server started when it was rendered.
    views: Option<(i64, i64, i64)>,
    /// On a search page that found something: the query logged for 热门搜索.
    logged_search: Option<String>,
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
    let ticket = match state.page_cache.page_or_ticket(&key).await {
        Ok(page) => {
            if let Some(id) = article {
                count_view(&state, id, request.extensions().get::<Visitor>()).await;
            }
            if let Some(query) = &page.logged_search {
                state.search_log.push(query.clone(), unix_now());
            }
            let page = match with_current_views(&page, &state) {
                Some(updated) => {
                    let updated = Arc::new(updated);
                    state.page_cache.update(&key, &page, updated.clone());
                    updated
                }
                None => page,
            };
            return answer(&page, coding, if_none_match.as_ref());
        }
        Err(ticket) => ticket,
    };
    let response = next.run(request).await;
    if response.status() != StatusCode::OK || !is_kept_type(response.headers()) {
        state.page_cache.forget(&key, &ticket);
        return response;
    }
    // A sitemap part of 50,000 addresses is megabytes, and said so beforehand: served, not kept.
    let too_large = http_body::Body::size_hint(response.body())
        .exact()
        .is_some_and(|bytes| bytes > MAX_PAGE_BYTES as u64);
    if too_large {
        state.page_cache.forget(&key, &ticket);
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
        state.page_cache.put(&key, page.clone(), &ticket);
    } else {
        state.page_cache.forget(&key, &ticket);
    }
    // Those waiting for this page get it now.
    drop(ticket);
    answer(&page, coding, if_none_match.as_ref())
}

impl Page {
    /// A page to keep: its tag, and for HTML its policy, follow from its bytes.
    pub(super) fn new(
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

/// The page with the 浏览量 counted since it was rendered; `None` when nothing was counted
/// since.
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
