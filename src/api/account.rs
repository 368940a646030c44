//! Signing in and out, the signed-in user, and their own password.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::model::SessionUser;

/// The signed-in user, or `None`.
#[server(endpoint = "current_user", input = GetUrl)]
pub async fn get_current_user() -> Result<Option<SessionUser>, AppError> {
    Ok(crate::server::auth::session::current().await?.user)
}

/// Signs in and goes on to `next` (a page of the editors' area). Whether the name exists
/// is never told apart from a wrong password.
#[server(endpoint = "sign_in")]
pub async fn sign_in(username: String, password: String, next: String) -> Result<(), AppError> {
    use crate::db;
    use crate::server::auth::password::{self, verify};
    use crate::server::auth::session::{self, hash_token, new_token, session_cookie};
    use crate::server::auth::sign_in_throttle::{self, Verdict, keys};
    use crate::server::clock::unix_now;
    use crate::server::http::client::{client_address, is_https};
    use crate::server::state::app_state;

    let state = app_state()?;
    let address = client_address().await;
    let keys = keys(username.trim(), &address);
    match sign_in_throttle::check(&state.pool, &keys, unix_now()).await? {
        Verdict::Refuse(minutes) => {
            return Err(AppError::TooManyAttempts(format!(
                "登录失败次数过多,请 {minutes} 分钟后再试"
            )));
        }
        Verdict::Proceed(delay) => tokio::time::sleep(delay).await,
    }
    let credentials = db::sessions::credentials(&state.pool, username.trim()).await?;
    // A name that does not exist costs the same time as a wrong password.
    let matches = match &credentials {
        Some(account) => verify(&password, &account.password_hash) && !account.disabled,
        None => {
            verify(&password, &password::DUMMY_HASH);
            false
        }
    };
    let Some(account) = credentials.filter(|_| matches) else {
        sign_in_throttle::failed(&state.pool, &keys, unix_now()).await?;
        return Err(AppError::BadRequest("用户名或密码错误".into()));
    };
    sign_in_throttle::succeeded(&state.pool, &keys).await?;
    // A session from before signing in is ended, never carried over.
    if let Some(old) = session::current().await?.token_hash {
        db::sessions::delete(&state.pool, &old).await?;
    }
    let token = new_token();
    let lifetime = state.config.session_lifetime_hours * 3600;
    db::sessions::create(
        &state.pool,
        &hash_token(&token),
        account.id,
        unix_now() + lifetime as i64,
    )
    .await?;
    set_cookie(&session_cookie(
        &token,
        lifetime,
        is_https(&state.config).await,
    ));
    leptos_axum::redirect(&safe_next(&next));
    Ok(())
}

#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::server::auth::session::{self, clear_cookie};
    use crate::server::http::client::is_https;
    use crate::server::state::app_state;

    let state = app_state()?;
    if let Some(token_hash) = session::current().await?.token_hash {
        crate::db::sessions::delete(&state.pool, &token_hash).await?;
    }
    set_cookie(&clear_cookie(is_https(&state.config).await));
    leptos_axum::redirect("/admin/login");
    Ok(())
}

/// Every user's own password; the other sessions of the account end.
#[server(endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    new_password_again: String,
) -> Result<(), AppError> {
    use crate::db;
    use crate::model::Done;
    use crate::model::{Permission, check_password};
    use crate::server::auth::password::{hash_for_request, verify};
    use crate::server::auth::session;
    use crate::server::server_fns::{finish, open};

    let (user, state) = open(Permission::Write).await?;
    let pool = state.pool.clone();
    let account = db::sessions::credentials_by_id(&pool, user.id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    if !verify(&current_password, &account.password_hash) {
        return Err(AppError::BadRequest("当前密码不正确".into()));
    }
    check_password(&new_password).map_err(|m| AppError::BadRequest(format!("新密码:{m}")))?;
    if new_password != new_password_again {
        return Err(AppError::BadRequest("两次输入的新密码不一致".into()));
    }
    let hash = hash_for_request(&new_password)?;
    let keep = session::current().await?.token_hash;
    db::users::set_password_by_id(&pool, user.id, &hash, keep.as_deref()).await?;
    finish("/admin/account", Done::PasswordChanged);
    Ok(())
}

#[cfg(feature = "ssr")]
fn set_cookie(value: &str) {
    use http::{HeaderValue, header::SET_COOKIE};
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(value),
    ) {
        response.append_header(SET_COOKIE, value);
    }
}

/// Where to go after signing in: a page of the editors' area, never another site.
pub fn safe_next(next: &str) -> String {
    let inside = next.starts_with("/admin")
        && !next.starts_with("/admin/login")
        && !next.contains("//")
        && !next.contains('\\');
    if inside {
        next.to_string()
    } else {
        "/admin".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn sign_in_only_leads_into_the_editors_area() {
        assert_eq!(safe_next("/admin/articles/3"), "/admin/articles/3");
        for outside in [
            "",
            "https://evil.example",
            "//evil.example",
            "/admin//evil",
            "/",
            "/admin/login",
            "/admin\\@evil",
        ] {
            assert_eq!(safe_next(outside), "/admin", "{outside}");
        }
    }
}
