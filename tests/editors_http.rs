//! The editors' area over HTTP: who may call which server function, cross-site requests,
//! sessions and their cookies, sign-in throttling, uploads.
#![cfg(feature = "ssr")]
// A test that cannot unwrap has failed; the lints against unwrap are for the server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use common::{BROWSER, Site, fingerprint, session, site};
use gazette::model::Role;
use gazette::server::auth::password::hash;
use http::{Request, StatusCode, header};
use sqlx::SqlitePool;

/// Who makes a call.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Caller {
    SignedOut,
    Contributor,
    Editor,
    Admin,
}

const CALLERS: [Caller; 4] = [
    Caller::SignedOut,
    Caller::Contributor,
    Caller::Editor,
    Caller::Admin,
];

struct Cookies {
    contributor: String,
    editor: String,
    admin: String,
}

impl Cookies {
    async fn new(pool: &SqlitePool) -> Cookies {
        Cookies {
            contributor: session(pool, "writer", Role::Contributor).await,
            editor: session(pool, "editor", Role::Editor).await,
            admin: session(pool, "boss", Role::Admin).await,
        }
    }

    fn of(&self, caller: Caller) -> Option<&str> {
        match caller {
            Caller::SignedOut => None,
            Caller::Contributor => Some(&self.contributor),
            Caller::Editor => Some(&self.editor),
            Caller::Admin => Some(&self.admin),
        }
    }
}

async fn call(
    site: &Site,
    cookie: Option<&str>,
    method: &str,
    uri: &str,
    form: &str,
) -> common::Reply {
    if method == "GET" {
        let mut headers = vec![(header::ACCEPT, "application/json")];
        if let Some(cookie) = cookie {
            headers.push((header::COOKIE, cookie));
        }
        site.get_with(uri, &headers).await
    } else {
        site.post_form(uri, cookie, form).await
    }
}

