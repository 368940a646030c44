//! The server: command line, configuration, state and the HTTP router.

pub mod api_status;
pub mod article_edits;
pub mod backup;
pub mod cli;
pub mod config;
pub mod cookies;
pub mod feeds;
pub mod form_drafts;
pub mod hot_queries;
pub mod page_cache;
pub mod password;
pub mod path_param;
pub mod precompress;
pub mod rate_limit;
pub mod reading;
pub mod request_body;
pub mod request_log;
pub mod revision_diff;
pub mod router;
pub mod same_origin;
pub mod sanitize;
pub mod security_headers;
pub mod session;
pub mod sign_in_throttle;
pub mod sitemap;
pub mod state;
pub mod uploads;
pub mod users;
pub mod view_counter;
pub mod visitor;
pub mod workflow;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use sqlx::SqlitePool;

use self::cli::{Cli, Command};
use self::config::Config;
use self::state::AppState;
use crate::db;

/// How often expired views and sessions are forgotten.
const PRUNE_EVERY: Duration = Duration::from_secs(10 * 60);

/// Runs the command line; every failure ends in a one-line reason and a non-zero exit.
pub async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let result = match cli.command.clone().unwrap_or(Command::Serve) {
        Command::Serve => serve(&cli).await,
        Command::RebuildSearch => rebuild_search(&cli).await,
        Command::Backup { file } => backup_database(&cli, &file).await,
        Command::Restore { file } => restore_database(&cli, &file).await,
        Command::User { action } => users::run(&cli, action).await,
        Command::BenchData { articles } => bench_data(&cli, articles).await,
        Command::BenchStatic { file, addr } => bench_static(&file, addr).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(reason) => {
            eprintln!("gazette: {reason}");
            ExitCode::FAILURE
        }
    }
}

/// Logs at `RUST_LOG` (default `info`: a line per request), as text, or as one JSON object
/// a line with `GAZETTE_LOG_FORMAT=json`.
fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter);
    if std::env::var("GAZETTE_LOG_FORMAT").is_ok_and(|format| format == "json") {
        logs.json().init();
    } else {
        logs.init();
    }
}

async fn serve(cli: &Cli) -> Result<(), String> {
    let config = Config::load(&cli.config)?;
    let _lock = db::lock::hold(&config.database_url)?;
    let pool = db::connect(&config.database_url).await?;
    uploads::check_folder(&config.uploads_dir)?;
    if cli.demo
        && db::demo::load_if_empty(&pool)
            .await
            .map_err(|e| e.to_string())?
    {
        tracing::info!("loaded the demo content into the empty database");
    }
    if cli.demo {
        users::create_demo_admin(&pool).await?;
    }
    let state = AppState::new(pool.clone(), config);
    let address = state.config.site_addr;
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|e| listen_failure(address, &e))?;
    tokio::spawn(prune_expired(pool.clone()));
    precompress::spawn(state.config.site_root.clone().into());
    let (stop_writing, stopped) = tokio::sync::oneshot::channel();
    let writing = tokio::spawn(keep_writing(state.clone(), stopped));
    println!("Gazette 已启动: {}", state.config.public_base_url);
    let state_for_shutdown = state.clone();
    let app = router::build(state, router::page_routes());
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| format!("服务器异常退出: {e}"));
    // Requests have finished: write the views counted since the last write, then close the
    // database cleanly.
    // Stopped, not aborted: a write under way finishes, or the counts it took would be lost.
    let _ = stop_writing.send(());
    let _ = writing.await;
    write_buffered(&state_for_shutdown).await;
    pool.close().await;
    served
}

async fn backup_database(cli: &Cli, file: &std::path::Path) -> Result<(), String> {
    let config = Config::load(&cli.config)?;
    let summary = backup::backup(&config.database_url, file).await?;
    println!("已备份到 {}({summary})", file.display());
    Ok(())
}

async fn restore_database(cli: &Cli, file: &std::path::Path) -> Result<(), String> {
    let config = Config::load(&cli.config)?;
    let summary = backup::restore(&config.database_url, file).await?;
    println!("已从 {} 恢复数据库({summary})", file.display());
    Ok(())
}

fn listen_failure(address: SocketAddr, error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::AddrInUse => format!(
            "无法监听 {address}: 端口 {} 已被其他程序占用;请停止它,或用 site_addr 换一个端口",
            address.port()
        ),
        std::io::ErrorKind::PermissionDenied => format!(
            "无法监听 {address}: 没有使用端口 {} 的权限;1024 以下的端口需要管理员权限",
            address.port()
        ),
        _ => format!("无法监听 {address}: {error}"),
    }
}

async fn rebuild_search(cli: &Cli) -> Result<(), String> {
    let config = Config::load(&cli.config)?;
    let pool = db::connect(&config.database_url).await?;
    let indexed = db::search::rebuild(&pool)
        .await
        .map_err(|e| format!("重建搜索索引失败: {e}"))?;
    println!("搜索索引已重建,共 {indexed} 篇文章");
    Ok(())
}

async fn bench_data(cli: &Cli, articles: u64) -> Result<(), String> {
    let config = Config::load(&cli.config)?;
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
async fn bench_static(file: &std::path::Path, addr: SocketAddr) -> Result<(), String> {
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

/// Writes counted views and logged searches once a second, until told to stop.
async fn keep_writing(state: AppState, mut stop: tokio::sync::oneshot::Receiver<()>) {
    let mut interval = tokio::time::interval(view_counter::FLUSH_EVERY);
    loop {
        tokio::select! {
            _ = interval.tick() => write_buffered(&state).await,
            _ = &mut stop => return,
        }
    }
}

async fn write_buffered(state: &AppState) {
    if let Err(error) = state.view_counter.flush(&state.pool).await {
        tracing::warn!(%error, "could not write view counts; they are kept for the next try");
    }
    if let Err(error) = state.search_log.flush(&state.pool).await {
        tracing::warn!(%error, "could not log searches; they are kept for the next try");
    }
}

/// Forgets views that can no longer stop a view from counting, expired sessions, and
/// searches too old to count towards 热门搜索 (else the log grows with every search).
async fn prune_expired(pool: SqlitePool) {
    let mut interval = tokio::time::interval(PRUNE_EVERY);
    loop {
        interval.tick().await;
        if let Err(error) = db::views::prune(&pool, unix_now()).await {
            tracing::warn!(%error, "could not prune old views");
        }
        if let Err(error) = db::sessions::delete_expired(&pool, unix_now()).await {
            tracing::warn!(%error, "could not remove expired sessions");
        }
        let too_old = unix_now() - hot_queries::LOOK_BACK_SECONDS;
        if let Err(error) = db::search::prune_log(&pool, too_old).await {
            tracing::warn!(%error, "could not prune the search log");
        }
    }
}

/// Where a form goes after it succeeded: back to `path`, telling the page what was `done`.
/// A fresh `n` makes each answer a new address, so the page reloads its data even when the
/// same form is saved twice.
pub fn done_url(path: &str, done: &str) -> String {
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    let separator = if path.contains('?') { '&' } else { '?' };
    format!("{path}{separator}done={done}&n={}", &nonce[..8])
}

/// The address a server function's request came from, or "unknown" without one (tests).
pub async fn client_address() -> String {
    use axum::extract::ConnectInfo;
    leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .map(|ConnectInfo(address)| address.ip().to_string())
        .unwrap_or_else(|_| "unknown".into())
}

/// Whether a response is an HTML page (what the page cache keeps and the content
/// security policy covers).
pub fn is_html(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|kind| kind.starts_with("text/html"))
}

pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs() as i64)
        .unwrap_or_default()
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
