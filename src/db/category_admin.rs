//! Categories as editors change them: the whole tree, and the rules that keep it a tree.

use super::StoreError;
use super::store::{Exec, on_backend};
use crate::model::{CategoryForm, CategoryKind, CategoryNode};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    parent_id: Option<i64>,
    slug: String,
    name: String,
    position: i64,
    kind: CategoryKind,
    show_in_nav: bool,
    description: String,
    page_body: String,
    articles: i64,
    children: i64,
}

/// Every category, each followed by its children, in display order.
pub async fn tree(db: impl Into<Exec<'_>>) -> sqlx::Result<Vec<CategoryNode>> {
    let rows: Vec<Row> = on_backend!(db, |conn, _sql| {
        sqlx::query_as(
            "SELECT c.id, c.parent_id, c.slug, c.name, c.position, c.kind, c.show_in_nav,
                    c.description, c.page_body,
                    (SELECT count(*) FROM articles a WHERE a.category_id = c.id) AS articles,
                    (SELECT count(*) FROM categories k WHERE k.parent_id = c.id) AS children
             FROM categories c ORDER BY c.position, c.id",
        )
        .fetch_all(&mut *conn)
        .await?
    });
    let mut ordered = Vec::with_capacity(rows.len());
    fn visit(rows: &[Row], parent: Option<i64>, depth: usize, out: &mut Vec<CategoryNode>) {
        for row in rows.iter().filter(|row| row.parent_id == parent) {
            out.push(CategoryNode {
                id: row.id,
                parent_id: row.parent_id,
                depth,
                slug: row.slug.clone(),
                name: row.name.clone(),
                position: row.position,
                kind: row.kind,
                show_in_nav: row.show_in_nav,
                description: row.description.clone(),
                page_body: row.page_body.clone(),
                articles: row.articles,
                children: row.children,
            });
            visit(rows, Some(row.id), depth + 1, out);
        }
    }
    visit(&rows, None, 0, &mut ordered);
    Ok(ordered)
}

/// `form` with its page body already sanitised; returns the new id.
pub async fn create(db: impl Into<Exec<'_>>, form: &CategoryForm) -> Result<i64, StoreError> {
    on_backend!(db, |conn, _sql| {
        let parent = parent_of(&mut *conn, form, None).await?;
        sqlx::query_scalar(
            "INSERT INTO categories (parent_id, slug, name, position, kind, description,
                                     page_body, show_in_nav)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(parent)
        .bind(&form.slug)
        .bind(form.name.trim())
        .bind(form.position)
        .bind(form.kind().unwrap_or(CategoryKind::List))
        .bind(form.description.trim())
        .bind(&form.page_body)
        .bind(form.show_in_nav)
        .fetch_one(&mut *conn)
        .await
        .map_err(slug_taken)
    })
}

/// The one unique column an editor fills in is the slug.
fn slug_taken(error: sqlx::Error) -> StoreError {
    if StoreError::is_unique_violation(&error) {
        StoreError::Refused("英文标识已被其他栏目使用".into())
    } else {
        StoreError::Database(error)
    }
}

pub async fn update(
    db: impl Into<Exec<'_>>,
    id: i64,
    form: &CategoryForm,
) -> Result<(), StoreError> {
    on_backend!(db, |conn, sql| {
        let parent = parent_of(&mut *conn, form, Some(id)).await?;
        let kind = form.kind().unwrap_or(CategoryKind::List);
        if kind == CategoryKind::Page && article_count(&mut *conn, id).await? > 0 {
            return Err(StoreError::Refused(
                "栏目下还有文章,不能改为单页栏目;请先把文章移到其他栏目".into(),
            ));
        }
        let done = sqlx::query(&format!(
            "UPDATE categories SET parent_id = $1, slug = $2, name = $3, position = $4,
                    kind = $5, description = $6, page_body = $7, show_in_nav = $8,
                    updated_at = {}
             WHERE id = $9",
            sql.now
        ))
        .bind(parent)
        .bind(&form.slug)
        .bind(form.name.trim())
        .bind(form.position)
        .bind(kind)
        .bind(form.description.trim())
        .bind(&form.page_body)
        .bind(form.show_in_nav)
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(slug_taken)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Refused("栏目不存在".into()));
        }
        Ok(())
    })
}

/// The parent the form names, checked: it exists and is not the category or its descendant.
async fn parent_of(
    db: impl Into<Exec<'_>>,
    form: &CategoryForm,
    id: Option<i64>,
) -> Result<Option<i64>, StoreError> {
    if form.parent_id <= 0 {
        return Ok(None);
    }
    on_backend!(db, |conn, _sql| {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM categories WHERE id = $1")
            .bind(form.parent_id)
            .fetch_optional(&mut *conn)
            .await?;
        if exists.is_none() {
            return Err(StoreError::Refused("上级栏目不存在".into()));
        }
        if let Some(id) = id {
            let inside: bool = sqlx::query_scalar(
                "WITH RECURSIVE below(id) AS (
                    SELECT CAST($1 AS bigint)
                    UNION ALL SELECT c.id FROM categories c JOIN below ON c.parent_id = below.id
                 ) SELECT $2 IN (SELECT id FROM below)",
            )
            .bind(id)
            .bind(form.parent_id)
            .fetch_one(&mut *conn)
            .await?;
            if inside {
                return Err(StoreError::Refused(
                    "不能把栏目移到它自己或它的下级栏目之下".into(),
                ));
            }
        }
        Ok(Some(form.parent_id))
    })
}

