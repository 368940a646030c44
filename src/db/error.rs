//! The one error of the storage layer, and how it reaches an editor or an operator.
//!
//! A refusal (a taken name, a stale version, a rule of the category tree) carries words for
//! the editor; a database failure keeps the `sqlx::Error` itself, so that a full disk or a
//! read-only database reads the same wherever it happens.

use crate::error::AppError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// 404: the thing to change does not exist; the message names it (for the command line).
    #[error("{0}")]
    NotFound(String),
    /// 400: a rule of the data refused the change; the message says which.
    #[error("{0}")]
    Refused(String),
    /// 409: someone saved after the editor opened the article: who and when.
    #[error("{by} 在 {at} 修改了这篇文章")]
    Stale { by: String, at: String },
    /// The database failed. Shown to operators (the command line) with its cause; editors
    /// get `AppError`'s words for it.
    #[error("{}", describe(.0))]
    Database(#[from] sqlx::Error),
}

impl StoreError {
    /// Whether `error` broke a `UNIQUE` constraint (recognised by its kind, not its text).
    pub fn is_unique_violation(error: &sqlx::Error) -> bool {
        error
            .as_database_error()
            .is_some_and(|db| db.kind() == sqlx::error::ErrorKind::UniqueViolation)
    }
}

/// Two errors are alike when they are the same refusal; database failures by their text.
impl PartialEq for StoreError {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (StoreError::NotFound(a), StoreError::NotFound(b))
            | (StoreError::Refused(a), StoreError::Refused(b)) => a == b,
            (StoreError::Stale { by, at }, StoreError::Stale { by: by2, at: at2 }) => {
                by == by2 && at == at2
            }
            (StoreError::Database(a), StoreError::Database(b)) => a.to_string() == b.to_string(),
            _ => false,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound(_) => AppError::NotFound,
            StoreError::Refused(message) => AppError::BadRequest(message),
            StoreError::Stale { by, at } => AppError::Conflict(format!(
                "保存失败:{by} 在 {at} 修改了这篇文章。您填写的内容仍在表单中,\
                 请先复制保存,再刷新页面查看最新版本后重新修改"
            )),
            StoreError::Database(error) => AppError::from(error),
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        if let Some(problem) = storage_problem(&error) {
            tracing::error!(%error, "the database cannot be written");
            return AppError::Unavailable(problem.into());
        }
        tracing::error!(%error, "database error");
        AppError::Internal
    }
}

fn describe(error: &sqlx::Error) -> String {
    match storage_problem(error) {
        Some(problem) => problem.to_string(),
        None => format!("数据库错误: {error}"),
    }
}

/// What an editor is told when the database cannot be written: the disk is full, or the
/// database or its folder is read-only. Pages still read.
fn storage_problem(error: &sqlx::Error) -> Option<&'static str> {
    const SQLITE_READONLY: i64 = 8;
    const SQLITE_IOERR: i64 = 10;
    const SQLITE_FULL: i64 = 13;
    const SQLITE_CANTOPEN: i64 = 14;
    let code: i64 = error.as_database_error()?.code()?.parse().ok()?;
    // Extended result codes keep the primary code in the low byte.
    match code & 0xff {
        SQLITE_FULL => Some("服务器磁盘已满,未能保存。请联系网站管理员清理空间后再试"),
        SQLITE_READONLY => Some("数据库目前只读,未能保存。请联系网站管理员后再试"),
        SQLITE_IOERR | SQLITE_CANTOPEN => {
            Some("服务器无法写入数据,未能保存。请联系网站管理员后再试")
        }
        _ => None,
    }
}
