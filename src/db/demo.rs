//! The demo content: the association the product was modelled on, its categories, links and
//! articles. Loaded only into an empty database.

use serde::Deserialize;
use sqlx::Connection;

use super::store::{Exec, on_backend};

use crate::model::SiteSettings;

const SITE: &str = include_str!("demo/site.toml");
const ARTICLES: &str = include_str!("demo/articles.toml");

/// Bodies referenced by `body_html`.
fn html_file(name: &str) -> Option<&'static str> {
    match name {
        "shuangcheng.html" => Some(include_str!("demo/shuangcheng.html")),
        _ => None,
    }
}

/// How many characters of the first paragraph make a summary.
const SUMMARY_CHARS: usize = 80;

#[derive(Deserialize)]
struct Site {
    settings: SiteSettings,
    categories: Vec<Category>,
    links: Vec<Link>,
}

#[derive(Deserialize)]
struct Category {
    slug: String,
    name: String,
    #[serde(default = "list_kind")]
    kind: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    page: String,
    #[serde(default)]
    children: Vec<Category>,
}

fn list_kind() -> String {
    "list".into()
}

#[derive(Deserialize)]
struct Link {
    name: String,
    url: String,
}

#[derive(Deserialize)]
struct Articles {
    articles: Vec<Article>,
}

#[derive(Deserialize)]
struct Article {
    category: String,
    title: String,
    /// `YYYY-MM-DD HH:MM`, Asia/Shanghai.
    published: String,
    #[serde(default = "unknown_source")]
    source: String,
    #[serde(default)]
    info_source: String,
    #[serde(default)]
    body: Vec<String>,
    body_html: Option<String>,
    #[serde(default)]
    headline: bool,
    #[serde(default)]
    recommended: bool,
}

