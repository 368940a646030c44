//! The visitors' navigation script (`src/navigation.js`), built into the binary. It is part
//! of the version the bundle's addresses name (the build id covers every file under `src/`),
//! so browsers keep it as long as they keep the bundle.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::server::http::versioned_assets::cache_control;

const SOURCE: &str = include_str!("../../navigation.js");

/// The script, kept by browsers like the bundle's files (`versioned_assets::cache_control`).
pub fn script(immutable: bool) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, cache_control(immutable)),
        ],
        SOURCE,
    )
        .into_response()
}
