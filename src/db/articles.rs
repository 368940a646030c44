//! Published articles as visitors see them. An article is visible when it is published and
//! its publish time has come, so scheduled articles appear by themselves.

use super::store::{Dialect, Exec, on_backend};
use crate::model::{ArticleDetail, ArticleSummary, Neighbour};

/// The category and all its descendants, as a CTE named `tree`; bind the category id first.
const TREE: &str = "WITH RECURSIVE tree(id) AS (
        SELECT CAST($1 AS bigint)
        UNION ALL SELECT c.id FROM categories c JOIN tree ON c.parent_id = tree.id
    ) ";

fn summary_columns(sql: &Dialect) -> String {
    format!(
        "a.id, a.title, a.summary, {} AS published",
        sql.shanghai_minutes("a.published_at")
    )
}

/// Visible articles in the category's tree: the published ones from the counts triggers
/// keep, less those scheduled for later (a short index range).
pub async fn count_in_tree(db: impl Into<Exec<'_>>, category_id: i64) -> sqlx::Result<i64> {
    on_backend!(db, |conn, sql| {
        sqlx::query_scalar(&format!(
            "{TREE} SELECT
                (SELECT CAST(coalesce(sum(published), 0) AS bigint) FROM category_counts
                 WHERE category_id IN (SELECT id FROM tree))
              - (SELECT count(*) FROM articles a WHERE a.category_id IN (SELECT id FROM tree)
                   AND a.status = 'published' AND a.published_at > {now})",
            now = sql.now
        ))
        .bind(category_id)
        .fetch_one(&mut *conn)
        .await
    })
}

