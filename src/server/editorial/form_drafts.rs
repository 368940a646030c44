//! Keeps what an editor typed when a form posted without JavaScript is rejected. Such a post
//! is answered with a redirect back to the form, the error in its URL; the form's fields are
//! kept here for a while under a random key added to that URL, for the page to refill the
//! form from. Only the session that typed them can read them back.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::server::auth::session::CurrentUser;
use crate::server::state::AppState;

/// How long a rejected form is kept.
const KEEP_FOR: Duration = Duration::from_secs(60 * 60);
/// Drafts kept before old ones are swept out.
const SWEEP_ABOVE: usize = 1_000;

pub const QUERY_KEY: &str = "__form";

struct Draft {
    owner: Option<String>,
    fields: Vec<(String, String)>,
    at: Instant,
}

#[derive(Clone, Default)]
pub struct FormDrafts {
    drafts: Arc<Mutex<HashMap<String, Draft>>>,
}

impl FormDrafts {
    fn keep(&self, owner: Option<String>, fields: Vec<(String, String)>) -> Option<String> {
        let mut drafts = self.drafts.lock().ok()?;
        let now = Instant::now();
        if drafts.len() > SWEEP_ABOVE {
            drafts.retain(|_, draft| now.duration_since(draft.at) < KEEP_FOR);
        }
        let key = uuid::Uuid::new_v4().simple().to_string();
        drafts.insert(
            key.clone(),
            Draft {
                owner,
                fields,
                at: now,
            },
        );
        Some(key)
    }

    /// The fields kept under `key` for the session `owner`.
    pub fn get(&self, key: &str, owner: Option<&str>) -> Option<Vec<(String, String)>> {
        let drafts = self.drafts.lock().ok()?;
        let draft = drafts.get(key)?;
        (draft.owner.as_deref() == owner && draft.at.elapsed() < KEEP_FOR)
            .then(|| draft.fields.clone())
    }
}

pub async fn keep_rejected_forms(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let is_plain_form_post = request.uri().path().starts_with("/api/")
        && headers
            .get(header::ACCEPT)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
        && headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|kind| kind.starts_with("application/x-www-form-urlencoded"));
    if !is_plain_form_post {
        return next.run(request).await;
    }
    let owner = request
        .extensions()
        .get::<CurrentUser>()
        .and_then(|current| current.token_hash.clone());
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, crate::server::http::request_body::MAX_FORM_BYTES).await else {
        return crate::server::http::request_body::too_large();
    };
    // Passwords are never kept: the editor types them again.
    let fields: Vec<(String, String)> =
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
            .unwrap_or_default()
            .into_iter()
            .filter(|(name, _)| !name.contains("password"))
            .collect();
    let mut response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let rejected_to = response
        .headers()
        .get(header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .filter(|location| location.contains("__err="))
        .map(str::to_string);
    if let Some(location) = rejected_to
        && let Some(key) = state.form_drafts.keep(owner, fields)
        && let Ok(value) = HeaderValue::from_str(&format!("{location}&{QUERY_KEY}={key}"))
    {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_owner_reads_a_draft() {
        let drafts = FormDrafts::default();
        let fields = vec![("form[title]".to_string(), "标题".to_string())];
        let key = drafts.keep(Some("s1".into()), fields.clone()).unwrap();
        assert_eq!(drafts.get(&key, Some("s1")), Some(fields));
        assert_eq!(drafts.get(&key, Some("s2")), None);
        assert_eq!(drafts.get(&key, None), None);
        assert_eq!(drafts.get("unknown", Some("s1")), None);
    }
}
