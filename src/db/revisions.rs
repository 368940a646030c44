//! The editors' article list and each article's saved revisions.

use sqlx::{Database, Encode, QueryBuilder, Type};

use super::store::{Dialect, Exec, on_backend};
use crate::model::{ArticleFilter, ArticleForm, ArticleRow, ArticleStatus, RevisionSummary};

/// Narrows `query` to the filter; `only_author` limits a contributor to their own articles.
fn push_filter<'a, DB: Database>(
    query: &mut QueryBuilder<'a, DB>,
    sql: &Dialect,
    filter: &'a ArticleFilter,
    only_author: Option<i64>,
) where
    i64: Encode<'a, DB> + Type<DB>,
    ArticleStatus: Encode<'a, DB> + Type<DB>,
    &'a str: Encode<'a, DB> + Type<DB>,
{
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
        // Not LIKE: the editor's text is matched literally, % and _ included.
        query
            .push(format!(" AND {}(a.title, ", sql.position_of))
            .push_bind(text)
            .push(") > 0");
    }
}

pub async fn count(
    db: impl Into<Exec<'_>>,
    filter: &ArticleFilter,
    only_author: Option<i64>,
) -> sqlx::Result<i64> {
    on_backend!(db, |conn, sql| {
        let mut query = QueryBuilder::new("SELECT count(*) FROM articles a");
        push_filter(&mut query, sql, filter, only_author);
        query.build_query_scalar().fetch_one(&mut *conn).await
    })
}

/// A page of articles, the most recently changed first.
pub async fn list(
    db: impl Into<Exec<'_>>,
    filter: &ArticleFilter,
    only_author: Option<i64>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<ArticleRow>> {
    on_backend!(db, |conn, sql| {
        let mut query = QueryBuilder::new(format!(
            "SELECT a.id, a.title, c.name AS category, a.status,
                    a.status = 'published' AND a.published_at > {now} AS scheduled,
                    coalesce(nullif(u.display_name, ''), u.username, '') AS author,
                    coalesce({published}, '') AS published, {updated} AS updated
             FROM articles a JOIN categories c ON c.id = a.category_id
             LEFT JOIN users u ON u.id = a.author_id",
            now = sql.now,
            published = sql.shanghai_minutes("a.published_at"),
            updated = sql.shanghai_minutes("a.updated_at"),
        ));
        push_filter(&mut query, sql, filter, only_author);
        query
            .push(" ORDER BY a.updated_at DESC, a.id DESC LIMIT ")
            .push_bind(limit)
            .push(" OFFSET ")
            .push_bind(offset);
        query.build_query_as().fetch_all(&mut *conn).await
    })
}

/// Every revision of an article, newest first.
pub async fn list_revisions(
    db: impl Into<Exec<'_>>,
    article_id: i64,
) -> sqlx::Result<Vec<RevisionSummary>> {
    on_backend!(db, |conn, sql| {
        sqlx::query_as(&format!(
            "SELECT r.id, r.version, r.note,
                    coalesce(nullif(u.display_name, ''), u.username, '') AS editor,
                    {} AS created
             FROM article_revisions r LEFT JOIN users u ON u.id = r.editor_id
             WHERE r.article_id = $1 ORDER BY r.version DESC",
            sql.shanghai_minutes("r.created_at")
        ))
        .bind(article_id)
        .fetch_all(&mut *conn)
        .await
    })
}

/// The article's fields as they were saved in a revision.
pub async fn snapshot(
    db: impl Into<Exec<'_>>,
    article_id: i64,
    revision_id: i64,
) -> sqlx::Result<Option<(i64, ArticleForm)>> {
    let row: Option<(i64, String)> = on_backend!(db, |conn, _sql| {
        sqlx::query_as(
            "SELECT version, snapshot FROM article_revisions WHERE article_id = $1 AND id = $2",
        )
        .bind(article_id)
        .bind(revision_id)
        .fetch_optional(&mut *conn)
        .await?
    });
    Ok(row.and_then(|(version, json)| {
        serde_json::from_str(&json)
            .map_err(|error| tracing::error!(%error, revision_id, "unreadable revision"))
            .ok()
            .map(|form| (version, form))
    }))
}
