//! Files editors uploaded: the record of each stored file.

use super::store::{Dialect, Exec, on_backend};
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

pub async fn create(db: impl Into<Exec<'_>>, upload: &NewUpload<'_>) -> sqlx::Result<i64> {
    on_backend!(db, |conn, _sql| {
        sqlx::query_scalar(
            "INSERT INTO uploads (stored_name, original_name, content_type, size_bytes, sha256,
                                  owner_id, source_url)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(upload.stored_name)
        .bind(upload.original_name)
        .bind(upload.content_type)
        .bind(upload.size_bytes)
        .bind(upload.sha256)
        .bind(upload.owner_id)
        .bind(upload.source_url)
        .fetch_one(&mut *conn)
        .await
    })
}

fn columns(sql: &Dialect) -> String {
    format!(
        "id, stored_name, original_name, content_type, size_bytes, source_url, {} AS created",
        sql.shanghai_minutes("created_at")
    )
}

pub async fn find(db: impl Into<Exec<'_>>, stored_name: &str) -> sqlx::Result<Option<UploadRow>> {
    on_backend!(db, |conn, sql| {
        sqlx::query_as(&format!(
            "SELECT {} FROM uploads WHERE stored_name = $1",
            columns(sql)
        ))
        .bind(stored_name)
        .fetch_optional(&mut *conn)
        .await
    })
}

pub async fn recent(db: impl Into<Exec<'_>>, limit: i64) -> sqlx::Result<Vec<UploadRow>> {
    on_backend!(db, |conn, sql| {
        sqlx::query_as(&format!(
            "SELECT {} FROM uploads ORDER BY id DESC LIMIT $1",
            columns(sql)
        ))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
    })
}
