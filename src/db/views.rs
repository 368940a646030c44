//! 浏览量: each visitor counts once per article per 30 minutes.

use std::collections::HashMap;

use sqlx::Connection;

use super::store::{Exec, on_backend};

/// How long a visitor's view of an article keeps later views from counting.
pub const WINDOW_SECONDS: i64 = 30 * 60;

/// When each of `visitor_keys` last had a view of the article counted or refreshed.
pub async fn last_views(
    db: impl Into<Exec<'_>>,
    article_id: i64,
    visitor_keys: &[String],
) -> sqlx::Result<Vec<(String, i64)>> {
    let mut found = Vec::with_capacity(visitor_keys.len());
    on_backend!(db, |conn, _sql| {
        for key in visitor_keys {
            let viewed_at: Option<i64> = sqlx::query_scalar(
                "SELECT viewed_at FROM article_views WHERE article_id = $1 AND visitor_key = $2",
            )
            .bind(article_id)
            .bind(key)
            .fetch_optional(&mut *conn)
            .await?;
            if let Some(viewed_at) = viewed_at {
                found.push((key.clone(), viewed_at));
            }
        }
    });
    Ok(found)
}

/// Adds `counts` to the articles' 浏览量 and remembers `views` (article, visitor key,
/// time), in one transaction.
/// Each server batches its own; the database adds, so counts from several servers sum exactly.
pub async fn write_batch(
    db: impl Into<Exec<'_>>,
    counts: &HashMap<i64, i64>,
    views: &[(i64, String, i64)],
) -> sqlx::Result<()> {
    on_backend!(db, |conn, _sql| {
        let mut tx = conn.begin().await?;
        // In id order, so that two servers writing at once take the rows' locks in the
        // same order (PostgreSQL) instead of deadlocking.
        let mut counts: Vec<_> = counts.iter().collect();
        counts.sort_unstable();
        for (article_id, count) in counts {
            sqlx::query("UPDATE articles SET view_count = view_count + $1 WHERE id = $2")
                .bind(count)
                .bind(article_id)
                .execute(&mut *tx)
                .await?;
        }
        for (article_id, key, viewed_at) in views {
            // An article deleted meanwhile has nothing left to remember.
            sqlx::query(
                "INSERT INTO article_views (article_id, visitor_key, viewed_at)
                 SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM articles WHERE id = $1)
                 ON CONFLICT (article_id, visitor_key)
                 DO UPDATE SET viewed_at = excluded.viewed_at",
            )
            .bind(article_id)
            .bind(key)
            .bind(viewed_at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await
    })
}

/// Forgets views older than the window; they can no longer stop a view from counting.
pub async fn prune(db: impl Into<Exec<'_>>, now: i64) -> sqlx::Result<u64> {
    on_backend!(db, |conn, _sql| {
        Ok(
            sqlx::query("DELETE FROM article_views WHERE viewed_at <= $1")
                .bind(now - WINDOW_SECONDS)
                .execute(&mut *conn)
                .await?
                .rows_affected(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::{execute, on_each_backend};

    #[tokio::test]
    async fn pruning_forgets_only_expired_views() {
        on_each_backend(async |store| {
            let pool = store;
            execute(
                &pool,
                "INSERT INTO categories (id, slug, name) VALUES (1, 'news', '行业动态');
             INSERT INTO articles (id, category_id, title) VALUES (1, 1, 't')",
            )
            .await;
            let views = [
                (1, "old".to_string(), 100),
                (1, "new".to_string(), 100 + WINDOW_SECONDS),
            ];
            write_batch(&pool, &HashMap::from([(1, 2)]), &views)
                .await
                .unwrap();
            assert_eq!(prune(&pool, 100 + WINDOW_SECONDS).await.unwrap(), 1);
            let keys = ["old".to_string(), "new".to_string()];
            assert_eq!(
                last_views(&pool, 1, &keys).await.unwrap(),
                [("new".to_string(), 100 + WINDOW_SECONDS)]
            );
        })
        .await;
    }
}
