//! Published articles as visitors see them. An article is visible when it is published and
//! its publish time has come, so scheduled articles appear by themselves.

use sqlx::SqliteExecutor;

use super::{shanghai_iso, shanghai_minutes};
use crate::model::{ArticleDetail, ArticleSummary, Neighbour};

/// The category and all its descendants, as a CTE named `tree`; bind the category id first.
const TREE: &str = "WITH RECURSIVE tree(id) AS (
        SELECT ?1 UNION ALL SELECT c.id FROM categories c JOIN tree ON c.parent_id = tree.id
    ) ";

const SUMMARY_COLUMNS: &str = concat!(
    "a.id, a.title, a.summary, ",
    shanghai_minutes!("a.published_at"),
    " AS published"
);

/// Visible articles in the category's tree: the published ones from the counts triggers
/// keep, less those scheduled for later (a short index range).
pub async fn count_in_tree(db: impl SqliteExecutor<'_>, category_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(&format!(
        "{TREE} SELECT
            (SELECT coalesce(sum(published), 0) FROM category_counts WHERE category_id IN tree)
          - (SELECT count(*) FROM articles a WHERE a.category_id IN tree
               AND a.status = 'published' AND a.published_at > unixepoch())"
    ))
    .bind(category_id)
    .fetch_one(db)
    .await
}

