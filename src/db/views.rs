//! 浏览量: each visitor counts once per article per 30 minutes.

use sqlx::SqlitePool;

/// How long a visitor's view of an article keeps later views from counting.
pub const WINDOW_SECONDS: i64 = 30 * 60;

/// Records that a visitor, known by one or more keys, opened an article at `now` (Unix
/// seconds). Returns whether the view counted: it does unless one of the keys viewed the
/// article within the window.
pub async fn record(
    pool: &SqlitePool,
    article_id: i64,
    visitor_keys: &[String],
    now: i64,
) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    // Writing first takes SQLite's write lock at once, so two requests from one visitor
    // cannot both see "not yet viewed".
    let mut fresh = true;
    for key in visitor_keys {
        let changed = sqlx::query(
            "INSERT INTO article_views (article_id, visitor_key, viewed_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (article_id, visitor_key) DO UPDATE SET viewed_at = excluded.viewed_at
             WHERE viewed_at <= ?3 - ?4",
        )
        .bind(article_id)
        .bind(key)
        .bind(now)
        .bind(WINDOW_SECONDS)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        fresh &= changed == 1;
    }
    if fresh {
        sqlx::query("UPDATE articles SET view_count = view_count + 1 WHERE id = ?")
            .bind(article_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(fresh)
}

/// Forgets views older than the window; they can no longer stop a view from counting.
pub async fn prune(pool: &SqlitePool, now: i64) -> sqlx::Result<u64> {
    Ok(
        sqlx::query("DELETE FROM article_views WHERE viewed_at <= ? - ?")
            .bind(now)
            .bind(WINDOW_SECONDS)
            .execute(pool)
            .await?
            .rows_affected(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn article(pool: &SqlitePool) -> i64 {
        sqlx::query("INSERT INTO categories (id, slug, name) VALUES (1, 'news', '行业动态')")
            .execute(pool)
            .await
            .unwrap();
        sqlx::query_scalar(
            "INSERT INTO articles (category_id, title, status, published_at)
             VALUES (1, 't', 'published', 0) RETURNING id",
        )
        .fetch_one(pool)
        .await
        .unwrap()
    }

    async fn count(pool: &SqlitePool, id: i64) -> i64 {
        sqlx::query_scalar("SELECT view_count FROM articles WHERE id = ?")
            .bind(id)
            .fetch_one(pool)
            .await
            .unwrap()
    }

    fn keys(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| name.to_string()).collect()
    }

    #[sqlx::test]
    async fn counts_a_visitor_once_per_window(pool: SqlitePool) {
        let id = article(&pool).await;
        let t = 1_000_000;
        assert!(record(&pool, id, &keys(&["a"]), t).await.unwrap());
        assert!(!record(&pool, id, &keys(&["a"]), t + 60).await.unwrap());
        assert!(
            !record(&pool, id, &keys(&["a"]), t + WINDOW_SECONDS - 1)
                .await
                .unwrap()
        );
        assert!(
            record(&pool, id, &keys(&["a"]), t + WINDOW_SECONDS)
                .await
                .unwrap()
        );
        assert_eq!(count(&pool, id).await, 2);
    }

    #[sqlx::test]
    async fn counts_different_visitors_separately(pool: SqlitePool) {
        let id = article(&pool).await;
        assert!(record(&pool, id, &keys(&["a"]), 100).await.unwrap());
        assert!(record(&pool, id, &keys(&["b"]), 101).await.unwrap());
        assert_eq!(count(&pool, id).await, 2);
    }

    #[sqlx::test]
    async fn any_known_key_makes_a_repeat_view(pool: SqlitePool) {
        let id = article(&pool).await;
        // A first visit without a cookie is known by its address and by the cookie it is given.
        assert!(
            record(&pool, id, &keys(&["cookie:x", "ip:y"]), 100)
                .await
                .unwrap()
        );
        assert!(!record(&pool, id, &keys(&["cookie:x"]), 200).await.unwrap());
        assert!(
            !record(&pool, id, &keys(&["cookie:z", "ip:y"]), 300)
                .await
                .unwrap()
        );
        assert_eq!(count(&pool, id).await, 1);
    }

    #[sqlx::test]
    async fn pruning_forgets_only_expired_views(pool: SqlitePool) {
        let id = article(&pool).await;
        record(&pool, id, &keys(&["old"]), 100).await.unwrap();
        record(&pool, id, &keys(&["new"]), 100 + WINDOW_SECONDS)
            .await
            .unwrap();
        assert_eq!(prune(&pool, 100 + WINDOW_SECONDS).await.unwrap(), 1);
        assert!(
            !record(&pool, id, &keys(&["new"]), 100 + WINDOW_SECONDS + 1)
                .await
                .unwrap()
        );
    }
}