/// A page of the category's and its descendants' articles, newest first. Pages past the
/// middle of the `total` are read from the oldest end, so the last page costs what the
/// first does.
pub async fn list_in_tree(
    db: impl Into<Exec<'_>>,
    category_id: i64,
    total: i64,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<ArticleSummary>> {
    let from_oldest = offset + limit / 2 > total / 2;
    let (order, limit, offset) = if from_oldest {
        let rows = limit.min(total - offset).max(0);
        ("ASC", rows, (total - offset - rows).max(0))
    } else {
        ("DESC", limit, offset)
    };
    let mut page: Vec<ArticleSummary> = on_backend!(db, |conn, sql| {
        sqlx::query_as(&format!(
            "{TREE} SELECT {columns} FROM articles a
             WHERE a.category_id IN (SELECT id FROM tree) AND a.status = 'published'
               AND a.published_at <= {now}
             ORDER BY a.published_at {order}, a.id {order} LIMIT $2 OFFSET $3",
            columns = summary_columns(sql),
            now = sql.now
        ))
        .bind(category_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *conn)
        .await?
    });
    if from_oldest {
        page.reverse();
    }
    Ok(page)
}

/// The newest `limit` articles of the category's tree.
pub async fn latest_in_tree(
    db: impl Into<Exec<'_>>,
    category_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<ArticleSummary>> {
    list_in_tree(db, category_id, i64::MAX, limit, 0).await
}

/// The newest visible articles flagged 头条 (`is_headline`) or 推荐 (`is_recommended`).
pub async fn list_flagged(
    db: impl Into<Exec<'_>>,
    flag: Flag,
    limit: i64,
) -> sqlx::Result<Vec<ArticleSummary>> {
    let column = match flag {
        Flag::Headline => "is_headline",
        Flag::Recommended => "is_recommended",
    };
    on_backend!(db, |conn, sql| {
        sqlx::query_as(&format!(
            "SELECT {columns} FROM articles a
             WHERE a.status = 'published' AND a.{column} = {truth} AND a.published_at <= {now}
             ORDER BY a.published_at DESC, a.id DESC LIMIT $1",
            columns = summary_columns(sql),
            truth = sql.truth,
            now = sql.now
        ))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
    })
}

#[derive(Clone, Copy, Debug)]
pub enum Flag {
    Headline,
    Recommended,
}

/// Every column of an article's page; `published` is empty for an article never published.
fn detail_select(sql: &Dialect) -> String {
    format!(
        "SELECT id, category_id, title, subtitle, source, author, info_source, info_source_url,
                summary, body, cover_image, coalesce({}, '') AS published,
                coalesce({}, '') AS published_iso, view_count FROM articles WHERE id = $1",
        sql.shanghai_minutes("published_at"),
        sql.shanghai_iso("published_at")
    )
}

pub async fn find_visible(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<Option<ArticleDetail>> {
    on_backend!(db, |conn, sql| {
        sqlx::query_as(&format!(
            "{} AND status = 'published' AND published_at <= {}",
            detail_select(sql),
            sql.now
        ))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
    })
}

/// An article whatever its status, for editors' previews.
pub async fn find_any(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<Option<ArticleDetail>> {
    on_backend!(db, |conn, sql| {
        sqlx::query_as(&detail_select(sql))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
    })
}

/// What an article page lists around the article, all from its category: 上一篇 (the next
/// older visible article), 下一篇 (the next newer one) and the newest `related` others.
#[derive(Debug, Default, PartialEq)]
pub struct Around {
    pub previous: Option<Neighbour>,
    pub next: Option<Neighbour>,
    pub related: Vec<ArticleSummary>,
}

/// `Around` in one query: each query is a round trip to the database's thread.
pub async fn around(
    db: impl Into<Exec<'_>>,
    article: &ArticleDetail,
    related: i64,
) -> sqlx::Result<Around> {
    // The parts, each ordered and limited inside its own subquery; `part` and `at` put the
    // rows back in that order. The article is joined in (`this`) rather than read by a scalar
    // subquery, which kept SQLite from walking the index and cost milliseconds at 100,000
    // articles. PostgreSQL plans such a join before it knows the category, and walked every
    // published article (0.2 s at 100,000); a LATERAL subquery is planned for the one row of
    // `this` and walks the category's index (0.5 ms). SQLite has no LATERAL.
    let part = |sql: &Dialect, number: i32, condition: &str, order: &str, limit: &str| {
        let columns = summary_columns(sql);
        let now = sql.now;
        match sql.backend {
            super::Backend::Sqlite => format!(
                "SELECT {number} AS part, * FROM (
                     SELECT {columns}, a.published_at AS at
                     FROM articles this JOIN articles a ON a.category_id = this.category_id
                     WHERE this.id = $1 AND a.status = 'published'
                       AND a.published_at <= {now} AND {condition}
                     ORDER BY a.published_at {order}, a.id {order} LIMIT {limit}) AS p{number}"
            ),
            super::Backend::Postgres => format!(
                "SELECT {number} AS part, p{number}.* FROM articles this CROSS JOIN LATERAL (
                     SELECT {columns}, a.published_at AS at FROM articles a
                     WHERE a.category_id = this.category_id AND a.status = 'published'
                       AND a.published_at <= {now} AND {condition}
                     ORDER BY a.published_at {order}, a.id {order} LIMIT {limit}) AS p{number}
                 WHERE this.id = $1"
            ),
        }
    };
    let query = |sql: &Dialect| {
        format!(
            "{} UNION ALL {} UNION ALL {} ORDER BY part, at DESC, id DESC",
            part(
                sql,
                1,
                "(a.published_at, a.id) < (this.published_at, this.id)",
                "DESC",
                "1"
            ),
            part(
                sql,
                2,
                "(a.published_at, a.id) > (this.published_at, this.id)",
                "ASC",
                "1"
            ),
            part(sql, 3, "a.id <> this.id", "DESC", "$2"),
        )
    };
    let rows: Vec<(i32, i64, String, String, String, i64)> = on_backend!(db, |conn, sql| {
        sqlx::query_as(&query(sql))
            .bind(article.id)
            .bind(related)
            .fetch_all(&mut *conn)
            .await?
    });
    let mut around = Around::default();
    for (part, id, title, summary, published, _) in rows {
        match part {
            1 => around.previous = Some(Neighbour { id, title }),
            2 => around.next = Some(Neighbour { id, title }),
            _ => around.related.push(ArticleSummary {
                id,
                title,
                summary,
                published,
            }),
        }
    }
    Ok(around)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Store;
    use crate::db::testing::{named, on_each_backend};

    async fn execute(store: &Store, statement: &str, ids: &[i64]) {
        crate::db::testing::execute_with(store, statement, ids)
            .await
            .unwrap();
    }

    async fn category(store: &Store, parent: Option<i64>, slug: &str) -> i64 {
        let id: sqlx::Result<i64> = async {
            on_backend!(store, |conn, _sql| {
                sqlx::query_scalar(
                    "INSERT INTO categories (parent_id, slug, name) VALUES ($1, $2, $2) RETURNING id",
                )
                .bind(parent)
                .bind(slug)
                .fetch_one(&mut *conn)
                .await
            })
        }
        .await;
        id.unwrap()
    }

    /// Inserts an article published `age` seconds ago (negative: scheduled for the future).
    async fn article(store: &Store, category: i64, title: &str, status: &str, age: i64) -> i64 {
        let id: sqlx::Result<i64> = async {
            on_backend!(store, |conn, sql| {
                sqlx::query_scalar(&format!(
                    "INSERT INTO articles (category_id, title, status, published_at)
                     VALUES ($1, $2, $3, {} - $4) RETURNING id",
                    sql.now
                ))
                .bind(category)
                .bind(title)
                .bind(status)
                .bind(age)
                .fetch_one(&mut *conn)
                .await
            })
        }
        .await;
        id.unwrap()
    }

    fn titles(articles: &[ArticleSummary]) -> Vec<&str> {
        articles.iter().map(|a| a.title.as_str()).collect()
    }

    #[tokio::test]
    async fn lists_a_category_with_its_descendants_newest_first() {
        on_each_backend(async |store| {
            let db = &store;
            let news = category(db, None, "news").await;
            let policy = category(db, Some(news), "policy").await;
            let other = category(db, None, "other").await;
            article(db, news, "old", "published", 300).await;
            article(db, policy, "new", "published", 100).await;
            article(db, other, "elsewhere", "published", 50).await;
            article(db, policy, "draft", "draft", 10).await;
            article(db, policy, "scheduled", "published", -3600).await;

            assert_eq!(count_in_tree(db, news).await.unwrap(), 2, "{}", named(db));
            assert_eq!(
                titles(&list_in_tree(db, news, 2, 20, 0).await.unwrap()),
                ["new", "old"]
            );
            assert_eq!(
                titles(&list_in_tree(db, news, 2, 1, 1).await.unwrap()),
                ["old"]
            );
            assert_eq!(
                titles(&latest_in_tree(db, policy, 20).await.unwrap()),
                ["new"]
            );
        })
        .await;
    }

    #[tokio::test]
    async fn hides_drafts_and_scheduled_articles() {
        on_each_backend(async |store| {
            let db = &store;
            let news = category(db, None, "news").await;
            let draft = article(db, news, "draft", "draft", 10).await;
            let scheduled = article(db, news, "scheduled", "published", -3600).await;
            let archived = article(db, news, "archived", "archived", 10).await;
            let visible = article(db, news, "visible", "published", 10).await;
            for hidden in [draft, scheduled, archived] {
                assert!(
                    find_visible(db, hidden).await.unwrap().is_none(),
                    "{}",
                    named(db)
                );
            }
            assert_eq!(
                find_visible(db, visible).await.unwrap().unwrap().title,
                "visible"
            );
            assert_eq!(find_any(db, draft).await.unwrap().unwrap().title, "draft");
        })
        .await;
    }

    #[tokio::test]
    async fn formats_publish_times_in_shanghai_time() {
        on_each_backend(async |store| {
            let db = &store;
            let news = category(db, None, "news").await;
            let id = article(db, news, "t", "published", 0).await;
            // 2020-10-23 06:37 UTC.
            execute(
                db,
                "UPDATE articles SET published_at = 1603435020 WHERE id = $1",
                &[id],
            )
            .await;
            let found = find_visible(db, id).await.unwrap().unwrap();
            assert_eq!(found.published, "2020-10-23 14:37", "{}", named(db));
            assert_eq!(found.published_iso, "2020-10-23T14:37:00+08:00");
        })
        .await;
    }

    #[tokio::test]
    async fn neighbours_and_related_stay_in_the_category() {
        on_each_backend(async |store| {
            let db = &store;
            let news = category(db, None, "news").await;
            let other = category(db, None, "other").await;
            let first = article(db, news, "first", "published", 300).await;
            article(db, other, "between", "published", 250).await;
            let second = article(db, news, "second", "published", 200).await;
            let third = article(db, news, "third", "published", 100).await;
            article(db, news, "draft", "draft", 50).await;
            article(db, news, "scheduled", "published", -3600).await;
            let around_of = async |id| {
                let article = find_visible(db, id).await.unwrap().unwrap();
                around(db, &article, 5).await.unwrap()
            };
            let middle = around_of(second).await;
            assert_eq!(middle.previous.map(|n| n.id), Some(first), "{}", named(db));
            assert_eq!(middle.next.map(|n| n.id), Some(third));
            assert_eq!(
                middle.related.iter().map(|a| a.id).collect::<Vec<_>>(),
                [third, first],
                "newest first, without the article itself or hidden ones"
            );
            let oldest = around_of(first).await;
            assert!(oldest.previous.is_none());
            assert_eq!(oldest.next.map(|n| n.id), Some(second));
            let newest = around_of(third).await;
            assert!(newest.next.is_none());
            let article = find_visible(db, third).await.unwrap().unwrap();
            assert_eq!(around(db, &article, 1).await.unwrap().related.len(), 1);
        })
        .await;
    }

    #[tokio::test]
    async fn flags_pick_headlines_and_recommendations() {
        on_each_backend(async |store| {
            let db = &store;
            let news = category(db, None, "news").await;
            let headline = article(db, news, "headline", "published", 10).await;
            article(db, news, "plain", "published", 5).await;
            execute(
                db,
                "UPDATE articles SET is_headline = TRUE WHERE id = $1",
                &[headline],
            )
            .await;
            assert_eq!(
                titles(&list_flagged(db, Flag::Headline, 5).await.unwrap()),
                ["headline"],
                "{}",
                named(db)
            );
            assert!(
                list_flagged(db, Flag::Recommended, 5)
                    .await
                    .unwrap()
                    .is_empty()
            );
        })
        .await;
    }

    #[tokio::test]
    async fn pages_read_from_either_end_agree() {
        on_each_backend(async |store| {
            let db = &store;
            let news = category(db, None, "news").await;
            for n in 0..23 {
                // Some share a publish time, so ids break the tie.
                article(
                    db,
                    news,
                    &format!("a{n:02}"),
                    "published",
                    1000 - (n / 2) * 10,
                )
                .await;
            }
            let total = count_in_tree(db, news).await.unwrap();
            assert_eq!(total, 23, "{}", named(db));
            let all = titles(&list_in_tree(db, news, total, 100, 0).await.unwrap())
                .into_iter()
                .map(str::to_string)
                .collect::<Vec<_>>();
            for size in [1, 5, 10, 20] {
                let mut paged = Vec::new();
                for offset in (0..total).step_by(size as usize) {
                    let page = list_in_tree(db, news, total, size, offset).await.unwrap();
                    paged.extend(titles(&page).into_iter().map(str::to_string));
                }
                assert_eq!(paged, all, "pages of {size}");
            }
        })
        .await;
    }

    #[tokio::test]
    async fn counts_follow_publishing_moving_and_deleting() {
        on_each_backend(async |store| {
            let db = &store;
            let news = category(db, None, "news").await;
            let policy = category(db, Some(news), "policy").await;
            let other = category(db, None, "other").await;
            let a = article(db, policy, "a", "published", 100).await;
            let b = article(db, news, "b", "draft", 100).await;
            article(db, news, "later", "published", -3600).await;
            assert_eq!(
                count_in_tree(db, news).await.unwrap(),
                1,
                "drafts and scheduled are not counted ({})",
                named(db)
            );
            execute(
                db,
                "UPDATE articles SET status = 'published', published_at = 1 WHERE id = $1",
                &[b],
            )
            .await;
            assert_eq!(count_in_tree(db, news).await.unwrap(), 2);
            execute(
                db,
                "UPDATE articles SET category_id = $1 WHERE id = $2",
                &[other, a],
            )
            .await;
            assert_eq!(count_in_tree(db, news).await.unwrap(), 1);
            assert_eq!(count_in_tree(db, other).await.unwrap(), 1);
            execute(db, "DELETE FROM articles WHERE id = $1", &[a]).await;
            assert_eq!(count_in_tree(db, other).await.unwrap(), 0);
            let counted: sqlx::Result<(i64, i64)> = async {
                on_backend!(db, |conn, sql| {
                    sqlx::query_as(&format!(
                        "SELECT (SELECT count(*) FROM articles
                                 WHERE status = 'published' AND published_at <= {}),
                                (SELECT CAST(sum(published) AS bigint) FROM category_counts)",
                        sql.now
                    ))
                    .fetch_one(&mut *conn)
                    .await
                })
            }
            .await;
            let (recount, kept) = counted.unwrap();
            assert_eq!(
                kept,
                recount + 1,
                "the scheduled one is kept, and subtracted when read"
            );
        })
        .await;
    }
}
