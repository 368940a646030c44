//! RSS 2.0 feeds: `/feed.xml` for the whole site, `/category/{slug}/feed.xml` per category.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, FixedOffset};
use rss::{Channel, Guid, Item};

use crate::db;
use crate::error::AppError;
use crate::model::escape_html;
use crate::server::http::path_param::PathParam;
use crate::server::state::AppState;

/// Articles per feed.
const FEED_SIZE: i64 = 20;

pub async fn site_feed(State(state): State<AppState>) -> Result<Response, AppError> {
    feed(&state, None).await
}

pub async fn category_feed(
    State(state): State<AppState>,
    PathParam(slug): PathParam,
) -> Result<Response, AppError> {
    match db::categories::find_by_slug(&state.pool, &slug).await? {
        Some(category) => feed(&state, Some(category)).await,
        None => Ok((StatusCode::NOT_FOUND, "栏目不存在").into_response()),
    }
}

async fn feed(
    state: &AppState,
    category: Option<db::categories::CategoryRow>,
) -> Result<Response, AppError> {
    let base = &state.config.public_base_url;
    let settings = db::site::settings(&state.pool).await?;
    let items = db::feeds::latest(&state.pool, category.as_ref().map(|c| c.id), FEED_SIZE).await?;
    let (title, link, description) = match &category {
        Some(category) => (
            format!("{} - {}", category.name, settings.name),
            format!("{base}/category/{}", category.slug),
            if category.description.is_empty() {
                category.name.clone()
            } else {
                category.description.clone()
            },
        ),
        None => (
            settings.name.clone(),
            format!("{base}/"),
            settings.description.clone(),
        ),
    };
    // Feed readers read descriptions as HTML; ours are plain text.
    let channel = Channel {
        title,
        link,
        description: escape_html(&description),
        language: Some("zh-cn".into()),
        last_build_date: items.first().map(|item| rfc822(item.published_at)),
        items: items
            .into_iter()
            .map(|article| {
                let url = format!("{base}/article/{}", article.id);
                Item {
                    title: Some(article.title),
                    link: Some(url.clone()),
                    description: Some(escape_html(&article.summary)),
                    pub_date: Some(rfc822(article.published_at)),
                    guid: Some(Guid {
                        value: url,
                        permalink: true,
                    }),
                    categories: vec![rss::Category {
                        name: article.category_name,
                        domain: None,
                    }],
                    ..Item::default()
                }
            })
            .collect(),
        ..Channel::default()
    };
    Ok((
        [(header::CONTENT_TYPE, "application/rss+xml; charset=utf-8")],
        channel.to_string(),
    )
        .into_response())
}

/// China has kept UTC+8 without daylight saving since 1991.
const SHANGHAI: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

/// RFC 822 date-time in Asia/Shanghai time, as RSS wants.
fn rfc822(unix_seconds: i64) -> String {
    DateTime::from_timestamp(unix_seconds, 0)
        .unwrap_or_default()
        .with_timezone(&SHANGHAI)
        .to_rfc2822()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_rfc_822_in_shanghai_time() {
        // 2020-10-23 14:37 in Shanghai.
        assert_eq!(rfc822(1_603_435_020), "Fri, 23 Oct 2020 14:37:00 +0800");
    }
}
