//! The real server process: exact view counts through load and a graceful stop, visitors
//! leaving mid-render, no saved article lost to a crash, backups taken under load and
//! restored, logs that name each request and no secret, and startup failures that say why.
#![cfg(feature = "ssr")]
// A test that cannot unwrap has failed; the lints against unwrap are for the server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::time::Duration;

use common::server::{
    self, database_file, database_url, free_port, get, publish, sign_in, start, stop, wait_until_up,
};

async fn open(folder: &std::path::Path) -> sqlx::SqlitePool {
    gazette::db::connect(&database_url(folder)).await.unwrap()
}

async fn integrity(pool: &sqlx::SqlitePool) -> String {
    sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn view_counts_are_exact_after_load_and_a_graceful_stop() {
    let folder = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = start(folder.path(), port, None);
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
        let answer = visit.await.unwrap().unwrap();
        assert_eq!(answer.status, 200);
        assert!(answer.body.contains("浏览量:"));
    }

    // SIGTERM: requests finish, counts in memory are written, the exit is clean.
    let exit = stop(&mut server);
    assert!(exit.success(), "{exit:?}");

    let pool = open(folder.path()).await;
    let stored: i64 = sqlx::query_scalar("SELECT view_count FROM articles WHERE id = 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, 300);
    assert_eq!(integrity(&pool).await, "ok");
}

/// SIGTERM while visitors are mid-request: every request the server took is answered in
/// full, every view it answered is stored, and the exit is clean.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_graceful_stop_answers_the_requests_under_way() {
    let folder = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = start(folder.path(), port, None);
    wait_until_up(port).await;
    let views = "SELECT view_count FROM articles WHERE id = 2";
    let before: i64 = sqlx::query_scalar(views)
        .fetch_one(&open(folder.path()).await)
        .await
        .unwrap();
    let stopping_at = tokio::time::Instant::now() + Duration::from_millis(300);
    let mut visitors = Vec::new();
    for visitor in 0..32 {
        visitors.push(tokio::spawn(async move {
            let (mut answered, mut problems) = (0, Vec::new());
            for n in 0.. {
                let cookie = format!("gz_vid={visitor:016x}{n:016x}");
                // Connecting after the listener closed is refused: that request was never
                // taken. One that connected must be answered in full.
                let Ok(mut stream) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await
                else {
                    break;
                };
                match server::exchange(&mut stream, port, "/article/2", &cookie).await {
                    Ok(answer) if answer.status == 200 && answer.body.contains("</html>") => {
                        answered += 1
                    }
                    // Closed unread once the stop began: not taken.
                    Ok(answer)
                        if answer.status == 0 && tokio::time::Instant::now() > stopping_at =>
                    {
                        break;
                    }
                    Err(_) if tokio::time::Instant::now() > stopping_at => break,
                    Ok(answer) => problems.push(format!("{} {}", answer.status, answer.body.len())),
                    Err(error) => problems.push(error.to_string()),
                }
            }
            (answered, problems)
        }));
    }
    tokio::time::sleep_until(stopping_at).await;
    let exit = tokio::task::spawn_blocking(move || stop(&mut server))
        .await
        .unwrap();
    assert!(exit.success(), "{exit:?}");
    let (mut answered, mut problems) = (0, Vec::new());
    for visitor in visitors {
        let (n, found) = visitor.await.unwrap();
        answered += n;
        problems.extend(found);
    }
    assert_eq!(problems, Vec::<String>::new());
    assert!(answered > 0);
    eprintln!("{answered} article pages answered around the stop");
    let stored: i64 = sqlx::query_scalar(views)
        .fetch_one(&open(folder.path()).await)
        .await
        .unwrap();
    assert_eq!(stored, before + answered);
}

