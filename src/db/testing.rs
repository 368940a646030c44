//! Fresh, migrated databases of each backend for the database tests.
//!
//! `scripts/test` starts a throwaway PostgreSQL server and names its `postgres` database in
//! `GAZETTE_TEST_POSTGRES`; each test gets a database of its own there, dropped at the end.
//! Without that variable (a plain `cargo test`) the tests run on SQLite alone and say so.

use std::str::FromStr;

use sqlx::ConnectOptions;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use super::store::{Backend, Store};

const POSTGRES_VARIABLE: &str = "GAZETTE_TEST_POSTGRES";

/// Runs `test` on a new SQLite database, then on a new PostgreSQL database when there is a
/// server to make one on. A failure names the backend it happened on.
pub async fn on_each_backend(test: impl AsyncFn(Store)) {
    let folder = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/site.db", folder.path().display());
    let store = super::open(&url).await.unwrap();
    test(store.clone()).await;
    store.close().await;

    match std::env::var(POSTGRES_VARIABLE) {
        Ok(server) => {
            let database = FreshPostgres::create(&server).await;
            test(database.store.clone()).await;
            database.drop().await;
        }
        Err(_) => eprintln!("{POSTGRES_VARIABLE} is not set: this test ran on SQLite only"),
    }
}

/// A database of its own on the test server.
pub struct FreshPostgres {
    pub store: Store,
    name: String,
    server: PgConnectOptions,
}

impl FreshPostgres {
    pub async fn create(server: &str) -> FreshPostgres {
        let server = PgConnectOptions::from_str(server)
            .unwrap_or_else(|e| panic!("{POSTGRES_VARIABLE} is not a PostgreSQL address: {e}"));
        let name = format!("gazette_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = server.connect().await.unwrap_or_else(|e| {
            panic!("{POSTGRES_VARIABLE} names a server that does not answer: {e}")
        });
        // A name of our own making: letters, digits and underscores only.
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .unwrap();
        let pool = PgPoolOptions::new()
            .max_connections(4)
            .connect_with(server.clone().database(&name))
            .await
            .unwrap();
        super::migrate_postgres(&pool).await.unwrap();
        FreshPostgres {
            store: Store::Postgres(pool),
            name,
            server,
        }
    }

    pub async fn drop(self) {
        self.store.close().await;
        let mut admin = self.server.connect().await.unwrap();
        sqlx::query(&format!("DROP DATABASE {} WITH (FORCE)", self.name))
            .execute(&mut admin)
            .await
            .unwrap();
    }
}

/// Which backend a failing assertion ran on, for its message.
pub fn named(store: &Store) -> &'static str {
    match store.backend() {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    }
}
