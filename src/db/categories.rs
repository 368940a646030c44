//! The category tree.

use super::store::{Exec, on_backend};

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
    db: impl Into<Exec<'_>>,
    slug: &str,
) -> sqlx::Result<Option<CategoryRow>> {
    on_backend!(db, |conn, _sql| {
        sqlx::query_as(
            "SELECT id, slug, name, kind, description, page_body FROM categories WHERE slug = $1",
        )
        .bind(slug)
        .fetch_optional(&mut *conn)
        .await
    })
}

/// The kind of category `id`, if there is one.
pub async fn kind_of(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<Option<CategoryKind>> {
    on_backend!(db, |conn, _sql| {
        sqlx::query_scalar("SELECT kind FROM categories WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
    })
}

/// Every category as (id, parent, slug, name): the tree is small and changes rarely, so
/// pages find a category's path in memory (`server::chrome_cache`).
pub async fn tree(
    db: impl Into<Exec<'_>>,
) -> sqlx::Result<Vec<(i64, Option<i64>, String, String)>> {
    on_backend!(db, |conn, _sql| {
        sqlx::query_as("SELECT id, parent_id, slug, name FROM categories")
            .fetch_all(&mut *conn)
            .await
    })
}

pub async fn children(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<Vec<CategoryLink>> {
    on_backend!(db, |conn, _sql| {
        sqlx::query_as(
            "SELECT id, slug, name FROM categories WHERE parent_id = $1 ORDER BY position, id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await
    })
}

/// Top-level categories that hold articles, in navigation order: the home page's sections.
pub async fn top_level_lists(db: impl Into<Exec<'_>>) -> sqlx::Result<Vec<CategoryLink>> {
    on_backend!(db, |conn, _sql| {
        sqlx::query_as(
            "SELECT id, slug, name FROM categories
             WHERE parent_id IS NULL AND kind = 'list' ORDER BY position, id",
        )
        .fetch_all(&mut *conn)
        .await
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::{execute, execute_with, named, on_each_backend};

    #[tokio::test]
    async fn finds_categories_by_slug_with_their_children() {
        on_each_backend(async |store| {
            execute(
                &store,
                "INSERT INTO categories (id, parent_id, slug, name) VALUES
                     (1, NULL, 'news', '行业动态'), (2, 1, 'policy', '政策法规'),
                     (3, 1, 'industry', '行业新闻')",
            )
            .await;
            let found = find_by_slug(&store, "news").await.unwrap().unwrap();
            assert_eq!(found.kind, CategoryKind::List, "{}", named(&store));
            let kids: Vec<String> = children(&store, found.id)
                .await
                .unwrap()
                .into_iter()
                .map(|c| c.slug)
                .collect();
            assert_eq!(kids, ["policy", "industry"]);
            assert!(find_by_slug(&store, "nope").await.unwrap().is_none());
            assert_eq!(kind_of(&store, 2).await.unwrap(), Some(CategoryKind::List));
            assert_eq!(tree(&store).await.unwrap().len(), 3);
            assert_eq!(top_level_lists(&store).await.unwrap().len(), 1);
        })
        .await;
    }

    #[tokio::test]
    async fn rejects_slugs_that_are_not_plain_ascii() {
        on_each_backend(async |store| {
            for slug in ["政策", "Policy", "a b", ""] {
                let result = execute_with(
                    &store,
                    &format!("INSERT INTO categories (slug, name) VALUES ('{slug}', '政策')"),
                    &[],
                )
                .await;
                assert!(result.is_err(), "{slug:?} on {}", named(&store));
            }
        })
        .await;
    }
}