/// Visitors who leave mid-render (a closed tab, a proxy giving up) cost the server nothing
/// it keeps: after hundreds of uncached renders given up at every stage, it has not
/// panicked, answers at once and stops cleanly. Renders dropped half-way once left their
/// `<Suspense>` effects to panic on a torn-down page, and could leave a worker waiting for
/// itself for good.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn visitors_leaving_mid_render_leave_the_server_whole() {
    let folder = tempfile::tempdir().unwrap();
    let port = free_port();
    let log = folder.path().join("server.log");
    let mut server = start(folder.path(), port, Some(&log));
    wait_until_up(port).await;
    // Any session cookie passes the page cache by, so every request renders.
    let uncached = "gz_session=left-mid-render";
    let until = tokio::time::Instant::now() + Duration::from_secs(3);
    let mut visitors = Vec::new();
    for visitor in 0..32u64 {
        visitors.push(tokio::spawn(async move {
            let mut left = 0;
            for n in 0u64.. {
                if tokio::time::Instant::now() > until {
                    break;
                }
                let Ok(mut stream) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await
                else {
                    continue;
                };
                let path = format!("/article/{}", (visitor + n) % 20 + 1);
                // Leave after 0 to 3 ms: before and during the render.
                let patience = Duration::from_micros((visitor * 7_919 + n * 104_729) % 3_000);
                let exchange = server::exchange(&mut stream, port, &path, uncached);
                if tokio::time::timeout(patience, exchange).await.is_err() {
                    left += 1;
                }
            }
            left
        }));
    }
    let mut left = 0;
    for visitor in visitors {
        left += visitor.await.unwrap();
    }
    assert!(left > 100, "only {left} requests were left mid-way");
    let answer = tokio::time::timeout(Duration::from_secs(5), get(port, "/article/1", uncached))
        .await
        .expect("an answer within 5 s")
        .unwrap();
    assert_eq!(answer.status, 200);
    let pid = server.id().to_string();
    let stopping = tokio::task::spawn_blocking(move || stop(&mut server));
    let Ok(exit) = tokio::time::timeout(Duration::from_secs(15), stopping).await else {
        std::process::Command::new("kill")
            .args(["-KILL", &pid])
            .status()
            .unwrap();
        panic!("the server did not stop within 15 s of SIGTERM");
    };
    assert!(exit.unwrap().success());
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(!log.contains("panicked"), "{log}");
}

/// Editors publishing side by side while visitors read, for `duration`; the ids the server
/// acknowledged.
async fn save_while_reading(port: u16, cookie: &str, duration: Duration) -> Vec<(i64, String)> {
    let until = tokio::time::Instant::now() + duration;
    let mut editors = Vec::new();
    for editor in 0..4 {
        let cookie = cookie.to_string();
        editors.push(tokio::spawn(async move {
            let mut saved = Vec::new();
            let mut n = 0;
            while tokio::time::Instant::now() < until {
                n += 1;
                let title = format!("编辑{editor}的第{n}篇");
                // Refused or cut off saves were not acknowledged, so nothing is owed.
                if let Ok(Some(id)) = publish(port, &cookie, &title).await {
                    saved.push((id, title));
                }
            }
            saved
        }));
        let reader = tokio::spawn(async move {
            while tokio::time::Instant::now() < until {
                let _ = get(
                    port,
                    "/article/1",
                    "gz_vid=0123456789abcdef0123456789abcdef",
                )
                .await;
            }
            Vec::new()
        });
        editors.push(reader);
    }
    let mut saved = Vec::new();
    for editor in editors {
        saved.extend(editor.await.unwrap());
    }
    saved
}

