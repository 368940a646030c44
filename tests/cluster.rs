//! Three Gazette servers on one PostgreSQL database behind haproxy, configured as
//! `deploy/haproxy.cfg`: visitors and an editor go through the balancer while one server is
//! killed (SIGKILL) and started again. No visitor gets an error page, no acknowledged save is
//! lost, a session from one server works on the others, an edit shows on every server within
//! two seconds, and views counted on all three add up exactly after a graceful stop.
//!
//! Needs the throttled PostgreSQL server `scripts/test` starts (`GAZETTE_TEST_POSTGRES`) and
//! haproxy (`scripts/setup --browser` installs it).
#![cfg(feature = "ssr")]
// A test that cannot unwrap has failed; the lints against unwrap are for the server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::postgres;
use common::server::{self, free_port, get, sign_in, stop, wait_until_up};

/// One Gazette server on the shared database, with the shared uploads folder.
fn start_server(folder: &Path, port: u16, database: &str, demo: bool) -> Child {
    let log = std::fs::File::options()
        .create(true)
        .append(true)
        .open(folder.join(format!("server-{port}.log")))
        .unwrap();
    let mut command = server::command(folder, port);
    command
        .env("GAZETTE_DATABASE_URL", database)
        .env("GAZETTE_TRUSTED_PROXIES", "127.0.0.1/32")
        .stdout(log.try_clone().unwrap())
        .stderr(log);
    if demo {
        command.arg("--demo");
    }
    command.spawn().expect("the server binary starts")
}

fn start_balancer(folder: &Path, port: u16, servers: &[u16; 3]) -> Child {
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/haproxy.cfg");
    let log = std::fs::File::create(folder.join("haproxy.log")).unwrap();
    let mut command = Command::new("haproxy");
    command
        .args(["-db", "-f"])
        .arg(config)
        .env("GAZETTE_LISTEN", format!("127.0.0.1:{port}"))
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log);
    for (n, server) in servers.iter().enumerate() {
        command.env(format!("GAZETTE_{}", n + 1), format!("127.0.0.1:{server}"));
    }
    command
        .spawn()
        .expect("haproxy is installed (scripts/setup --browser)")
}

/// Waits until the balancer's health checks see all three servers.
async fn wait_until_balanced(balancer: u16, servers: &[u16; 3]) {
    for port in servers {
        wait_until_up(*port).await;
    }
    wait_until_up(balancer).await;
    // Two good checks half a second apart put a server in.
    tokio::time::sleep(Duration::from_millis(1_200)).await;
}

async fn view_count(database: &str, id: i64) -> i64 {
    postgres::number(
        database,
        &format!("SELECT view_count FROM articles WHERE id = {id}"),
    )
    .await
}

