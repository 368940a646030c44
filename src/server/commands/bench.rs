//! The benchmark's hidden commands: `bench-data` fills a database with generated articles,
//! `bench-static` serves one file's bytes as the limit the site is compared with.

use std::net::SocketAddr;
use std::path::Path;

use super::cli::Cli;
use crate::db;
use crate::server::clock::unix_now;
use crate::server::config::Config;
use crate::server::run::shutdown_signal;

pub async fn data(cli: &Cli, articles: u64) -> Result<(), String> {
    let config = Config::load(&cli.config)?;
    if db::Backend::of(&config.database_url) == Some(db::Backend::Postgres) {
        return Err(
            "生成的文章写入 SQLite 数据库;要在 PostgreSQL 上测试,请用 gazette copy 复制过去".into(),
        );
    }
    let pool = db::connect(&config.database_url).await?;
    let started = std::time::Instant::now();
    let total = db::bench_data::generate(&pool, articles, unix_now()).await?;
    // Closing checkpoints the write-ahead log into the database file.
    pool.close().await;
    println!(
        "已写入 {articles} 篇生成的文章,共 {total} 篇,用时 {:.1} 秒",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The benchmark's limit: the same bytes as a page, from memory, by the same HTTP stack.
pub async fn serve_static(file: &Path, addr: SocketAddr) -> Result<(), String> {
    use axum::http::header::CONTENT_TYPE;
    use axum::routing::get;

    let body = axum::body::Bytes::from(
        std::fs::read(file).map_err(|e| format!("无法读取 {}: {e}", file.display()))?,
    );
    let page = move || {
        let body = body.clone();
        async move { ([(CONTENT_TYPE, "text/html; charset=utf-8")], body) }
    };
    let app = axum::Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .fallback(get(page));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("无法监听 {addr}: {e}"))?;
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| e.to_string())
}