/// Each server function of the editors' area, called by each kind of user: allowed calls
/// pass the permission check; refused ones answer 401 or 403 and change nothing.
#[tokio::test]
async fn every_server_function_checks_the_callers_role() {
    let site = site().await;
    let cookies = Cookies::new(&site.pool).await;
    // The account the user-management calls change.
    session(&site.pool, "target", Role::Contributor).await;
    let target: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'target'")
        .fetch_one(&site.pool)
        .await
        .unwrap();
    let article = "id=1&version=1";
    let category =
        "form[name]=新栏目&form[slug]=fresh&form[parent_id]=0&form[position]=0&form[kind]=list";
    let link = "link[name]=友链&link[url]=https://example.org&link[position]=0";
    let settings = "settings[name]=协会&settings[short_name]=&settings[description]=&settings[address]=&settings[postcode]=&settings[phone]=&settings[fax]=&settings[email]=&settings[icp_number]=&settings[police_number]=&settings[copyright]=&settings[logo]=";
    let new_article = "id=0&version=0&intent=save&form[title]=草稿&form[category_id]=2";
    use Caller::*;
    // (method, uri, form, the callers allowed)
    let matrix: Vec<(&str, String, String, Vec<Caller>)> = vec![
        (
            "GET",
            "/api/admin/articles?filter[q]=&page=1".into(),
            String::new(),
            vec![Contributor, Editor, Admin],
        ),
        (
            "GET",
            "/api/admin/article".into(),
            String::new(),
            vec![Contributor, Editor, Admin],
        ),
        (
            "GET",
            "/api/admin/article?id=1".into(),
            String::new(),
            vec![Editor, Admin],
        ),
        (
            "GET",
            "/api/admin/article_categories".into(),
            String::new(),
            vec![Contributor, Editor, Admin],
        ),
        (
            "GET",
            "/api/admin/history?id=1".into(),
            String::new(),
            vec![Editor, Admin],
        ),
        (
            "GET",
            "/api/admin/preview?id=1".into(),
            String::new(),
            vec![Editor, Admin],
        ),
        (
            "GET",
            "/api/admin/categories".into(),
            String::new(),
            vec![Editor, Admin],
        ),
        (
            "GET",
            "/api/admin/links".into(),
            String::new(),
            vec![Editor, Admin],
        ),
        (
            "GET",
            "/api/admin/settings".into(),
            String::new(),
            vec![Admin],
        ),
        ("GET", "/api/admin/users".into(), String::new(), vec![Admin]),
        (
            "GET",
            "/api/admin/uploads".into(),
            String::new(),
            vec![Contributor, Editor, Admin],
        ),
        (
            "POST",
            "/api/admin/clean_paste".into(),
            "html=<p>x</p>&text=".into(),
            vec![Contributor, Editor, Admin],
        ),
        (
            "POST",
            "/api/admin/autosave_article".into(),
            format!("{article}&form[title]=自动保存"),
            vec![Editor, Admin],
        ),
        (
            "POST",
            "/api/admin/save_article".into(),
            new_article.into(),
            vec![Contributor, Editor, Admin],
        ),
        (
            "POST",
            "/api/admin/save_article".into(),
            format!("{article}&intent=save&form[title]=改&form[category_id]=2"),
            vec![Editor, Admin],
        ),
        (
            "POST",
            "/api/admin/save_article".into(),
            "id=0&version=0&intent=publish&form[title]=直接发布&form[category_id]=2".into(),
            vec![Editor, Admin],
        ),
        (
            "POST",
            "/api/admin/review_article".into(),
            format!("{article}&decision=approve&note="),
            vec![Editor, Admin],
        ),
        (
            "POST",
            "/api/admin/archive_article".into(),
            format!("{article}&action=archive"),
            vec![Editor, Admin],
        ),
        (
            "POST",
            "/api/admin/delete_article".into(),
            "id=1&confirm=yes".into(),
            vec![Admin],
        ),
        (
            "POST",
            "/api/admin/restore_revision".into(),
            format!("{article}&revision=1"),
            vec![Editor, Admin],
        ),
        (
            "POST",
            "/api/admin/save_category".into(),
            format!("id=0&{category}"),
            vec![Editor, Admin],
        ),
        (
            "POST",
            "/api/admin/delete_category".into(),
            "id=1".into(),
            vec![Editor, Admin],
        ),
        (
            "POST",
            "/api/admin/save_link".into(),
            format!("id=0&{link}"),
            vec![Editor, Admin],
        ),
        (
            "POST",
            "/api/admin/delete_link".into(),
            "id=1".into(),
            vec![Editor, Admin],
        ),
        (
            "POST",
            "/api/admin/add_redirect".into(),
            "redirect[path]=/old-page.html&redirect[target]=/".into(),
            vec![Editor, Admin],
        ),
        (
            "POST",
            "/api/admin/delete_redirect".into(),
            "path=/old-page.html".into(),
            vec![Editor, Admin],
        ),
        (
            "GET",
            "/api/admin/redirects?q=&page=1".into(),
            String::new(),
            vec![Editor, Admin],
        ),
        (
            "POST",
            "/api/admin/save_settings".into(),
            settings.into(),
            vec![Admin],
        ),
        (
            "POST",
            "/api/admin/create_user".into(),
            "username=newbie&role=editor&password=12345678abc".into(),
            vec![Admin],
        ),
        (
            "POST",
            "/api/admin/update_user".into(),
            format!("id={target}&role=editor"),
            vec![Admin],
        ),
        (
            "POST",
            "/api/admin/reset_password".into(),
            format!("id={target}&new_password=12345678abc"),
            vec![Admin],
        ),
        (
            "POST",
            "/api/change_password".into(),
            "current_password=x&new_password=y&new_password_again=y".into(),
            vec![Contributor, Editor, Admin],
        ),
    ];
    for (method, uri, form, allowed) in &matrix {
        for caller in CALLERS {
            let before = fingerprint(&site.pool).await;
            let reply = call(&site, cookies.of(caller), method, uri, form).await;
            if allowed.contains(&caller) {
                assert!(
                    !matches!(
                        reply.status,
                        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
                    ),
                    "{caller:?} {method} {uri} {form}: {} {}",
                    reply.status,
                    reply.body
                );
            } else {
                let expected = if caller == SignedOut {
                    StatusCode::UNAUTHORIZED
                } else {
                    StatusCode::FORBIDDEN
                };
                assert_eq!(
                    reply.status, expected,
                    "{caller:?} {method} {uri}: {}",
                    reply.body
                );
                assert_eq!(
                    fingerprint(&site.pool).await,
                    before,
                    "{caller:?} {method} {uri} changed data"
                );
            }
        }
    }
}