/// A page of the category's and its descendants' articles, newest first. Pages past the
/// middle of the `total` are read from the oldest end, so the last page costs what the
/// first does.
pub async fn list_in_tree(
    db: impl SqliteExecutor<'_>,
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
    let mut page: Vec<ArticleSummary> = sqlx::query_as(&format!(
        "{TREE} SELECT {SUMMARY_COLUMNS} FROM articles a
         WHERE a.category_id IN tree AND a.status = 'published' AND a.published_at <= unixepoch()
         ORDER BY a.published_at {order}, a.id {order} LIMIT ?2 OFFSET ?3"
    ))
    .bind(category_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await?;
    if from_oldest {
        page.reverse();
    }
    Ok(page)
}

/// The newest `limit` articles of the category's tree.
pub async fn latest_in_tree(
    db: impl SqliteExecutor<'_>,
    category_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<ArticleSummary>> {
    list_in_tree(db, category_id, i64::MAX, limit, 0).await
}

/// The newest visible articles flagged 头条 (`is_headline`) or 推荐 (`is_recommended`).
pub async fn list_flagged(
    db: impl SqliteExecutor<'_>,
    flag: Flag,
    limit: i64,
) -> sqlx::Result<Vec<ArticleSummary>> {
    let column = match flag {
        Flag::Headline => "is_headline",
        Flag::Recommended => "is_recommended",
    };
    sqlx::query_as(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM articles a
         WHERE a.status = 'published' AND a.{column} = 1 AND a.published_at <= unixepoch()
         ORDER BY a.published_at DESC, a.id DESC LIMIT ?"
    ))
    .bind(limit)
    .fetch_all(db)
    .await
}

#[derive(Clone, Copy, Debug)]
pub enum Flag {
    Headline,
    Recommended,
}

/// Every column of an article's page; `published` is empty for an article never published.
const DETAIL_SELECT: &str = concat!(
    "SELECT id, category_id, title, subtitle, source, author, info_source, info_source_url,
            summary, body, cover_image, coalesce(",
    shanghai_minutes!("published_at"),
    ", '') AS published, coalesce(",
    shanghai_iso!("published_at"),
    ", '') AS published_iso, view_count FROM articles WHERE id = ?"
);

pub async fn find_visible(
    db: impl SqliteExecutor<'_>,
    id: i64,
) -> sqlx::Result<Option<ArticleDetail>> {
    sqlx::query_as(&format!(
        "{DETAIL_SELECT} AND status = 'published' AND published_at <= unixepoch()"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// An article whatever its status, for editors' previews.
pub async fn find_any(db: impl SqliteExecutor<'_>, id: i64) -> sqlx::Result<Option<ArticleDetail>> {
    sqlx::query_as(DETAIL_SELECT)
        .bind(id)
        .fetch_optional(db)
        .await
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
    db: impl SqliteExecutor<'_>,
    article: &ArticleDetail,
    related: i64,
) -> sqlx::Result<Around> {
    // The parts, each ordered and limited inside its own subquery; `part` and `at` put the
    // rows back in that order. The article is joined in (`this`) rather than read by a scalar
    // subquery, which kept SQLite from walking the index and cost milliseconds at 100,000
    // articles.
    let part = |number: i32, condition: &str, order: &str, limit: &str| {
        format!(
            "SELECT {number} AS part, * FROM (
                 SELECT {SUMMARY_COLUMNS}, a.published_at AS at
                 FROM articles this JOIN articles a ON a.category_id = this.category_id
                 WHERE this.id = ?1 AND a.status = 'published'
                   AND a.published_at <= unixepoch() AND {condition}
                 ORDER BY a.published_at {order}, a.id {order} LIMIT {limit})"
        )
    };
    let sql = format!(
        "{} UNION ALL {} UNION ALL {} ORDER BY part, at DESC, id DESC",
        part(
            1,
            "(a.published_at, a.id) < (this.published_at, this.id)",
            "DESC",
            "1"
        ),
        part(
            2,
            "(a.published_at, a.id) > (this.published_at, this.id)",
            "ASC",
            "1"
        ),
        part(3, "a.id <> this.id", "DESC", "?2"),
    );
    let rows: Vec<(i32, i64, String, String, String, i64)> = sqlx::query_as(&sql)
        .bind(article.id)
        .bind(related)
        .fetch_all(db)
        .await?;
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
    use sqlx::SqlitePool;

    async fn category(pool: &SqlitePool, parent: Option<i64>, slug: &str) -> i64 {
        sqlx::query_scalar(
            "INSERT INTO categories (parent_id, slug, name) VALUES (?, ?, ?) RETURNING id",
        )
        .bind(parent)
        .bind(slug)
        .bind(slug)
        .fetch_one(pool)
        .await
        .unwrap()
    }

    /// Inserts an article published `age` seconds ago (negative: scheduled for the future).
    async fn article(pool: &SqlitePool, category: i64, title: &str, status: &str, age: i64) -> i64 {
        sqlx::query_scalar(
            "INSERT INTO articles (category_id, title, status, published_at)
             VALUES (?, ?, ?, unixepoch() - ?) RETURNING id",
        )
        .bind(category)
        .bind(title)
        .bind(status)
        .bind(age)
        .fetch_one(pool)
        .await
        .unwrap()
    }

    fn titles(articles: &[ArticleSummary]) -> Vec<&str> {
        articles.iter().map(|a| a.title.as_str()).collect()
    }

    #[sqlx::test]
    async fn lists_a_category_with_its_descendants_newest_first(pool: SqlitePool) {
        let news = category(&pool, None, "news").await;
        let policy = category(&pool, Some(news), "policy").await;
        let other = category(&pool, None, "other").await;
        article(&pool, news, "old", "published", 300).await;
        article(&pool, policy, "new", "published", 100).await;
        article(&pool, other, "elsewhere", "published", 50).await;
        article(&pool, policy, "draft", "draft", 10).await;
        article(&pool, policy, "scheduled", "published", -3600).await;

        assert_eq!(count_in_tree(&pool, news).await.unwrap(), 2);
        assert_eq!(
            titles(&list_in_tree(&pool, news, 2, 20, 0).await.unwrap()),
            ["new", "old"]
        );
        assert_eq!(
            titles(&list_in_tree(&pool, news, 2, 1, 1).await.unwrap()),
            ["old"]
        );
        assert_eq!(
            titles(&latest_in_tree(&pool, policy, 20).await.unwrap()),
            ["new"]
        );
    }

    #[sqlx::test]
    async fn hides_drafts_and_scheduled_articles(pool: SqlitePool) {
        let news = category(&pool, None, "news").await;
        let draft = article(&pool, news, "draft", "draft", 10).await;
        let scheduled = article(&pool, news, "scheduled", "published", -3600).await;
        let archived = article(&pool, news, "archived", "archived", 10).await;
        let visible = article(&pool, news, "visible", "published", 10).await;
        for hidden in [draft, scheduled, archived] {
            assert!(find_visible(&pool, hidden).await.unwrap().is_none());
        }
        assert_eq!(
            find_visible(&pool, visible).await.unwrap().unwrap().title,
            "visible"
        );
    }

    #[sqlx::test]
    async fn formats_publish_times_in_shanghai_time(pool: SqlitePool) {
        let news = category(&pool, None, "news").await;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO articles (category_id, title, status, published_at)
             VALUES (?, 't', 'published', unixepoch('2020-10-23 06:37')) RETURNING id",
        )
        .bind(news)
        .fetch_one(&pool)
        .await
        .unwrap();
        let found = find_visible(&pool, id).await.unwrap().unwrap();
        assert_eq!(found.published, "2020-10-23 14:37");
        assert_eq!(found.published_iso, "2020-10-23T14:37:00+08:00");
    }

    #[sqlx::test]
    async fn neighbours_and_related_stay_in_the_category(pool: SqlitePool) {
        let news = category(&pool, None, "news").await;
        let other = category(&pool, None, "other").await;
        let first = article(&pool, news, "first", "published", 300).await;
        article(&pool, other, "between", "published", 250).await;
        let second = article(&pool, news, "second", "published", 200).await;
        let third = article(&pool, news, "third", "published", 100).await;
        article(&pool, news, "draft", "draft", 50).await;
        article(&pool, news, "scheduled", "published", -3600).await;
        let around_of = |id| {
            let pool = pool.clone();
            async move {
                let article = find_visible(&pool, id).await.unwrap().unwrap();
                around(&pool, &article, 5).await.unwrap()
            }
        };
        let middle = around_of(second).await;
        assert_eq!(middle.previous.map(|n| n.id), Some(first));
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
        let article = find_visible(&pool, third).await.unwrap().unwrap();
        assert_eq!(around(&pool, &article, 1).await.unwrap().related.len(), 1);
    }

    #[sqlx::test]
    async fn flags_pick_headlines_and_recommendations(pool: SqlitePool) {
        let news = category(&pool, None, "news").await;
        let headline = article(&pool, news, "headline", "published", 10).await;
        article(&pool, news, "plain", "published", 5).await;
        sqlx::query("UPDATE articles SET is_headline = 1 WHERE id = ?")
            .bind(headline)
            .execute(&pool)
            .await
            .unwrap();
        assert_eq!(
            titles(&list_flagged(&pool, Flag::Headline, 5).await.unwrap()),
            ["headline"]
        );
        assert!(
            list_flagged(&pool, Flag::Recommended, 5)
                .await
                .unwrap()
                .is_empty()
        );
    }

    #[sqlx::test]
    async fn pages_read_from_either_end_agree(pool: SqlitePool) {
        let news = category(&pool, None, "news").await;
        for n in 0..23 {
            // Some share a publish time, so ids break the tie.
            article(
                &pool,
                news,
                &format!("a{n:02}"),
                "published",
                1000 - (n / 2) * 10,
            )
            .await;
        }
        let total = count_in_tree(&pool, news).await.unwrap();
        assert_eq!(total, 23);
        let all = titles(&list_in_tree(&pool, news, total, 100, 0).await.unwrap())
            .into_iter()
            .map(str::to_string)
            .collect::<Vec<_>>();
        for size in [1, 5, 10, 20] {
            let mut paged = Vec::new();
            for offset in (0..total).step_by(size as usize) {
                let page = list_in_tree(&pool, news, total, size, offset)
                    .await
                    .unwrap();
                paged.extend(titles(&page).into_iter().map(str::to_string));
            }
            assert_eq!(paged, all, "pages of {size}");
        }
    }

    #[sqlx::test]
    async fn counts_follow_publishing_moving_and_deleting(pool: SqlitePool) {
        let news = category(&pool, None, "news").await;
        let policy = category(&pool, Some(news), "policy").await;
        let other = category(&pool, None, "other").await;
        let a = article(&pool, policy, "a", "published", 100).await;
        let b = article(&pool, news, "b", "draft", 100).await;
        article(&pool, news, "later", "published", -3600).await;
        assert_eq!(
            count_in_tree(&pool, news).await.unwrap(),
            1,
            "drafts and scheduled are not counted"
        );
        sqlx::query("UPDATE articles SET status = 'published', published_at = 1 WHERE id = ?")
            .bind(b)
            .execute(&pool)
            .await
            .unwrap();
        assert_eq!(count_in_tree(&pool, news).await.unwrap(), 2);
        sqlx::query("UPDATE articles SET category_id = ? WHERE id = ?")
            .bind(other)
            .bind(a)
            .execute(&pool)
            .await
            .unwrap();
        assert_eq!(count_in_tree(&pool, news).await.unwrap(), 1);
        assert_eq!(count_in_tree(&pool, other).await.unwrap(), 1);
        sqlx::query("DELETE FROM articles WHERE id = ?")
            .bind(a)
            .execute(&pool)
            .await
            .unwrap();
        assert_eq!(count_in_tree(&pool, other).await.unwrap(), 0);
        let recount: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM articles WHERE status = 'published' AND published_at <= unixepoch()",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        let kept: i64 = sqlx::query_scalar("SELECT sum(published) FROM category_counts")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(
            kept,
            recount + 1,
            "the scheduled one is kept, and subtracted when read"
        );
    }
}
