//! Who is signed in: the session cookie, read once per request, and the permission checks
//! every editors' server function starts with.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::model::{Permission, SessionUser};
use crate::server::http::cookies::cookie;
use crate::server::state::AppState;

pub const COOKIE_NAME: &str = "gz_session";

/// The request's signed-in user, if any, and the hash of its session token.
#[derive(Clone, Debug, Default)]
pub struct CurrentUser {
    pub user: Option<SessionUser>,
    pub token_hash: Option<String>,
}

pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let mut current = CurrentUser::default();
    if let Some(token) = cookie(request.headers(), COOKIE_NAME) {
        let token_hash = hash_token(token);
        match state.sessions.user(&state.pool, &token_hash).await {
            Ok(user) => current.user = user,
            Err(error) => tracing::error!(%error, "session lookup failed"),
        }
        current.token_hash = Some(token_hash);
    }
    request.extensions_mut().insert(current);
    next.run(request).await
}

/// A new session token: 256 random bits as hex.
pub fn new_token() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// `Set-Cookie` for a session; `Secure` when the site is served over https.
pub fn session_cookie(token: &str, max_age_seconds: u64, secure: bool) -> String {
    format!(
        "{COOKIE_NAME}={token}; Path=/; Max-Age={max_age_seconds}; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear_cookie(secure: bool) -> String {
    session_cookie("", 0, secure)
}

/// The request's session, inside a server function.
pub async fn current() -> Result<CurrentUser, AppError> {
    use axum::Extension;
    let Extension(current) = leptos_axum::extract::<Extension<CurrentUser>>()
        .await
        .map_err(|error| {
            tracing::error!(%error, "session middleware missing");
            AppError::Internal
        })?;
    Ok(current)
}

/// The signed-in user, if they may do what `permission` covers: 401 when signed out, 403
/// when their role does not allow it.
pub async fn require(permission: Permission) -> Result<SessionUser, AppError> {
    let user = current().await?.user.ok_or(AppError::Unauthorized)?;
    if user.may(permission) {
        Ok(user)
    } else {
        Err(AppError::forbidden())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_stored_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(hash_token(&a).len(), 64);
        assert_ne!(hash_token(&a), a);
    }

    #[test]
    fn cookies_carry_the_right_flags() {
        let cookie = session_cookie("abc", 3600, true);
        for flag in [
            "HttpOnly",
            "SameSite=Lax",
            "Secure",
            "Path=/",
            "Max-Age=3600",
        ] {
            assert!(cookie.contains(flag), "{flag} missing from {cookie}");
        }
        assert!(!session_cookie("abc", 3600, false).contains("Secure"));
        assert!(clear_cookie(false).contains("Max-Age=0"));
    }
}