#[tokio::test]
async fn requests_from_other_sites_are_refused() {
    let site = site().await;
    let cookies = Cookies::new(&site.pool).await;
    let before = fingerprint(&site.pool).await;
    for origin in [Some("https://evil.example"), Some("null"), None] {
        let mut request = Request::post("/api/admin/save_link")
            .header(header::USER_AGENT, BROWSER)
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::COOKIE, &cookies.admin)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        let body = "id=0&link[name]=钓鱼&link[url]=https://evil.example&link[position]=0";
        let reply = site.send(request.body(Body::from(body)).unwrap()).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{origin:?}");
        assert!(reply.body.contains("请求来源不是本站"), "{}", reply.body);
    }
    assert_eq!(fingerprint(&site.pool).await, before);
    // The same request from the site itself goes through.
    let reply = site
        .post_form(
            "/api/admin/save_link",
            Some(&cookies.admin),
            "id=0&link[name]=友链&link[url]=https://example.org&link[position]=0",
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

/// Signs in through the server function; returns the reply.
async fn sign_in(site: &Site, name: &str, password: &str, cookie: Option<&str>) -> common::Reply {
    let form = format!("username={name}&password={password}&next=/admin");
    site.post_form("/api/sign_in", cookie, &form).await
}

async fn sessions_of(pool: &SqlitePool, name: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = ?",
    )
    .bind(name)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn current_user(site: &Site, cookie: &str) -> String {
    site.get_with(
        "/api/current_user",
        &[
            (header::COOKIE, cookie),
            (header::ACCEPT, "application/json"),
        ],
    )
    .await
    .body
}

#[tokio::test]
async fn sign_in_starts_a_new_session_with_safe_cookie_flags() {
    let site = site().await;
    let old = session(&site.pool, "editor", Role::Editor).await;
    sqlx::query("UPDATE users SET password_hash = ?")
        .bind(hash("正确的密码12345").unwrap().as_str())
        .execute(&site.pool)
        .await
        .unwrap();

    let reply = sign_in(&site, "editor", "正确的密码12345", Some(&old)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let cookie = reply.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    for flag in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(cookie.contains(flag), "{flag} missing: {cookie}");
    }
    let new = cookie.split(';').next().unwrap().to_string();
    assert_ne!(new, old);
    // Session fixation: the session from before signing in is gone.
    assert_eq!(current_user(&site, &old).await, "null");
    assert!(current_user(&site, &new).await.contains("\"editor\""));

    // Signing out ends the session and clears the cookie.
    let out = site.post_form("/api/sign_out", Some(&new), "").await;
    assert!(
        out.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    assert_eq!(current_user(&site, &new).await, "null");
    assert_eq!(sessions_of(&site.pool, "editor").await, 0);
}

#[tokio::test]
async fn wrong_passwords_and_unknown_names_get_the_same_answer() {
    let site = site().await;
    session(&site.pool, "editor", Role::Editor).await;
    let wrong = sign_in(&site, "editor", "wrong-password", None).await;
    let unknown = sign_in(&site, "nobody", "wrong-password", None).await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert_eq!((wrong.status, &wrong.body), (unknown.status, &unknown.body));
    assert!(wrong.body.contains("用户名或密码错误"));
    assert!(
        wrong
            .headers
            .get(header::SET_COOKIE)
            .is_none_or(|c| !c.to_str().unwrap().contains("gz_session"))
    );
}

#[tokio::test]
async fn repeated_failures_lock_the_account_for_a_while() {
    let site = site().await;
    session(&site.pool, "editor", Role::Editor).await;
    for _ in 0..gazette::server::auth::sign_in_throttle::ACCOUNT_LIMIT {
        let reply = sign_in(&site, "editor", "wrong-password", None).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    }
    // Even the right password is refused until the lock ends, and the message says so.
    let locked = sign_in(&site, "Editor", "一个足够长的密码", None).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.body.contains("分钟后再试"), "{}", locked.body);
}

#[tokio::test]
async fn an_expired_session_signs_nobody_in_and_is_removed() {
    let site = site().await;
    let id = gazette::db::users::create(
        &site.pool,
        "late",
        Role::Admin,
        &hash("一个足够长的密码").unwrap(),
    )
    .await
    .unwrap();
    let token = "token-of-an-expired-session";
    let an_hour_ago = gazette::server::clock::unix_now() - 3600;
    gazette::db::sessions::create(
        &site.pool,
        &gazette::server::auth::session::hash_token(token),
        id,
        an_hour_ago,
    )
    .await
    .unwrap();
    let cookie = format!("gz_session={token}");
    assert_eq!(current_user(&site, &cookie).await, "null");
    let before = fingerprint(&site.pool).await;
    let reply = site
        .post_form(
            "/api/admin/save_link",
            Some(&cookie),
            "id=0&link[name]=a&link[url]=https://example.org&link[position]=0",
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(fingerprint(&site.pool).await, before);
    // The editors' area asks to sign in, and comes back to the same list after.
    let page = site
        .get_with("/admin?status=draft", &[(header::COOKIE, &cookie)])
        .await;
    assert_eq!(
        page.headers[header::LOCATION],
        "/admin/login?next=%2Fadmin%3Fstatus%3Ddraft"
    );
    let removed =
        gazette::db::sessions::delete_expired(&site.pool, gazette::server::clock::unix_now())
            .await
            .unwrap();
    assert_eq!(removed, 1);
}

#[tokio::test]
async fn the_editors_area_redirects_signed_out_clients_whatever_they_accept() {
    let site = site().await;
    for accept in [
        None,
        Some("*/*"),
        Some("text/html"),
        Some("application/json"),
    ] {
        let headers: Vec<(header::HeaderName, &str)> =
            accept.map(|a| (header::ACCEPT, a)).into_iter().collect();
        let reply = site.get_with("/admin", &headers).await;
        assert_eq!(reply.status, StatusCode::FOUND, "Accept: {accept:?}");
        assert_eq!(
            reply.headers[header::LOCATION],
            "/admin/login?next=%2Fadmin",
            "Accept: {accept:?}"
        );
    }
}

#[tokio::test]
async fn disabling_and_password_changes_end_sessions() {
    let site = site().await;
    let cookies = Cookies::new(&site.pool).await;
    let admin = &cookies.admin;
    let writer_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'writer'")
        .fetch_one(&site.pool)
        .await
        .unwrap();
    let reply = site
        .post_form(
            "/api/admin/update_user",
            Some(admin),
            &format!("id={writer_id}&role=contributor&disabled=yes"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(current_user(&site, &cookies.contributor).await, "null");

    // Changing one's own password keeps this session and ends the others.
    let second = sign_in(&site, "editor", "一个足够长的密码", None).await;
    let second = second.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let reply = site
        .post_form(
            "/api/change_password",
            Some(&cookies.editor),
            "current_password=一个足够长的密码&new_password=新的足够长的密码&new_password_again=新的足够长的密码",
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(
        current_user(&site, &cookies.editor)
            .await
            .contains("editor")
    );
    assert_eq!(current_user(&site, &second).await, "null");

    // The last enabled admin cannot lock everyone out.
    let boss_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'boss'")
        .fetch_one(&site.pool)
        .await
        .unwrap();
    let demo_admin: Option<i64> =
        sqlx::query_scalar("SELECT id FROM users WHERE username = 'admin'")
            .fetch_optional(&site.pool)
            .await
            .unwrap();
    assert!(demo_admin.is_none(), "the test site has one admin");
    let reply = site
        .post_form(
            "/api/admin/update_user",
            Some(admin),
            &format!("id={boss_id}&role=editor"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("唯一启用的管理员"), "{}", reply.body);
}

#[tokio::test]
async fn a_stale_save_is_refused_with_who_saved_first() {
    let site = site().await;
    let cookies = Cookies::new(&site.pool).await;
    let save = |version: i64, title: &str| {
        format!("id=1&version={version}&intent=save&form[title]={title}&form[category_id]=2")
    };
    let first = site
        .post_form(
            "/api/admin/save_article",
            Some(&cookies.editor),
            &save(1, "甲"),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let stale = site
        .post_form(
            "/api/admin/save_article",
            Some(&cookies.admin),
            &save(1, "乙"),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("editor 在"), "{}", stale.body);
    let title: String = sqlx::query_scalar("SELECT title FROM articles WHERE id = 1")
        .fetch_one(&site.pool)
        .await
        .unwrap();
    assert_eq!(title, "甲");
}

#[tokio::test]
async fn a_form_rejected_without_javascript_comes_back_filled_in() {
    let site = site().await;
    let cookies = Cookies::new(&site.pool).await;
    let request = Request::post("/api/admin/save_article")
        .header(header::USER_AGENT, BROWSER)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::REFERER, "http://127.0.0.1:3000/admin/articles/new")
        .header(header::ACCEPT, "text/html")
        .header(header::COOKIE, &cookies.editor)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(
            "id=0&version=0&intent=save&form[title]=%E6%9C%AA%E5%AE%8C&form[category_id]=2&form[info_source_url]=javascript:alert(1)",
        ))
        .unwrap();
    let reply = site.send(request).await;
    assert_eq!(reply.status, StatusCode::FOUND);
    let location = reply.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        location.contains("__err=") && location.contains("__form="),
        "{location}"
    );
    let path = location.trim_start_matches("http://127.0.0.1:3000");
    let page = site
        .get_with(
            path,
            &[
                (header::COOKIE, &cookies.editor),
                (header::ACCEPT, "text/html"),
            ],
        )
        .await;
    assert!(
        page.body.contains("信息来源网址必须以"),
        "the error is shown"
    );
    assert!(page.body.contains("value=\"未完\""), "the title is kept");
    // Another session cannot read the kept form.
    let other = site
        .get_with(
            path,
            &[
                (header::COOKIE, &cookies.admin),
                (header::ACCEPT, "text/html"),
            ],
        )
        .await;
    assert!(!other.body.contains("value=\"未完\""));
}

fn multipart(name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "gazette-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A field of an upload's JSON answer.
fn field(reply: &common::Reply, name: &str) -> String {
    let answer: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    answer[name].as_str().unwrap_or_default().to_string()
}

async fn upload(site: &Site, cookie: Option<&str>, name: &str, bytes: &[u8]) -> common::Reply {
    let (content_type, body) = multipart(name, bytes);
    let mut request = Request::post("/admin/uploads")
        .header(header::USER_AGENT, BROWSER)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_TYPE, content_type);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    site.send(request.body(Body::from(body)).unwrap()).await
}

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

#[tokio::test]
async fn uploads_are_typed_by_content_and_served_safely() {
    let site = site().await;
    let cookies = Cookies::new(&site.pool).await;
    let writer = Some(cookies.contributor.as_str());

    assert_eq!(
        upload(&site, None, "a.png", PNG).await.status,
        StatusCode::UNAUTHORIZED
    );

    let image = upload(&site, writer, "../../现场.png", PNG).await;
    assert_eq!(image.status, StatusCode::OK, "{}", image.body);
    let url = field(&image, "url");
    assert!(
        url.starts_with("/uploads/") && url.ends_with(".png"),
        "{url}"
    );
    let served = site.get(&url).await;
    assert_eq!(served.headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(served.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(
        served.headers.get(header::CONTENT_DISPOSITION).is_none(),
        "images show inline"
    );

    let pdf = upload(&site, writer, "通知.pdf", b"%PDF-1.7\n%test\n").await;
    let url = field(&pdf, "url");
    let served = site.get(&url).await;
    assert_eq!(served.headers[header::CONTENT_TYPE], "application/pdf");
    let disposition = served.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap();
    assert!(
        disposition.starts_with("attachment; filename*=UTF-8''"),
        "{disposition}"
    );
    assert!(
        disposition.contains("%E9%80%9A%E7%9F%A5.pdf"),
        "{disposition}"
    );

    // HTML, SVG and scripts are refused whatever they are called.
    for (name, bytes) in [
        ("page.png", &b"<html><script>alert(1)</script></html>"[..]),
        (
            "image.svg",
            &b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"[..],
        ),
        ("run.pdf", &b"#!/bin/sh\necho hi"[..]),
    ] {
        let reply = upload(&site, writer, name, bytes).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{name}");
        assert!(reply.body.contains("不支持的文件类型"), "{}", reply.body);
    }
    // An image that is also HTML and a script (a GIF/JavaScript polyglot), under a name
    // with a server-side extension: kept as the image it starts as, under a generated name,
    // and never served as anything a browser would run.
    let polyglot =
        b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=1;alert(1)//<html><script>alert(1)</script>";
    let reply = upload(&site, writer, "shell.php.gif", polyglot).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let url = field(&reply, "url");
    assert!(url.ends_with(".gif") && !url.contains("php"), "{url}");
    let name = field(&reply, "name");
    assert!(
        !name.contains('\\') && !name.chars().any(char::is_control),
        "{name}"
    );
    let served = site.get(&url).await;
    assert_eq!(served.headers[header::CONTENT_TYPE], "image/gif");
    assert_eq!(served.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let policy = served.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(policy.contains("sandbox"), "{policy}");
    // Control characters in the name break the form's framing: refused, and said so.
    let reply = upload(
        &site,
        writer,
        "a\u{1}\r\nContent-Type: text/html\r\n.gif",
        polyglot,
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("格式不正确"), "{}", reply.body);

    // The test site accepts files up to 1 KB.
    let mut big = PNG.to_vec();
    big.resize(2048, 0);
    assert_eq!(
        upload(&site, writer, "big.png", &big).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );

    for path in [
        "/uploads/..%2F..%2Fetc%2Fpasswd",
        "/uploads/missing.png",
        "/uploads/.env",
    ] {
        assert_eq!(site.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
}

/// Static files keep their own status while pages that redirect are rendered at the same
/// time: a shared rendering context once gave wasm chunks a sign-in page's 302.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn static_files_are_not_affected_by_pages_rendered_alongside() {
    let site = std::sync::Arc::new(site().await);
    std::fs::create_dir_all(site.folder.path().join("pkg")).unwrap();
    std::fs::write(
        site.folder.path().join("pkg/chunk.wasm"),
        b"\0asm\x01\0\0\0",
    )
    .unwrap();
    let mut tasks = Vec::new();
    for n in 0..200 {
        let site = site.clone();
        tasks.push(tokio::spawn(async move {
            if n % 2 == 0 {
                let reply = site
                    .get_with("/admin", &[(header::ACCEPT, "text/html")])
                    .await;
                (true, reply.status)
            } else {
                (false, site.get("/pkg/chunk.wasm").await.status)
            }
        }));
    }
    for task in tasks {
        let (is_page, status) = task.await.unwrap();
        if is_page {
            assert_eq!(status, StatusCode::FOUND, "signed out: sent to sign in");
        } else {
            assert_eq!(status, StatusCode::OK, "a static file");
        }
    }
}

#[tokio::test]
async fn publishing_shows_on_pages_served_from_memory_at_once() {
    let site = site().await;
    let cookies = Cookies::new(&site.pool).await;
    let home = site.get("/").await;
    assert!(!home.body.contains("新发布的通知"));
    let again = site.get("/").await;
    assert_eq!(
        again.headers[header::ETAG],
        home.headers[header::ETAG],
        "served from memory"
    );
    let reply = site
        .post_form(
            "/api/admin/save_article",
            Some(&cookies.editor),
            "id=0&version=0&intent=publish&form[title]=新发布的通知&form[category_id]=5&form[is_headline]=true",
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let after = site.get("/").await;
    assert!(
        after.body.contains("新发布的通知"),
        "the cache was emptied by the change"
    );
}

/// The site as `site`, but on new connections to its database made with `options`: a
/// stand-in for a disk that has filled up or turned read-only under the running server.
async fn on_failing_storage(
    site: &mut Site,
    options: impl FnOnce(sqlx::sqlite::SqliteConnectOptions) -> sqlx::sqlite::SqliteConnectOptions,
) {
    use std::str::FromStr;
    let url = site.state.config.database_url.clone();
    let base = sqlx::sqlite::SqliteConnectOptions::from_str(&url)
        .unwrap()
        .foreign_keys(true)
        .busy_timeout(std::time::Duration::from_secs(5));
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .connect_with(options(base))
        .await
        .unwrap();
    let state = gazette::server::state::AppState::new(
        gazette::db::Store::Sqlite(pool),
        (*site.state.config).clone(),
    );
    site.router = gazette::server::http::router::build(state.clone(), common::page_routes());
    site.state = state;
}

/// Editors get a clear 503 and keep what they typed; visitors still read.
async fn saves_fail_clearly_and_pages_still_read(site: &Site, admin: &str, expected: &str) {
    let before = fingerprint(&site.pool).await;
    for path in [
        "/",
        "/category/news",
        "/article/1",
        "/search?q=%E5%8D%8F%E4%BC%9A",
    ] {
        let page = site.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
    }
    let body = "<p>一段很长的正文</p>".repeat(2000);
    let form = serde_urlencoded::to_string([
        ("id", "0"),
        ("version", "0"),
        ("intent", "save"),
        ("form[title]", "磁盘出问题时写的文章"),
        ("form[category_id]", "2"),
        ("form[body]", body.as_str()),
    ])
    .unwrap();
    let reply = site
        .post_form("/api/admin/save_article", Some(admin), &form)
        .await;
    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        reply.body
    );
    let error: gazette::error::AppError = serde_json::from_str(&reply.body).unwrap();
    assert!(error.to_string().contains(expected), "{error}");
    // Without JavaScript the form comes back with the message and what was typed.
    let request = Request::post("/api/admin/save_article")
        .header(header::USER_AGENT, BROWSER)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, "http://127.0.0.1:3000/admin/articles/new")
        .header(header::COOKIE, admin)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .unwrap();
    let reply = site.send(request).await;
    let location = reply.headers[header::LOCATION].to_str().unwrap();
    assert!(
        location.contains("__err=") && location.contains("__form="),
        "{location}"
    );
    assert_eq!(fingerprint(&site.pool).await, before);
}

#[tokio::test]
async fn a_full_disk_refuses_saves_clearly_and_visitors_still_read() {
    let mut site = site().await;
    let admin = session(&site.pool, "boss", Role::Admin).await;
    let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
        .fetch_one(&site.pool)
        .await
        .unwrap();
    on_failing_storage(&mut site, |options| {
        options.pragma("max_page_count", pages.to_string())
    })
    .await;
    saves_fail_clearly_and_pages_still_read(&site, &admin, "磁盘已满").await;
}

#[tokio::test]
async fn a_read_only_database_refuses_saves_clearly_and_visitors_still_read() {
    let mut site = site().await;
    let admin = session(&site.pool, "boss", Role::Admin).await;
    on_failing_storage(&mut site, |options| options.read_only(true)).await;
    saves_fail_clearly_and_pages_still_read(&site, &admin, "只读").await;
}
