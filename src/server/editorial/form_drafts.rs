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

use crate::db;
use crate::server::auth::session::CurrentUser;
use crate::server::clock::unix_now;
use crate::server::state::AppState;

/// How long a rejected form is kept, in seconds.
pub const KEEP_FOR: i64 = 60 * 60;

pub const QUERY_KEY: &str = "__form";

/// Drafts kept in memory before old ones are swept out.
const SWEEP_ABOVE: usize = 1_000;

/// Where drafts go when the database refuses them (a full disk, a read-only database: the
/// very failures that reject a save): this server's memory, which the redirect back to the
/// form reaches on one server, and on several behind a balancer that keeps a visitor on one.
#[derive(Clone, Default)]
pub struct FallbackDrafts {
    drafts: Arc<Mutex<HashMap<String, Draft>>>,
}

/// Whose session typed it, the fields, and when.
type Draft = (Option<String>, Vec<(String, String)>, Instant);

impl FallbackDrafts {
    fn keep(&self, key: &str, owner: Option<&str>, fields: &[(String, String)]) {
        if let Ok(mut drafts) = self.drafts.lock() {
            let now = Instant::now();
            let life = Duration::from_secs(KEEP_FOR as u64);
            if drafts.len() > SWEEP_ABOVE {
                drafts.retain(|_, (_, _, at)| now.duration_since(*at) < life);
            }
            let owner = owner.map(str::to_string);
            drafts.insert(key.to_string(), (owner, fields.to_vec(), now));
        }
    }

    fn get(&self, key: &str, owner: Option<&str>) -> Option<Vec<(String, String)>> {
        let drafts = self.drafts.lock().ok()?;
        let (kept_for, fields, at) = drafts.get(key)?;
        (kept_for.as_deref() == owner && at.elapsed().as_secs() < KEEP_FOR as u64)
            .then(|| fields.clone())
    }
}

/// Keeps the fields typed by the session `owner`; returns the key to read them back by.
/// In the database, where every server finds them (the redirect back to the form may reach
/// another), or in memory when the database refuses.
async fn keep(state: &AppState, owner: Option<&str>, fields: &[(String, String)]) -> String {
    let key = uuid::Uuid::new_v4().simple().to_string();
    let kept = db::shared_state::keep_form_draft(&state.pool, &key, owner, fields, unix_now());
    if let Err(error) = kept.await {
        tracing::warn!(%error, "kept a rejected form's fields in memory");
        state.fallback_drafts.keep(&key, owner, fields);
    }
    key
}

/// The fields kept under `key` for the session `owner`, while they are kept.
pub async fn get(
    state: &AppState,
    key: &str,
    owner: Option<&str>,
) -> sqlx::Result<Option<Vec<(String, String)>>> {
    if let Some(fields) = state.fallback_drafts.get(key, owner) {
        return Ok(Some(fields));
    }
    db::shared_state::form_draft(&state.pool, key, owner, unix_now() - KEEP_FOR).await
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
    let Some(location) = rejected_to else {
        return response;
    };
    let key = keep(&state, owner.as_deref(), &fields).await;
    if let Ok(value) = HeaderValue::from_str(&format!("{location}&{QUERY_KEY}={key}")) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}
