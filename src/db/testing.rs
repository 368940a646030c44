//! Fresh, migrated databases of each backend for the database tests.
//!
//! `scripts/test` starts a throwaway PostgreSQL server and names its `postgres` database in
//! `GAZETTE_TEST_POSTGRES`; each test gets a database of its own there, dropped at the end.
//! Without that variable (a plain `cargo test`) the tests run on SQLite alone and say so.

use std::str::FromStr;

use sqlx::ConnectOptions;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use super::store::{Backend, Store, on_backend};

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

/// Runs statements written alike for both dialects (setting a test up).
pub async fn execute(store: &Store, statements: &str) {
    let done: sqlx::Result<()> = async {
        on_backend!(store, |conn, _sql| {
            sqlx::raw_sql(statements)
                .execute(&mut *conn)
                .await
                .map(|_| ())
        })
    }
    .await;
    done.unwrap_or_else(|e| panic!("{statements} failed on {}: {e}", named(store)));
}

/// Runs one statement binding `ids` as $1, $2, …; returns the rows it changed.
pub async fn execute_with(store: &Store, statement: &str, ids: &[i64]) -> sqlx::Result<u64> {
    on_backend!(store, |conn, _sql| {
        let mut query = sqlx::query(statement);
        for id in ids {
            query = query.bind(*id);
        }
        query
            .execute(&mut *conn)
            .await
            .map(|done| done.rows_affected())
    })
}

/// The number a query written alike for both dialects answers.
pub async fn number(store: &Store, query: &str) -> i64 {
    let number: sqlx::Result<i64> = async {
        on_backend!(store, |conn, _sql| {
            sqlx::query_scalar(query).fetch_one(&mut *conn).await
        })
    }
    .await;
    number.unwrap_or_else(|e| panic!("{query} failed on {}: {e}", named(store)))
}
