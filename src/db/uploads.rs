//! Files editors uploaded: the record of each stored file.

use sqlx::SqlitePool;

use super::shanghai_minutes;
use crate::model::UploadRow;

pub struct NewUpload<'a> {
    pub stored_name: &'a str,
    pub original_name: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub sha256: &'a str,
    pub owner_id: i64,
    /// Where the server copied the file from; empty for an editor's own upload.
    pub source_url: &'a str,
}

pub async fn create(pool: &SqlitePool, upload: &NewUpload<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO uploads (stored_name, original_name, content_type, size_bytes, sha256,
                              owner_id, source_url)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(upload.stored_name)
    .bind(upload.original_name)
    .bind(upload.content_type)
    .bind(upload.size_bytes)
    .bind(upload.sha256)
    .bind(upload.owner_id)
    .bind(upload.source_url)
    .fetch_one(pool)
    .await
}

const COLUMNS: &str = concat!(
    "id, stored_name, original_name, content_type, size_bytes, source_url, ",
    shanghai_minutes!("created_at"),
    " AS created"
);

pub async fn find(pool: &SqlitePool, stored_name: &str) -> sqlx::Result<Option<UploadRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM uploads WHERE stored_name = ?"
    ))
    .bind(stored_name)
    .fetch_optional(pool)
    .await
}

pub async fn recent(pool: &SqlitePool, limit: i64) -> sqlx::Result<Vec<UploadRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM uploads ORDER BY id DESC LIMIT ?"
    ))
    .bind(limit)
    .fetch_all(pool)
    .await
}
