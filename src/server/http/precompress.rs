//! Brotli and gzip copies of the site's static files (the wasm bundle above all), written
//! beside them once in the background after start, so that they are compressed at the
//! highest level once rather than at a low level on every request. Until they exist, or
//! where the site folder is read-only, responses are compressed on the fly.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Files worth compressing.
const EXTENSIONS: [&str; 8] = ["wasm", "js", "css", "svg", "html", "json", "txt", "xml"];

pub fn spawn(site_root: PathBuf) {
    tokio::task::spawn_blocking(move || match folder(&site_root) {
        Ok(0) => {}
        Ok(written) => tracing::info!(written, "precompressed static files"),
        Err(error) => tracing::warn!(%error, "static files are compressed per request instead"),
    });
}

/// Writes missing or outdated `.br` and `.gz` copies under `root`; returns how many.
pub fn folder(root: &Path) -> std::io::Result<usize> {
    let mut written = 0;
    for entry in std::fs::read_dir(root)? {
        let path = entry?.path();
        if path.is_dir() {
            written += folder(&path)?;
            continue;
        }
        let worth = path
            .extension()
            .and_then(|extension| extension.to_str())
            .is_some_and(|extension| EXTENSIONS.contains(&extension));
        if !worth {
            continue;
        }
        let data = std::fs::read(&path)?;
        for (suffix, compress) in [("br", brotli_best as fn(&[u8]) -> _), ("gz", gzip_best)] {
            let target = PathBuf::from(format!("{}.{suffix}", path.display()));
            if is_newer(&target, &path) {
                continue;
            }
            // Written aside and renamed, so a request never sees half a file.
            let partial = PathBuf::from(format!("{}.partial", target.display()));
            std::fs::write(&partial, compress(&data)?)?;
            std::fs::rename(&partial, &target)?;
            written += 1;
        }
    }
    Ok(written)
}

fn is_newer(target: &Path, source: &Path) -> bool {
    let modified = |path: &Path| std::fs::metadata(path).and_then(|meta| meta.modified());
    matches!((modified(target), modified(source)), (Ok(t), Ok(s)) if t >= s)
}

fn brotli_best(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
        writer.write_all(data)?;
    }
    Ok(out)
}

fn gzip_best(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data)?;
    encoder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn copies_decode_to_the_original_and_are_made_once() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("pkg")).unwrap();
        let original = "console.log('协会');\n".repeat(200);
        std::fs::write(root.path().join("pkg/app.js"), &original).unwrap();
        std::fs::write(root.path().join("pkg/photo.png"), b"\x89PNG").unwrap();
        assert_eq!(folder(root.path()).unwrap(), 2);
        assert_eq!(folder(root.path()).unwrap(), 0, "up to date");
        assert!(
            !root.path().join("pkg/photo.png.br").exists(),
            "images are compressed already"
        );

        let mut decoded = String::new();
        brotli::Decompressor::new(
            &std::fs::read(root.path().join("pkg/app.js.br")).unwrap()[..],
            4096,
        )
        .read_to_string(&mut decoded)
        .unwrap();
        assert_eq!(decoded, original);
        let mut decoded = String::new();
        flate2::read::GzDecoder::new(
            &std::fs::read(root.path().join("pkg/app.js.gz")).unwrap()[..],
        )
        .read_to_string(&mut decoded)
        .unwrap();
        assert_eq!(decoded, original);
    }
}
