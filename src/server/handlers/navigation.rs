//! The visitors' navigation script (`src/navigation.js`), built into the binary. It is part
//! of the version the bundle's addresses name (the build id covers every file under `src/`),
//! so browsers keep it as long as they keep the bundle.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

const SOURCE: &str = include_str!("../../navigation.js");

/// The script, kept by browsers for a year when `immutable`, else revalidated.
pub fn script(immutable: bool) -> Response {
    let cache_control = if immutable {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static(cache_control),
            ),
        ],
        SOURCE,
    )
        .into_response()
}
