//! `gazette backup FILE` and `gazette restore FILE`.
//!
//! A backup is `VACUUM INTO`: one read transaction, so it is a consistent copy of the
//! database as it was when it began, taken while the server keeps serving and writing. It is
//! written beside the destination and renamed into place, so FILE is never half a backup.
//!
//! Restoring replaces the database file, so the server must be stopped: the lock a running
//! server holds (`db::lock`) is checked. The database being replaced is kept beside it
//! (`<name>.before-restore-<time>`), and the restored one is migrated to this version.
//!
//! On PostgreSQL both are PostgreSQL's own tools: `pg_dump` (custom format, consistent
//! while the servers keep running) and `pg_restore` into the database, in one transaction;
//! every Gazette server on it must be stopped for a restore, which no lock can check.

use std::path::Path;

use super::cli::Cli;
use crate::db;
use crate::server::config::Config;

pub async fn run_backup(cli: &Cli, file: &Path) -> Result<(), String> {
    let config = Config::load(&cli.config)?;
    let summary = backup(&config.database_url, file).await?;
    println!("已备份到 {}({summary})", file.display());
    Ok(())
}

pub async fn run_restore(cli: &Cli, file: &Path) -> Result<(), String> {
    let config = Config::load(&cli.config)?;
    let summary = restore(&config.database_url, file).await?;
    println!("已从 {} 恢复数据库({summary})", file.display());
    Ok(())
}

/// Copies the database at `database_url` to `file`; returns what it holds, for the operator.
pub async fn backup(database_url: &str, file: &Path) -> Result<String, String> {
    if file.exists() {
        return Err(format!(
            "{} 已存在;请换一个文件名,备份不会覆盖已有文件",
            file.display()
        ));
    }
    let partial = db::beside(file, ".partial");
    remove_leftover(&partial);
    if db::Backend::of(database_url) == Some(db::Backend::Postgres) {
        let dumped = postgres_tool(
            "pg_dump",
            &["--format=custom", "--no-owner", "--file"],
            &[partial.as_os_str(), database_url.as_ref()],
        );
        if let Err(error) = dumped {
            remove_leftover(&partial);
            return Err(format!("备份失败: {error}"));
        }
        postgres_tool("pg_restore", &["--list"], &[partial.as_os_str()])
            .inspect_err(|_| remove_leftover(&partial))?;
        std::fs::rename(&partial, file).map_err(|e| format!("无法写入 {}: {e}", file.display()))?;
        return Ok("PostgreSQL pg_dump 自定义格式".into());
    }
    let pool = db::connect(database_url).await?;
    let copied = db::backup::copy_into(&pool, &partial).await;
    pool.close().await;
    if let Err(error) = copied {
        remove_leftover(&partial);
        return Err(format!("备份失败: {error}"));
    }
    let summary = check(&partial)
        .await
        .inspect_err(|_| remove_leftover(&partial))?;
    std::fs::rename(&partial, file).map_err(|e| format!("无法写入 {}: {e}", file.display()))?;
    Ok(summary)
}

/// Replaces the database at `database_url` with the backup in `file`.
pub async fn restore(database_url: &str, file: &Path) -> Result<String, String> {
    if db::Backend::of(database_url) == Some(db::Backend::Postgres) {
        postgres_tool("pg_restore", &["--list"], &[file.as_os_str()])
            .map_err(|e| format!("{} 不是有效的 PostgreSQL 备份: {e}", file.display()))?;
        let restored = postgres_tool(
            "pg_restore",
            &[
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
            ],
            &[database_url.as_ref(), file.as_os_str()],
        );
        restored.map_err(|e| format!("恢复失败,数据库未作改动: {e}"))?;
        db::open(database_url).await?.close().await;
        return Ok("PostgreSQL pg_restore".into());
    }
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
        let aside = db::beside(
            &target,
            &format!(".before-restore-{}", crate::server::clock::unix_now()),
        );
        std::fs::rename(&target, &aside)
            .map_err(|e| format!("无法移走当前数据库 {}: {e}", target.display()))?;
        println!("原数据库已保存为 {}", aside.display());
    }
    for leftover in ["-wal", "-shm"] {
        remove_leftover(&db::beside(&target, leftover));
    }
    std::fs::rename(&staged, &target)
        .map_err(|e| format!("无法放置恢复的数据库 {}: {e}", target.display()))?;
    // An older backup is brought up to this version's schema.
    db::connect(database_url).await?.close().await;
    Ok(summary)
}

/// Runs one of PostgreSQL's tools (`pg_dump`, `pg_restore`); its complaint is the error.
fn postgres_tool(tool: &str, flags: &[&str], arguments: &[&std::ffi::OsStr]) -> Result<(), String> {
    let output = std::process::Command::new(tool)
        .args(flags)
        .args(arguments)
        .output()
        .map_err(|e| {
            format!("无法运行 {tool}(PostgreSQL 的客户端工具,Debian 的 postgresql-client): {e}")
        })?;
    if output.status.success() {
        Ok(())
    } else {
        let said = String::from_utf8_lossy(&output.stderr);
        Err(format!("{tool}: {}", said.lines().next().unwrap_or("失败")))
    }
}

/// Whether `file` is a whole Gazette database; what it holds.
async fn check(file: &Path) -> Result<String, String> {
    let not_ours = |reason: String| format!("{} 不是有效的 Gazette 备份: {reason}", file.display());
    if !file.is_file() {
        return Err(not_ours("文件不存在".into()));
    }
    let inspected = db::backup::inspect(file)
        .await
        .map_err(|e| not_ours(e.to_string()))?;
    if inspected.integrity != "ok" {
        return Err(not_ours(format!(
            "完整性检查未通过({})",
            inspected.integrity
        )));
    }
    let bytes = std::fs::metadata(file)
        .map(|m| m.len())
        .map_err(|e| not_ours(e.to_string()))?;
    Ok(format!(
        "{} 篇文章,{:.1} MB",
        inspected.articles,
        bytes as f64 / 1_048_576.0
    ))
}

/// Removes a file a failed or earlier run may have left; there is usually none.
fn remove_leftover(path: &Path) {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => {
            tracing::warn!(%error, path = %path.display(), "could not remove a leftover file")
        }
    }
}
