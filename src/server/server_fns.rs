//! How an editors' server function opens (the caller's permission checked, the shared state
//! at hand) and how a form's server function finishes (back to its page, saying what it did).

use crate::error::AppError;
use crate::model::{Done, Permission, SessionUser};
use crate::server::auth::session::require;
use crate::server::state::{AppState, app_state};

/// The signed-in user, if they may do what `permission` covers (401 signed out, 403 not
/// allowed), and the shared state.
pub async fn open(permission: Permission) -> Result<(SessionUser, AppState), AppError> {
    let user = require(permission).await?;
    Ok((user, app_state()?))
}

/// Sends the browser back to `path`, whose page announces `done`.
pub fn finish(path: &str, done: Done) {
    leptos_axum::redirect(&done_url(path, done));
}

/// `path` with `done` and a fresh `n`: each answer is a new address, so the page reloads its
/// data even when the same form is saved twice.
fn done_url(path: &str, done: Done) -> String {
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    let separator = if path.contains('?') { '&' } else { '?' };
    format!("{path}{separator}done={}&n={}", done.code(), &nonce[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outcome_and_a_fresh_nonce_join_the_address() {
        let url = done_url("/admin/links", Done::Saved);
        assert!(url.starts_with("/admin/links?done=saved&n="), "{url}");
        assert_ne!(url, done_url("/admin/links", Done::Saved));
        assert!(
            done_url("/admin?x=1", Done::PasswordChanged)
                .starts_with("/admin?x=1&done=password&n=")
        );
    }
}
