//! Mixed load on the real server: 64 visitors at once reading pages and calling the server
//! functions client-side navigation uses, while editors publish and revise articles. No
//! answer may be a 5xx or an error page, every acknowledged save must have its revision,
//! and every counted view must be stored.
//!
//! CI runs it for 5 seconds; `bench/load` runs it for 60 (`GAZETTE_LOAD_SECONDS`) and
//! prints the figures.
#![cfg(feature = "ssr")]
// A test that cannot unwrap has failed; the lints against unwrap are for the server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use common::server::{
    self, database_url, free_port, get, post, sign_in, start, stop, wait_until_up,
};

const VISITORS: usize = 64;
const EDITORS: usize = 2;
/// Articles the visitors read (the demo's first ones, all published).
const READ: i64 = 20;

/// What a visitor asks for on its `n`th request, and the article it views, if any.
fn visit(n: usize) -> (String, Option<i64>) {
    let article = (n as i64 % READ) + 1;
    match n % 8 {
        0 => ("/".into(), None),
        1 => ("/category/news".into(), None),
        2 | 3 => (format!("/article/{article}"), Some(article)),
        4 => ("/search?q=%E5%8D%8F%E4%BC%9A".into(), None),
        5 => (format!("/api/article?id={article}"), Some(article)),
        6 => ("/api/category?slug=news&page=1".into(), None),
        _ => (
            "/api/search?params[q]=%E8%81%8C%E4%B8%9A%E6%8A%80%E8%83%BD&params[category]=&params[from]=&params[until]=&page=1"
                .into(),
            None,
        ),
    }
}

#[derive(Default)]
struct Tally {
    requests: usize,
    latencies_ms: Vec<f64>,
    views: HashMap<i64, i64>,
    problems: Vec<String>,
}

async fn visitor(port: u16, me: usize, until: Instant) -> Tally {
    let mut tally = Tally::default();
    let mut n = me;
    while Instant::now() < until {
        n += 1;
        let (path, article) = visit(n);
        // A new visitor each time, so that every article view counts.
        let cookie = format!("gz_vid={me:016x}{n:016x}");
        let started = Instant::now();
        let answer = get(port, &path, &cookie).await;
        tally
            .latencies_ms
            .push(started.elapsed().as_secs_f64() * 1000.0);
        tally.requests += 1;
        match answer {
            Ok(answer) if answer.status == 200 && !answer.body.contains("服务器暂时无法处理") => {
                if let Some(article) = article {
                    *tally.views.entry(article).or_default() += 1;
                }
            }
            Ok(answer) => tally.problems.push(format!(
                "{path}: {} {}",
                answer.status,
                answer.body.chars().take(200).collect::<String>()
            )),
            Err(error) => tally.problems.push(format!("{path}: {error}")),
        }
    }
    tally
}

/// Publishes articles and revises each once; the acknowledged (article, saves) pairs.
async fn editor(
    port: u16,
    cookie: String,
    me: usize,
    until: Instant,
) -> (Vec<(i64, i64)>, Vec<String>) {
    let mut saved = Vec::new();
    let mut problems = Vec::new();
    let mut n = 0;
    while Instant::now() < until {
        n += 1;
        let title = format!("负载测试:编辑{me}的第{n}篇");
        let id = match server::publish(port, &cookie, &title).await {
            Ok(Some(id)) => id,
            other => {
                problems.push(format!("publish {title}: {:?}", other.map(|_| ())));
                continue;
            }
        };
        let form = serde_urlencoded::to_string([
            ("id", id.to_string().as_str()),
            ("version", "1"),
            ("intent", "save"),
            ("form[title]", &format!("{title}(修订)")),
            ("form[category_id]", "2"),
            ("form[body]", "<p>修订后的正文</p>"),
        ])
        .unwrap();
        match post(port, "/api/admin/save_article", &cookie, &form).await {
            Ok(answer) if answer.status == 200 => saved.push((id, 2)),
            Ok(answer) => {
                saved.push((id, 1));
                problems.push(format!("revise {id}: {} {}", answer.status, answer.body));
            }
            Err(error) => {
                saved.push((id, 1));
                problems.push(format!("revise {id}: {error}"));
            }
        }
    }
    (saved, problems)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mixed_load_with_editors_saving_loses_nothing() {
    let seconds: u64 = std::env::var("GAZETTE_LOAD_SECONDS")
        .ok()
        .and_then(|seconds| seconds.parse().ok())
        .unwrap_or(5);
    let folder = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut running = start(folder.path(), port, None);
    wait_until_up(port).await;
    let cookie = sign_in(port).await;
    let pool = gazette::db::connect(&database_url(folder.path()))
        .await
        .unwrap();
    let views_before: Vec<(i64, i64)> =
        sqlx::query_as("SELECT id, view_count FROM articles WHERE id <= ?")
            .bind(READ)
            .fetch_all(&pool)
            .await
            .unwrap();

    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let visitors: Vec<_> = (0..VISITORS)
        .map(|me| tokio::spawn(visitor(port, me, until)))
        .collect();
    let editors: Vec<_> = (0..EDITORS)
        .map(|me| tokio::spawn(editor(port, cookie.clone(), me, until)))
        .collect();
    let mut total = Tally::default();
    for visitor in visitors {
        let tally = visitor.await.unwrap();
        total.requests += tally.requests;
        total.latencies_ms.extend(tally.latencies_ms);
        total.problems.extend(tally.problems);
        for (article, views) in tally.views {
            *total.views.entry(article).or_default() += views;
        }
    }
    let mut saved = Vec::new();
    for editor in editors {
        let (acknowledged, problems) = editor.await.unwrap();
        saved.extend(acknowledged);
        total.problems.extend(problems);
    }
    let elapsed = started.elapsed().as_secs_f64();
    assert!(stop(&mut running).success(), "a clean stop");

    total.latencies_ms.sort_by(f64::total_cmp);
    eprintln!(
        "load: {seconds} s, {VISITORS} visitors, {EDITORS} editors: {} requests ({:.0}/s), \
         p50 {:.1} ms, p99 {:.1} ms; {} articles published and revised; {} problems",
        total.requests,
        total.requests as f64 / elapsed,
        percentile(&total.latencies_ms, 0.50),
        percentile(&total.latencies_ms, 0.99),
        saved.len(),
        total.problems.len()
    );
    assert_eq!(total.problems, Vec::<String>::new());
    assert!(!saved.is_empty());

    let pool = gazette::db::connect(&database_url(folder.path()))
        .await
        .unwrap();
    for (article, saves) in &saved {
        let revisions: i64 =
            sqlx::query_scalar("SELECT count(*) FROM article_revisions WHERE article_id = ?")
                .bind(article)
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(revisions, *saves, "article {article}");
    }
    for (article, before) in views_before {
        let after: i64 = sqlx::query_scalar("SELECT view_count FROM articles WHERE id = ?")
            .bind(article)
            .fetch_one(&pool)
            .await
            .unwrap();
        let counted = total.views.get(&article).copied().unwrap_or_default();
        assert_eq!(after, before + counted, "views of article {article}");
    }
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(integrity, "ok");
}
