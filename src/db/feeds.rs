//! What feeds and sitemaps list: visible articles and categories, with their times.

use super::store::{Exec, on_backend};

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
    db: impl Into<Exec<'_>>,
    category_id: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<FeedItem>> {
    on_backend!(db, |conn, sql| {
        sqlx::query_as(&format!(
            "WITH RECURSIVE tree(id) AS (
                 SELECT id FROM categories WHERE id = $1
                 UNION ALL SELECT c.id FROM categories c JOIN tree ON c.parent_id = tree.id
             )
             SELECT a.id, a.title, a.summary, a.published_at, c.name AS category_name
             FROM articles a JOIN categories c ON c.id = a.category_id
             WHERE a.status = 'published' AND a.published_at <= {now}
               AND ($1 IS NULL OR a.category_id IN (SELECT id FROM tree))
             ORDER BY a.published_at DESC, a.id DESC LIMIT $2",
            now = sql.now
        ))
        .bind(category_id)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
    })
}

/// A sitemap entry: a site path and when it last changed (W3C date-time).
#[derive(Debug, sqlx::FromRow)]
pub struct SitemapEntry {
    pub path: String,
    pub lastmod: String,
}

/// From the counts triggers keep, less the few scheduled for later: no walk over a million
/// rows.
pub async fn count_visible_articles(db: impl Into<Exec<'_>>) -> sqlx::Result<i64> {
    on_backend!(db, |conn, sql| {
        sqlx::query_scalar(&format!(
            "SELECT (SELECT CAST(coalesce(sum(published), 0) AS bigint) FROM category_counts)
                  - (SELECT count(*) FROM articles
                     WHERE status = 'published' AND published_at > {now})",
            now = sql.now
        ))
        .fetch_one(&mut *conn)
        .await
    })
}

/// Every category, with the newest publication in it or its own last change.
pub async fn category_entries(db: impl Into<Exec<'_>>) -> sqlx::Result<Vec<SitemapEntry>> {
    on_backend!(db, |conn, sql| {
        let lastmod = sql.shanghai_iso(&format!(
            "{greatest}(c.updated_at, coalesce((SELECT a.published_at FROM articles a
              WHERE a.category_id = c.id AND a.status = 'published'
                AND a.published_at <= {now}
              ORDER BY a.published_at DESC LIMIT 1), 0))",
            greatest = sql.greatest,
            now = sql.now
        ));
        sqlx::query_as(&format!(
            "SELECT '/category/' || c.slug AS path, {lastmod} AS lastmod
             FROM categories c ORDER BY c.position, c.id"
        ))
        .fetch_all(&mut *conn)
        .await
    })
}

/// Visible articles in id order, `limit` from `offset`.
pub async fn article_entries(
    db: impl Into<Exec<'_>>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<SitemapEntry>> {
    on_backend!(db, |conn, sql| {
        let lastmod = sql.shanghai_iso(&format!("{}(published_at, updated_at)", sql.greatest));
        sqlx::query_as(&format!(
            "SELECT '/article/' || id AS path, {lastmod} AS lastmod FROM articles
             WHERE status = 'published' AND published_at <= {now}
             ORDER BY id LIMIT $1 OFFSET $2",
            now = sql.now
        ))
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *conn)
        .await
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::{execute, named, on_each_backend};

    #[tokio::test]
    async fn lists_visible_articles_and_categories_with_their_times() {
        on_each_backend(async |store| {
            // 2020-10-23 06:37 UTC and an hour later; one scheduled far ahead, one draft.
            execute(
                &store,
                "INSERT INTO categories (id, parent_id, slug, name, updated_at) VALUES
                     (1, NULL, 'news', '行业动态', 1603435020), (2, 1, 'policy', '政策法规', 0);
                 INSERT INTO articles (id, category_id, title, status, published_at, updated_at)
                 VALUES (1, 2, 'a', 'published', 1603438620, 0),
                        (2, 1, 'b', 'published', 1603435020, 1603438620),
                        (3, 1, 'later', 'published', 4102444800, 0),
                        (4, 1, 'draft', 'draft', NULL, 0)",
            )
            .await;
            let on = named(&store);
            assert_eq!(count_visible_articles(&store).await.unwrap(), 2, "{on}");
            let titles =
                |items: Vec<FeedItem>| items.into_iter().map(|i| i.title).collect::<Vec<_>>();
            assert_eq!(
                titles(latest(&store, None, 10).await.unwrap()),
                ["a", "b"],
                "{on}"
            );
            assert_eq!(
                titles(latest(&store, Some(2), 10).await.unwrap()),
                ["a"],
                "{on}"
            );
            assert_eq!(
                titles(latest(&store, Some(1), 1).await.unwrap()),
                ["a"],
                "{on}"
            );
            let entries = |rows: Vec<SitemapEntry>| {
                rows.into_iter()
                    .map(|e| (e.path, e.lastmod))
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                entries(article_entries(&store, 10, 0).await.unwrap()),
                [
                    (
                        "/article/1".to_string(),
                        "2020-10-23T15:37:00+08:00".to_string()
                    ),
                    (
                        "/article/2".to_string(),
                        "2020-10-23T15:37:00+08:00".to_string()
                    ),
                ],
                "{on}"
            );
            assert_eq!(
                entries(category_entries(&store).await.unwrap()),
                [
                    (
                        "/category/news".to_string(),
                        "2020-10-23T14:37:00+08:00".to_string()
                    ),
                    (
                        "/category/policy".to_string(),
                        "2020-10-23T15:37:00+08:00".to_string()
                    ),
                ],
                "{on}"
            );
        })
        .await;
    }
}
