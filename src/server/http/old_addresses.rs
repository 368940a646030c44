//! Old addresses answer with a 301 to where the page lives now. Only a request that would
//! be a 404 looks one up, so ordinary pages pay nothing; the lookup is one index probe for
//! each spelling an old CMS used for the same page (`/plus/view.php?aid=7`,
//! `/plus/view-7-1.html`, `/a/news/2020/1023/7_2.html` …).

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::db;
use crate::server::state::AppState;

/// Bytes a `Location` header cannot carry as they are (besides all non-ASCII ones).
const OUTSIDE_HEADER: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS.add(b' ').add(b'"');

/// Query parameters that name a page in the CMSes we import from; every other parameter
/// (tracking, page numbers) is dropped from a key.
const NAMING_PARAMETERS: [&str; 6] = ["aid", "tid", "p", "page_id", "cat", "id"];

/// The stored form of an old address: percent-decoded, lower case, without `index.html`
/// or a trailing slash, and with only the naming parameters, sorted.
pub fn key(path: &str, query: Option<&str>) -> String {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .to_lowercase();
    let mut path = decoded.as_str();
    for index in [
        "index.html",
        "index.htm",
        "index.shtml",
        "index.php",
        "default.html",
    ] {
        if let Some(folder) = path.strip_suffix(index)
            && folder.ends_with('/')
        {
            path = folder;
        }
    }
    let path = match path.trim_end_matches('/') {
        "" => "/",
        trimmed => trimmed,
    };
    let mut parameters: Vec<(String, String)> = query
        .map(|query| {
            serde_urlencoded::from_str::<Vec<(String, String)>>(query)
                .unwrap_or_default()
                .into_iter()
                .map(|(name, value)| (name.to_ascii_lowercase(), value.trim().to_lowercase()))
                .filter(|(name, value)| {
                    NAMING_PARAMETERS.contains(&name.as_str()) && !value.is_empty()
                })
                .collect()
        })
        .unwrap_or_default();
    parameters.sort();
    parameters.dedup_by(|a, b| a.0 == b.0);
    if parameters.is_empty() {
        return path.to_string();
    }
    let query: Vec<String> = parameters
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    format!("{path}?{}", query.join("&"))
}

/// The key of an article's dynamic DedeCMS address, which every other spelling of it
/// leads to.
pub fn dedecms_article_key(old_id: i64) -> String {
    format!("/plus/view.php?aid={old_id}")
}

/// The key of a category's dynamic DedeCMS address (its list pages lead here).
pub fn dedecms_category_key(old_id: i64) -> String {
    format!("/plus/list.php?tid={old_id}")
}

/// The keys to try for a request, best first: the address itself, then the address of the
/// page it is a spelling or a later page of.
pub fn lookup_keys(path: &str, query: Option<&str>) -> Vec<String> {
    let exact = key(path, query);
    let mut keys = vec![exact.clone()];
    let (folder, name) = exact
        .split_once('?')
        .map_or(exact.as_str(), |(path, _)| path)
        .rsplit_once('/')
        .unwrap_or(("", ""));
    let numbers = |text: &str| -> Option<Vec<i64>> {
        text.split(['-', '_'])
            .map(|part| part.parse().ok())
            .collect()
    };
    if let Some(stem) = name
        .strip_suffix(".html")
        .or_else(|| name.strip_suffix(".htm"))
    {
        // DedeCMS: view-7-1.html (rewritten dynamic), list-3-2.html, 7_2.html (page 2 of
        // article 7), list_3_2.html (page 2 of category 3), pinyin-title_7.html.
        if let Some(rest) = stem.strip_prefix("view-")
            && let Some([id, ..]) = numbers(rest).as_deref()
        {
            keys.push(dedecms_article_key(*id));
        } else if let Some(rest) = stem
            .strip_prefix("list-")
            .or_else(|| stem.strip_prefix("list_"))
            && let Some([id, ..]) = numbers(rest).as_deref()
        {
            keys.push(dedecms_category_key(*id));
        } else if let Some((before, page)) = stem.rsplit_once('_')
            && page.parse::<u32>().is_ok()
        {
            if before.parse::<u64>().is_ok() {
                keys.push(format!("{folder}/{before}.html"));
            } else if let Ok(id) = page.parse::<i64>() {
                keys.push(dedecms_article_key(id));
            }
        }
    }
    if let Some(query) = exact.split_once('?').map(|(_, query)| query) {
        // The mobile view and any other script with the same parameters.
        if let Some(id) = query.strip_prefix("aid=") {
            keys.push(format!("/plus/view.php?aid={id}"));
        }
        if let Some(id) = query.strip_prefix("tid=") {
            keys.push(format!("/plus/list.php?tid={id}"));
        }
    }
    // WordPress: /category/news/page/2 and /2020/10/post/2 are later pages of the same thing.
    if let Some((base, page)) = exact.rsplit_once("/page/")
        && page.parse::<u32>().is_ok()
    {
        keys.push(base.to_string());
    }
    keys.dedup();
    keys
}

