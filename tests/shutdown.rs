//! The real server process: view counts stay exact through concurrent visits and a graceful
//! stop, which writes the counts still in memory.
#![cfg(feature = "ssr")]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const BROWSER: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36";

/// A GET over a fresh connection; returns the status line and the body.
async fn get(port: u16, path: &str, cookie: &str) -> std::io::Result<(String, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: {BROWSER}\r\n\
         Cookie: {cookie}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await?;
    let answer = String::from_utf8_lossy(&answer).to_string();
    let status = answer.lines().next().unwrap_or_default().to_string();
    let body = answer
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_string();
    Ok((status, body))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(folder: &std::path::Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("--demo")
        .env(
            "GAZETTE_DATABASE_URL",
            format!("sqlite://{}/site.db", folder.display()),
        )
        .env("GAZETTE_UPLOADS_DIR", folder.join("uploads"))
        .env("LEPTOS_SITE_ROOT", folder)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("GAZETTE_ADMIN_PASSWORD", "a-password-for-tests")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("the server binary starts")
}

async fn wait_until_up(port: u16) {
    let started = Instant::now();
    while get(port, "/healthz", "").await.is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn view_counts_are_exact_after_load_and_a_graceful_stop() {
    let folder = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = start(folder.path(), port);
    wait_until_up(port).await;

    // 300 visitors, each opening the same article three times at once.
    let mut visits = Vec::new();
    for visitor in 0..300 {
        for _ in 0..3 {
            visits.push(tokio::spawn(async move {
                let cookie = format!("gz_vid={visitor:032x}");
                get(port, "/article/1", &cookie).await
            }));
        }
    }
    for visit in visits {
        let (status, body) = visit.await.unwrap().unwrap();
        assert!(status.contains("200"), "{status}");
        assert!(body.contains("浏览量:"));
    }

    // SIGTERM: requests finish, counts in memory are written, the exit is clean.
    let stopped = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    let exit = server.wait().unwrap();
    assert!(exit.success(), "{exit:?}");

    let pool = gazette::db::connect(&format!("sqlite://{}/site.db", folder.path().display()))
        .await
        .unwrap();
    let stored: i64 = sqlx::query_scalar("SELECT view_count FROM articles WHERE id = 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, 300);
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(integrity, "ok");
}
