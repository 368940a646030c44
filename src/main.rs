//! The `gazette` server binary.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    gazette::server::commands::main().await
}