/// Publishes through `port`; the id when the server acknowledged the save.
async fn publish(port: u16, cookie: &str, title: &str) -> Option<i64> {
    server::publish(port, cookie, title).await.ok().flatten()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_servers_behind_a_balancer_survive_a_killed_one() {
    let Some(server) = postgres::server() else {
        return;
    };
    let database = postgres::new_database(&server, "cluster").await;
    let folder = tempfile::tempdir().unwrap();
    let ports = [free_port(), free_port(), free_port()];
    // The first loads the demo site; the others find it there.
    let mut servers = vec![start_server(folder.path(), ports[0], &database, true)];
    wait_until_up(ports[0]).await;
    for port in &ports[1..] {
        servers.push(start_server(folder.path(), *port, &database, false));
    }
    let balancer_port = free_port();
    let mut balancer = start_balancer(folder.path(), balancer_port, &ports);
    wait_until_balanced(balancer_port, &ports).await;

    // A session begun through the balancer works on every server.
    let editor = sign_in(balancer_port).await;
    for port in ports {
        let admin = get(port, "/admin", &editor).await.unwrap();
        assert_eq!(admin.status, 200, "signed in on {port}");
        assert_ne!(get(port, "/admin", "").await.unwrap().status, 200);
    }

    // An edit through the balancer shows on every server's home page within two seconds,
    // though each has the page in its cache.
    for port in ports {
        assert_eq!(get(port, "/", "").await.unwrap().status, 200);
    }
    let title = "集群里发布的文章";
    let published_at = Instant::now();
    publish(balancer_port, &editor, title).await.expect("saved");
    let mut slowest = Duration::ZERO;
    for port in ports {
        loop {
            let home = get(port, "/", "").await.unwrap();
            if home.body.contains(title) {
                break;
            }
            assert!(
                published_at.elapsed() < Duration::from_secs(2),
                "server {port} still shows the old home page"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        slowest = slowest.max(published_at.elapsed());
    }

    // Visitors and an editor through the balancer while one server is killed and restarted.
    let running = Arc::new(AtomicBool::new(true));
    let mut visitors = Vec::new();
    for visitor in 0..6 {
        let running = running.clone();
        visitors.push(tokio::spawn(async move {
            let (mut answered, mut failures) = (0, Vec::new());
            let pages = [
                "/",
                "/category/news",
                "/article/1",
                "/search?q=%E5%8D%8F%E4%BC%9A",
            ];
            let mut n = 0;
            while running.load(Ordering::Relaxed) {
                let cookie = format!("gz_vid={visitor:016x}{n:016x}");
                let page = pages[n % pages.len()];
                match get(balancer_port, page, &cookie).await {
                    Ok(answer) if answer.status == 200 => answered += 1,
                    Ok(answer) => failures.push(format!("{page}: {}", answer.status)),
                    Err(error) => failures.push(format!("{page}: {error}")),
                }
                n += 1;
            }
            (answered, failures)
        }));
    }
    let saving = {
        let (running, editor) = (running.clone(), editor.clone());
        tokio::spawn(async move {
            let (mut saved, mut refused) = (Vec::new(), 0);
            let mut n = 0;
            while running.load(Ordering::Relaxed) {
                let title = format!("集群保存第 {n} 篇");
                match publish(balancer_port, &editor, &title).await {
                    Some(id) => saved.push((id, title)),
                    None => refused += 1,
                }
                n += 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            (saved, refused)
        })
    };
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let killed = Command::new("kill")
        .args(["-KILL", &servers[1].id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    servers[1].wait().unwrap();
    let killed_at = Instant::now();
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    servers[1] = start_server(folder.path(), ports[1], &database, false);
    wait_until_up(ports[1]).await;
    let restarted_after = killed_at.elapsed();
    tokio::time::sleep(Duration::from_millis(2_000)).await;
    running.store(false, Ordering::Relaxed);

    let (mut answered, mut failures) = (0, Vec::new());
    for visitor in visitors {
        let (ok, failed) = visitor.await.unwrap();
        answered += ok;
        failures.extend(failed);
    }
    let (saved, refused) = saving.await.unwrap();
    println!(
        "cluster: {answered} visitor requests answered, {} failed; {} saves acknowledged, \
         {refused} refused; a killed server back after {:.1} s; an edit on every server \
         after {:.2} s",
        failures.len(),
        saved.len(),
        restarted_after.as_secs_f64(),
        slowest.as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "visitors got {} errors, the first: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    assert!(answered > 100, "{answered}");
    assert!(saved.len() > 10, "{}", saved.len());
    // Every acknowledged save is there, whichever server took it.
    for (id, title) in &saved {
        let page = get(balancer_port, &format!("/article/{id}"), "")
            .await
            .unwrap();
        assert_eq!(page.status, 200, "article {id}");
        assert!(page.body.contains(title.as_str()), "article {id}");
    }

    // Views counted on all three servers add up exactly once they stop gracefully.
    let before = view_count(&database, 3).await;
    let mut visits = Vec::new();
    for visitor in 0..90u64 {
        let port = ports[visitor as usize % 3];
        visits.push(tokio::spawn(async move {
            let cookie = format!("gz_vid={:032x}", 0xc1u64 << 56 | visitor);
            get(port, "/article/3", &cookie).await.unwrap().status
        }));
    }
    for visit in visits {
        assert_eq!(visit.await.unwrap(), 200);
    }
    for server in &mut servers {
        assert!(stop(server).success());
    }
    assert_eq!(view_count(&database, 3).await, before + 90);
    let _ = balancer.kill();
    let _ = balancer.wait();
}
