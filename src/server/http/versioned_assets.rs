//! The visitors' code and styles under addresses that name their contents:
//! `/assets/<version>/pkg/gazette.wasm`. Browsers keep them for a year without asking again
//! (`immutable`); pages name them and are revalidated as before. A deployment brings a new
//! version, so a page always loads the bundle it was rendered with: after an upgrade, the
//! old version's addresses answer 404 rather than hand an old page a newer bundle (the page
//! still works as plain HTML until it is reloaded). Only the `pkg` folder, which the version
//! is made from, is served under the prefix. The same files stay under their plain names
//! (`/pkg/…`, revalidated) for anything that links them directly.

use std::path::Path;
use std::sync::Arc;

use axum::http::{HeaderValue, header};
use sha2::{Digest, Sha256};
use tower_http::services::ServeDir;

/// Where the versions live.
pub const ROOT: &str = "/assets";

/// `/assets/<version>`: what the shell puts before `/pkg/…`. Carried by every request so
/// that a page names the version of the files its own server serves.
#[derive(Clone)]
pub struct AssetPrefix(pub Arc<str>);

impl AssetPrefix {
    pub fn for_pkg(pkg: &Path) -> AssetPrefix {
        AssetPrefix(format!("{ROOT}/{}", version(pkg)).into())
    }
}

/// The version of the bundle and styles in the `pkg` folder: the build id (which the wasm
/// files hold, as `bundle::check` makes sure) and the contents of every other file. Reading
/// the wasm would cost seconds at start in a debug build, where it is tens of megabytes. The
/// compressed copies `precompress` writes beside the files after start are left out: they
/// follow from the files, and counting them would change the version at the next restart.
pub fn version(pkg: &Path) -> String {
    let mut files = Vec::new();
    collect(pkg, &mut files);
    files.sort();
    let mut hasher = Sha256::new();
    hasher.update(crate::BUILD_ID.as_bytes());
    for file in files {
        let name = file.strip_prefix(pkg).unwrap_or(&file);
        hasher.update(name.to_string_lossy().as_bytes());
        hasher.update([0]);
        hasher.update(std::fs::read(&file).unwrap_or_default());
    }
    hasher.finalize()[..8]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn collect(folder: &Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path.to_string_lossy();
        if path.is_dir() {
            collect(&path, files);
        } else if ![".wasm", ".br", ".gz", ".partial"]
            .iter()
            .any(|left_out| name.ends_with(left_out))
        {
            files.push(path);
        }
    }
}

/// How browsers keep what is served under a version's address: for a year without asking
/// again in production, where it never changes; revalidated under `cargo leptos watch`,
/// which rebuilds styles under a running server.
pub fn cache_control(immutable: bool) -> HeaderValue {
    HeaderValue::from_static(if immutable {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    })
}

/// The `pkg` folder's files under a version's address (`cache_control`).
pub fn files(pkg: &Path, immutable: bool) -> axum::routing::MethodRouter {
    let cache_control = cache_control(immutable);
    let files = tower::ServiceBuilder::new()
        .map_response(move |mut response: axum::http::Response<_>| {
            // A missing file may appear with the next deployment's version, never under this
            // one's address.
            if response.status().is_success() || response.status().is_redirection() {
                response
                    .headers_mut()
                    .insert(header::CACHE_CONTROL, cache_control.clone());
            }
            response
        })
        .service(ServeDir::new(pkg).precompressed_br().precompressed_gzip());
    axum::routing::get_service(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_follows_every_file_but_the_wasm() {
        let folder = tempfile::tempdir().unwrap();
        let pkg = folder.path().to_path_buf();
        std::fs::write(pkg.join("gazette.css"), "a{}").unwrap();
        std::fs::write(pkg.join("gazette.wasm"), "one").unwrap();
        let first = version(folder.path());
        assert_eq!(first.len(), 16);
        assert_eq!(
            version(folder.path()),
            first,
            "the same files, the same version"
        );
        std::fs::write(pkg.join("gazette.wasm"), "two").unwrap();
        assert_eq!(
            version(folder.path()),
            first,
            "the build id stands for the wasm"
        );
        std::fs::write(pkg.join("gazette.css.br"), "compressed").unwrap();
        assert_eq!(
            version(folder.path()),
            first,
            "compressed copies follow from the files"
        );
        std::fs::write(pkg.join("gazette.css"), "b{}").unwrap();
        assert_ne!(version(folder.path()), first);
        std::fs::write(pkg.join("gazette.css"), "a{}").unwrap();
        std::fs::write(folder.path().join("favicon.svg"), "<svg/>").unwrap();
        assert_ne!(version(folder.path()), first, "a new file");
    }
}
