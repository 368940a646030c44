//! Records what the binary is built from: the commit, for `gazette --version`, and a build
//! id that the server and the visitors' bundle share when they are built from the same
//! sources with the same rendering settings, so that the server can refuse a bundle from
//! another build (`server::bundle`).

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let commit = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|output| output.status.success())
        .and_then(|output| String::from_utf8(output.stdout).ok())
        .map(|commit| commit.trim().to_string())
        .filter(|commit| !commit.is_empty())
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=GAZETTE_COMMIT={commit}");
    // A new commit moves HEAD or the branch it names.
    for watched in [".git/HEAD", ".git/refs/heads", ".git/packed-refs"] {
        println!("cargo:rerun-if-changed={watched}");
    }

    // The sources both halves are compiled from, and the one setting that changes the HTML
    // they must agree on: cargo-leptos type-erases components in debug builds only.
    let mut hash = Fnv::default();
    let mut files = Vec::new();
    collect(Path::new("src"), &mut files);
    files.extend([PathBuf::from("Cargo.toml"), PathBuf::from("Cargo.lock")]);
    files.sort();
    for file in &files {
        hash.write(file.to_string_lossy().as_bytes());
        hash.write(&std::fs::read(file).unwrap_or_default());
    }
    let erased = std::env::var_os("CARGO_CFG_ERASE_COMPONENTS").is_some();
    hash.write(if erased { b"erased" } else { b"typed" });
    println!("cargo:rustc-env=GAZETTE_BUILD_ID={:016x}", hash.0);
    for watched in ["src", "Cargo.toml", "Cargo.lock"] {
        println!("cargo:rerun-if-changed={watched}");
    }
}

fn collect(folder: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}

/// FNV-1a: the same on every machine and compiler, unlike the standard library's hasher.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}