async fn missing(pool: &sqlx::SqlitePool, saved: &[(i64, String)]) -> Vec<String> {
    let mut missing = Vec::new();
    for (id, title) in saved {
        let found: Option<(String, i64)> = sqlx::query_as(
            "SELECT title, (SELECT count(*) FROM article_revisions WHERE article_id = articles.id)
             FROM articles WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(pool)
        .await
        .unwrap();
        match found {
            Some((stored, revisions)) if &stored == title && revisions > 0 => {}
            other => missing.push(format!("{id} {title}: {other:?}")),
        }
    }
    missing
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_restarts_with_every_acknowledged_save() {
    let folder = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = start(folder.path(), port, None);
    wait_until_up(port).await;
    let cookie = sign_in(port).await;

    let saving = tokio::spawn({
        let cookie = cookie.clone();
        async move { save_while_reading(port, &cookie, Duration::from_secs(3)).await }
    });
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.kill().unwrap(); // SIGKILL, in the middle of the saves
    server.wait().unwrap();
    let saved = saving.await.unwrap();
    assert!(
        !saved.is_empty(),
        "some saves were acknowledged before the kill"
    );
    eprintln!("{} saves acknowledged before SIGKILL", saved.len());

    // It starts again as it is, with no repair.
    let mut server = start(folder.path(), port, None);
    wait_until_up(port).await;
    let health = get(port, "/healthz", "").await.unwrap();
    assert_eq!(health.status, 200);
    let pool = open(folder.path()).await;
    assert_eq!(integrity(&pool).await, "ok");
    assert_eq!(missing(&pool, &saved).await, Vec::<String>::new());
    assert!(stop(&mut server).success());
}

fn text(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_load_restores_exactly() {
    let folder = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = start(folder.path(), port, None);
    wait_until_up(port).await;
    let cookie = sign_in(port).await;
    let backup = folder.path().join("backup.db");

    let saving = tokio::spawn({
        let cookie = cookie.clone();
        async move { save_while_reading(port, &cookie, Duration::from_secs(2)).await }
    });
    tokio::time::sleep(Duration::from_millis(700)).await;
    let folder_path = folder.path().to_path_buf();
    let backup_arg = backup.display().to_string();
    let made =
        tokio::task::spawn_blocking(move || server::run(&folder_path, &["backup", &backup_arg]))
            .await
            .unwrap();
    assert!(made.status.success(), "{}", text(&made));
    assert!(text(&made).contains("已备份到"), "{}", text(&made));
    let saved = saving.await.unwrap();

    // Restoring over a running server is refused, and changes nothing.
    let refused = server::run(folder.path(), &["restore", &backup.display().to_string()]);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("正被另一个 gazette 进程使用"),
        "{}",
        text(&refused)
    );
    assert!(stop(&mut server).success());

    let contents = "SELECT json_array(
        (SELECT group_concat(id || title || version || status, '|') FROM articles),
        (SELECT group_concat(article_id || ':' || version || ':' || snapshot, '|') FROM article_revisions),
        (SELECT group_concat(slug || name, '|') FROM categories),
        (SELECT group_concat(username || role, '|') FROM users),
        (SELECT count(*) FROM article_search))";
    let backed_up: String = {
        let pool = gazette::db::connect(&format!("sqlite://{}", backup.display()))
            .await
            .unwrap();
        let contents = sqlx::query_scalar(contents).fetch_one(&pool).await.unwrap();
        assert_eq!(integrity(&pool).await, "ok");
        pool.close().await;
        contents
    };
    let live_before: i64 = {
        let pool = open(folder.path()).await;
        let count = sqlx::query_scalar("SELECT count(*) FROM articles")
            .fetch_one(&pool)
            .await
            .unwrap();
        pool.close().await;
        count
    };
    let restored = server::run(folder.path(), &["restore", &backup.display().to_string()]);
    assert!(restored.status.success(), "{}", text(&restored));
    let pool = open(folder.path()).await;
    let now: String = sqlx::query_scalar(contents).fetch_one(&pool).await.unwrap();
    assert_eq!(now, backed_up, "the database is the backup again");
    let articles: i64 = sqlx::query_scalar("SELECT count(*) FROM articles")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(articles <= live_before);
    assert!(live_before - articles <= saved.len() as i64);
    // What was replaced is kept beside it.
    let kept = std::fs::read_dir(folder.path())
        .unwrap()
        .filter_map(|entry| entry.ok())
        .any(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .contains("before-restore")
        });
    assert!(kept);

    // A file that is not a backup is refused, and the database stays.
    std::fs::write(folder.path().join("not-a-backup.db"), "这不是数据库").unwrap();
    let refused = server::run(folder.path(), &["restore", "not-a-backup.db"]);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("不是有效的 Gazette 备份"),
        "{}",
        text(&refused)
    );
    assert!(database_file(folder.path()).exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_name_every_request_and_no_secret() {
    let folder = tempfile::tempdir().unwrap();
    let port = free_port();
    let log = folder.path().join("server.log");
    let mut command = server::command(folder.path(), port);
    command
        .arg("--demo")
        .env("RUST_LOG", "info")
        .env("GAZETTE_LOG_FORMAT", "json")
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(std::fs::File::create(folder.path().join("server.err")).unwrap());
    let mut running = command.spawn().unwrap();
    wait_until_up(port).await;
    let cookie = sign_in(port).await;
    let token = cookie.trim_start_matches("gz_session=").to_string();
    let page = get(port, "/admin", &cookie).await.unwrap();
    let id = page.header("x-request-id").unwrap().to_string();
    let wrong = "username=admin&password=wrong-password-typed&next=/admin";
    server::post(port, "/api/sign_in", "", wrong).await.unwrap();
    let form = format!(
        "current_password={}&new_password=a-new-secret-9&new_password_again=a-new-secret-9",
        server::ADMIN_PASSWORD
    );
    server::post(port, "/api/change_password", &cookie, &form)
        .await
        .unwrap();
    assert!(stop(&mut running).success());

    let logs = std::fs::read_to_string(&log).unwrap()
        + &std::fs::read_to_string(folder.path().join("server.err")).unwrap();
    for secret in [
        server::ADMIN_PASSWORD,
        "wrong-password-typed",
        "a-new-secret-9",
        &token,
    ] {
        assert!(!logs.contains(secret), "a secret in the logs: {secret}");
    }
    assert!(!logs.contains("gz_session"));
    let line = logs
        .lines()
        .find(|line| line.contains(&id))
        .expect("the request's id is logged");
    let entry: serde_json::Value = serde_json::from_str(line).unwrap();
    let span = &entry["span"];
    assert_eq!(span["method"], "GET");
    assert_eq!(span["path"], "/admin");
    // No proxy is trusted here: the client is the connection's own address.
    assert_eq!(span["client"], "127.0.0.1");
    assert_eq!(entry["fields"]["status"], 200);
    assert!(entry["fields"]["ms"].as_f64().is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_form_sent_without_waiting_is_answered_413() {
    let folder = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut running = server::start(folder.path(), port, None);
    wait_until_up(port).await;
    // As browsers and fetch send it: the whole 11 MB at once, no `Expect: 100-continue`.
    let body = vec![b'a'; 11 * 1024 * 1024];
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let sent = server::request(port, "POST", "/api/admin/save_link", &form, &body);
    let answer = tokio::time::timeout(Duration::from_secs(30), sent)
        .await
        .expect("an answer, not a connection left hanging")
        .expect("the answer, not a reset connection");
    assert_eq!(answer.status, 413);
    assert!(answer.body.contains("提交的内容太大"), "{}", answer.body);
    server::stop(&mut running);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn startup_failures_say_why() {
    let folder = tempfile::tempdir().unwrap();
    let fails_with = |command: &mut std::process::Command, expected: &str| {
        let output = command.output().unwrap();
        assert!(!output.status.success(), "{expected}");
        let said = text(&output);
        assert!(said.contains(expected), "expected {expected:?} in {said:?}");
    };

    // A configuration file with a mistake.
    let config = folder.path().join("bad.toml");
    std::fs::write(&config, "site_adr = \"127.0.0.1:80\"\n").unwrap();
    fails_with(
        server::command(folder.path(), free_port()).env("GAZETTE_CONFIG", &config),
        "site_adr",
    );
    // A data folder that cannot be made: its parent is a file.
    std::fs::write(folder.path().join("file"), "").unwrap();
    fails_with(
        server::command(folder.path(), free_port())
            .env("GAZETTE_DATABASE_URL", "sqlite://file/data/site.db"),
        "无法创建数据库目录",
    );
    fails_with(
        server::command(folder.path(), free_port()).env("GAZETTE_UPLOADS_DIR", "file/uploads"),
        "上传目录",
    );
    // A port another program holds.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    fails_with(
        &mut server::command(folder.path(), port),
        "已被其他程序占用",
    );
    drop(taken);
    // A second server on the same database.
    let port = free_port();
    let mut first = start(folder.path(), port, None);
    wait_until_up(port).await;
    fails_with(
        &mut server::command(folder.path(), free_port()),
        "正被另一个 gazette 进程使用",
    );
    assert!(stop(&mut first).success());
    // A site folder whose bundle another build made.
    let other = tempfile::tempdir().unwrap();
    std::fs::create_dir(other.path().join("pkg")).unwrap();
    std::fs::write(
        other.path().join("pkg/gazette.wasm"),
        b"\0asm from another build",
    )
    .unwrap();
    fails_with(
        server::command(other.path(), free_port()).env("LEPTOS_SITE_ROOT", other.path()),
        "不是与本程序一起构建的",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_waits_for_a_stopped_server_and_then_reports() {
    let folder = tempfile::tempdir().unwrap();
    let port = free_port();
    let dump = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dedecms/site-utf8.sql");
    let dump = dump.display().to_string();
    let mut server = start(folder.path(), port, None);
    wait_until_up(port).await;
    let refused = server::run(folder.path(), &["import", "dedecms", &dump]);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("正被另一个 gazette 进程使用"),
        "{}",
        text(&refused)
    );
    assert!(stop(&mut server).success());

    let dry = server::run(folder.path(), &["import", "dedecms", &dump, "--dry-run"]);
    assert!(dry.status.success(), "{}", text(&dry));
    assert!(
        text(&dry).contains("试运行,没有写入任何内容"),
        "{}",
        text(&dry)
    );
    let imported = server::run(folder.path(), &["import", "dedecms", &dump]);
    assert!(imported.status.success(), "{}", text(&imported));
    let report = text(&imported);
    assert!(report.contains("文章        新增 9"), "{report}");
    // Without --uploads every file is reported missing, and the import still completes.
    assert!(report.contains("没有给出旧站的上传文件夹"), "{report}");

    let missing = server::run(
        folder.path(),
        &["import", "wordpress", "no-such-export.xml"],
    );
    assert!(!missing.status.success());
    assert!(
        text(&missing).contains("找不到文件 no-such-export.xml"),
        "{}",
        text(&missing)
    );
}

/// The DedeCMS fixture with `count` more articles of about 2 KB each.
fn large_dedecms_dump(count: usize) -> String {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dedecms/site-utf8.sql");
    let mut dump = std::fs::read_to_string(fixture).unwrap();
    let body = "<p>行业协会组织会员开展技能培训,提升服务质量。</p>".repeat(30);
    for batch in (0..count).collect::<Vec<_>>().chunks(500) {
        let archives: Vec<String> = batch
            .iter()
            .map(|n| {
                let id = 1000 + n;
                format!("({id},6,'0',1603435020,'',1,1,0,0,0,'生成的文章{id}','','','','','',1603435020,1603435020,1,'',0,0,0,0,0,0,'','',1,0,0,{id})")
            })
            .collect();
        let addon: Vec<String> = batch
            .iter()
            .map(|n| format!("({},6,'{body}','','','')", 1000 + n))
            .collect();
        dump.push_str(&format!(
            "INSERT INTO `dede_archives` VALUES {};\n",
            archives.join(",")
        ));
        dump.push_str(&format!(
            "INSERT INTO `dede_addonarticle` VALUES {};\n",
            addon.join(",")
        ));
    }
    dump
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_killed_half_way_leaves_the_database_as_it_was() {
    let folder = tempfile::tempdir().unwrap();
    let dump = folder.path().join("large.sql");
    std::fs::write(&dump, large_dedecms_dump(4000)).unwrap();
    let dump = dump.display().to_string();
    // A database with the demo site in it, served once and stopped.
    let port = free_port();
    let mut server = start(folder.path(), port, None);
    wait_until_up(port).await;
    assert!(stop(&mut server).success());
    let before = {
        let pool = open(folder.path()).await;
        let count: i64 = sqlx::query_scalar("SELECT count(*) FROM articles")
            .fetch_one(&pool)
            .await
            .unwrap();
        pool.close().await;
        count
    };

    let mut import = server::command(folder.path(), free_port())
        .args(["import", "dedecms", &dump])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Killed once the transaction has written a good part of itself to the write-ahead log.
    let wal = database_file(folder.path()).with_extension("db-wal");
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) < 3_000_000 {
        assert!(
            import.try_wait().unwrap().is_none(),
            "the import ended before it could be killed"
        );
        assert!(
            std::time::Instant::now() < deadline,
            "the import wrote nothing in a minute"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    import.kill().unwrap();
    import.wait().unwrap();

    let pool = open(folder.path()).await;
    assert_eq!(integrity(&pool).await, "ok");
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM articles")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(after, before, "nothing of the killed import is kept");
    let origins: i64 = sqlx::query_scalar("SELECT count(*) FROM import_origins")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(origins, 0);
    pool.close().await;

    // Run again, it completes.
    let imported = server::run(folder.path(), &["import", "dedecms", &dump]);
    assert!(imported.status.success(), "{}", text(&imported));
    assert!(
        text(&imported).contains("文章        新增 4009"),
        "{}",
        text(&imported)
    );
}
