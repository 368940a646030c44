//! Accounts, for admins: create, change role, disable, reset a password.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::model::UserRow;

#[server(endpoint = "admin/users", input = GetUrl)]
pub async fn list_users() -> Result<Vec<UserRow>, AppError> {
    use crate::model::Permission;
    use crate::server::server_fns::open;

    let (_, state) = open(Permission::Administer).await?;
    Ok(crate::db::users::list(&state.pool).await?)
}

#[server(endpoint = "admin/create_user")]
pub async fn create_user(username: String, role: String, password: String) -> Result<(), AppError> {
    use crate::db::users;
    use crate::model::Done;
    use crate::model::{Permission, Role, check_password, check_username};
    use crate::server::auth::password::hash_for_request;
    use crate::server::server_fns::{finish, open};

    let (_, state) = open(Permission::Administer).await?;
    let username = username.trim().to_string();
    check_username(&username).map_err(AppError::BadRequest)?;
    let role = Role::parse(&role).ok_or_else(|| AppError::BadRequest("请选择角色".into()))?;
    check_password(&password).map_err(|m| AppError::BadRequest(format!("初始密码:{m}")))?;
    let hash = hash_for_request(&password)?;
    users::create(&state.pool, &username, role, &hash).await?;
    finish("/admin/users", Done::Created);
    Ok(())
}

/// Changes a user's role and whether they may sign in. The last enabled admin stays one.
#[server(endpoint = "admin/update_user")]
pub async fn update_user(id: i64, role: String, disabled: Option<String>) -> Result<(), AppError> {
    use crate::db::users;
    use crate::model::Done;
    use crate::model::{Permission, Role};
    use crate::server::server_fns::{finish, open};

    let (admin, state) = open(Permission::Administer).await?;
    let pool = state.pool.clone();
    let role = Role::parse(&role).ok_or_else(|| AppError::BadRequest("请选择角色".into()))?;
    let disabled = disabled.is_some();
    let demotes_self = id == admin.id && (role != Role::Admin || disabled);
    if demotes_self && users::active_admins(&pool).await? <= 1 {
        return Err(AppError::BadRequest(
            "这是唯一启用的管理员账号,不能停用或改为其他角色".into(),
        ));
    }
    users::set_role_and_access(&pool, id, role, disabled).await?;
    finish("/admin/users", Done::Updated);
    Ok(())
}

/// Sets a new password for a user; all their sessions end.
#[server(endpoint = "admin/reset_password")]
pub async fn reset_password(id: i64, new_password: String) -> Result<(), AppError> {
    use crate::model::Done;
    use crate::model::{Permission, check_password};
    use crate::server::auth::password::hash_for_request;
    use crate::server::server_fns::{finish, open};

    let (_, state) = open(Permission::Administer).await?;
    check_password(&new_password).map_err(|m| AppError::BadRequest(format!("新密码:{m}")))?;
    let hash = hash_for_request(&new_password)?;
    crate::db::users::set_password_by_id(&state.pool, id, &hash, None).await?;
    finish("/admin/users", Done::PasswordChanged);
    Ok(())
}