async fn article_count(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<i64> {
    on_backend!(db, |conn, _sql| {
        sqlx::query_scalar("SELECT count(*) FROM articles WHERE category_id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await
    })
}

/// Deletes an empty category; one with articles or sub-categories is refused, saying which.
pub async fn delete(db: impl Into<Exec<'_>>, id: i64) -> Result<(), StoreError> {
    on_backend!(db, |conn, _sql| {
        let articles = article_count(&mut *conn, id).await?;
        if articles > 0 {
            return Err(StoreError::Refused(format!(
                "栏目下还有 {articles} 篇文章(含草稿和归档),不能删除;请先把它们移到其他栏目"
            )));
        }
        let children: i64 =
            sqlx::query_scalar("SELECT count(*) FROM categories WHERE parent_id = $1")
                .bind(id)
                .fetch_one(&mut *conn)
                .await?;
        if children > 0 {
            return Err(StoreError::Refused(format!(
                "栏目下还有 {children} 个下级栏目,不能删除;请先删除或移走它们"
            )));
        }
        let done = sqlx::query("DELETE FROM categories WHERE id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Refused("栏目不存在".into()));
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::{execute, execute_with, on_each_backend};

    fn form(name: &str, slug: &str, parent_id: i64) -> CategoryForm {
        CategoryForm {
            name: name.into(),
            slug: slug.into(),
            parent_id,
            kind: "list".into(),
            show_in_nav: true,
            ..CategoryForm::default()
        }
    }

    #[tokio::test]
    async fn the_tree_lists_children_under_parents() {
        on_each_backend(async |store| {
            let pool = store;
            let news = create(&pool, &form("行业动态", "news", 0)).await.unwrap();
            let policy = create(&pool, &form("政策法规", "policy", news))
                .await
                .unwrap();
            create(&pool, &form("关于我们", "about", 0)).await.unwrap();
            let tree = tree(&pool).await.unwrap();
            let names: Vec<_> = tree.iter().map(|c| (c.name.as_str(), c.depth)).collect();
            assert_eq!(names, [("行业动态", 0), ("政策法规", 1), ("关于我们", 0)]);
            assert_eq!(tree[0].children, 1);
            assert_eq!(tree[1].id, policy);
        })
        .await;
    }

    #[tokio::test]
    async fn a_category_cannot_move_under_itself() {
        on_each_backend(async |store| {
            let pool = store;
            let news = create(&pool, &form("行业动态", "news", 0)).await.unwrap();
            let policy = create(&pool, &form("政策法规", "policy", news))
                .await
                .unwrap();
            let moved = update(&pool, news, &form("行业动态", "news", policy)).await;
            assert!(matches!(moved, Err(StoreError::Refused(m)) if m.contains("下级栏目")));
            update(&pool, policy, &form("政策法规", "policy", 0))
                .await
                .unwrap();
        })
        .await;
    }

    #[tokio::test]
    async fn slugs_are_unique() {
        on_each_backend(async |store| {
            let pool = store;
            create(&pool, &form("行业动态", "news", 0)).await.unwrap();
            let again = create(&pool, &form("新闻", "news", 0)).await;
            assert_eq!(
                again,
                Err(StoreError::Refused("英文标识已被其他栏目使用".into()))
            );
        })
        .await;
    }

    #[tokio::test]
    async fn only_empty_categories_are_deleted() {
        on_each_backend(async |store| {
            let pool = store;
            let news = create(&pool, &form("行业动态", "news", 0)).await.unwrap();
            let policy = create(&pool, &form("政策法规", "policy", news))
                .await
                .unwrap();
            execute_with(
                &pool,
                "INSERT INTO articles (category_id, title) VALUES ($1, '草稿')",
                &[policy],
            )
            .await
            .unwrap();
            let refused = delete(&pool, news).await;
            assert!(matches!(refused, Err(StoreError::Refused(m)) if m.contains("1 个下级栏目")));
            let refused = delete(&pool, policy).await;
            assert!(matches!(refused, Err(StoreError::Refused(m)) if m.contains("1 篇文章")));
            execute(&pool, "DELETE FROM articles").await;
            delete(&pool, policy).await.unwrap();
            delete(&pool, news).await.unwrap();
            assert!(tree(&pool).await.unwrap().is_empty());
        })
        .await;
    }
}
