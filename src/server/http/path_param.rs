//! A path parameter of a plain handler (feeds, sitemap parts, uploads). A parameter that is
//! not valid UTF-8 text cannot name anything on this site: it is a 404 with our message,
//! not axum's English "Invalid URL".

use axum::extract::{FromRequestParts, Path};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

pub struct PathParam(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathParam {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<String>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| PathParam(value))
            .map_err(|_| (StatusCode::NOT_FOUND, AppError::NotFound.to_string()).into_response())
    }
}
