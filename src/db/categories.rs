//! The category tree.

use sqlx::SqliteExecutor;

use crate::model::{CategoryKind, CategoryLink};

/// A category with what its own page needs.
#[derive(Debug, sqlx::FromRow)]
pub struct CategoryRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: CategoryKind,
    pub description: String,
    pub page_body: String,
}

impl CategoryRow {
    pub fn link(&self) -> CategoryLink {
        CategoryLink {
            id: self.id,
            slug: self.slug.clone(),
            name: self.name.clone(),
        }
    }
}

pub async fn find_by_slug(
    db: impl SqliteExecutor<'_>,
    slug: &str,
) -> sqlx::Result<Option<CategoryRow>> {
    sqlx::query_as(
        "SELECT id, slug, name, kind, description, page_body FROM categories WHERE slug = ?",
    )
    .bind(slug)
    .fetch_optional(db)
    .await
}

/// The kind of category `id`, if there is one.
pub async fn kind_of(db: impl SqliteExecutor<'_>, id: i64) -> sqlx::Result<Option<CategoryKind>> {
    sqlx::query_scalar("SELECT kind FROM categories WHERE id = ?")
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Every category as (id, parent, slug, name): the tree is small and changes rarely, so
/// pages find a category's path in memory (`server::chrome_cache`).
pub async fn tree(
    db: impl SqliteExecutor<'_>,
) -> sqlx::Result<Vec<(i64, Option<i64>, String, String)>> {
    sqlx::query_as("SELECT id, parent_id, slug, name FROM categories")
        .fetch_all(db)
        .await
}

pub async fn children(db: impl SqliteExecutor<'_>, id: i64) -> sqlx::Result<Vec<CategoryLink>> {
    sqlx::query_as(
        "SELECT id, slug, name FROM categories WHERE parent_id = ? ORDER BY position, id",
    )
    .bind(id)
    .fetch_all(db)
    .await
}

/// Top-level categories that hold articles, in navigation order: the home page's sections.
pub async fn top_level_lists(db: impl SqliteExecutor<'_>) -> sqlx::Result<Vec<CategoryLink>> {
    sqlx::query_as(
        "SELECT id, slug, name FROM categories
         WHERE parent_id IS NULL AND kind = 'list' ORDER BY position, id",
    )
    .fetch_all(db)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::SqlitePool;

    async fn insert(pool: &SqlitePool, parent: Option<i64>, slug: &str, name: &str) -> i64 {
        sqlx::query_scalar(
            "INSERT INTO categories (parent_id, slug, name) VALUES (?, ?, ?) RETURNING id",
        )
        .bind(parent)
        .bind(slug)
        .bind(name)
        .fetch_one(pool)
        .await
        .unwrap()
    }

    #[sqlx::test]
    async fn finds_categories_by_slug_with_their_children(pool: SqlitePool) {
        let news = insert(&pool, None, "news", "行业动态").await;
        insert(&pool, Some(news), "policy", "政策法规").await;
        insert(&pool, Some(news), "industry", "行业新闻").await;
        let found = find_by_slug(&pool, "news").await.unwrap().unwrap();
        assert_eq!(found.kind, CategoryKind::List);
        let kids: Vec<String> = children(&pool, found.id)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.slug)
            .collect();
        assert_eq!(kids, ["policy", "industry"]);
        assert!(find_by_slug(&pool, "nope").await.unwrap().is_none());
    }

    #[sqlx::test]
    async fn rejects_slugs_that_are_not_plain_ascii(pool: SqlitePool) {
        let result = sqlx::query("INSERT INTO categories (slug, name) VALUES ('政策', '政策')")
            .execute(&pool)
            .await;
        assert!(result.is_err());
    }
}
