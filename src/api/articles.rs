//! An article for visitors, with its surroundings; reading it counts a view.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::model::ArticlePage;

/// A published article with its surroundings, counting the visit. `None` when there is no
/// such published article.
#[server(endpoint = "article", input = GetUrl)]
pub async fn get_article(id: i64) -> Result<Option<ArticlePage>, AppError> {
    use crate::db::articles;
    use crate::search::snippet::{first_sentence, plain_text};
    use crate::server::audience::visitor::Visitor;
    use crate::server::clock::unix_now;
    use crate::server::state::app_state;
    use axum::Extension;

    /// How many related articles an article page lists.
    const RELATED: i64 = 5;

    let state = app_state()?;
    // Before the connection below is taken: it may need connections of its own.
    let chrome = state.chrome_cache.get(&state.pool).await?;
    // One connection for the page's queries: each return to the pool is a round trip to
    // the connection's thread.
    let mut db = state.pool.acquire().await?;
    let Some(mut article) = articles::find_visible(&mut db, id).await? else {
        return Ok(None);
    };
    // The summary describes the page to search engines; without one, the body's first
    // sentence does.
    if article.summary.is_empty() {
        article.summary = first_sentence(&plain_text(&article.body), 120);
    }
    // Requests that did not pass the visitor middleware are not counted.
    if let Ok(Extension(visitor)) = leptos_axum::extract::<Extension<Visitor>>().await
        && visitor.is_counted()
    {
        state
            .view_counter
            .record_on(&mut db, id, &visitor, unix_now())
            .await?;
    }
    // Counted views are stored within a second; until then they are added here.
    article.view_count += state.view_counter.unwritten(id);
    let around = articles::around(&mut db, &article, RELATED).await?;
    Ok(Some(ArticlePage {
        path: chrome.path(article.category_id),
        previous: around.previous,
        next: around.next,
        related: around.related,
        article,
    }))
}
