//! Databases of their own on the PostgreSQL server `scripts/test` starts
//! (`GAZETTE_TEST_POSTGRES`), for tests of the binary on PostgreSQL.

use sqlx::ConnectOptions;
use sqlx::postgres::{PgConnectOptions, PgConnection};

/// The test server's address; `None` (the test then says it was skipped) under a plain
/// `cargo test`.
pub fn server() -> Option<String> {
    let server = std::env::var("GAZETTE_TEST_POSTGRES").ok();
    if server.is_none() {
        eprintln!("GAZETTE_TEST_POSTGRES is not set (scripts/test sets it): skipped");
    }
    server
}

/// A new, empty database on the server; its address.
pub async fn new_database(server: &str, purpose: &str) -> String {
    let name = format!("gazette_{purpose}_{}", uuid::Uuid::new_v4().simple());
    let mut admin = connect(server).await;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    // The same server, another database: the last part of the path names it.
    let (address, options) = server.split_once('?').unwrap_or((server, ""));
    let (server_part, _) = address.rsplit_once('/').unwrap();
    format!("{server_part}/{name}?{options}")
}

pub async fn connect(database: &str) -> PgConnection {
    database
        .parse::<PgConnectOptions>()
        .unwrap()
        .connect()
        .await
        .unwrap()
}

/// The number `query` answers.
pub async fn number(database: &str, query: &str) -> i64 {
    sqlx::query_scalar(query)
        .fetch_one(&mut connect(database).await)
        .await
        .unwrap()
}
