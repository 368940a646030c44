//! Bodies of posted forms (server function calls) are read here first, so that one too
//! large or not UTF-8 text is refused with a message the editor can act on, before any
//! parser answers it with a 500.
//!
//! File uploads (`/admin/uploads`) stream through their own route and limit.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::model::MAX_BODY_CHARS;

/// The largest form accepted: the longest article body, every character a percent-encoded
/// three-byte one (9 bytes), with room for the other fields.
pub const MAX_FORM_BYTES: usize = MAX_BODY_CHARS * 9 + 512 * 1024;

pub async fn check_forms(request: Request, next: Next) -> Response {
    let is_form_post =
        request.method() == Method::POST && request.uri().path().starts_with("/api/");
    if !is_form_post {
        return next.run(request).await;
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_FORM_BYTES as u64) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
        return too_large();
    };
    let is_url_encoded = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|kind| kind.starts_with("application/x-www-form-urlencoded"));
    if is_url_encoded && std::str::from_utf8(&bytes).is_err() {
        return refuse(
            StatusCode::BAD_REQUEST,
            AppError::BadRequest("提交的内容不是有效的 UTF-8 文字,请从本站页面重新提交".into()),
        );
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// 413, for a form over the limit.
pub fn too_large() -> Response {
    refuse(
        StatusCode::PAYLOAD_TOO_LARGE,
        AppError::BadRequest("提交的内容太大,请删减后重试".into()),
    )
}

/// The refusal as a server function's error, so that pages show its message.
fn refuse(status: StatusCode, error: AppError) -> Response {
    let body = serde_json::to_string(&error).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}
