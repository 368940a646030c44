//! Uploaded images and attachments: accepted by their content (not their name), stored under
//! generated names outside the code, and served with their type, `nosniff`, and attachments
//! as downloads under their original names.

use axum::Json;
use axum::body::Body;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};

use crate::db;
use crate::db::uploads::NewUpload;
use crate::error::AppError;
use crate::model::{Permission, encode};
use crate::server::auth::session::CurrentUser;
use crate::server::http::path_param::PathParam;
use crate::server::state::AppState;

/// Accepted types, as detected from the first bytes of the file, with the extension the
/// stored copy gets.
const ACCEPTED: [(&str, &str); 9] = [
    ("image/jpeg", "jpg"),
    ("image/png", "png"),
    ("image/webp", "webp"),
    ("image/gif", "gif"),
    ("application/pdf", "pdf"),
    ("application/msword", "doc"),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    ("application/vnd.ms-excel", "xls"),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
];

const MAX_NAME_CHARS: usize = 100;

#[derive(serde::Serialize, Debug)]
pub struct Uploaded {
    pub url: String,
    pub name: String,
    pub is_image: bool,
}

/// `POST /admin/uploads`: a multipart form with one `file`. Scripts asking for JSON get the
/// stored file's address; a plain form is sent back to the uploads page.
pub async fn upload(
    State(state): State<AppState>,
    axum::Extension(current): axum::Extension<CurrentUser>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.contains("application/json"));
    let result = match current.user {
        None => Err((StatusCode::UNAUTHORIZED, "请先登录".to_string())),
        Some(user) if !user.may(Permission::Write) => {
            Err((StatusCode::FORBIDDEN, "您没有权限上传文件".to_string()))
        }
        Some(user) => store(&state, user.id, multipart).await,
    };
    match (result, wants_json) {
        (Ok(uploaded), true) => Json(uploaded).into_response(),
        (Ok(uploaded), false) => Redirect::to(&format!(
            "/admin/uploads?uploaded={}",
            encode(&uploaded.url)
        ))
        .into_response(),
        (Err((status, message)), true) => {
            (status, Json(serde_json::json!({ "error": message }))).into_response()
        }
        (Err((_, message)), false) => {
            Redirect::to(&format!("/admin/uploads?error={}", encode(&message))).into_response()
        }
    }
}

async fn store(
    state: &AppState,
    owner_id: i64,
    mut multipart: Multipart,
) -> Result<Uploaded, (StatusCode, String)> {
    let max = state.config.upload_max_bytes;
    let bad = |message: &str| (StatusCode::BAD_REQUEST, message.to_string());
    let unreadable = |error: axum::extract::multipart::MultipartError| {
        if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large(max)
        } else {
            bad("上传的内容格式不正确,请重新选择文件上传")
        }
    };
    let field = loop {
        match multipart.next_field().await.map_err(unreadable)? {
            Some(field) if field.name() == Some("file") => break field,
            Some(_) => continue,
            None => return Err(bad("请选择要上传的文件")),
        }
    };
    let original_name = clean_file_name(field.file_name().unwrap_or(""));
    let bytes = field.bytes().await.map_err(unreadable)?;
    keep(state, owner_id, &original_name, &bytes, "").await
}

/// Stores `bytes` as an upload of `owner_id` if their content is of an accepted type and
/// they are not too large. `source_url` is where the server fetched them from, if it did.
pub async fn keep(
    state: &AppState,
    owner_id: i64,
    original_name: &str,
    bytes: &[u8],
    source_url: &str,
) -> Result<Uploaded, (StatusCode, String)> {
    let max = state.config.upload_max_bytes;
    let bad = |message: &str| (StatusCode::BAD_REQUEST, message.to_string());
    if bytes.is_empty() {
        return Err(bad("文件是空的"));
    }
    if bytes.len() as u64 > max {
        return Err(too_large(max));
    }
    let (content_type, extension) = detect(bytes).ok_or_else(|| {
        bad("不支持的文件类型:只能上传 JPEG、PNG、WebP、GIF 图片和 PDF、Word、Excel 文件")
    })?;
    let stored_name = format!("{}.{extension}", uuid::Uuid::new_v4().simple());
    let folder = &state.config.uploads_dir;
    let internal = |error: std::io::Error| {
        tracing::error!(%error, folder = %folder.display(), "could not store an upload");
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "文件保存失败:服务器存储空间不可用,请联系管理员".to_string(),
        )
    };
    tokio::fs::create_dir_all(folder).await.map_err(internal)?;
    tokio::fs::write(folder.join(&stored_name), bytes)
        .await
        .map_err(internal)?;
    let sha256: String = Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let record = NewUpload {
        stored_name: &stored_name,
        original_name,
        content_type,
        size_bytes: bytes.len() as i64,
        sha256: &sha256,
        owner_id,
        source_url,
    };
    if let Err(error) = db::uploads::create(&state.pool, &record).await {
        let _ = tokio::fs::remove_file(folder.join(&stored_name)).await;
        let error = AppError::from(error);
        let status =
            StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return Err((status, format!("文件保存失败:{error}")));
    }
    Ok(Uploaded {
        url: format!("/uploads/{stored_name}"),
        name: original_name.to_string(),
        is_image: content_type.starts_with("image/"),
    })
}

