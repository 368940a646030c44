//! HTTP statuses for `AppError`s. Server functions answer every error with status 500; this
//! gives each error the status its `AppError` names, so that a bad argument is a 400 and a
//! missing thing a 404. Plain handlers get the same statuses through `IntoResponse`.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::StatusCode;
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;

use crate::error::AppError;

/// Error answers are short JSON; anything longer is left as it is.
const MAX_ERROR_BYTES: usize = 64 * 1024;

/// Plain handlers (feeds, sitemaps) answer an `AppError` with its status and message.
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, self.to_string()).into_response()
    }
}

pub async fn error_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    // A form posted without JavaScript is sent back to its page, the error in the URL.
    if !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
        || response.status().is_redirection()
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BYTES).await else {
        parts.status = StatusCode::INTERNAL_SERVER_ERROR;
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes)
        && let Ok(status) = StatusCode::from_u16(error.status_code())
    {
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes))
}
