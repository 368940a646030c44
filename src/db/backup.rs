//! The queries behind `gazette backup` and `restore`: a consistent copy of a live database,
//! and a look inside a copy before it is trusted.

use std::path::Path;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

/// Writes a consistent copy of the database to `file` (`VACUUM INTO`: one read
/// transaction, while the server keeps serving and writing).
pub async fn copy_into(pool: &SqlitePool, file: &Path) -> sqlx::Result<()> {
    sqlx::query("VACUUM INTO ?")
        .bind(file.display().to_string())
        .execute(pool)
        .await
        .map(|_| ())
}

/// What a database file holds, as read-only checks found it.
pub struct Inspection {
    /// `PRAGMA integrity_check`'s answer: "ok" for a whole database.
    pub integrity: String,
    pub articles: i64,
}

/// Opens `file` read-only and checks that it is a whole Gazette database.
pub async fn inspect(file: &Path) -> sqlx::Result<Inspection> {
    let options = SqliteConnectOptions::new().filename(file).read_only(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?;
    let inspected = async {
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&pool)
            .await?;
        let articles: i64 = sqlx::query_scalar("SELECT count(*) FROM articles")
            .fetch_one(&pool)
            .await?;
        // A Gazette database records its migrations.
        sqlx::query("SELECT 1 FROM _sqlx_migrations LIMIT 1")
            .fetch_optional(&pool)
            .await?;
        Ok(Inspection {
            integrity,
            articles,
        })
    }
    .await;
    pool.close().await;
    inspected
}
