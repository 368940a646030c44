//! `gazette import dedecms DUMP.sql` and `gazette import wordpress EXPORT.xml`.
//!
//! The server must be stopped: the import is one transaction that may take a minute, and a
//! running server would go on serving pages it cached before. The database lock a running
//! server holds (`db::lock`) decides, as for `gazette restore`.

use super::cli::{Cli, ImportFrom};
use crate::db;
use crate::server::config::Config;
use crate::server::import::text::Encoding;
use crate::server::import::{ImportOptions, import_dedecms, import_wordpress};

pub async fn run(cli: &Cli, from: &ImportFrom) -> Result<(), String> {
    let config = Config::load(&cli.config)?;
    if db::Backend::of(&config.database_url) == Some(db::Backend::Postgres) {
        return Err(
            "导入写入 SQLite 数据库;PostgreSQL 上的站点请先导入到一个 SQLite 数据库,\
             再用 gazette copy --from sqlite://… --to postgres://… 复制过去"
                .into(),
        );
    }
    let _lock = db::lock::hold(&config.database_url)?;
    let pool = db::connect(&config.database_url).await?;
    let options = |file: &std::path::Path,
                   uploads: &Option<std::path::PathBuf>,
                   base_url: &Option<String>,
                   dry_run: bool| ImportOptions {
        file: file.to_path_buf(),
        uploads_from: uploads.clone(),
        uploads_to: config.uploads_dir.clone(),
        base_url: base_url.clone(),
        encoding: None,
        dry_run,
    };
    let started = std::time::Instant::now();
    let report = match from {
        ImportFrom::Dedecms {
            dump,
            uploads,
            base_url,
            encoding,
            dry_run,
        } => {
            let mut options = options(dump, uploads, base_url, *dry_run);
            options.encoding = encoding.as_deref().and_then(Encoding::from_mysql);
            import_dedecms(&pool, &options).await
        }
        ImportFrom::Wordpress {
            export,
            uploads,
            base_url,
            dry_run,
        } => import_wordpress(&pool, &options(export, uploads, base_url, *dry_run)).await,
    };
    pool.close().await;
    let report = report?;
    print!("{report}");
    println!("用时 {:.1} 秒", started.elapsed().as_secs_f64());
    Ok(())
}
