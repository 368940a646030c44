//! What feeds and sitemaps list: visible articles and categories, with their times.

use sqlx::SqlitePool;

use super::shanghai_iso;

#[derive(Debug, sqlx::FromRow)]
pub struct FeedItem {
    pub id: i64,
    pub title: String,
    pub summary: String,
    /// Unix seconds.
    pub published_at: i64,
    pub category_name: String,
}

/// The newest visible articles, of one category tree or of the whole site.
pub async fn latest(
    pool: &SqlitePool,
    category_id: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<FeedItem>> {
    sqlx::query_as(
        "WITH RECURSIVE tree(id) AS (
             SELECT id FROM categories WHERE id = ?1
             UNION ALL SELECT c.id FROM categories c JOIN tree ON c.parent_id = tree.id
         )
         SELECT a.id, a.title, a.summary, a.published_at, c.name AS category_name
         FROM articles a JOIN categories c ON c.id = a.category_id
         WHERE a.status = 'published' AND a.published_at <= unixepoch()
           AND (?1 IS NULL OR a.category_id IN tree)
         ORDER BY a.published_at DESC, a.id DESC LIMIT ?2",
    )
    .bind(category_id)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// A sitemap entry: a site path and when it last changed (W3C date-time).
#[derive(Debug, sqlx::FromRow)]
pub struct SitemapEntry {
    pub path: String,
    pub lastmod: String,
}

/// From the counts triggers keep, less the few scheduled for later: no walk over a million
/// rows.
pub async fn count_visible_articles(pool: &SqlitePool) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT (SELECT coalesce(sum(published), 0) FROM category_counts)
              - (SELECT count(*) FROM articles
                 WHERE status = 'published' AND published_at > unixepoch())",
    )
    .fetch_one(pool)
    .await
}

/// Every category, with the newest publication in it or its own last change.
pub async fn category_entries(pool: &SqlitePool) -> sqlx::Result<Vec<SitemapEntry>> {
    sqlx::query_as(concat!(
        "SELECT '/category/' || c.slug AS path, ",
        shanghai_iso!(
            "max(c.updated_at, coalesce((SELECT a.published_at FROM articles a
              WHERE a.category_id = c.id AND a.status = 'published'
                AND a.published_at <= unixepoch()
              ORDER BY a.published_at DESC LIMIT 1), 0))"
        ),
        " AS lastmod FROM categories c ORDER BY c.position, c.id"
    ))
    .fetch_all(pool)
    .await
}

/// Visible articles in id order, `limit` from `offset`.
pub async fn article_entries(
    pool: &SqlitePool,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<SitemapEntry>> {
    sqlx::query_as(concat!(
        "SELECT '/article/' || id AS path, ",
        shanghai_iso!("max(published_at, updated_at)"),
        " AS lastmod FROM articles
         WHERE status = 'published' AND published_at <= unixepoch()
         ORDER BY id LIMIT ? OFFSET ?"
    ))
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await
}
