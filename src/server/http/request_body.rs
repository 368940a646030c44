//! Bodies of posted forms (server function calls) are read here first, so that one too
//! large or not UTF-8 text is refused with a message the editor can act on, before any
//! parser answers it with a 500.
//!
//! A refused body is read on and thrown away (up to a bound) before the refusal is sent:
//! browsers and `fetch` send the whole body without waiting for `100 Continue`, and a
//! connection closed under them is a reset they report instead of our message.
//!
//! File uploads (`/admin/uploads`) stream through their own route and limit.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;

use crate::error::AppError;
use crate::model::MAX_BODY_CHARS;

/// The largest form accepted: the longest article body, every character a percent-encoded
/// three-byte one (9 bytes), with room for the other fields.
pub const MAX_FORM_BYTES: usize = MAX_BODY_CHARS * 9 + 512 * 1024;

/// How much of a refused body is read before the answer, and for how long at most; past
/// either the connection is closed.
const DRAIN_BYTES: usize = 64 * 1024 * 1024;
const DRAIN_TIME: Duration = Duration::from_secs(10);

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
    let (parts, body) = request.into_parts();
    if declared.is_some_and(|length| length > MAX_FORM_BYTES as u64) {
        // A client waiting for `100 Continue` is answered at once and never sends it.
        if !expects_continue(&parts.headers) {
            drain(body).await;
        }
        return too_large();
    }
    let bytes = match read_whole(body).await {
        Read::Whole(bytes) => bytes,
        Read::TooLarge(rest) => {
            drain(rest).await;
            return too_large();
        }
        Read::Broken => {
            return refuse(
                StatusCode::BAD_REQUEST,
                AppError::BadRequest("提交的内容没有完整送达,请重试".into()),
            );
        }
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

enum Read {
    Whole(Bytes),
    /// Past `MAX_FORM_BYTES`; what is left unread.
    TooLarge(Body),
    /// The client went away or sent a malformed body.
    Broken,
}

async fn read_whole(mut body: Body) -> Read {
    let mut bytes = Vec::new();
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            return Read::Broken;
        };
        if let Ok(data) = frame.into_data() {
            if bytes.len() + data.len() > MAX_FORM_BYTES {
                return Read::TooLarge(body);
            }
            bytes.extend_from_slice(&data);
        }
    }
    Read::Whole(Bytes::from(bytes))
}

/// Reads and forgets the rest of a refused body, within `DRAIN_BYTES` and `DRAIN_TIME`.
async fn drain(mut body: Body) {
    let reading = async {
        let mut read = 0;
        while let Some(Ok(frame)) = body.frame().await {
            read += frame.data_ref().map_or(0, Bytes::len);
            if read > DRAIN_BYTES {
                break;
            }
        }
    };
    // Past the bound the answer goes out anyway and the connection closes under the client.
    let _ = tokio::time::timeout(DRAIN_TIME, reading).await;
}

fn expects_continue(headers: &HeaderMap) -> bool {
    headers
        .get(header::EXPECT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.eq_ignore_ascii_case("100-continue"))
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