/// The accepted type of these bytes, judged by their content alone.
pub fn detect(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    let kind = infer::get(bytes)?;
    ACCEPTED
        .into_iter()
        .find(|(mime, _)| *mime == kind.mime_type())
}

/// The answer to a file over the size limit.
pub fn too_large(max: u64) -> (StatusCode, String) {
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("文件太大:最大 {}", size_text(max)),
    )
}

/// A size limit as an editor reads it: 10 MB, 512 KB.
fn size_text(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// The name a file was uploaded under, made safe to show and to offer as a download name:
/// no folders, no control characters, not too long.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '|' | '*' | '?' | ':'))
        .take(MAX_NAME_CHARS)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "附件".into()
    } else {
        cleaned
    }
}

/// Checked at start: the uploads folder exists or can be made, and can be written.
pub fn check_folder(folder: &std::path::Path) -> Result<(), String> {
    let unusable = |e: std::io::Error| format!("上传目录 {} 不可用: {e}", folder.display());
    std::fs::create_dir_all(folder).map_err(unusable)?;
    let probe = folder.join(".write-check");
    std::fs::write(&probe, b"").map_err(unusable)?;
    std::fs::remove_file(&probe).map_err(unusable)
}

/// `GET /uploads/{name}`.
pub async fn serve(State(state): State<AppState>, PathParam(name): PathParam) -> Response {
    let is_generated_name = name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.')
        && !name.starts_with('.');
    if !is_generated_name {
        return (StatusCode::NOT_FOUND, "文件不存在").into_response();
    }
    let record = match db::uploads::find(&state.pool, &name).await {
        Ok(Some(record)) => record,
        Ok(None) => return (StatusCode::NOT_FOUND, "文件不存在").into_response(),
        Err(error) => {
            tracing::error!(%error, "upload lookup failed");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "服务器暂时无法处理您的请求",
            )
                .into_response();
        }
    };
    let bytes = match tokio::fs::read(state.config.uploads_dir.join(&record.stored_name)).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, name, "uploaded file missing");
            return (StatusCode::NOT_FOUND, "文件不存在").into_response();
        }
    };
    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    let content_type = HeaderValue::from_str(&record.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    headers.insert(header::CONTENT_TYPE, content_type);
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Stored names never change content.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    if !record.is_image()
        && let Ok(value) = HeaderValue::from_str(&format!(
            "attachment; filename*=UTF-8''{}",
            encode(&record.original_name)
        ))
    {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_read_in_kilobytes_or_megabytes() {
        assert_eq!(size_text(10 * 1024 * 1024), "10.0 MB");
        assert_eq!(size_text(1024), "1 KB");
        assert_eq!(size_text(1500), "2 KB");
    }

    const PNG: &[u8] =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

    #[test]
    fn types_come_from_content_not_names() {
        assert_eq!(detect(PNG), Some(("image/png", "png")));
        assert_eq!(detect(b"%PDF-1.7\n"), Some(("application/pdf", "pdf")));
        assert_eq!(detect(b"<html><script>alert(1)</script></html>"), None);
        assert_eq!(
            detect(b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>"),
            None
        );
        assert_eq!(detect(b"MZ\x90\0"), None, "executables are refused");
        assert_eq!(detect(b"#!/bin/sh\nrm -rf /"), None);
    }

    #[test]
    fn file_names_lose_folders_and_control_characters() {
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("C:\\Users\\a\\通知.docx"), "通知.docx");
        assert_eq!(clean_file_name("a\u{0}b\r\n.pdf"), "ab.pdf");
        assert_eq!(clean_file_name("\"<x>\".pdf"), "x.pdf");
        assert_eq!(clean_file_name(".htaccess"), "htaccess");
        assert_eq!(clean_file_name(""), "附件");
        assert_eq!(clean_file_name(&"长".repeat(300)).chars().count(), 100);
    }
}
