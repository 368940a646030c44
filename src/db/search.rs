//! The search index and its queries.

use std::collections::HashMap;

use sqlx::{SqliteConnection, SqlitePool};

use super::shanghai_minutes;
use crate::search::snippet::plain_text;
use crate::search::tokenize::index_text;

/// Brings the index entry of one article in step with the article: published articles are
/// indexed, all others removed. Call it in the transaction that changed the article.
pub async fn reindex_article(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM article_search WHERE rowid = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let article: Option<Indexed> = sqlx::query_as(
        "SELECT title, subtitle, summary, body, source, info_source, author FROM articles
         WHERE id = ? AND status = 'published'",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(article) = article {
        sqlx::query("INSERT INTO article_search (rowid, title, body) VALUES (?, ?, ?)")
            .bind(id)
            .bind(index_text(&format!(
                "{} {}",
                article.title, article.subtitle
            )))
            .bind(index_text(&format!(
                "{} {} {} {} {}",
                article.summary,
                plain_text(&article.body),
                article.source,
                article.info_source,
                article.author
            )))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The fields of an article that search finds it by.
#[derive(sqlx::FromRow)]
struct Indexed {
    title: String,
    subtitle: String,
    summary: String,
    body: String,
    source: String,
    info_source: String,
    author: String,
}

/// What the index holds: version 2 added 信息来源 and the author. An index made by an older
/// version is rebuilt when the database is opened (`SQLite`'s `user_version` keeps it).
const INDEX_VERSION: i64 = 2;

/// Rebuilds the index if an older version made it; returns whether it did.
pub async fn bring_up_to_date(pool: &SqlitePool) -> sqlx::Result<bool> {
    let version: i64 = sqlx::query_scalar("PRAGMA user_version")
        .fetch_one(pool)
        .await?;
    if version >= INDEX_VERSION {
        return Ok(false);
    }
    let mut tx = pool.begin().await?;
    rebuild_in(&mut tx).await?;
    // A pragma takes no bound parameters; the version is a constant.
    sqlx::query(&format!("PRAGMA user_version = {INDEX_VERSION}"))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// Rebuilds the whole index from the articles table. Returns how many articles it indexed.
pub async fn rebuild(pool: &SqlitePool) -> sqlx::Result<u64> {
    let mut tx = pool.begin().await?;
    let indexed = rebuild_in(&mut tx).await?;
    tx.commit().await?;
    Ok(indexed)
}

async fn rebuild_in(conn: &mut SqliteConnection) -> sqlx::Result<u64> {
    sqlx::query("DELETE FROM article_search")
        .execute(&mut *conn)
        .await?;
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM articles WHERE status = 'published'")
        .fetch_all(&mut *conn)
        .await?;
    for id in &ids {
        reindex_article(conn, *id).await?;
    }
    Ok(ids.len() as u64)
}

/// What to search within.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// This category and its descendants.
    pub category_id: Option<i64>,
    /// `YYYY-MM-DD`, Asia/Shanghai, inclusive.
    pub from: Option<String>,
    /// `YYYY-MM-DD`, Asia/Shanghai, inclusive.
    pub until: Option<String>,
}

/// A matching article, with the text its excerpt is cut from.
#[derive(Debug, sqlx::FromRow)]
pub struct Hit {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub info_source: String,
    pub author: String,
    pub published: String,
    pub category_id: i64,
    pub category_slug: String,
    pub category_name: String,
}

/// The newest matches, at most `{cap}`: the articles that are counted, ranked and paged.
/// The index is the outer loop (`CROSS JOIN`), walked newest first, so a common word stops
/// after `{cap}` rows instead of ranking every article that contains it. Binds ?1 expression,
/// ?2 category, ?3 from, ?4 until.
const NEWEST_MATCHES: &str = "
    WITH RECURSIVE tree(id) AS (
        SELECT id FROM categories WHERE id = ?2
        UNION ALL SELECT c.id FROM categories c JOIN tree ON c.parent_id = tree.id
    ),
    matches(id, score) AS (
        SELECT s.rowid, bm25(article_search, 10.0, 1.0)
        FROM article_search s CROSS JOIN articles a ON a.id = s.rowid
        WHERE article_search MATCH ?1
          AND a.status = 'published' AND a.published_at <= unixepoch()
          AND (?2 IS NULL OR a.category_id IN tree)
          AND (?3 IS NULL OR a.published_at >= unixepoch(?3, '-8 hours'))
          AND (?4 IS NULL OR a.published_at < unixepoch(?4, '+1 day', '-8 hours'))
        ORDER BY s.rowid DESC LIMIT {cap}
    ) ";

/// How many articles match, counting at most `cap + 1` (so that "more than `cap`" shows).
pub async fn count(
    pool: &SqlitePool,
    expression: &str,
    filter: &Filter,
    cap: i64,
) -> sqlx::Result<i64> {
    let sql =
        NEWEST_MATCHES.replace("{cap}", &(cap + 1).to_string()) + "SELECT count(*) FROM matches";
    sqlx::query_scalar(&sql)
        .bind(expression)
        .bind(filter.category_id)
        .bind(&filter.from)
        .bind(&filter.until)
        .fetch_one(pool)
        .await
}

/// A page of the newest `cap` matches, title matches first (bm25 weighs the title ten times
/// the body), then newest first.
pub async fn search(
    pool: &SqlitePool,
    expression: &str,
    filter: &Filter,
    cap: i64,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<Hit>> {
    let columns = concat!(
        "a.id, a.title, a.summary, a.body, a.info_source, a.author, ",
        shanghai_minutes!("a.published_at"),
        " AS published, c.id AS category_id, c.slug AS category_slug, c.name AS category_name"
    );
    let sql = format!(
        "{}SELECT {columns} FROM matches m
         JOIN articles a ON a.id = m.id JOIN categories c ON c.id = a.category_id
         ORDER BY m.score, a.published_at DESC LIMIT ?5 OFFSET ?6",
        NEWEST_MATCHES.replace("{cap}", &cap.to_string())
    );
    sqlx::query_as(&sql)
        .bind(expression)
        .bind(filter.category_id)
        .bind(&filter.from)
        .bind(&filter.until)
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await
}

const DAY: i64 = 86_400;

/// Counts searches (query, time) for 热门搜索, in one transaction: one statement per query
/// and day, however often it was searched since the last write (a busy search page is
/// searched tens of thousands of times a second).
pub async fn log_queries(pool: &SqlitePool, queries: &[(String, i64)]) -> sqlx::Result<()> {
    let mut counted: HashMap<(i64, &str), (i64, i64)> = HashMap::new();
    for (query, at) in queries {
        let entry = counted
            .entry((at.div_euclid(DAY), query.as_str()))
            .or_insert((0, *at));
        entry.0 += 1;
        entry.1 = entry.1.max(*at);
    }
    let mut tx = pool.begin().await?;
    for ((day, query), (searches, last_at)) in counted {
        sqlx::query(
            "INSERT INTO search_counts (day, query, searches, last_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (day, query) DO UPDATE
             SET searches = searches + excluded.searches,
                 last_at = max(last_at, excluded.last_at)",
        )
        .bind(day)
        .bind(query)
        .bind(searches)
        .bind(last_at)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// Forgets the days before the one `before` falls in: they no longer count towards 热门搜索.
pub async fn prune_log(pool: &SqlitePool, before: i64) -> sqlx::Result<u64> {
    sqlx::query("DELETE FROM search_counts WHERE day < ?")
        .bind(before.div_euclid(DAY))
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
}

/// The most searched queries since the day `since` falls in, most frequent first.
pub async fn hot_queries(pool: &SqlitePool, since: i64, limit: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT query FROM search_counts WHERE day >= ?
         GROUP BY query ORDER BY sum(searches) DESC, max(last_at) DESC LIMIT ?",
    )
    .bind(since.div_euclid(DAY))
    .bind(limit)
    .fetch_all(pool)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::{Prepared, prepare};

    fn expression(query: &str) -> String {
        match prepare(query) {
            Prepared::Match { expression, .. } => expression,
            other => panic!("{other:?}"),
        }
    }

    async fn seed(pool: &SqlitePool) {
        sqlx::query(
            "INSERT INTO categories (id, parent_id, slug, name) VALUES
                 (1, NULL, 'news', '行业动态'), (2, 1, 'policy', '政策法规'), (3, NULL, 'notices', '通知公告')",
        )
        .execute(pool)
        .await
        .unwrap();
        let articles = [
            (
                2,
                "政策法规汇编",
                "本期汇编收录",
                "published",
                "2021-05-01 10:00",
            ),
            (
                1,
                "行业新闻",
                "新的政策出台,影响会员",
                "published",
                "2022-05-01 10:00",
            ),
            (
                3,
                "会员大会通知",
                "全体会员参加,备案号粤ICP备17113859号",
                "published",
                "2023-05-01 10:00",
            ),
            (3, "草稿政策", "政策草稿", "draft", "2023-06-01 10:00"),
            (3, "定时政策", "政策将发布", "published", "2999-01-01 10:00"),
        ];
        for (category, title, body, status, published) in articles {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO articles (category_id, title, body, status, published_at)
                 VALUES (?, ?, ?, ?, unixepoch(?, '-8 hours')) RETURNING id",
            )
            .bind(category)
            .bind(title)
            .bind(format!("<p>{body}</p>"))
            .bind(status)
            .bind(published)
            .fetch_one(pool)
            .await
            .unwrap();
            let mut conn = pool.acquire().await.unwrap();
            reindex_article(&mut conn, id).await.unwrap();
        }
    }

    async fn titles(pool: &SqlitePool, query: &str, filter: &Filter) -> Vec<String> {
        search(pool, &expression(query), filter, 1000, 20, 0)
            .await
            .unwrap()
            .into_iter()
            .map(|hit| hit.title)
            .collect()
    }

    #[sqlx::test]
    async fn finds_two_and_four_character_words_title_first(pool: SqlitePool) {
        seed(&pool).await;
        let all = Filter::default();
        assert_eq!(
            titles(&pool, "政策", &all).await,
            ["政策法规汇编", "行业新闻"]
        );
        assert_eq!(titles(&pool, "政策法规", &all).await, ["政策法规汇编"]);
        assert_eq!(
            titles(&pool, "会员", &all).await,
            ["会员大会通知", "行业新闻"]
        );
        assert_eq!(titles(&pool, "icp", &all).await, ["会员大会通知"]);
        assert_eq!(titles(&pool, "会员 ICP", &all).await, ["会员大会通知"]);
        assert!(titles(&pool, "法政", &all).await.is_empty());
        assert_eq!(
            count(&pool, &expression("政策"), &all, 1000).await.unwrap(),
            2
        );
        assert_eq!(
            count(&pool, &expression("政策"), &all, 1).await.unwrap(),
            2,
            "one past the cap"
        );
        assert_eq!(
            search(&pool, &expression("政策"), &all, 1, 20, 0)
                .await
                .unwrap()
                .len(),
            1,
            "only the newest is ranked"
        );
    }

    #[sqlx::test]
    async fn pages_through_the_matches(pool: SqlitePool) {
        seed(&pool).await;
        let all = Filter::default();
        let second: Vec<String> = search(&pool, &expression("政策"), &all, 1000, 1, 1)
            .await
            .unwrap()
            .into_iter()
            .map(|hit| hit.title)
            .collect();
        assert_eq!(second, ["行业新闻"]);
        assert!(
            search(&pool, &expression("政策"), &all, 1000, 1, 2)
                .await
                .unwrap()
                .is_empty()
        );
    }

    #[sqlx::test]
    async fn filters_by_category_tree_and_dates(pool: SqlitePool) {
        seed(&pool).await;
        let news = Filter {
            category_id: Some(1),
            ..Filter::default()
        };
        assert_eq!(
            titles(&pool, "政策", &news).await,
            ["政策法规汇编", "行业新闻"]
        );
        let policy = Filter {
            category_id: Some(2),
            ..Filter::default()
        };
        assert_eq!(titles(&pool, "政策", &policy).await, ["政策法规汇编"]);
        let in_2022 = Filter {
            from: Some("2022-05-01".into()),
            until: Some("2022-05-01".into()),
            ..Filter::default()
        };
        assert_eq!(titles(&pool, "政策", &in_2022).await, ["行业新闻"]);
    }

    #[sqlx::test]
    async fn the_index_follows_the_article(pool: SqlitePool) {
        seed(&pool).await;
        let all = Filter::default();
        let indexed = |pool: SqlitePool| async move {
            sqlx::query_scalar::<_, i64>("SELECT count(*) FROM article_search")
                .fetch_one(&pool)
                .await
                .unwrap()
        };
        assert_eq!(
            indexed(pool.clone()).await,
            4,
            "published ones, scheduled included"
        );
        // Archiving or deleting takes an article out of the index by itself.
        sqlx::query("UPDATE articles SET status = 'archived' WHERE title = '行业新闻'")
            .execute(&pool)
            .await
            .unwrap();
        assert_eq!(indexed(pool.clone()).await, 3);
        assert_eq!(titles(&pool, "政策", &all).await, ["政策法规汇编"]);
        sqlx::query("DELETE FROM articles WHERE title = '定时政策'")
            .execute(&pool)
            .await
            .unwrap();
        assert_eq!(indexed(pool.clone()).await, 2);
        // Edited text is indexed again by the code that saves it.
        sqlx::query("UPDATE articles SET title = '协会章程修订' WHERE title = '政策法规汇编'")
            .execute(&pool)
            .await
            .unwrap();
        let mut conn = pool.acquire().await.unwrap();
        reindex_article(&mut conn, 1).await.unwrap();
        drop(conn);
        assert_eq!(titles(&pool, "章程", &all).await, ["协会章程修订"]);
        assert_eq!(rebuild(&pool).await.unwrap(), 2);
        assert_eq!(titles(&pool, "章程", &all).await, ["协会章程修订"]);
    }

    #[sqlx::test]
    async fn searches_are_counted_by_day_and_old_days_forgotten(pool: SqlitePool) {
        let day = |n: i64| n * DAY + 100;
        let searches = [
            ("旧词", day(1)),
            ("旧词", day(1) + 1),
            ("旧词", day(1) + 2),
            ("政策", day(5)),
            ("会员", day(5) + 1),
            ("政策", day(6)),
        ]
        .map(|(query, at)| (query.to_string(), at));
        log_queries(&pool, &searches).await.unwrap();
        let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM search_counts")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(rows, 4, "one row per query per day");
        log_queries(&pool, &[("旧词".to_string(), day(1) + 3)])
            .await
            .unwrap();
        let counted: (i64, i64) =
            sqlx::query_as("SELECT searches, last_at FROM search_counts WHERE query = '旧词'")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(
            counted,
            (4, day(1) + 3),
            "a later write adds to the day's count"
        );
        assert_eq!(
            hot_queries(&pool, day(5), 5).await.unwrap(),
            ["政策", "会员"]
        );
        assert_eq!(
            hot_queries(&pool, 0, 5).await.unwrap(),
            ["旧词", "政策", "会员"]
        );
        assert_eq!(prune_log(&pool, day(5)).await.unwrap(), 1);
        assert_eq!(hot_queries(&pool, 0, 5).await.unwrap(), ["政策", "会员"]);
    }

    #[sqlx::test]
    async fn an_index_of_an_older_version_is_rebuilt_once(pool: SqlitePool) {
        seed(&pool).await;
        sqlx::query("DELETE FROM article_search")
            .execute(&pool)
            .await
            .unwrap();
        assert!(bring_up_to_date(&pool).await.unwrap());
        let indexed: i64 = sqlx::query_scalar("SELECT count(*) FROM article_search")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert!(indexed > 0);
        assert!(!bring_up_to_date(&pool).await.unwrap(), "once only");
    }
}
