//! What the body editor asks of the server: autosaves that are no saves, and pasted HTML
//! whose pictures on other sites are copied into the uploads.
#![cfg(feature = "ssr")]
// A test that cannot unwrap has failed; the lints against unwrap are for the server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::http::{StatusCode, header};
use axum::routing::get;
use common::{Site, session, site, site_with};
use gazette::model::Role;
use sqlx::SqlitePool;

async fn article_state(pool: &SqlitePool) -> (i64, String, i64) {
    sqlx::query_as(
        "SELECT version, body, (SELECT count(*) FROM article_revisions WHERE article_id = 1)
         FROM articles WHERE id = 1",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

fn form(version: i64, title: &str, body: &str) -> String {
    format!(
        "id=1&version={version}&form[title]={title}&form[category_id]=2&form[body]={}",
        percent(body)
    )
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// A save of article 1 (button 保存草稿) as `cookie`'s user, on `version`.
async fn save(site: &Site, cookie: &str, version: i64, title: &str, body: &str) -> common::Reply {
    site.post_form(
        "/api/admin/save_article",
        Some(cookie),
        &format!("{}&intent=save", form(version, title, body)),
    )
    .await
}

async fn editor_view(site: &Site, cookie: &str) -> serde_json::Value {
    let reply = site
        .get_with(
            "/api/admin/article?id=1",
            &[
                (header::ACCEPT, "application/json"),
                (header::COOKIE, cookie),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

#[tokio::test]
async fn an_autosave_changes_no_version_and_trips_no_one_else() {
    let site = site().await;
    let editor = session(&site.pool, "editor", Role::Editor).await;
    let other = session(&site.pool, "other", Role::Editor).await;
    let before = article_state(&site.pool).await;
    let version = before.0;

    let autosave = site
        .post_form(
            "/api/admin/autosave_article",
            Some(&editor),
            &form(version, "甲的标题", "<p onclick=\"x()\">甲正在写</p>"),
        )
        .await;
    assert_eq!(autosave.status, StatusCode::OK, "{}", autosave.body);
    assert!(autosave.body.contains(':'), "a time: {}", autosave.body);
    // Not a save: same version, same body, no revision; visitors see the article as it was.
    assert_eq!(article_state(&site.pool).await, before);
    assert!(!site.get("/article/1").await.body.contains("甲正在写"));
    // Offered back to its author only, sanitised.
    let offered = editor_view(&site, &editor).await;
    assert_eq!(offered["autosave"]["form"]["body"], "<p>甲正在写</p>");
    assert_eq!(offered["autosave"]["version"], version);
    assert_eq!(
        editor_view(&site, &other).await["autosave"],
        serde_json::Value::Null
    );

    // Someone else saves over the version the autosave was typed on: no conflict.
    let saved = save(&site, &other, version, "乙的标题", "<p>乙的正文</p>").await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    // The autosave's author saving the old version is refused as before.
    let stale = save(&site, &editor, version, "甲的标题", "<p>甲正在写</p>").await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("other 在"), "{}", stale.body);
    // Saving on the current version goes through and ends the autosave.
    let current = article_state(&site.pool).await.0;
    let saved = save(&site, &editor, current, "甲的标题", "<p>甲正在写</p>").await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(
        editor_view(&site, &editor).await["autosave"],
        serde_json::Value::Null
    );
}

#[tokio::test]
async fn an_autosave_is_checked_like_a_save() {
    let site = site().await;
    let editor = session(&site.pool, "editor", Role::Editor).await;
    let writer = session(&site.pool, "writer", Role::Contributor).await;
    let call = |cookie: Option<String>, body: String| {
        let site = &site;
        async move {
            site.post_form("/api/admin/autosave_article", cookie.as_deref(), &body)
                .await
        }
    };
    // Half-typed is fine: no title yet, no category.
    let half = call(
        Some(editor.clone()),
        "id=1&version=1&form[body]=%3Cp%3E%E5%BC%80%E5%A4%B4%3C%2Fp%3E".into(),
    )
    .await;
    assert_eq!(half.status, StatusCode::OK, "{}", half.body);
    let long_title = "长".repeat(101);
    let too_long = call(Some(editor.clone()), form(1, &long_title, "")).await;
    assert_eq!(too_long.status, StatusCode::BAD_REQUEST);
    assert!(too_long.body.contains("标题"), "{}", too_long.body);
    let unknown = call(
        Some(editor.clone()),
        "id=9999&version=1&form[title]=x".into(),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    // A contributor may not change a published article of someone else's.
    assert_eq!(
        call(Some(writer), form(1, "投稿人", "")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        call(None, form(1, "无人", "")).await.status,
        StatusCode::UNAUTHORIZED
    );
}

/// A stand-in for other sites' picture servers, counting the requests it gets.
async fn picture_server() -> (String, Arc<AtomicUsize>) {
    let requests = Arc::new(AtomicUsize::new(0));
    let counted = requests.clone();
    let png = common::tiny_png();
    let big = [png.clone(), vec![0; 4096]].concat();
    let app = Router::new()
        .route(
            "/mmbiz_png/{name}",
            get(move || async move { ([(header::CONTENT_TYPE, "image/png")], png) }),
        )
        .route("/big.png", get(move || async move { big }))
        .route("/page.png", get(|| async { "<html>这不是图片</html>" }))
        .layer(axum::middleware::from_fn(
            move |request, next: axum::middleware::Next| {
                let counted = counted.clone();
                async move {
                    counted.fetch_add(1, Ordering::SeqCst);
                    next.run(request).await
                }
            },
        ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (origin, requests)
}

async fn paste(site: &Site, cookie: &str, html: &str) -> serde_json::Value {
    let reply = site
        .post_form(
            "/api/admin/clean_paste",
            Some(cookie),
            &format!("html={}&text=", percent(html)),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

#[tokio::test]
async fn pictures_of_pasted_html_on_other_sites_are_copied_here() {
    let site = site_with(|config| config.remote_images_from_private_networks = true).await;
    let editor = session(&site.pool, "editor", Role::Editor).await;
    let (origin, _) = picture_server().await;
    let wechat = format!("{origin}/mmbiz_png/abc?wx_fmt=png&from=appmsg");
    let html = format!(
        "<section style=\"margin:0\"><p>正文</p><p><img src=\"{}\" alt=\"现场\"></p>\
         <p><img src=\"{origin}/missing.png\"><img src=\"{origin}/page.png\"><img src=\"{origin}/big.png\">\
         <img src=\"/uploads/ours.png\"><img src=\"{}\"></p></section>",
        wechat.replace('&', "&amp;"),
        wechat.replace('&', "&amp;"),
    );
    let pasted = paste(&site, &editor, &html).await;
    let copied: String = sqlx::query_scalar("SELECT stored_name FROM uploads WHERE source_url = ?")
        .bind(&wechat)
        .fetch_one(&site.pool)
        .await
        .unwrap();
    let html = pasted["html"].as_str().unwrap();
    assert_eq!(
        html.matches(&format!("src=\"/uploads/{copied}\"")).count(),
        2,
        "{html}"
    );
    assert!(html.contains("src=\"/uploads/ours.png\""), "{html}");
    assert!(!html.contains("style="), "{html}");
    let notes: Vec<&str> = pasted["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(notes.len(), 3, "{notes:?}");
    for (picture, reason) in [
        ("missing.png", "对方网站答复 404"),
        ("page.png", "不是 JPEG、PNG、WebP 或 GIF 图片"),
        ("big.png", "文件太大"),
    ] {
        assert!(
            notes
                .iter()
                .any(|note| note.contains(picture) && note.contains(reason)),
            "{picture}: {notes:?}"
        );
    }
    // The copy is served like any upload.
    let served = site.get(&format!("/uploads/{copied}")).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.headers[header::CONTENT_TYPE], "image/png");
}

#[tokio::test]
async fn pasted_pictures_are_not_fetched_from_internal_addresses() {
    let site = site().await;
    let editor = session(&site.pool, "editor", Role::Editor).await;
    let (origin, requests) = picture_server().await;
    let port = origin.rsplit(':').next().unwrap();
    let html = format!(
        "<p><img src=\"{origin}/mmbiz_png/a\"><img src=\"http://localhost:{port}/mmbiz_png/b\"></p>"
    );
    let pasted = paste(&site, &editor, &html).await;
    let notes = pasted["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 2, "{notes:?}");
    for note in notes {
        assert!(
            note.as_str()
                .unwrap()
                .contains("不能从内部网络地址复制图片"),
            "{note}"
        );
    }
    assert_eq!(requests.load(Ordering::SeqCst), 0);
    assert!(
        pasted["html"]
            .as_str()
            .unwrap()
            .contains(&format!("{origin}/mmbiz_png/a"))
    );
}
