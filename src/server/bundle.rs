//! The visitors' bundle must come from the same build as the server: rendered by one and
//! hydrated by another, every page fails to hydrate. Checked at start, by finding this
//! build's id (`crate::BUILD_ID`) in the wasm the site folder holds.

use std::path::Path;

/// Refuses a bundle from another build; without a bundle, pages are served as plain HTML
/// and a warning says so.
pub fn check(site_root: &Path, pkg_dir: &str, output_name: &str) -> Result<(), String> {
    let wasm = site_root.join(pkg_dir).join(format!("{output_name}.wasm"));
    let bytes = match std::fs::read(&wasm) {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::warn!(%error, path = %wasm.display(), "no visitors' bundle: pages will not hydrate");
            return Ok(());
        }
    };
    if holds_build(&bytes, crate::BUILD_ID) {
        Ok(())
    } else {
        Err(format!(
            "{} 不是与本程序一起构建的前端文件,页面会无法正常运行;\
             请用同一条命令重新构建服务器和前端(cargo leptos build --release --split,\
             或 scripts/package),再部署两者",
            wasm.display()
        ))
    }
}

fn holds_build(bundle: &[u8], build_id: &str) -> bool {
    memchr::memmem::find(bundle, build_id.as_bytes()).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_from_another_build_is_refused() {
        let folder = tempfile::tempdir().unwrap();
        assert!(
            check(folder.path(), "pkg", "gazette").is_ok(),
            "no bundle yet"
        );
        std::fs::create_dir(folder.path().join("pkg")).unwrap();
        let wasm = folder.path().join("pkg/gazette.wasm");
        std::fs::write(&wasm, b"\0asm...gazette-build-0000000000000000...").unwrap();
        let reason = check(folder.path(), "pkg", "gazette").unwrap_err();
        assert!(reason.contains("不是与本程序一起构建的"), "{reason}");
        let ours = format!("\0asm...{}...", crate::BUILD_ID);
        std::fs::write(&wasm, ours).unwrap();
        assert!(check(folder.path(), "pkg", "gazette").is_ok());
    }
}
