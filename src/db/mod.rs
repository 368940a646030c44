//! The database: opening it, migrating it, and the queries behind every page. SQLite is the
//! default; PostgreSQL is the second backend (`store` is the boundary between them).

pub mod articles;
pub mod autosaves;
pub mod backup;
pub mod bench_data;
pub mod categories;
pub mod category_admin;
pub mod copy;
pub mod demo;
pub mod editing;
mod error;
pub mod feeds;
pub mod imports;
pub mod links;
pub mod lock;
pub mod redirects;
pub mod revisions;
pub mod search;
pub mod sessions;
pub mod shared_state;
pub mod site;
pub mod store;
#[cfg(test)]
pub mod testing;
pub mod uploads;
pub mod users;
pub mod views;

pub use error::StoreError;
pub use store::{Backend, Store};

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

/// Opens the database at `url`, SQLite or PostgreSQL, and applies every pending migration.
pub async fn open(url: &str) -> Result<Store, String> {
    match Backend::of(url) {
        Some(Backend::Sqlite) => connect(url).await.map(Store::Sqlite),
        Some(Backend::Postgres) => connect_postgres(url).await.map(Store::Postgres),
        None => Err(format!(
            "数据库地址必须以 sqlite: 或 postgres:// 开头: {url}"
        )),
    }
}

/// Connects to the PostgreSQL database at `url` (which must exist: an operator creates it
/// and its user) and applies every pending migration.
pub async fn connect_postgres(url: &str) -> Result<PgPool, String> {
    let options =
        PgConnectOptions::from_str(url).map_err(|e| format!("数据库地址无效 ({url}): {e}"))?;
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .connect_with(options)
        .await
        .map_err(|e| format!("无法连接数据库 {url}: {e}"))?;
    migrate_postgres(&pool).await?;
    Ok(pool)
}

/// Applies the PostgreSQL migrations this version has and the database lacks; a database
/// that a newer version migrated is refused untouched. (Backups of a database server are
/// the operator's `pg_dump`, not a file copy.)
pub async fn migrate_postgres(pool: &PgPool) -> Result<(), String> {
    let migrator = sqlx::migrate!("./migrations/postgres");
    let recorded: bool = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
        .fetch_one(pool)
        .await
        .map_err(|e| format!("无法读取数据库的迁移记录: {e}"))?;
    if recorded {
        let applied: Vec<i64> =
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                .fetch_all(pool)
                .await
                .map_err(|e| format!("无法读取数据库的迁移记录: {e}"))?;
        refuse_newer(&migrator, &applied)?;
    }
    migrator
        .run(pool)
        .await
        .map_err(|e| format!("数据库迁移失败: {e}"))
}

/// Refuses a database holding a migration this version does not know.
fn refuse_newer(migrator: &sqlx::migrate::Migrator, applied: &[i64]) -> Result<(), String> {
    match applied
        .iter()
        .find(|version| !migrator.iter().any(|known| known.version == **version))
    {
        Some(newer) => Err(format!(
            "数据库由更新版本的 Gazette 迁移过(迁移 {newer}),本版本不能使用它;\
             请运行更新的版本,或恢复升级前的备份"
        )),
        None => Ok(()),
    }
}

/// Opens (creating if needed) the SQLite database at `url` and applies every pending
/// migration.
pub async fn connect(url: &str) -> Result<SqlitePool, String> {
    if !url.starts_with("sqlite:") {
        return Err(format!("数据库地址必须以 sqlite: 开头: {url}"));
    }
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| format!("数据库地址无效 ({url}): {e}"))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    create_folder(url)?;
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        // A connection is a file handle in this process, not a socket that can drop: the
        // check before each use was a round trip to its thread for nothing.
        .test_before_acquire(false)
        .connect_with(options)
        .await
        .map_err(|e| format!("无法打开数据库 {url}: {e}"))?;
    migrate(&pool, url).await?;
    if search::bring_up_to_date(&pool)
        .await
        .map_err(|e| format!("无法重建搜索索引: {e}"))?
    {
        tracing::info!("rebuilt the search index for this version");
    }
    Ok(pool)
}

