//! The real `gazette` binary, started on a folder of its own, and plain HTTP/1.1 requests
//! to it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const ADMIN_PASSWORD: &str = "a-password-for-tests";
const BROWSER: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36";

pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// A GET over a connection already open.
pub async fn exchange(
    stream: &mut TcpStream,
    port: u16,
    path: &str,
    cookie: &str,
) -> std::io::Result<Answer> {
    let head = format!(
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: {BROWSER}\r\n\
         Cookie: {cookie}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await?;
    read_answer(stream).await
}

/// One request over a fresh connection.
pub async fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Answer> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: {BROWSER}\r\n\
         Connection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    read_answer(&mut stream).await
}

async fn read_answer(stream: &mut TcpStream) -> std::io::Result<Answer> {
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await?;
    let answer = String::from_utf8_lossy(&answer).to_string();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|line| line.split_once(": "))
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    Ok(Answer {
        status,
        headers,
        body: body.to_string(),
    })
}

pub async fn get(port: u16, path: &str, cookie: &str) -> std::io::Result<Answer> {
    request(port, "GET", path, &[("Cookie", cookie)], b"").await
}

/// A form post from the site's own pages, as its scripts send it.
pub async fn post(port: u16, path: &str, cookie: &str, form: &str) -> std::io::Result<Answer> {
    let origin = format!("http://127.0.0.1:{port}");
    let headers = [
        ("Cookie", cookie),
        ("Origin", origin.as_str()),
        ("Accept", "application/json"),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    request(port, "POST", path, &headers, form.as_bytes()).await
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The binary, set up to use `folder` for everything and to listen on `port`.
pub fn command(folder: &Path, port: u16) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gazette"));
    command
        .env_remove("GAZETTE_CONFIG")
        .env("GAZETTE_DATABASE_URL", database_url(folder))
        .env("GAZETTE_UPLOADS_DIR", folder.join("uploads"))
        .env("LEPTOS_SITE_ROOT", folder)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("GAZETTE_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("GAZETTE_SEARCH_LIMIT_PER_MINUTE", "0")
        .env("RUST_LOG", "warn")
        .current_dir(folder);
    command
}

pub fn database_url(folder: &Path) -> String {
    format!("sqlite://{}/site.db", folder.display())
}

pub fn database_file(folder: &Path) -> PathBuf {
    folder.join("site.db")
}

/// The demo site, served; its output goes to `log` if given.
pub fn start(folder: &Path, port: u16, log: Option<&Path>) -> Child {
    let mut command = command(folder, port);
    command.arg("--demo");
    match log {
        Some(log) => {
            let file = std::fs::File::create(log).unwrap();
            command.stdout(file.try_clone().unwrap()).stderr(file);
        }
        None => {
            command.stdout(Stdio::null());
        }
    }
    command.spawn().expect("the server binary starts")
}

/// Runs the binary to its end with `args`.
pub fn run(folder: &Path, args: &[&str]) -> Output {
    command(folder, free_port())
        .args(args)
        .output()
        .expect("the binary runs")
}

pub async fn wait_until_up(port: u16) {
    let started = Instant::now();
    while get(port, "/healthz", "").await.is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// SIGTERM, and the exit status.
pub fn stop(server: &mut Child) -> std::process::ExitStatus {
    let stopped = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    server.wait().unwrap()
}

/// Signs the demo admin in; the session cookie.
pub async fn sign_in(port: u16) -> String {
    let form = format!("username=admin&password={ADMIN_PASSWORD}&next=/admin");
    let answer = post(port, "/api/sign_in", "", &form).await.unwrap();
    let cookie = answer
        .header("set-cookie")
        .and_then(|value| value.split(';').next())
        .expect("a session cookie")
        .to_string();
    assert!(cookie.starts_with("gz_session="), "{cookie}");
    cookie
}

/// A new article, published; its id, once the server said it was saved.
pub async fn publish(port: u16, cookie: &str, title: &str) -> std::io::Result<Option<i64>> {
    let form = serde_urlencoded::to_string([
        ("id", "0"),
        ("version", "0"),
        ("intent", "publish"),
        ("form[title]", title),
        ("form[category_id]", "2"),
        ("form[body]", "<p>并发保存的正文</p>"),
    ])
    .unwrap();
    let answer = post(port, "/api/admin/save_article", cookie, &form).await?;
    if answer.status != 200 {
        return Ok(None);
    }
    Ok(answer
        .header("location")
        .and_then(|location| location.strip_prefix("/admin/articles/"))
        .and_then(|rest| rest.split('?').next())
        .and_then(|id| id.parse().ok()))
}
