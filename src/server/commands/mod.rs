//! Everything `gazette <sub>` runs: the command line, dispatch, and the commands other than
//! serving (users, backup and restore, the search index, benchmark data). Never on a
//! request path.

pub mod backup;
pub mod bench;
pub mod cli;
pub mod import;
pub mod search_index;
pub mod users;

use std::process::ExitCode;

use clap::Parser;

use self::cli::{Cli, Command};

/// Runs the command line; every failure ends in a one-line reason and a non-zero exit.
pub async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let result = match cli.command.clone().unwrap_or(Command::Serve) {
        Command::Serve => super::run::serve(&cli).await,
        Command::RebuildSearch => search_index::rebuild(&cli).await,
        Command::Backup { file } => backup::run_backup(&cli, &file).await,
        Command::Restore { file } => backup::run_restore(&cli, &file).await,
        Command::Import { from } => import::run(&cli, &from).await,
        Command::User { action } => users::run(&cli, action).await,
        Command::BenchData { articles } => bench::data(&cli, articles).await,
        Command::BenchStatic { file, addr } => bench::serve_static(&file, addr).await,
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
