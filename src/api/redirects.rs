//! Old addresses and where they lead, for editors: imports fill them, editors add one when
//! they rename or move a page, and remove those no longer wanted.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::model::{RedirectForm, RedirectList};

#[server(endpoint = "admin/redirects", input = GetUrl)]
pub async fn list_redirects(q: String, page: i64) -> Result<RedirectList, AppError> {
    use crate::model::{Pagination, Permission, REDIRECTS_PAGE_SIZE};
    use crate::server::server_fns::open;

    let (_, state) = open(Permission::ManageContent).await?;
    let q: String = q
        .trim()
        .chars()
        .take(crate::model::MAX_REDIRECT_PATH_CHARS)
        .collect();
    let page = page.max(1);
    let (rows, total) = crate::db::redirects::list(
        &state.pool,
        &q,
        REDIRECTS_PAGE_SIZE,
        (page - 1).saturating_mul(REDIRECTS_PAGE_SIZE),
    )
    .await?;
    let pagination = Pagination::new(page, total, REDIRECTS_PAGE_SIZE).ok_or(AppError::NotFound)?;
    Ok(RedirectList { rows, pagination })
}

#[server(endpoint = "admin/add_redirect")]
pub async fn add_redirect(redirect: RedirectForm) -> Result<(), AppError> {
    use crate::model::{Done, Permission};
    use crate::server::http::old_addresses::key;
    use crate::server::server_fns::{finish, open};

    let (_, state) = open(Permission::ManageContent).await?;
    let old = redirect.old_path().map_err(AppError::BadRequest)?;
    let target = redirect.new_target().map_err(AppError::BadRequest)?;
    let split = |address: &str| -> (String, Option<String>) {
        match address.split_once('?') {
            Some((path, query)) => (path.to_string(), Some(query.to_string())),
            None => (address.to_string(), None),
        }
    };
    let (path, query) = split(&old);
    let old_key = key(&path, query.as_deref());
    let (target_path, target_query) = split(&target);
    if key(&target_path, target_query.as_deref()) == old_key {
        return Err(AppError::BadRequest("新地址不能和旧地址相同".into()));
    }
    if !crate::db::redirects::create(&state.pool, &old_key, &target).await? {
        return Err(AppError::BadRequest(format!(
            "旧地址 {old_key} 已经有跳转;如要修改,请先删除原来的"
        )));
    }
    finish("/admin/redirects", Done::Created);
    Ok(())
}

#[server(endpoint = "admin/delete_redirect")]
pub async fn delete_redirect(path: String) -> Result<(), AppError> {
    use crate::model::{Done, Permission};
    use crate::server::server_fns::{finish, open};

    let (_, state) = open(Permission::ManageContent).await?;
    if !crate::db::redirects::delete(&state.pool, &path).await? {
        return Err(AppError::NotFound);
    }
    finish("/admin/redirects", Done::Deleted);
    Ok(())
}
