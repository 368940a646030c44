//! Categories: a category's page for visitors; the tree, saving one and deleting an empty
//! one for editors.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::model::{CategoryForm, CategoryNode, CategoryView};

/// A page of a category: its articles (with its descendants'), or its single page. `None`
/// when the category or the page number does not exist.
#[server(endpoint = "category", input = GetUrl)]
pub async fn get_category(slug: String, page: i64) -> Result<Option<CategoryView>, AppError> {
    use crate::db::{articles, categories};
    use crate::model::{CategoryKind, CategoryPage, PAGE_SIZE, Pagination};
    use crate::server::state::app_state;

    let state = app_state()?;
    // Before the connection below is taken: it may need connections of its own.
    let chrome = state.chrome_cache.get(&state.pool).await?;
    // One connection for the page's queries: each return to the pool is a round trip to
    // the connection's thread.
    let mut db = state.pool.acquire().await?;
    let Some(category) = categories::find_by_slug(&mut db, &slug).await? else {
        return Ok(None);
    };
    let shown = match category.kind {
        CategoryKind::Page if page == 1 => CategoryPage::Single {
            body: category.page_body.clone(),
        },
        CategoryKind::Page => return Ok(None),
        CategoryKind::List => {
            let total = articles::count_in_tree(&mut db, category.id).await?;
            let Some(pagination) = Pagination::new(page, total, PAGE_SIZE) else {
                return Ok(None);
            };
            CategoryPage::List {
                articles: articles::list_in_tree(
                    &mut db,
                    category.id,
                    total,
                    PAGE_SIZE,
                    pagination.offset(),
                )
                .await?,
                pagination,
            }
        }
    };
    Ok(Some(CategoryView {
        category: category.link(),
        kind: category.kind,
        description: category.description.clone(),
        path: chrome.path(category.id),
        children: categories::children(&mut db, category.id).await?,
        page: shown,
    }))
}

#[server(endpoint = "admin/categories", input = GetUrl)]
pub async fn list_categories() -> Result<Vec<CategoryNode>, AppError> {
    use crate::model::Permission;
    use crate::server::server_fns::open;

    let (_, state) = open(Permission::ManageContent).await?;
    Ok(crate::db::category_admin::tree(&state.pool).await?)
}

/// Creates (`id` 0) or changes a category.
#[server(endpoint = "admin/save_category")]
pub async fn save_category(id: i64, form: CategoryForm) -> Result<(), AppError> {
    use crate::db::category_admin;
    use crate::model::Done;
    use crate::model::Permission;
    use crate::server::editorial::sanitize::sanitize_html;
    use crate::server::server_fns::{finish, open};

    let (_, state) = open(Permission::ManageContent).await?;
    let pool = state.pool.clone();
    form.validate().map_err(AppError::BadRequest)?;
    let mut form = form;
    form.page_body = sanitize_html(&form.page_body);
    let id = if id > 0 {
        category_admin::update(&pool, id, &form).await?;
        id
    } else {
        category_admin::create(&pool, &form).await?
    };
    finish(&format!("/admin/categories/{id}"), Done::Saved);
    Ok(())
}

#[server(endpoint = "admin/delete_category")]
pub async fn delete_category(id: i64) -> Result<(), AppError> {
    use crate::model::Done;
    use crate::model::Permission;
    use crate::server::server_fns::{finish, open};

    let (_, state) = open(Permission::ManageContent).await?;
    crate::db::category_admin::delete(&state.pool, id).await?;
    finish("/admin/categories", Done::Deleted);
    Ok(())
}
