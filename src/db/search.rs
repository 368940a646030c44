//! The search index and its queries. Both backends index the same tokens
//! (`search::tokenize`): FTS5 on SQLite, a `tsvector` with a GIN index on PostgreSQL. Both
//! find the same articles in the same order: those whose title holds a searched word first,
//! then the newest.

use std::collections::HashMap;

use sqlx::{Connection, PgConnection, SqliteConnection};

use super::store::{Exec, on_backend};
use crate::search::query::{Expression, tsquery_lexeme};
use crate::search::snippet::plain_text;
use crate::search::tokenize::index_text;

/// Brings the index entry of one article in step with the article: published articles are
/// indexed, all others removed. Call it in the transaction that changed the article.
pub async fn reindex_article(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<()> {
    match db.into() {
        Exec::Sqlite(on) => reindex_in_sqlite(on.hold().await?.connection(), id).await,
        Exec::Postgres(on) => reindex_in_postgres(on.hold().await?.connection(), id).await,
    }
}

async fn reindex_in_sqlite(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM article_search WHERE rowid = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if let Some(article) = indexed(&mut *conn, id).await? {
        let (title, body) = article.tokens();
        sqlx::query("INSERT INTO article_search (rowid, title, body) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(title)
            .bind(body)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn reindex_in_postgres(conn: &mut PgConnection, id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM article_search WHERE article_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if let Some(article) = indexed(&mut *conn, id).await? {
        let (title, body) = article.tokens();
        sqlx::query(
            "INSERT INTO article_search (article_id, document) VALUES ($1, CAST($2 AS tsvector))",
        )
        .bind(id)
        .bind(tsvector(&title, &body))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The article's fields search finds it by, if it is published.
async fn indexed(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<Option<Indexed>> {
    on_backend!(db, |conn, _sql| {
        sqlx::query_as(
            "SELECT title, subtitle, summary, body, source, info_source, author FROM articles
             WHERE id = $1 AND status = 'published'",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
    })
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

impl Indexed {
    /// The title's tokens and the rest's, each separated by spaces.
    fn tokens(&self) -> (String, String) {
        (
            index_text(&format!("{} {}", self.title, self.subtitle)),
            index_text(&format!(
                "{} {} {} {} {}",
                self.summary,
                plain_text(&self.body),
                self.source,
                self.info_source,
                self.author
            )),
        )
    }
}

/// PostgreSQL keeps at most this position in a `tsvector`.
const LAST_POSITION: usize = 16_383;

/// The tokens as a `tsvector` in its text form, each lexeme taken as it is: the title's at
/// positions from 1 with weight A, the rest after a gap (so that no phrase spans the two)
/// with weight D. Positions past PostgreSQL's last one share it: a phrase that far into a
/// long article matches only as separate words there.
fn tsvector(title: &str, body: &str) -> String {
    let mut vector = String::with_capacity(2 * (title.len() + body.len()));
    let mut position = 0;
    for (tokens, weight, gap) in [(title, "A", 0), (body, "", 1)] {
        position += gap;
        for token in tokens.split(' ').filter(|token| !token.is_empty()) {
            position += 1;
            if !vector.is_empty() {
                vector.push(' ');
            }
            vector.push_str(&tsquery_lexeme(token));
            vector.push(':');
            vector.push_str(&position.min(LAST_POSITION).to_string());
            vector.push_str(weight);
        }
    }
    vector
}

/// What the index holds: version 2 added 信息来源 and the author. An index made by an older
/// version is rebuilt when the database is opened (SQLite's `user_version` keeps the
/// version, PostgreSQL's `search_index_state`).
const INDEX_VERSION: i64 = 2;

/// Rebuilds the index if an older version made it; returns whether it did.
pub async fn bring_up_to_date(db: impl Into<Exec<'_>>) -> sqlx::Result<bool> {
    on_backend!(db, |conn, sql| {
        let read = match sql.backend {
            super::Backend::Sqlite => "PRAGMA user_version",
            super::Backend::Postgres => "SELECT version FROM search_index_state",
        };
        let version: i64 = sqlx::query_scalar(read).fetch_one(&mut *conn).await?;
        if version >= INDEX_VERSION {
            return Ok(false);
        }
        let mut tx = conn.begin().await?;
        rebuild_in(&mut tx).await?;
        // A pragma takes no bound parameters; the version is a constant.
        let write = match sql.backend {
            super::Backend::Sqlite => format!("PRAGMA user_version = {INDEX_VERSION}"),
            super::Backend::Postgres => {
                format!("UPDATE search_index_state SET version = {INDEX_VERSION}")
            }
        };
        sqlx::query(&write).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(true)
    })
}

/// Rebuilds the whole index from the articles table. Returns how many articles it indexed.
pub async fn rebuild(db: impl Into<Exec<'_>>) -> sqlx::Result<u64> {
    on_backend!(db, |conn, _sql| {
        let mut tx = conn.begin().await?;
        let indexed = rebuild_in(&mut tx).await?;
        tx.commit().await?;
        Ok(indexed)
    })
}

async fn rebuild_in(db: impl Into<Exec<'_>>) -> sqlx::Result<u64> {
    on_backend!(db, |conn, _sql| {
        sqlx::query("DELETE FROM article_search")
            .execute(&mut *conn)
            .await?;
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM articles WHERE status = 'published'")
                .fetch_all(&mut *conn)
                .await?;
        for id in &ids {
            reindex_article(&mut *conn, *id).await?;
        }
        Ok(ids.len() as u64)
    })
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

impl Filter {
    /// The dates as Unix seconds: from the start of `from`'s day, to before the day after
    /// `until`, in Asia/Shanghai. A date that is not one (the caller checks) finds nothing.
    fn bounds(&self) -> (Option<i64>, Option<i64>) {
        let midnight = |date: &str, days_after: i64| {
            chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .ok()
                .and_then(|day| day.and_hms_opt(0, 0, 0))
                .map(|start| start.and_utc().timestamp() - 8 * 3600 + days_after * DAY)
        };
        (
            self.from
                .as_deref()
                .map(|date| midnight(date, 0).unwrap_or(i64::MAX)),
            self.until
                .as_deref()
                .map(|date| midnight(date, 1).unwrap_or(i64::MIN)),
        )
    }
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

/// The newest matches, at most `{cap}`: the articles that are counted, ranked and paged,
/// each with whether its title holds any of the searched phrases (`in_title`). Binds $1
/// expression, $2 the title's expression (PostgreSQL's; SQLite reads the same from bm25),
/// $3 category, $4 from, $5 until (Unix seconds).
///
/// SQLite: the index is the outer loop (`CROSS JOIN`), walked newest first, so a common word
/// stops after `{cap}` rows instead of looking at every article that contains it. bm25 with
/// the body weighed 0 is below 0 exactly when a phrase occurs in the title (FTS5 keeps every
/// phrase's weight above 0), and costs nothing more than the walk.
const NEWEST_MATCHES_SQLITE: &str = "
    WITH RECURSIVE tree(id) AS (
        SELECT id FROM categories WHERE id = $3
        UNION ALL SELECT c.id FROM categories c JOIN tree ON c.parent_id = tree.id
    ),
    matches(id, in_title) AS (
        SELECT s.rowid, bm25(article_search, 1.0, 0.0) < 0
        FROM article_search s CROSS JOIN articles a ON a.id = s.rowid
        WHERE article_search MATCH $1
          AND a.status = 'published' AND a.published_at <= unixepoch()
          AND ($3 IS NULL OR a.category_id IN (SELECT id FROM tree))
          AND ($4 IS NULL OR a.published_at >= $4)
          AND ($5 IS NULL OR a.published_at < $5)
        ORDER BY s.rowid DESC LIMIT {cap}
    ) ";

/// PostgreSQL: the GIN index finds the matching documents.
const NEWEST_MATCHES_POSTGRES: &str = "
    WITH RECURSIVE tree(id) AS (
        SELECT id FROM categories WHERE id = $3
        UNION ALL SELECT c.id FROM categories c JOIN tree ON c.parent_id = tree.id
    ),
    matches(id, in_title) AS (
        SELECT s.article_id, s.document @@ CAST($2 AS tsquery)
        FROM article_search s JOIN articles a ON a.id = s.article_id
        WHERE s.document @@ CAST($1 AS tsquery)
          AND a.status = 'published' AND a.published_at <= unix_now()
          AND ($3 IS NULL OR a.category_id IN (SELECT id FROM tree))
          AND ($4 IS NULL OR a.published_at >= $4)
          AND ($5 IS NULL OR a.published_at < $5)
        ORDER BY s.article_id DESC LIMIT {cap}
    ) ";

/// The matches CTE for the backend, with its expressions.
fn newest_matches(
    backend: super::Backend,
    expression: &Expression,
    cap: i64,
) -> (String, String, String) {
    let (sql, whole, title) = match backend {
        super::Backend::Sqlite => (NEWEST_MATCHES_SQLITE, expression.fts5(), String::new()),
        super::Backend::Postgres => (
            NEWEST_MATCHES_POSTGRES,
            expression.tsquery(),
            expression.tsquery_in_title(),
        ),
    };
    (sql.replace("{cap}", &cap.to_string()), whole, title)
}

/// How many articles match, counting at most `cap + 1` (so that "more than `cap`" shows).
pub async fn count(
    db: impl Into<Exec<'_>>,
    expression: &Expression,
    filter: &Filter,
    cap: i64,
) -> sqlx::Result<i64> {
    let (from, until) = filter.bounds();
    on_backend!(db, |conn, sql| {
        let (matches, whole, title) = newest_matches(sql.backend, expression, cap + 1);
        sqlx::query_scalar(&(matches + "SELECT count(*) FROM matches"))
            .bind(whole)
            .bind(title)
            .bind(filter.category_id)
            .bind(from)
            .bind(until)
            .fetch_one(&mut *conn)
            .await
    })
}

/// A page of the newest `cap` matches: those whose title holds a searched word first, then
/// newest first.
pub async fn search(
    db: impl Into<Exec<'_>>,
    expression: &Expression,
    filter: &Filter,
    cap: i64,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<Hit>> {
    let (from, until) = filter.bounds();
    on_backend!(db, |conn, sql| {
        let (matches, whole, title) = newest_matches(sql.backend, expression, cap);
        let query = format!(
            "{matches}SELECT a.id, a.title, a.summary, a.body, a.info_source, a.author,
                    {published} AS published, c.id AS category_id, c.slug AS category_slug,
                    c.name AS category_name
             FROM matches m
             JOIN articles a ON a.id = m.id JOIN categories c ON c.id = a.category_id
             ORDER BY m.in_title DESC, a.published_at DESC, a.id DESC LIMIT $6 OFFSET $7",
            published = sql.shanghai_minutes("a.published_at")
        );
        sqlx::query_as(&query)
            .bind(whole)
            .bind(title)
            .bind(filter.category_id)
            .bind(from)
            .bind(until)
            .bind(limit)
            .bind(offset)
            .fetch_all(&mut *conn)
            .await
    })
}

const DAY: i64 = 86_400;

/// Counts searches (query, time) for 热门搜索, in one transaction: one statement per query
/// and day, however often it was searched since the last write (a busy search page is
/// searched tens of thousands of times a second). Servers sharing a database each write
/// their own; the database adds them up.
pub async fn log_queries(db: impl Into<Exec<'_>>, queries: &[(String, i64)]) -> sqlx::Result<()> {
    let mut counted: HashMap<(i64, &str), (i64, i64)> = HashMap::new();
    for (query, at) in queries {
        let entry = counted
            .entry((at.div_euclid(DAY), query.as_str()))
            .or_insert((0, *at));
        entry.0 += 1;
        entry.1 = entry.1.max(*at);
    }
    // In key order, so that servers writing at once lock the rows in the same order.
    let mut counted: Vec<_> = counted.into_iter().collect();
    counted.sort_unstable();
    on_backend!(db, |conn, sql| {
        let mut tx = conn.begin().await?;
        let upsert = format!(
            "INSERT INTO search_counts (day, query, searches, last_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (day, query) DO UPDATE
             SET searches = search_counts.searches + excluded.searches,
                 last_at = {}(search_counts.last_at, excluded.last_at)",
            sql.greatest
        );
        for ((day, query), (searches, last_at)) in &counted {
            sqlx::query(&upsert)
                .bind(day)
                .bind(query)
                .bind(searches)
                .bind(last_at)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    })
}

/// Forgets the days before the one `before` falls in: they no longer count towards 热门搜索.
pub async fn prune_log(db: impl Into<Exec<'_>>, before: i64) -> sqlx::Result<u64> {
    on_backend!(db, |conn, _sql| {
        sqlx::query("DELETE FROM search_counts WHERE day < $1")
            .bind(before.div_euclid(DAY))
            .execute(&mut *conn)
            .await
            .map(|done| done.rows_affected())
    })
}

/// The most searched queries since the day `since` falls in, most frequent first.
pub async fn hot_queries(
    db: impl Into<Exec<'_>>,
    since: i64,
    limit: i64,
) -> sqlx::Result<Vec<String>> {
    on_backend!(db, |conn, _sql| {
        sqlx::query_scalar(
            "SELECT query FROM search_counts WHERE day >= $1
             GROUP BY query ORDER BY sum(searches) DESC, max(last_at) DESC, query LIMIT $2",
        )
        .bind(since.div_euclid(DAY))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Store;
    use crate::db::testing::{execute, named, number, on_each_backend};
    use crate::search::query::{Prepared, prepare};

    fn expression(query: &str) -> Expression {
        match prepare(query) {
            Prepared::Match { expression, .. } => expression,
            other => panic!("{other:?}"),
        }
    }

    /// `YYYY-MM-DD HH:MM` in Asia/Shanghai as Unix seconds.
    fn shanghai(time: &str) -> i64 {
        chrono::NaiveDateTime::parse_from_str(time, "%Y-%m-%d %H:%M")
            .unwrap()
            .and_utc()
            .timestamp()
            - 8 * 3600
    }

    async fn seed(store: &Store) {
        execute(
            store,
            "INSERT INTO categories (id, parent_id, slug, name) VALUES
                 (1, NULL, 'news', '行业动态'), (2, 1, 'policy', '政策法规'),
                 (3, NULL, 'notices', '通知公告')",
        )
        .await;
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
        for (n, (category, title, body, status, published)) in articles.into_iter().enumerate() {
            let id = n as i64 + 1;
            let added: sqlx::Result<()> = async {
                on_backend!(store, |conn, _sql| {
                    sqlx::query(
                        "INSERT INTO articles (id, category_id, title, body, status, published_at)
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(id)
                    .bind(category)
                    .bind(title)
                    .bind(format!("<p>{body}</p>"))
                    .bind(status)
                    .bind(shanghai(published))
                    .execute(&mut *conn)
                    .await?;
                    reindex_article(&mut *conn, id).await
                })
            }
            .await;
            added.unwrap();
        }
    }

    async fn titles(store: &Store, query: &str, filter: &Filter) -> Vec<String> {
        search(store, &expression(query), filter, 1000, 20, 0)
            .await
            .unwrap_or_else(|e| panic!("{query} on {}: {e}", named(store)))
            .into_iter()
            .map(|hit| hit.title)
            .collect()
    }

    #[tokio::test]
    async fn finds_two_and_four_character_words_title_first() {
        on_each_backend(async |store| {
            let pool = &store;
            seed(pool).await;
            let all = Filter::default();
            let on = named(pool);
            assert_eq!(
                titles(pool, "政策", &all).await,
                ["政策法规汇编", "行业新闻"],
                "{on}"
            );
            assert_eq!(
                titles(pool, "政策法规", &all).await,
                ["政策法规汇编"],
                "{on}"
            );
            assert_eq!(
                titles(pool, "会员", &all).await,
                ["会员大会通知", "行业新闻"],
                "{on}"
            );
            assert_eq!(titles(pool, "icp", &all).await, ["会员大会通知"], "{on}");
            assert_eq!(
                titles(pool, "会员 ICP", &all).await,
                ["会员大会通知"],
                "{on}"
            );
            assert!(titles(pool, "法政", &all).await.is_empty(), "{on}");
            assert_eq!(
                count(pool, &expression("政策"), &all, 1000).await.unwrap(),
                2
            );
            assert_eq!(
                count(pool, &expression("政策"), &all, 1).await.unwrap(),
                2,
                "one past the cap"
            );
            assert_eq!(
                search(pool, &expression("政策"), &all, 1, 20, 0)
                    .await
                    .unwrap()
                    .len(),
                1,
                "only the newest is ranked"
            );
        })
        .await;
    }

    #[tokio::test]
    async fn pages_through_the_matches() {
        on_each_backend(async |store| {
            seed(&store).await;
            let all = Filter::default();
            let second: Vec<String> = search(&store, &expression("政策"), &all, 1000, 1, 1)
                .await
                .unwrap()
                .into_iter()
                .map(|hit| hit.title)
                .collect();
            assert_eq!(second, ["行业新闻"], "{}", named(&store));
            assert!(
                search(&store, &expression("政策"), &all, 1000, 1, 2)
                    .await
                    .unwrap()
                    .is_empty()
            );
        })
        .await;
    }

    #[tokio::test]
    async fn filters_by_category_tree_and_dates() {
        on_each_backend(async |store| {
            let pool = &store;
            seed(pool).await;
            let news = Filter {
                category_id: Some(1),
                ..Filter::default()
            };
            assert_eq!(
                titles(pool, "政策", &news).await,
                ["政策法规汇编", "行业新闻"]
            );
            let policy = Filter {
                category_id: Some(2),
                ..Filter::default()
            };
            assert_eq!(titles(pool, "政策", &policy).await, ["政策法规汇编"]);
            let in_2022 = Filter {
                from: Some("2022-05-01".into()),
                until: Some("2022-05-01".into()),
                ..Filter::default()
            };
            assert_eq!(
                titles(pool, "政策", &in_2022).await,
                ["行业新闻"],
                "{}",
                named(pool)
            );
            let not_a_date = Filter {
                from: Some("2022-13-01".into()),
                ..Filter::default()
            };
            assert!(titles(pool, "政策", &not_a_date).await.is_empty());
        })
        .await;
    }

    #[tokio::test]
    async fn the_index_follows_the_article() {
        on_each_backend(async |store| {
            let pool = &store;
            seed(pool).await;
            let all = Filter::default();
            let indexed = async || number(pool, "SELECT count(*) FROM article_search").await;
            assert_eq!(indexed().await, 4, "published ones, scheduled included");
            // Archiving or deleting takes an article out of the index by itself.
            execute(
                pool,
                "UPDATE articles SET status = 'archived' WHERE title = '行业新闻'",
            )
            .await;
            assert_eq!(indexed().await, 3, "{}", named(pool));
            assert_eq!(titles(pool, "政策", &all).await, ["政策法规汇编"]);
            execute(pool, "DELETE FROM articles WHERE title = '定时政策'").await;
            assert_eq!(indexed().await, 2);
            // Edited text is indexed again by the code that saves it.
            execute(
                pool,
                "UPDATE articles SET title = '协会章程修订' WHERE title = '政策法规汇编'",
            )
            .await;
            reindex_article(pool, 1).await.unwrap();
            assert_eq!(titles(pool, "章程", &all).await, ["协会章程修订"]);
            assert_eq!(rebuild(pool).await.unwrap(), 2);
            assert_eq!(titles(pool, "章程", &all).await, ["协会章程修订"]);
        })
        .await;
    }

    #[tokio::test]
    async fn both_backends_rank_one_corpus_alike() {
        // Titles and bodies that share words in different places, and publish times that
        // tie, so that the order depends on every rule of the ranking.
        let corpus = [
            ("职业技能培训通知", "关于开展美容师职业技能培训的通知"),
            ("会员风采", "会员单位参加职业技能大赛"),
            ("职业技能大赛获奖名单", "协会公布大赛结果"),
            ("政策解读", "职业 技能 分开写的文章"),
            ("美容行业标准", "行业标准征求意见,涉及职业技能等级"),
            ("协会新闻 ICP", "ICP 备案与网站建设"),
            ("技能职业", "顺序颠倒的标题"),
        ];
        let queries = [
            "职业技能",
            "技能",
            "行业",
            "大赛",
            "icp",
            "职业 技能",
            "美容 标准",
        ];
        let orders = std::cell::RefCell::new(Vec::new());
        on_each_backend(async |store| {
            execute(
                &store,
                "INSERT INTO categories (id, slug, name) VALUES (1, 'news', '新闻')",
            )
            .await;
            for (n, (title, body)) in corpus.iter().enumerate() {
                let id = n as i64 + 1;
                let added: sqlx::Result<()> = async {
                    on_backend!(&store, |conn, _sql| {
                        sqlx::query(
                            "INSERT INTO articles (id, category_id, title, body, status,
                                                   published_at)
                             VALUES ($1, 1, $2, $3, 'published', $4)",
                        )
                        .bind(id)
                        .bind(title)
                        .bind(body)
                        .bind(1_600_000_000 + (id / 2) * 86_400)
                        .execute(&mut *conn)
                        .await?;
                        reindex_article(&mut *conn, id).await
                    })
                }
                .await;
                added.unwrap();
            }
            let mut found = Vec::new();
            for query in queries {
                let ids: Vec<i64> =
                    search(&store, &expression(query), &Filter::default(), 1000, 20, 0)
                        .await
                        .unwrap()
                        .into_iter()
                        .map(|hit| hit.id)
                        .collect();
                let counted = count(&store, &expression(query), &Filter::default(), 1000)
                    .await
                    .unwrap();
                assert_eq!(counted, ids.len() as i64, "{query} on {}", named(&store));
                found.push((query, ids));
            }
            orders.borrow_mut().push(found);
        })
        .await;
        let orders = orders.into_inner();
        assert!(orders[0].iter().any(|(_, ids)| ids.len() > 2), "{orders:?}");
        assert_eq!(
            orders[0][0].1,
            [3, 1, 5, 2],
            "职业技能: titles first, then newest"
        );
        if let [sqlite, postgres] = &orders[..] {
            assert_eq!(sqlite, postgres);
        }
    }

    #[tokio::test]
    async fn searches_are_counted_by_day_and_old_days_forgotten() {
        on_each_backend(async |store| {
            let pool = &store;
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
            log_queries(pool, &searches).await.unwrap();
            assert_eq!(
                number(pool, "SELECT count(*) FROM search_counts").await,
                4,
                "one row per query per day"
            );
            log_queries(pool, &[("旧词".to_string(), day(1) + 3)])
                .await
                .unwrap();
            assert_eq!(
                number(
                    pool,
                    "SELECT searches FROM search_counts WHERE query = '旧词'"
                )
                .await,
                4,
                "a later write adds to the day's count ({})",
                named(pool)
            );
            assert_eq!(
                number(
                    pool,
                    "SELECT last_at FROM search_counts WHERE query = '旧词'"
                )
                .await,
                day(1) + 3
            );
            assert_eq!(
                hot_queries(pool, day(5), 5).await.unwrap(),
                ["政策", "会员"]
            );
            assert_eq!(
                hot_queries(pool, 0, 5).await.unwrap(),
                ["旧词", "政策", "会员"]
            );
            assert_eq!(prune_log(pool, day(5)).await.unwrap(), 1);
            assert_eq!(hot_queries(pool, 0, 5).await.unwrap(), ["政策", "会员"]);
        })
        .await;
    }

    #[tokio::test]
    async fn an_index_of_an_older_version_is_rebuilt_once() {
        on_each_backend(async |store| {
            let pool = &store;
            seed(pool).await;
            execute(pool, "DELETE FROM article_search").await;
            let older = match store.backend() {
                crate::db::Backend::Sqlite => "PRAGMA user_version = 1",
                crate::db::Backend::Postgres => "UPDATE search_index_state SET version = 1",
            };
            execute(pool, older).await;
            assert!(bring_up_to_date(pool).await.unwrap(), "{}", named(pool));
            assert!(number(pool, "SELECT count(*) FROM article_search").await > 0);
            assert!(!bring_up_to_date(pool).await.unwrap(), "once only");
        })
        .await;
    }

    #[test]
    fn the_tsvector_keeps_title_and_body_apart() {
        assert_eq!(
            tsvector("政策 策法", "it's"),
            "'政策':1A '策法':2A 'it''s':4"
        );
        let long = vec!["词"; LAST_POSITION + 5].join(" ");
        assert!(tsvector("", &long).ends_with(&format!("'词':{LAST_POSITION}")));
    }
}
