//! The command line on PostgreSQL: `gazette copy` from the demo site in SQLite into an empty
//! PostgreSQL database (and its refusal of a full one), then `backup` and `restore` there.
//!
//! Needs the PostgreSQL server `scripts/test` starts (`GAZETTE_TEST_POSTGRES`).
#![cfg(feature = "ssr")]
// A test that cannot unwrap has failed; the lints against unwrap are for the server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::postgres::{self, number};
use common::server::{self, database_url, free_port, start, stop, wait_until_up};

fn gazette(folder: &std::path::Path, database: &str, args: &[&str]) -> std::process::Output {
    server::command(folder, free_port())
        .env("GAZETTE_DATABASE_URL", database)
        .args(args)
        .output()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_is_copied_to_postgresql_backed_up_and_restored() {
    let Some(postgres_server) = postgres::server() else {
        return;
    };
    // The demo site in SQLite, made by a first start.
    let folder = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = start(folder.path(), port, None);
    wait_until_up(port).await;
    assert!(stop(&mut server).success());
    let sqlite = database_url(folder.path());

    let target = postgres::new_database(&postgres_server, "commands").await;
    let copied = gazette(
        folder.path(),
        &sqlite,
        &["copy", "--from", &sqlite, "--to", &target],
    );
    let said = String::from_utf8_lossy(&copied.stdout);
    assert!(
        copied.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&copied.stderr)
    );
    assert!(said.contains("已复制并核对"), "{said}");
    let articles = number(&target, "SELECT count(*) FROM articles").await;
    assert!(articles >= 46, "{articles}");
    // A database that already holds a site is refused, and says so.
    let again = gazette(
        folder.path(),
        &sqlite,
        &["copy", "--from", &sqlite, "--to", &target],
    );
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("不是空的"));

    // The server runs on the copy: the same pages.
    let port = free_port();
    let mut on_postgres = server::command(folder.path(), port)
        .env("GAZETTE_DATABASE_URL", &target)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    wait_until_up(port).await;
    let page = server::get(port, "/article/1", "").await.unwrap();
    assert_eq!(page.status, 200);
    assert!(page.body.contains("浏览量"));
    assert!(stop(&mut on_postgres).success());

    // pg_dump, a change, pg_restore: the change is gone.
    let backup = folder.path().join("site.dump");
    let backed_up = gazette(
        folder.path(),
        &target,
        &["backup", backup.to_str().unwrap()],
    );
    assert!(
        backed_up.status.success(),
        "{}",
        String::from_utf8_lossy(&backed_up.stderr)
    );
    let mut conn = postgres::connect(&target).await;
    sqlx::query("DELETE FROM articles WHERE id = 1")
        .execute(&mut conn)
        .await
        .unwrap();
    drop(conn);
    assert_eq!(
        number(&target, "SELECT count(*) FROM articles").await,
        articles - 1
    );
    let restored = gazette(
        folder.path(),
        &target,
        &["restore", backup.to_str().unwrap()],
    );
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    assert_eq!(
        number(&target, "SELECT count(*) FROM articles").await,
        articles
    );
    // What is not a backup is refused before anything is touched.
    std::fs::write(folder.path().join("not.dump"), "hello").unwrap();
    let refused = gazette(folder.path(), &target, &["restore", "not.dump"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("不是有效的 PostgreSQL 备份"));
    assert_eq!(
        number(&target, "SELECT count(*) FROM articles").await,
        articles
    );
}
