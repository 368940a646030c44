//! Categories: the tree that organises articles, and single pages such as 关于我们.

use serde::{Deserialize, Serialize};

use super::{ArticleSummary, Pagination};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "lowercase"))]
pub enum CategoryKind {
    /// Holds articles, shown as a paginated list.
    List,
    /// Shows one page of its own (关于我们, 联系我们).
    Page,
}

/// A category as a link: breadcrumb crumbs, sub-category lists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CategoryLink {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

impl CategoryLink {
    pub fn href(&self) -> String {
        format!("/category/{}", self.slug)
    }
}

/// One page of a category.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryView {
    pub category: CategoryLink,
    pub kind: CategoryKind,
    pub description: String,
    /// From the top-level category down to this one.
    pub path: Vec<CategoryLink>,
    pub children: Vec<CategoryLink>,
    pub page: CategoryPage,
}

/// What a category shows: a page of its articles, or its single page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CategoryPage {
    List {
        articles: Vec<ArticleSummary>,
        pagination: Pagination,
    },
    /// Sanitised HTML.
    Single { body: String },
}
