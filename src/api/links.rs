//! 友情链接 for editors.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::model::{LinkForm, LinkRow};

#[server(endpoint = "admin/links", input = GetUrl)]
pub async fn list_links() -> Result<Vec<LinkRow>, AppError> {
    use crate::model::Permission;
    use crate::server::server_fns::open;

    let (_, state) = open(Permission::ManageContent).await?;
    Ok(crate::db::links::list(&state.pool).await?)
}

/// Creates (`id` 0) or changes a link.
#[server(endpoint = "admin/save_link")]
pub async fn save_link(id: i64, link: LinkForm) -> Result<(), AppError> {
    use crate::db::links;
    use crate::model::Done;
    use crate::model::Permission;
    use crate::server::server_fns::{finish, open};

    let (_, state) = open(Permission::ManageContent).await?;
    let pool = state.pool.clone();
    link.validate().map_err(AppError::BadRequest)?;
    if id > 0 {
        if !links::update(&pool, id, &link).await? {
            return Err(AppError::NotFound);
        }
    } else {
        links::create(&pool, &link).await?;
    }
    finish("/admin/links", Done::Saved);
    Ok(())
}

#[server(endpoint = "admin/delete_link")]
pub async fn delete_link(id: i64) -> Result<(), AppError> {
    use crate::model::Done;
    use crate::model::Permission;
    use crate::server::server_fns::{finish, open};

    let (_, state) = open(Permission::ManageContent).await?;
    if !crate::db::links::delete(&state.pool, id).await? {
        return Err(AppError::NotFound);
    }
    finish("/admin/links", Done::Deleted);
    Ok(())
}
