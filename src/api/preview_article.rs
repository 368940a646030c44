//! Editors' previews, and the cleaner the body editor sends pasted HTML through.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::model::ArticlePage;

/// The article as visitors will see it, whatever its status; signed-in users only.
#[server(endpoint = "admin/preview", input = GetUrl)]
pub async fn preview_article(id: i64) -> Result<ArticlePage, AppError> {
    use crate::db::{articles, categories};
    use crate::model::Permission;
    use crate::server::article_edits::editable;
    use crate::server::{session::require, state::app_state};

    let user = require(Permission::Write).await?;
    let pool = app_state()?.pool.clone();
    editable(&pool, &user, id).await?;
    let mut article = articles::find_any(&pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if article.published.is_empty() {
        article.published = "尚未发布".into();
    }
    Ok(ArticlePage {
        path: categories::path(&pool, article.category_id).await?,
        previous: None,
        next: None,
        related: Vec::new(),
        article,
    })
}

/// Pasted clipboard content made fit for the body: HTML through the allow-list, plain
/// text as paragraphs.
#[server(endpoint = "admin/clean_paste")]
pub async fn clean_pasted(html: String, text: String) -> Result<String, AppError> {
    use crate::model::{MAX_BODY_CHARS, Permission, check_length};
    use crate::server::sanitize::{clean_pasted_html, text_to_paragraphs};
    use crate::server::session::require;

    require(Permission::Write).await?;
    check_length("粘贴的内容", &html, MAX_BODY_CHARS, false).map_err(AppError::BadRequest)?;
    check_length("粘贴的内容", &text, MAX_BODY_CHARS, false).map_err(AppError::BadRequest)?;
    Ok(if html.trim().is_empty() {
        text_to_paragraphs(&text)
    } else {
        clean_pasted_html(&html)
    })
}
