//! The editors' article list and each article's saved revisions.

use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use super::shanghai_minutes;
use crate::model::{ArticleFilter, ArticleForm, ArticleRow, RevisionSummary};

/// Narrows `query` to the filter; `only_author` limits a contributor to their own articles.
fn push_filter<'a>(
    query: &mut QueryBuilder<'a, Sqlite>,
    filter: &'a ArticleFilter,
    only_author: Option<i64>,
) {
    query.push(" WHERE 1 = 1");
    if let Some(category) = filter.category {
        query.push(" AND a.category_id = ").push_bind(category);
    }
    if let Some(status) = filter.status {
        query.push(" AND a.status = ").push_bind(status);
    }
    if let Some(author) = only_author.or(filter.author) {
        query.push(" AND a.author_id = ").push_bind(author);
    }
    let text = filter.q.trim();
    if !text.is_empty() {
        // instr, not LIKE: the editor's text is matched literally, % and _ included.
        query
            .push(" AND instr(a.title, ")
            .push_bind(text)
            .push(") > 0");
    }
}

pub async fn count(
    pool: &SqlitePool,
    filter: &ArticleFilter,
    only_author: Option<i64>,
) -> sqlx::Result<i64> {
    let mut query = QueryBuilder::new("SELECT count(*) FROM articles a");
    push_filter(&mut query, filter, only_author);
    query.build_query_scalar().fetch_one(pool).await
}

/// A page of articles, the most recently changed first.
pub async fn list(
    pool: &SqlitePool,
    filter: &ArticleFilter,
    only_author: Option<i64>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<ArticleRow>> {
    let mut query = QueryBuilder::new(concat!(
        "SELECT a.id, a.title, c.name AS category, a.status,
                a.status = 'published' AND a.published_at > unixepoch() AS scheduled,
                coalesce(nullif(u.display_name, ''), u.username, '') AS author,
                coalesce(",
        shanghai_minutes!("a.published_at"),
        ", '') AS published, ",
        shanghai_minutes!("a.updated_at"),
        " AS updated
         FROM articles a JOIN categories c ON c.id = a.category_id
         LEFT JOIN users u ON u.id = a.author_id"
    ));
    push_filter(&mut query, filter, only_author);
    query
        .push(" ORDER BY a.updated_at DESC, a.id DESC LIMIT ")
        .push_bind(limit)
        .push(" OFFSET ")
        .push_bind(offset);
    query.build_query_as().fetch_all(pool).await
}

/// Every revision of an article, newest first.
pub async fn list_revisions(
    pool: &SqlitePool,
    article_id: i64,
) -> sqlx::Result<Vec<RevisionSummary>> {
    sqlx::query_as(concat!(
        "SELECT r.id, r.version, r.note,
                coalesce(nullif(u.display_name, ''), u.username, '') AS editor, ",
        shanghai_minutes!("r.created_at"),
        " AS created
         FROM article_revisions r LEFT JOIN users u ON u.id = r.editor_id
         WHERE r.article_id = ? ORDER BY r.version DESC"
    ))
    .bind(article_id)
    .fetch_all(pool)
    .await
}

/// The article's fields as they were saved in a revision.
pub async fn snapshot(
    pool: &SqlitePool,
    article_id: i64,
    revision_id: i64,
) -> sqlx::Result<Option<(i64, ArticleForm)>> {
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT version, snapshot FROM article_revisions WHERE article_id = ? AND id = ?",
    )
    .bind(article_id)
    .bind(revision_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(|(version, json)| {
        serde_json::from_str(&json)
            .map_err(|error| tracing::error!(%error, revision_id, "unreadable revision"))
            .ok()
            .map(|form| (version, form))
    }))
}
