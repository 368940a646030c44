//! Editors' previews: any article as visitors will see it.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::model::ArticlePage;

/// The article as visitors will see it, whatever its status; signed-in users only.
#[server(endpoint = "admin/preview", input = GetUrl)]
pub async fn preview_article(id: i64) -> Result<ArticlePage, AppError> {
    use crate::db::articles;
    use crate::model::Permission;
    use crate::server::editorial::article_edits::editable;
    use crate::server::server_fns::open;

    let (user, state) = open(Permission::Write).await?;
    let chrome = state.chrome_cache.get(&state.pool).await?;
    let pool = state.pool.clone();
    editable(&pool, &user, id).await?;
    let mut article = articles::find_any(&pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if article.published.is_empty() {
        article.published = "尚未发布".into();
    }
    Ok(ArticlePage {
        path: chrome.path(article.category_id),
        previous: None,
        next: None,
        related: Vec::new(),
        article,
    })
}
