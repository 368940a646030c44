//! `gazette backup FILE` and `gazette restore FILE`.
//!
//! A backup is `VACUUM INTO`: one read transaction, so it is a consistent copy of the
//! database as it was when it began, taken while the server keeps serving and writing. It is
//! written beside the destination and renamed into place, so FILE is never half a backup.
//!
//! Restoring replaces the database file, so the server must be stopped: the lock a running
//! server holds (`db::lock`) is checked. The database being replaced is kept beside it
//! (`<name>.before-restore-<time>`), and the restored one is migrated to this version.

use std::path::Path;

use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

use crate::db;

/// Copies the database at `database_url` to `file`; returns what it holds, for the operator.
pub async fn backup(database_url: &str, file: &Path) -> Result<String, String> {
    if file.exists() {
        return Err(format!(
            "{} 已存在;请换一个文件名,备份不会覆盖已有文件",
            file.display()
        ));
    }
    let partial = db::beside(file, ".partial");
    let _ = std::fs::remove_file(&partial);
    let pool = db::connect(database_url).await?;
    let copied = sqlx::query("VACUUM INTO ?")
        .bind(partial.display().to_string())
        .execute(&pool)
        .await;
    pool.close().await;
    if let Err(error) = copied {
        let _ = std::fs::remove_file(&partial);
        return Err(format!("备份失败: {error}"));
    }
    let summary = check(&partial).await.inspect_err(|_| {
        let _ = std::fs::remove_file(&partial);
    })?;
    std::fs::rename(&partial, file).map_err(|e| format!("无法写入 {}: {e}", file.display()))?;
    Ok(summary)
}

/// Replaces the database at `database_url` with the backup in `file`.
pub async fn restore(database_url: &str, file: &Path) -> Result<String, String> {
    let summary = check(file).await?;
    let target = db::file_path(database_url)
        .ok_or_else(|| format!("只能恢复到数据库文件,不能恢复到 {database_url}"))?;
    let _lock = db::lock::hold(database_url)?;
    let staged = db::beside(&target, ".restoring");
    std::fs::copy(file, &staged).map_err(|e| format!("无法复制 {}: {e}", file.display()))?;
    std::fs::File::open(&staged)
        .and_then(|copy| copy.sync_all())
        .map_err(|e| format!("无法写入 {}: {e}", staged.display()))?;
    if target.exists() {
        // Opening and closing the database folds its write-ahead log into the file, so
        // the copy kept aside is whole.
        db::connect(database_url).await?.close().await;
        let aside = db::beside(&target, &format!(".before-restore-{}", super::unix_now()));
        std::fs::rename(&target, &aside)
            .map_err(|e| format!("无法移走当前数据库 {}: {e}", target.display()))?;
        println!("原数据库已保存为 {}", aside.display());
    }
    for leftover in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(db::beside(&target, leftover));
    }
    std::fs::rename(&staged, &target)
        .map_err(|e| format!("无法放置恢复的数据库 {}: {e}", target.display()))?;
    // An older backup is brought up to this version's schema.
    db::connect(database_url).await?.close().await;
    Ok(summary)
}

/// Whether `file` is a whole Gazette database; what it holds.
async fn check(file: &Path) -> Result<String, String> {
    let not_ours = |reason: String| format!("{} 不是有效的 Gazette 备份: {reason}", file.display());
    if !file.is_file() {
        return Err(not_ours("文件不存在".into()));
    }
    let options = SqliteConnectOptions::new().filename(file).read_only(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(|e| not_ours(e.to_string()))?;
    let checked: Result<(String, i64), sqlx::Error> = async {
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&pool)
            .await?;
        let articles: i64 = sqlx::query_scalar("SELECT count(*) FROM articles")
            .fetch_one(&pool)
            .await?;
        // A Gazette database records its migrations.
        sqlx::query("SELECT 1 FROM _sqlx_migrations LIMIT 1")
            .fetch_optional(&pool)
            .await?;
        Ok((integrity, articles))
    }
    .await;
    pool.close().await;
    let (integrity, articles) = checked.map_err(|e| not_ours(e.to_string()))?;
    if integrity != "ok" {
        return Err(not_ours(format!("完整性检查未通过({integrity})")));
    }
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or_default();
    Ok(format!(
        "{articles} 篇文章,{:.1} MB",
        bytes as f64 / 1_048_576.0
    ))
}