/// Applies the migrations this version has and the database lacks. A database that already
/// holds data is copied beside itself first (`<file>.before-upgrade-<time>`), so that an
/// upgrade can be undone; one that a newer version migrated is refused untouched.
pub async fn migrate(pool: &SqlitePool, url: &str) -> Result<(), String> {
    let migrator = sqlx::migrate!("./migrations");
    let applied = applied_migrations(pool)
        .await
        .map_err(|e| format!("无法读取数据库的迁移记录: {e}"))?;
    refuse_newer(&migrator, &applied)?;
    let pending = migrator
        .iter()
        .any(|migration| !applied.contains(&migration.version));
    if pending
        && !applied.is_empty()
        && let Some(file) = file_path(url)
    {
        let copy = beside(&file, &format!(".before-upgrade-{}", unix_seconds()));
        backup::copy_into(pool, &copy)
            .await
            .map_err(|e| format!("升级数据库前无法备份到 {}: {e}", copy.display()))?;
        println!("升级数据库前的备份: {}", copy.display());
        tracing::info!(backup = %copy.display(), "copied the database before migrating it");
    }
    migrator
        .run(pool)
        .await
        .map_err(|e| format!("数据库迁移失败: {e}"))
}

/// The versions of the migrations applied to the database; none for a new one.
async fn applied_migrations(pool: &SqlitePool) -> sqlx::Result<Vec<i64>> {
    let recorded: bool = sqlx::query_scalar(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
    .fetch_one(pool)
    .await?;
    if !recorded {
        return Ok(Vec::new());
    }
    sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
        .fetch_all(pool)
        .await
}

fn unix_seconds() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or_default()
}

/// Whether the database answers (the health check).
pub async fn ping<'c>(db: impl Into<store::Exec<'c>>) -> sqlx::Result<()> {
    store::on_backend!(db, |conn, _sql| {
        sqlx::query_scalar::<_, i32>("SELECT 1")
            .fetch_one(&mut *conn)
            .await
            .map(|_| ())
    })
}

/// The file of a file database; none for an in-memory one.
pub fn file_path(url: &str) -> Option<std::path::PathBuf> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = path.split('?').next()?;
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    Some(path.into())
}

/// Creates the folder a file database lives in, so that a first start can make it.
pub fn create_folder(url: &str) -> Result<(), String> {
    match database_folder(url) {
        Some(folder) => std::fs::create_dir_all(&folder)
            .map_err(|e| format!("无法创建数据库目录 {}: {e}", folder.display())),
        None => Ok(()),
    }
}