/// Whether the request might name an old page although a page of ours answers its path:
/// WordPress addresses `/?p=7`, `/?page_id=2` and `/?cat=3` are the home page's path.
fn old_query_on_home(request: &Request) -> bool {
    request.uri().path() == "/"
        && request.uri().query().is_some_and(|query| {
            query.split('&').any(|pair| {
                pair.starts_with("p=") || pair.starts_with("page_id=") || pair.starts_with("cat=")
            })
        })
}

pub async fn redirect_old_addresses(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let uri = request.uri().clone();
    if old_query_on_home(&request)
        && let Some(response) = redirect(&state, uri.path(), uri.query()).await
    {
        return response;
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::NOT_FOUND {
        return response;
    }
    redirect(&state, uri.path(), uri.query())
        .await
        .unwrap_or(response)
}

async fn redirect(state: &AppState, path: &str, query: Option<&str>) -> Option<Response> {
    let keys = lookup_keys(path, query);
    match db::redirects::find_first(&state.pool, &keys).await {
        Ok(Some(target)) => {
            let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
            // A header holds ASCII only: a Chinese path goes percent-encoded.
            let encoded = percent_encoding::utf8_percent_encode(&target, OUTSIDE_HEADER);
            let location = HeaderValue::from_str(&encoded.to_string()).ok()?;
            response.headers_mut().insert(header::LOCATION, location);
            // Kept for a day, not forever: an editor can change or remove a redirect.
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            );
            Some(response)
        }
        Ok(None) => None,
        Err(error) => {
            tracing::warn!(%error, "redirect lookup failed");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_one_spelling() {
        assert_eq!(key("/a/HangYe/index.html", None), "/a/hangye");
        assert_eq!(key("/a/hangye/", None), "/a/hangye");
        assert_eq!(key("/", Some("p=12&utm_source=x")), "/?p=12");
        assert_eq!(
            key("/plus/view.php", Some("aid=7&pageno=2")),
            "/plus/view.php?aid=7"
        );
        assert_eq!(key("/%E6%96%B0%E9%97%BB/", None), "/新闻");
        assert_eq!(
            key("/uploads/allimg/200101/1-2001011Z.JPG", None),
            "/uploads/allimg/200101/1-2001011z.jpg"
        );
    }

    #[test]
    fn later_pages_and_other_spellings_lead_to_the_page() {
        assert!(
            lookup_keys("/a/hangye/2020/1023/7_3.html", None)
                .contains(&"/a/hangye/2020/1023/7.html".to_string())
        );
        assert!(lookup_keys("/plus/view-7-1.html", None).contains(&dedecms_article_key(7)));
        assert!(lookup_keys("/m/view.php", Some("aid=7")).contains(&dedecms_article_key(7)));
        assert!(lookup_keys("/a/hangye/list_3_5.html", None).contains(&dedecms_category_key(3)));
        assert!(
            lookup_keys("/plus/list.php", Some("tid=3&PageNo=2"))
                .contains(&dedecms_category_key(3))
        );
        assert!(lookup_keys("/a/news/zhengcefagui_7.html", None).contains(&dedecms_article_key(7)));
        assert!(
            lookup_keys("/category/news/page/3/", None).contains(&"/category/news".to_string())
        );
        assert_eq!(lookup_keys("/about", None), vec!["/about".to_string()]);
    }
}
