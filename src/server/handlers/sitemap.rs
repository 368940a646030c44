//! `/sitemap.xml` and `/robots.txt` for search engines. Past 50,000 URLs the sitemap becomes
//! an index of parts, `/sitemap/{n}.xml`, as the sitemap protocol requires.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use quick_xml::escape::escape;

use crate::db::feeds::{self, SitemapEntry};
use crate::error::AppError;
use crate::server::http::path_param::PathParam;
use crate::server::state::AppState;

/// The most URLs one sitemap file may list.
pub const URLS_PER_SITEMAP: i64 = 50_000;

pub async fn sitemap(State(state): State<AppState>) -> Result<Response, AppError> {
    let articles = feeds::count_visible_articles(&state.pool).await?;
    let categories = feeds::category_entries(&state.pool).await?;
    let total = 1 + categories.len() as i64 + articles;
    if total <= URLS_PER_SITEMAP {
        let entries = feeds::article_entries(&state.pool, URLS_PER_SITEMAP, 0).await?;
        return Ok(xml(url_set(
            &state,
            true,
            categories.iter().chain(&entries),
        )));
    }
    // Part 1 holds the home page and categories; the articles fill the parts after it.
    let parts = 1 + (articles + URLS_PER_SITEMAP - 1) / URLS_PER_SITEMAP;
    let base = &state.config.public_base_url;
    let mut body = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for part in 1..=parts {
        body.push_str(&format!(
            "<sitemap><loc>{}</loc></sitemap>\n",
            escape(format!("{base}/sitemap/{part}.xml"))
        ));
    }
    body.push_str("</sitemapindex>\n");
    Ok(xml(body))
}

/// One part of a sitemap index: 1 is the home page and categories, 2 onwards the articles.
pub async fn sitemap_part(
    State(state): State<AppState>,
    PathParam(file): PathParam,
) -> Result<Response, AppError> {
    let part = file
        .strip_suffix(".xml")
        .and_then(|number| number.parse::<i64>().ok())
        .filter(|part| *part >= 1);
    let not_found = || Ok((StatusCode::NOT_FOUND, "没有这个站点地图").into_response());
    match part {
        None => not_found(),
        Some(1) => {
            let entries = feeds::category_entries(&state.pool).await?;
            Ok(xml(url_set(&state, true, entries.iter())))
        }
        Some(part) => {
            // A part number past any offset SQLite can skip to has no articles either.
            let Some(offset) = (part - 2).checked_mul(URLS_PER_SITEMAP) else {
                return not_found();
            };
            let entries = feeds::article_entries(&state.pool, URLS_PER_SITEMAP, offset).await?;
            if entries.is_empty() {
                return not_found();
            }
            Ok(xml(url_set(&state, false, entries.iter())))
        }
    }
}

pub async fn robots(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!(
            "User-agent: *\nDisallow: /admin\nDisallow: /api/\nDisallow: /search\nDisallow: /reading\n\nSitemap: {}/sitemap.xml\n",
            state.config.public_base_url
        ),
    )
        .into_response()
}

fn url_set<'a>(
    state: &AppState,
    with_home: bool,
    entries: impl Iterator<Item = &'a SitemapEntry>,
) -> String {
    let base = &state.config.public_base_url;
    let mut body = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    if with_home {
        body.push_str(&format!(
            "<url><loc>{}</loc></url>\n",
            escape(format!("{base}/"))
        ));
    }
    for entry in entries {
        body.push_str(&format!(
            "<url><loc>{}</loc><lastmod>{}</lastmod></url>\n",
            escape(format!("{base}{}", entry.path)),
            escape(entry.lastmod.as_str())
        ));
    }
    body.push_str("</urlset>\n");
    body
}

fn xml(body: String) -> Response {
    (
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        body,
    )
        .into_response()
}