/// A file beside `path`, named `path` + `suffix` (`site.db` → `site.db.lock`).
pub fn beside(path: &std::path::Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

/// The folder a file database lives in.
fn database_folder(url: &str) -> Option<std::path::PathBuf> {
    file_path(url)?
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        .map(|parent| parent.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_folder_of_a_file_database() {
        assert_eq!(
            database_folder("sqlite://data/gazette.db"),
            Some("data".into())
        );
        assert_eq!(
            database_folder("sqlite:///var/lib/gazette/site.db?mode=rwc"),
            Some("/var/lib/gazette".into())
        );
        assert_eq!(database_folder("sqlite://gazette.db"), None);
        assert_eq!(database_folder("sqlite::memory:"), None);
    }

    #[tokio::test]
    async fn a_database_that_cannot_be_opened_is_a_one_line_reason() {
        let reason = connect("sqlite:///proc/gazette/site.db").await.unwrap_err();
        assert!(
            reason.starts_with("无法创建数据库目录 /proc/gazette"),
            "{reason}"
        );
        assert!(!reason.contains('\n'));
        let reason = connect("postgres://localhost/gazette").await.unwrap_err();
        assert!(
            reason.starts_with("数据库地址必须以 sqlite: 开头"),
            "{reason}"
        );
    }

    #[tokio::test]
    async fn an_older_database_is_copied_before_it_is_migrated() {
        let folder = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/site.db", folder.path().display());
        // The database as the previous version left it: every migration but the last.
        let mut previous = sqlx::migrate!("./migrations");
        let all = previous.migrations.len();
        previous.migrations = previous.migrations[..all - 1].to_vec().into();
        let options = SqliteConnectOptions::from_str(&url)
            .unwrap()
            .create_if_missing(true);
        let old = SqlitePool::connect_with(options).await.unwrap();
        previous.run(&old).await.unwrap();
        old.close().await;

        connect(&url).await.unwrap().close().await;
        let copies: Vec<_> = std::fs::read_dir(folder.path())
            .unwrap()
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().to_string())
            .filter(|name| name.starts_with("site.db.before-upgrade-"))
            .collect();
        assert_eq!(copies.len(), 1, "{copies:?}");
        // The copy is the old database, which the previous version can still open.
        let copy = folder.path().join(&copies[0]);
        let kept = backup::inspect(&copy).await.unwrap();
        assert_eq!(kept.integrity, "ok");
        // Opening an up-to-date database copies nothing.
        connect(&url).await.unwrap().close().await;
        assert_eq!(
            std::fs::read_dir(folder.path())
                .unwrap()
                .filter_map(|entry| entry.ok())
                .filter(|entry| entry
                    .file_name()
                    .to_string_lossy()
                    .contains("before-upgrade"))
                .count(),
            1
        );
    }

    #[tokio::test]
    async fn a_database_from_a_newer_version_is_refused_untouched() {
        let folder = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/site.db", folder.path().display());
        let pool = connect(&url).await.unwrap();
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
             VALUES (29991231000000, 'from the future', 1, x'00', 0)",
        )
        .execute(&pool)
        .await
        .unwrap();
        let recorded = |pool: SqlitePool| async move {
            let row: (i64, i64) =
                sqlx::query_as("SELECT count(*), max(version) FROM _sqlx_migrations")
                    .fetch_one(&pool)
                    .await
                    .unwrap();
            pool.close().await;
            row
        };
        let before = recorded(pool).await;
        let reason = connect(&url).await.unwrap_err();
        assert!(reason.contains("更新版本"), "{reason}");
        assert!(reason.contains("29991231000000"), "{reason}");
        assert!(!reason.contains('\n'));
        // Nothing was migrated, and nothing copied.
        let options = SqliteConnectOptions::from_str(&url).unwrap();
        let after = recorded(SqlitePool::connect_with(options).await.unwrap()).await;
        assert_eq!(after, before);
        let copies = std::fs::read_dir(folder.path())
            .unwrap()
            .filter_map(|entry| entry.ok())
            .filter(|entry| {
                entry
                    .file_name()
                    .to_string_lossy()
                    .contains("before-upgrade")
            })
            .count();
        assert_eq!(copies, 0);
    }

    #[tokio::test]
    async fn both_backends_open_migrated_and_answer() {
        testing::on_each_backend(async |store| {
            ping(&store).await.unwrap();
            let settings: sqlx::Result<i64> = async {
                store::on_backend!(&store, |conn, _sql| {
                    sqlx::query_scalar("SELECT count(*) FROM site_settings")
                        .fetch_one(&mut *conn)
                        .await
                })
            }
            .await;
            let settings = settings.unwrap();
            assert_eq!(settings, 1, "{}", testing::named(&store));
        })
        .await;
    }

    #[tokio::test]
    async fn a_postgres_database_from_a_newer_version_is_refused() {
        let Ok(server) = std::env::var("GAZETTE_TEST_POSTGRES") else {
            return eprintln!("GAZETTE_TEST_POSTGRES is not set: skipped");
        };
        let database = testing::FreshPostgres::create(&server).await;
        let Store::Postgres(pool) = &database.store else {
            unreachable!()
        };
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
             VALUES (29991231000000, 'from the future', TRUE, '\\x00', 0)",
        )
        .execute(pool)
        .await
        .unwrap();
        let reason = migrate_postgres(pool).await.unwrap_err();
        assert!(reason.contains("29991231000000"), "{reason}");
        database.drop().await;
    }

    #[tokio::test]
    async fn an_address_of_another_database_is_refused_in_words() {
        let reason = open("mysql://localhost/gazette").await.unwrap_err();
        assert!(
            reason.starts_with("数据库地址必须以 sqlite: 或 postgres:// 开头"),
            "{reason}"
        );
    }

    #[tokio::test]
    async fn a_database_that_cannot_be_migrated_is_a_one_line_reason() {
        let folder = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/site.db", folder.path().display());
        let pool = connect(&url).await.unwrap();
        // A migration that was applied differently from the one shipped.
        sqlx::query("UPDATE _sqlx_migrations SET checksum = x'00'")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
        let reason = connect(&url).await.unwrap_err();
        assert!(reason.starts_with("数据库迁移失败"), "{reason}");
        assert!(!reason.contains('\n'));
    }
}
