//! Categories for editors: the tree, saving one, deleting an empty one.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::model::{CategoryForm, CategoryNode};

#[server(endpoint = "admin/categories", input = GetUrl)]
pub async fn list_categories() -> Result<Vec<CategoryNode>, AppError> {
    use crate::model::Permission;
    use crate::server::{session::require, state::app_state};

    require(Permission::ManageContent).await?;
    Ok(crate::db::category_admin::tree(&app_state()?.pool).await?)
}

/// Creates (`id` 0) or changes a category.
#[server(endpoint = "admin/save_category")]
pub async fn save_category(id: i64, form: CategoryForm) -> Result<(), AppError> {
    use crate::db::category_admin;
    use crate::model::Permission;
    use crate::server::sanitize::sanitize_html;
    use crate::server::{session::require, state::app_state};

    require(Permission::ManageContent).await?;
    let pool = app_state()?.pool.clone();
    form.validate().map_err(AppError::BadRequest)?;
    let mut form = form;
    form.page_body = sanitize_html(&form.page_body);
    let id = if id > 0 {
        category_admin::update(&pool, id, &form).await?;
        id
    } else {
        category_admin::create(&pool, &form).await?
    };
    leptos_axum::redirect(&crate::server::done_url(
        &format!("/admin/categories/{id}"),
        "saved",
    ));
    Ok(())
}

#[server(endpoint = "admin/delete_category")]
pub async fn delete_category(id: i64) -> Result<(), AppError> {
    use crate::model::Permission;
    use crate::server::{session::require, state::app_state};

    require(Permission::ManageContent).await?;
    crate::db::category_admin::delete(&app_state()?.pool, id).await?;
    leptos_axum::redirect(&crate::server::done_url("/admin/categories", "deleted"));
    Ok(())
}
