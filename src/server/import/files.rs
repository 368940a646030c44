//! Files an old site's pages refer to, copied from a copy of its uploads folder into ours:
//! typed by their content like any upload, stored once however often they are referred to
//! (or imported), and removed again if the import does not complete.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;

use crate::db;
use crate::db::uploads::NewUpload;
use crate::server::handlers::uploads::{clean_file_name, detect};

pub struct Files {
    /// The copy of the old uploads folder, if one was given.
    from: Option<PathBuf>,
    to: PathBuf,
    dry_run: bool,
    /// Each old file asked for, and what became of it.
    brought: HashMap<String, Result<String, String>>,
    /// Files this run wrote, removed if it fails.
    written: Vec<PathBuf>,
    pub copied: u64,
}

impl Files {
    pub fn new(from: Option<PathBuf>, to: PathBuf, dry_run: bool) -> Files {
        Files {
            from,
            to,
            dry_run,
            brought: HashMap::new(),
            written: Vec::new(),
            copied: 0,
        }
    }

    /// The new address of the old file at `relative` (inside the old uploads folder), or
    /// why it could not be brought over.
    pub async fn bring(
        &mut self,
        conn: &mut SqliteConnection,
        relative: &str,
    ) -> Result<String, String> {
        if let Some(result) = self.brought.get(relative) {
            return result.clone();
        }
        let result = self.copy(conn, relative).await;
        self.brought.insert(relative.to_string(), result.clone());
        result
    }

    async fn copy(
        &mut self,
        conn: &mut SqliteConnection,
        relative: &str,
    ) -> Result<String, String> {
        let Some(from) = &self.from else {
            return Err("没有给出旧站的上传文件夹(--uploads)".into());
        };
        let inside = Path::new(relative);
        if inside
            .components()
            .any(|part| !matches!(part, Component::Normal(_)))
        {
            return Err("文件路径不在上传文件夹内".into());
        }
        let source = from.join(inside);
        let bytes = match tokio::fs::read(&source).await {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err("旧站上传文件夹中没有这个文件".into());
            }
            Err(error) => return Err(format!("无法读取 {}: {error}", source.display())),
        };
        let Some((content_type, extension)) = detect(&bytes) else {
            return Err("文件类型不受支持(只接受图片、PDF、Word、Excel)".into());
        };
        let sha256: String = Sha256::digest(&bytes)
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        if let Some(stored) = db::imports::upload_with_checksum(&mut *conn, &sha256)
            .await
            .map_err(|error| error.to_string())?
        {
            return Ok(format!("/uploads/{stored}"));
        }
        let stored_name = format!("{}.{extension}", uuid::Uuid::new_v4().simple());
        if !self.dry_run {
            let target = self.to.join(&stored_name);
            tokio::fs::create_dir_all(&self.to)
                .await
                .and(tokio::fs::write(&target, &bytes).await)
                .map_err(|error| format!("无法写入 {}: {error}", target.display()))?;
            self.written.push(target);
        }
        let original = clean_file_name(relative);
        db::imports::insert_upload(
            conn,
            &NewUpload {
                stored_name: &stored_name,
                original_name: &original,
                content_type,
                size_bytes: bytes.len() as i64,
                sha256: &sha256,
                owner_id: 0,
                source_url: "",
            },
        )
        .await
        .map_err(|error| error.to_string())?;
        self.copied += 1;
        Ok(format!("/uploads/{stored_name}"))
    }

    /// The old files that could not be brought over, with why.
    pub fn missing(&self) -> Vec<(String, String)> {
        let mut missing: Vec<(String, String)> = self
            .brought
            .iter()
            .filter_map(|(path, result)| result.clone().err().map(|why| (path.clone(), why)))
            .collect();
        missing.sort();
        missing
    }

    /// Every file this run copied and where it now lives.
    pub fn copied_files(&self) -> impl Iterator<Item = (&String, &String)> {
        self.brought
            .iter()
            .filter_map(|(old, result)| result.as_ref().ok().map(|new| (old, new)))
    }

    /// Takes back the files of a run that did not complete.
    pub async fn remove_written(&mut self) {
        for path in self.written.drain(..) {
            if let Err(error) = tokio::fs::remove_file(&path).await {
                tracing::warn!(%error, path = %path.display(), "could not remove an imported file");
            }
        }
    }
}
