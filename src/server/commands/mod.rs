//! Everything `gazette <sub>` runs: the command line, dispatch, and the commands other than
//! serving (users, backup and restore, the search index, benchmark data). Never on a
//! request path.

pub mod backup;
pub mod bench;
pub mod cli;
pub mod copy;
pub mod import;
pub mod search_index;
pub mod users;

use std::process::ExitCode;

use clap::Parser;

use self::cli::{Cli, Command};

/// Runs the command line; every failure ends in a one-line reason and a non-zero exit.
pub async fn main() -> ExitCode {
    let cli = Cli::parse();
    // Kept to the end: dropping it writes out the last lines.
    let _logs = init_logging();
    let result = match cli.command.clone().unwrap_or(Command::Serve) {
        Command::Serve => super::run::serve(&cli).await,
        Command::RebuildSearch => search_index::rebuild(&cli).await,
        Command::Copy { from, to } => copy::run(&from, &to).await,
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
/// a line with `GAZETTE_LOG_FORMAT=json`, to standard output. A thread of its own writes the
/// lines, several to a system call when requests come quickly; a request waits for it only
/// when 128,000 lines are queued (nothing is dropped).
fn init_logging() -> tracing_appender::non_blocking::WorkerGuard {
    use crate::server::http::log_format::{LogFormat, LogWriter, NamingRequests};
    use crate::server::http::request_log;
    use tracing_subscriber::EnvFilter;
    use tracing_subscriber::fmt::format;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .thread_name("gazette-log")
        .finish(std::io::BufWriter::new(std::io::stdout()));
    // Colours for a terminal only: a journal or a file gets plain lines.
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let json = std::env::var("GAZETTE_LOG_FORMAT").is_ok_and(|format| format == "json");
    let line_format = if json {
        LogFormat::Json
    } else {
        LogFormat::Text { ansi: terminal }
    };
    request_log::write_lines_to(LogWriter::new(writer.clone(), line_format));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(terminal)
        .with_writer(writer);
    if json {
        logs.json()
            .event_format(NamingRequests::new(format().json(), true))
            .init();
    } else {
        logs.event_format(NamingRequests::new(format(), false))
            .init();
    }
    guard
}
