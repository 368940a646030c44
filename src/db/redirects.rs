//! Old addresses and where they lead now.

use super::store::{Exec, on_backend};
use crate::model::RedirectRow;

/// The target of the first of `keys` that has a redirect, in the order given.
pub async fn find_first(db: impl Into<Exec<'_>>, keys: &[String]) -> sqlx::Result<Option<String>> {
    on_backend!(db, |conn, _sql| {
        // A few keys at most: one probe of the primary key each.
        for key in keys {
            let target: Option<String> =
                sqlx::query_scalar("SELECT target FROM redirects WHERE path = $1")
                    .bind(key)
                    .fetch_optional(&mut *conn)
                    .await?;
            if target.is_some() {
                return Ok(target);
            }
        }
        Ok(None)
    })
}

/// Adds or replaces the redirect from `path` (already a key).
pub async fn put(
    db: impl Into<Exec<'_>>,
    path: &str,
    target: &str,
    origin: &str,
) -> sqlx::Result<bool> {
    let changed = on_backend!(db, |conn, _sql| {
        sqlx::query(
            "INSERT INTO redirects (path, target, origin) VALUES ($1, $2, $3)
             ON CONFLICT (path) DO UPDATE SET target = excluded.target, origin = excluded.origin
             WHERE redirects.target <> excluded.target",
        )
        .bind(path)
        .bind(target)
        .bind(origin)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    Ok(changed > 0)
}

/// Adds an editor's redirect; `false` when the old address already has one.
pub async fn create(db: impl Into<Exec<'_>>, path: &str, target: &str) -> sqlx::Result<bool> {
    let inserted = on_backend!(db, |conn, _sql| {
        sqlx::query(
            "INSERT INTO redirects (path, target, origin) VALUES ($1, $2, 'editor')
             ON CONFLICT (path) DO NOTHING",
        )
        .bind(path)
        .bind(target)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    Ok(inserted > 0)
}

pub async fn delete(db: impl Into<Exec<'_>>, path: &str) -> sqlx::Result<bool> {
    let deleted = on_backend!(db, |conn, _sql| {
        sqlx::query("DELETE FROM redirects WHERE path = $1")
            .bind(path)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    Ok(deleted > 0)
}

/// The redirects whose old or new address contains `search` (all when empty), newest
/// first, one page of them, and how many match.
pub async fn list(
    db: impl Into<Exec<'_>>,
    search: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<RedirectRow>, i64)> {
    let pattern = format!(
        "%{}%",
        search
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    on_backend!(db, |conn, sql| {
        let filter = format!(
            "($1 = '%%' OR path {like} $1 ESCAPE '\\' OR target {like} $1 ESCAPE '\\')",
            like = sql.like_without_case
        );
        let rows = sqlx::query_as(&format!(
            "SELECT path, target, origin, {} AS created FROM redirects WHERE {filter}
             ORDER BY created_at DESC, path LIMIT $2 OFFSET $3",
            sql.shanghai_minutes("created_at")
        ))
        .bind(&pattern)
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *conn)
        .await?;
        let total = sqlx::query_scalar(&format!("SELECT count(*) FROM redirects WHERE {filter}"))
            .bind(&pattern)
            .fetch_one(&mut *conn)
            .await?;
        Ok((rows, total))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::on_each_backend;

    #[tokio::test]
    async fn finds_the_first_key_that_has_a_redirect() {
        on_each_backend(async |store| {
            let pool = store;
            let conn = &pool;
            assert!(
                put(conn, "/plus/view.php?aid=7", "/article/3", "dedecms:x")
                    .await
                    .unwrap()
            );
            assert!(
                !put(conn, "/plus/view.php?aid=7", "/article/3", "dedecms:x")
                    .await
                    .unwrap()
            );
            put(conn, "/a/news/7.html", "/article/4", "dedecms:x")
                .await
                .unwrap();
            let keys = |list: &[&str]| list.iter().map(|k| k.to_string()).collect::<Vec<_>>();
            assert_eq!(
                find_first(
                    &pool,
                    &keys(&["/nothing", "/a/news/7.html", "/plus/view.php?aid=7"])
                )
                .await
                .unwrap()
                .as_deref(),
                Some("/article/4")
            );
            assert_eq!(find_first(&pool, &keys(&["/nothing"])).await.unwrap(), None);
        })
        .await;
    }

    #[tokio::test]
    async fn editors_list_search_add_and_delete() {
        on_each_backend(async |store| {
            let pool = store;
            assert!(
                create(&pool, "/old-about", "/category/about")
                    .await
                    .unwrap()
            );
            assert!(
                !create(&pool, "/old-about", "/category/other")
                    .await
                    .unwrap()
            );
            create(&pool, "/100%_done", "/article/1").await.unwrap();
            let (rows, total) = list(&pool, "ABOUT", 10, 0).await.unwrap();
            assert_eq!(total, 1);
            assert_eq!(rows[0].target, "/category/about");
            assert_eq!(rows[0].origin, "editor");
            // LIKE's wildcards are searched for as text.
            assert_eq!(list(&pool, "%_", 10, 0).await.unwrap().1, 1);
            assert_eq!(list(&pool, "", 10, 0).await.unwrap().1, 2);
            assert!(delete(&pool, "/old-about").await.unwrap());
            assert!(!delete(&pool, "/old-about").await.unwrap());
        })
        .await;
    }
}
