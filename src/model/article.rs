//! Articles as visitors see them.

use serde::{Deserialize, Serialize};

use super::CategoryLink;

/// An article in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ArticleSummary {
    pub id: i64,
    pub title: String,
    pub summary: String,
    /// `YYYY-MM-DD HH:MM`, Asia/Shanghai.
    pub published: String,
}

impl ArticleSummary {
    pub fn href(&self) -> String {
        format!("/article/{}", self.id)
    }

    /// `YYYY-MM-DD`, for compact lists.
    pub fn published_date(&self) -> &str {
        self.published.get(..10).unwrap_or(&self.published)
    }
}

/// Every field of a published article that its page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ArticleDetail {
    pub id: i64,
    pub category_id: i64,
    pub title: String,
    pub subtitle: String,
    pub source: String,
    pub author: String,
    pub info_source: String,
    pub info_source_url: String,
    pub summary: String,
    /// Sanitised HTML.
    pub body: String,
    pub cover_image: String,
    /// `YYYY-MM-DD HH:MM`, Asia/Shanghai.
    pub published: String,
    /// RFC 3339, for `article:published_time`.
    pub published_iso: String,
    pub view_count: i64,
}

/// The previous or next article in the same category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Neighbour {
    pub id: i64,
    pub title: String,
}

impl Neighbour {
    pub fn href(&self) -> String {
        format!("/article/{}", self.id)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArticlePage {
    pub article: ArticleDetail,
    /// From the top-level category down to the article's own.
    pub path: Vec<CategoryLink>,
    /// 上一篇: published just before this one.
    pub previous: Option<Neighbour>,
    /// 下一篇: published just after this one.
    pub next: Option<Neighbour>,
    pub related: Vec<ArticleSummary>,
}

/// A block of the home page: a top-level category and its latest articles.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HomeSection {
    pub category: CategoryLink,
    pub articles: Vec<ArticleSummary>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HomePage {
    /// 头条: the newest headline articles, with summaries.
    pub headlines: Vec<ArticleSummary>,
    /// 推荐阅读.
    pub recommended: Vec<ArticleSummary>,
    pub sections: Vec<HomeSection>,
}
