//! `gazette serve`: opening the database, listening, serving until SIGTERM or Ctrl-C, and
//! the graceful stop that writes the last counted views.

use std::net::SocketAddr;
use std::path::Path;

use super::bundle;
use super::commands::cli::Cli;
use super::commands::users::create_demo_admin;
use super::config::Config;
use super::handlers::uploads;
use super::http::{precompress, router};
use super::state::{AppState, leptos_options};
use super::tasks;
use crate::db;

pub async fn serve(cli: &Cli) -> Result<(), String> {
    let config = Config::load(&cli.config)?;
    // Before the database is touched: a wrong bundle is fixed by deploying again.
    let options = leptos_options(&config);
    bundle::check(
        Path::new(options.site_root.as_ref()),
        options.site_pkg_dir.as_ref(),
        options.output_name.as_ref(),
    )?;
    let _lock = db::lock::hold(&config.database_url)?;
    let pool = db::open(&config.database_url).await?;
    uploads::check_folder(&config.uploads_dir)?;
    if cli.demo
        && db::demo::load_if_empty(&pool)
            .await
            .map_err(|e| e.to_string())?
    {
        tracing::info!("loaded the demo content into the empty database");
    }
    if cli.demo {
        create_demo_admin(&pool).await?;
    }
    let state = AppState::new(pool.clone(), config);
    let address = state.config.site_addr;
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|e| listen_failure(address, &e))?;
    tokio::spawn(tasks::prune_expired(pool.clone()));
    precompress::spawn(state.config.site_root.clone().into());
    let (stop_writing, stopped) = tokio::sync::oneshot::channel();
    let writing = tokio::spawn(tasks::keep_writing(state.clone(), stopped));
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
    // database cleanly. Stopped, not aborted: a write under way finishes, or the counts it
    // took would be lost. A writer that already ended has nothing left to tell.
    let _ = stop_writing.send(());
    if let Err(error) = writing.await {
        tracing::error!(%error, "the view count writer ended abnormally");
    }
    tasks::write_buffered(&state_for_shutdown).await;
    pool.close().await;
    served
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

/// Resolves at SIGTERM (a service manager's stop) or Ctrl-C.
pub async fn shutdown_signal() {
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
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM; stop with Ctrl-C");
                std::future::pending::<()>().await
            }
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
