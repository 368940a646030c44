//! Accounts, for admins: create, change role, disable, reset a password. Also the list of
//! uploaded files.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::model::{UploadRow, UserRow};

#[server(endpoint = "admin/users", input = GetUrl)]
pub async fn list_users() -> Result<Vec<UserRow>, AppError> {
    use crate::model::Permission;
    use crate::server::{session::require, state::app_state};

    require(Permission::Administer).await?;
    Ok(crate::db::users::list(&app_state()?.pool).await?)
}

#[server(endpoint = "admin/create_user")]
pub async fn create_user(username: String, role: String, password: String) -> Result<(), AppError> {
    use crate::db::users::{self, UserError};
    use crate::model::{Permission, Role, check_password, check_username};
    use crate::server::{password::hash, session::require, state::app_state};

    require(Permission::Administer).await?;
    let username = username.trim().to_string();
    check_username(&username).map_err(AppError::BadRequest)?;
    let role = Role::parse(&role).ok_or_else(|| AppError::BadRequest("请选择角色".into()))?;
    check_password(&password).map_err(|m| AppError::BadRequest(format!("初始密码:{m}")))?;
    let hash = hash(&password).map_err(|_| AppError::Internal)?;
    match users::create(&app_state()?.pool, &username, role, &hash).await {
        Ok(_) => {}
        Err(UserError::NameTaken(name)) => {
            return Err(AppError::BadRequest(format!("用户名 {name} 已被使用")));
        }
        Err(_) => return Err(AppError::Internal),
    }
    leptos_axum::redirect(&crate::server::done_url("/admin/users", "created"));
    Ok(())
}

/// Changes a user's role and whether they may sign in. The last enabled admin stays one.
#[server(endpoint = "admin/update_user")]
pub async fn update_user(id: i64, role: String, disabled: Option<String>) -> Result<(), AppError> {
    use crate::db::users;
    use crate::model::{Permission, Role};
    use crate::server::{session::require, state::app_state};

    let admin = require(Permission::Administer).await?;
    let pool = app_state()?.pool.clone();
    let role = Role::parse(&role).ok_or_else(|| AppError::BadRequest("请选择角色".into()))?;
    let disabled = disabled.is_some();
    let demotes_self = id == admin.id && (role != Role::Admin || disabled);
    if demotes_self && users::active_admins(&pool).await? <= 1 {
        return Err(AppError::BadRequest(
            "这是唯一启用的管理员账号,不能停用或改为其他角色".into(),
        ));
    }
    users::set_role_and_access(&pool, id, role, disabled)
        .await
        .map_err(|_| AppError::NotFound)?;
    leptos_axum::redirect(&crate::server::done_url("/admin/users", "updated"));
    Ok(())
}

/// Sets a new password for a user; all their sessions end.
#[server(endpoint = "admin/reset_password")]
pub async fn reset_password(id: i64, new_password: String) -> Result<(), AppError> {
    use crate::model::{Permission, check_password};
    use crate::server::{password::hash, session::require, state::app_state};

    require(Permission::Administer).await?;
    check_password(&new_password).map_err(|m| AppError::BadRequest(format!("新密码:{m}")))?;
    let hash = hash(&new_password).map_err(|_| AppError::Internal)?;
    crate::db::users::set_password_by_id(&app_state()?.pool, id, &hash, None)
        .await
        .map_err(|_| AppError::NotFound)?;
    leptos_axum::redirect(&crate::server::done_url("/admin/users", "password"));
    Ok(())
}

/// The newest uploads, for picking a file to link or show.
#[server(endpoint = "admin/uploads", input = GetUrl)]
pub async fn list_uploads() -> Result<Vec<UploadRow>, AppError> {
    use crate::model::Permission;
    use crate::server::{session::require, state::app_state};

    require(Permission::Write).await?;
    Ok(crate::db::uploads::recent(&app_state()?.pool, 100).await?)
}