fn unknown_source() -> String {
    "未知".into()
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("示例内容格式错误: {0}")]
    Format(#[from] toml::de::Error),
    #[error("示例内容有误: {0}")]
    Content(String),
    #[error("写入示例内容失败: {0}")]
    Database(#[from] sqlx::Error),
}

/// Loads the demo content when the database holds no categories and no articles yet.
/// Returns whether it did.
pub async fn load_if_empty(db: impl Into<Exec<'_>>) -> Result<bool, DemoError> {
    let site: Site = toml::from_str(SITE)?;
    let articles: Articles = toml::from_str(ARTICLES)?;
    on_backend!(db, |conn, _sql| {
        let mut tx = conn.begin().await?;
        let existing: i64 = sqlx::query_scalar(
            "SELECT (SELECT count(*) FROM categories) + (SELECT count(*) FROM articles)",
        )
        .fetch_one(&mut *tx)
        .await?;
        if existing > 0 {
            return Ok(false);
        }
        super::site::save_settings(&mut tx, &site.settings).await?;
        for (position, category) in site.categories.iter().enumerate() {
            insert_category(&mut tx, category, None, position as i64).await?;
        }
        for (position, link) in site.links.iter().enumerate() {
            sqlx::query("INSERT INTO friendly_links (name, url, position) VALUES ($1, $2, $3)")
                .bind(&link.name)
                .bind(&link.url)
                .bind(position as i64)
                .execute(&mut *tx)
                .await?;
        }
        for article in &articles.articles {
            insert_article(&mut tx, article).await?;
        }
        tx.commit().await?;
        Ok(true)
    })
}

async fn insert_category(
    db: impl Into<Exec<'_>>,
    category: &Category,
    parent: Option<i64>,
    position: i64,
) -> sqlx::Result<()> {
    on_backend!(db, |conn, _sql| {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO categories (parent_id, slug, name, kind, description, page_body,
                                     position)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(parent)
        .bind(&category.slug)
        .bind(&category.name)
        .bind(&category.kind)
        .bind(&category.description)
        .bind(category.page.trim())
        .bind(position)
        .fetch_one(&mut *conn)
        .await?;
        for (position, child) in category.children.iter().enumerate() {
            Box::pin(insert_category(
                &mut *conn,
                child,
                Some(id),
                position as i64,
            ))
            .await?;
        }
        Ok(())
    })
}

/// `YYYY-MM-DD HH:MM` in Asia/Shanghai as Unix seconds.
fn shanghai_seconds(time: &str) -> Option<i64> {
    chrono::NaiveDateTime::parse_from_str(time, "%Y-%m-%d %H:%M")
        .ok()
        .map(|local| local.and_utc().timestamp() - 8 * 3600)
}

async fn insert_article(db: impl Into<Exec<'_>>, article: &Article) -> Result<(), DemoError> {
    let body = match &article.body_html {
        Some(name) => html_file(name)
            .ok_or_else(|| DemoError::Content(format!("找不到正文文件 {name}")))?
            .to_string(),
        None => article
            .body
            .iter()
            .map(|paragraph| format!("<p>{paragraph}</p>"))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    let first_paragraph = article
        .body
        .first()
        .map(String::as_str)
        .unwrap_or_else(|| first_paragraph_text(&body));
    let invalid = || {
        DemoError::Content(format!(
            "文章《{}》的栏目 {} 或发布时间 {} 无效",
            article.title, article.category, article.published
        ))
    };
    let published = shanghai_seconds(&article.published).ok_or_else(invalid)?;
    on_backend!(db, |conn, _sql| {
        let inserted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO articles (category_id, title, source, info_source, summary, body,
                                   is_headline, is_recommended, status, published_at,
                                   created_at, updated_at)
             SELECT id, $2, $3, $4, $5, $6, $7, $8, 'published', $9, $9, $9
             FROM categories WHERE slug = $1
             RETURNING id",
        )
        .bind(&article.category)
        .bind(&article.title)
        .bind(&article.source)
        .bind(&article.info_source)
        .bind(summarize(first_paragraph, SUMMARY_CHARS))
        .bind(&body)
        .bind(article.headline)
        .bind(article.recommended)
        .bind(published)
        .fetch_optional(&mut *conn)
        .await?;
        let id = inserted.ok_or_else(invalid)?;
        super::search::reindex_article(&mut *conn, id).await?;
        Ok(())
    })
}

/// The text of the first `<p>` of a body that has one.
fn first_paragraph_text(body: &str) -> &str {
    body.split_once("<p>")
        .and_then(|(_, rest)| rest.split_once("</p>"))
        .map(|(text, _)| text)
        .unwrap_or("")
}

/// The first `max_chars` characters of `text`, with an ellipsis when it was longer.
pub fn summarize(text: &str, max_chars: usize) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(max_chars).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::{execute, named, number, on_each_backend};

    #[test]
    fn summaries_count_characters_not_bytes() {
        assert_eq!(summarize("双城联动", 2), "双城…");
        assert_eq!(summarize("双城联动", 4), "双城联动");
        assert_eq!(summarize("", 4), "");
    }

    #[test]
    fn finds_the_first_paragraph() {
        assert_eq!(
            first_paragraph_text("<h2>x</h2><p>第一段</p><p>第二段</p>"),
            "第一段"
        );
        assert_eq!(first_paragraph_text("<h2>x</h2>"), "");
    }

    #[tokio::test]
    async fn loads_the_association_once() {
        on_each_backend(async |store| {
            let pool = store;
            assert!(load_if_empty(&pool).await.unwrap());
            assert!(!load_if_empty(&pool).await.unwrap());
            let settings = crate::db::site::settings(&pool).await.unwrap();
            assert_eq!(settings.name, "深圳市美容行业协会");
            assert_eq!(settings.icp_number, "粤ICP备17113859号");
            let articles = number(&pool, "SELECT count(*) FROM articles").await;
            assert!(articles >= 46, "{articles} articles on {}", named(&pool));
            let indexed = number(&pool, "SELECT count(*) FROM article_search").await;
            assert_eq!(indexed, articles, "every demo article is searchable");
        })
        .await;
    }

    #[tokio::test]
    async fn keeps_the_model_article_exactly() {
        on_each_backend(async |store| {
            let pool = store;
            load_if_empty(&pool).await.unwrap();
            let id = number(
                &pool,
                "SELECT id FROM articles WHERE title = '广州深圳“双城联动”论坛在深举行'",
            )
            .await;
            let article = crate::db::articles::find_any(&pool, id)
                .await
                .unwrap()
                .unwrap();
            let (source, info_source, published, body) = (
                article.source,
                article.info_source,
                article.published,
                article.body,
            );
            assert_eq!(source, "未知");
            assert_eq!(info_source, "深圳特区报");
            assert_eq!(published, "2020-10-23 14:37");
            assert_eq!(body.matches("<h2>").count(), 1);
            assert_eq!(body.matches("<h3>").count(), 4);
            assert!(body.contains("<h3>四个“相互”提升联动整体效应</h3>"));
            assert!(body.contains("如何释放广深“1+1&gt;2”的整体效应?"));
        })
        .await;
    }

    #[tokio::test]
    async fn fills_lists_that_need_more_than_one_page() {
        on_each_backend(async |store| {
            let pool = store;
            load_if_empty(&pool).await.unwrap();
            for slug in ["news", "industry"] {
                let category = crate::db::categories::find_by_slug(&pool, slug)
                    .await
                    .unwrap()
                    .unwrap();
                let count = crate::db::articles::count_in_tree(&pool, category.id)
                    .await
                    .unwrap();
                assert!(count > crate::model::PAGE_SIZE, "{slug} has {count}");
            }
        })
        .await;
    }

    #[tokio::test]
    async fn leaves_a_database_with_content_alone() {
        on_each_backend(async |store| {
            let pool = store;
            execute(
                &pool,
                "INSERT INTO categories (slug, name) VALUES ('own', '自有栏目')",
            )
            .await;
            assert!(!load_if_empty(&pool).await.unwrap());
        })
        .await;
    }
}
