//! The site under attack: hostile requests to every route and server function, script
//! injection through everything editors and visitors can send, and the headers that limit
//! what a browser does with our pages.
// A test that cannot unwrap has failed; the lints against unwrap are for the server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use http::{StatusCode, header};

use common::site;

/// The nonce a policy allows scripts with, if it names one.
fn policy_nonce(policy: &str) -> Option<&str> {
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let end = start + policy[start..].find('\'')?;
    Some(&policy[start..end])
}

/// Whether a policy lets this inline script run: by its nonce, or by the hash of its text.
fn policy_allows(policy: &str, nonce: Option<&str>, text: &str) -> bool {
    use base64::Engine;
    use sha2::Digest;
    let by_nonce = nonce.is_some_and(|nonce| policy_nonce(policy) == Some(nonce));
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(text));
    by_nonce || policy.contains(&format!("'sha256-{hash}'"))
}

/// The inline scripts of a page: (nonce attribute, text).
fn inline_scripts(page: &str) -> Vec<(Option<String>, String)> {
    use scraper::{Html, Selector};
    Html::parse_document(page)
        .select(&Selector::parse("script:not([src])").unwrap())
        .map(|script| {
            let nonce = script.value().attr("nonce").map(str::to_string);
            (nonce, script.text().collect())
        })
        .collect()
}

#[tokio::test]
async fn pages_let_only_their_own_scripts_run_and_carry_protective_headers() {
    let site = site().await;
    // Rendered, then served from memory: the same bytes, whose scripts the policy names by
    // hash, so that they can be compressed once for every visitor.
    let first = site.get("/").await;
    let second = site.get("/").await;
    for reply in [&first, &second] {
        assert_eq!(reply.status, StatusCode::OK);
        let policy = reply.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap();
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        assert!(policy.contains("frame-ancestors 'self'"), "{policy}");
        assert_eq!(policy_nonce(policy), None, "{policy}");
        let scripts = inline_scripts(&reply.body);
        assert!(scripts.len() >= 2, "hydration and its data");
        for (_, text) in &scripts {
            assert!(policy_allows(policy, None, text), "{text}");
        }
        assert!(!policy_allows(policy, None, "alert(1)"));
        assert_eq!(reply.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(
            reply.headers[header::REFERRER_POLICY],
            "strict-origin-when-cross-origin"
        );
        // The test site is public over https.
        assert!(
            reply.headers[header::STRICT_TRANSPORT_SECURITY]
                .to_str()
                .unwrap()
                .starts_with("max-age=")
        );
    }
    assert_eq!(first.body, second.body);
    assert_eq!(first.headers[header::ETAG], second.headers[header::ETAG]);

    // A page rendered for one response (the editors' area) allows its scripts by a nonce
    // of its own.
    let mut nonces = Vec::new();
    for _ in 0..2 {
        let reply = site.get("/admin/login").await;
        let policy = reply.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_string();
        let nonce = policy_nonce(&policy).expect("a nonce").to_string();
        for (attribute, text) in inline_scripts(&reply.body) {
            assert_eq!(attribute.as_deref(), Some(nonce.as_str()), "{text}");
        }
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[1], "a new nonce for every response");

    // A 304 leaves the browser the policy that came with its copy.
    let etag = second.headers[header::ETAG].to_str().unwrap();
    let unchanged = site.get_with("/", &[(header::IF_NONE_MATCH, etag)]).await;
    assert_eq!(unchanged.status, StatusCode::NOT_MODIFIED);
    assert!(
        unchanged
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .is_none()
    );

    let sign_in = site.get("/admin/login").await;
    let policy = sign_in.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert_eq!(sign_in.headers[header::X_FRAME_OPTIONS], "DENY");

    let feed = site.get("/feed.xml").await;
    assert_eq!(feed.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
}

/// Values that have broken CMSes: bad encodings, NUL bytes, SQL and FTS syntax, path
/// traversal, numbers no page has, and sheer length. Each is already percent-encoded as it
/// would appear in a URL or a form body.
fn hostile_values() -> Vec<String> {
    let mut values: Vec<String> = [
        "",
        "%FF%FE%FD",
        "%",
        "%zz",
        "%00",
        "a%00b",
        "%C0%AF",
        "%ED%A0%80",
        "'%20OR%201=1--",
        "1;DROP%20TABLE%20articles",
        "1'%20UNION%20SELECT%20password_hash%20FROM%20users--",
        "%22unterminated",
        "NEAR(a%20b)",
        "a%20AND%20OR%20NOT",
        "*",
        "title:x",
        "%5Ex",
        "%7Ba%7D",
        "../../etc/passwd",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "..%2f..%2fCargo.toml",
        "%2fetc%2fpasswd",
        "..%5c..%5cwin.ini",
        "99999999999999999999999",
        "-1",
        "0",
        "9223372036854775807",
        "-9223372036854775808",
        "1e9",
        "0x10",
        "%E4%BD%A0%E5%A5%BD",
        "true",
        "%5B%5D",
    ]
    .iter()
    .map(|value| value.to_string())
    .collect();
    values.push("%E5%8D%8F".repeat(3000));
    values
}

/// Every visitor and editor route, with `{}` where a hostile value goes.
const ROUTES: &[&str] = &[
    "/?{}",
    "/{}",
    "/category/{}",
    "/category/news?page={}",
    "/category/{}?page={}",
    "/article/{}",
    "/article/{}?page={}",
    "/search?q={}",
    "/search?q=协会&page={}",
    "/search?{}",
    "/feed.xml?{}",
    "/category/{}/feed.xml",
    "/sitemap.xml?{}",
    "/sitemap/{}",
    "/sitemap/{}.xml",
    "/robots.txt?{}",
    "/reading?mode={}&return={}",
    "/reading?mode=large&return={}",
    "/uploads/{}",
    "/pkg/{}",
    "/healthz?{}",
    "/admin/login?next={}",
    "/admin?{}",
    "/admin?status={}&page={}&category={}",
    "/admin/articles/{}",
    "/admin/articles/{}/history",
    "/admin/articles/{}/preview",
    "/admin/categories/{}",
    "/admin/links/{}",
    "/admin/users/{}",
];

/// The argument names server functions take, each given the hostile value.
const ARGUMENT_NAMES: &[&str] = &[
    "id",
    "page",
    "slug",
    "q",
    "key",
    "version",
    "revision",
    "intent",
    "decision",
    "note",
    "action",
    "confirm",
    "username",
    "password",
    "next",
    "role",
    "disabled",
    "html",
    "text",
    "filter[status]",
    "filter[category_id]",
    "filter[q]",
    "form[title]",
    "form[category_id]",
    "form[body]",
    "form[publish_at]",
    "form[name]",
    "form[slug]",
    "form[parent_id]",
    "link[name]",
    "link[url]",
    "settings[name]",
    "settings[email]",
];

fn fill(template: &str, value: &str) -> String {
    template.replace("{}", value)
}

/// Has at least one Chinese character: a message a visitor or an editor can read.
fn speaks_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// What a refusal says to the person: a server function's error is JSON that the page shows
/// in its own words; anything else is shown as it is.
fn message_of(body: &str) -> String {
    serde_json::from_str::<gazette::error::AppError>(body)
        .map(|error| error.to_string())
        .unwrap_or_else(|_| body.to_string())
}

#[tokio::test]
async fn hostile_requests_get_a_clear_4xx_and_change_nothing() {
    // Searches are limited per address; this test means to reach the search itself.
    let site = common::site_with(|config| config.search_limit_per_minute = 0).await;
    let admin = common::session(&site.pool, "boss", gazette::model::Role::Admin).await;
    let callers = [None, Some(admin.as_str())];
    let values = hostile_values();
    let mut requests: Vec<(&'static str, String, Vec<u8>)> = Vec::new();
    for route in ROUTES {
        for value in &values {
            requests.push(("GET", fill(route, value), Vec::new()));
        }
    }
    let mut functions: Vec<_> = leptos::server_fn::axum::server_fn_paths().collect();
    functions.sort_by_key(|(path, _)| *path);
    assert!(functions.len() >= 30, "every server function is registered");
    for (path, method) in &functions {
        let mut bodies: Vec<Vec<u8>> = values
            .iter()
            .map(|value| {
                ARGUMENT_NAMES
                    .iter()
                    .map(|name| format!("{name}={value}"))
                    .collect::<Vec<_>>()
                    .join("&")
                    .into_bytes()
            })
            .collect();
        bodies.extend([
            Vec::new(),
            b"\xff\xfe\x00garbage=\xc3\x28".to_vec(),
            b"id=1&id=2&id=x".to_vec(),
            b"form[title][nested]=1&form=2".to_vec(),
            b"{\"id\": 1}".to_vec(),
            format!("id=1&form[title]={}", "a".repeat(10 * 1024 * 1024)).into_bytes(),
        ]);
        for body in bodies {
            if *method == http::Method::GET {
                let query = String::from_utf8_lossy(&body).into_owned();
                if query.len() < 60_000 {
                    requests.push(("GET", format!("{path}?{query}"), Vec::new()));
                }
            } else {
                requests.push(("POST", path.to_string(), body));
            }
        }
    }
    let site = std::sync::Arc::new(site);
    let mut problems = Vec::new();
    // Reading pages changes nothing editors made: the reads run side by side, and the data
    // is compared once around all of them. Each refused write is checked on its own.
    let (reads, writes): (Vec<_>, Vec<_>) = requests
        .into_iter()
        .flat_map(|request| callers.map(|cookie| (request.clone(), cookie.map(str::to_string))))
        .partition(|((method, _, _), _)| *method == "GET");
    let before = common::fingerprint(&site.pool).await;
    for chunk in reads.chunks(32) {
        let mut running = tokio::task::JoinSet::new();
        for ((method, uri, body), cookie) in chunk.iter().cloned() {
            let site = site.clone();
            running
                .spawn(async move { attempt(&site, method, &uri, cookie.as_deref(), body).await });
        }
        while let Some(outcome) = running.join_next().await {
            problems.extend(outcome.unwrap().err());
        }
    }
    if common::fingerprint(&site.pool).await != before {
        problems.push("changed data: reading pages and calling GET server functions".into());
    }
    for ((method, uri, body), cookie) in &writes {
        let before = common::fingerprint(&site.pool).await;
        match attempt(&site, method, uri, cookie.as_deref(), body.clone()).await {
            Err(problem) => problems.push(problem),
            Ok(status) if status.is_client_error() => {
                if common::fingerprint(&site.pool).await != before {
                    problems.push(format!(
                        "changed data: {method} {uri} refused with {status}"
                    ));
                }
            }
            Ok(_) => {}
        }
    }
    let total = reads.len() + writes.len();
    problems.dedup();
    assert!(
        problems.is_empty(),
        "{} of {total} requests:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Sends one request; its status if the answer is acceptable: anything but a 5xx, and a
/// refusal says why in Chinese.
async fn attempt(
    site: &common::Site,
    method: &str,
    uri: &str,
    cookie: Option<&str>,
    body: Vec<u8>,
) -> Result<StatusCode, String> {
    let length = body.len();
    let reply = common::send_raw(site, method, uri, cookie, body).await;
    let shown = || {
        format!(
            "{method} {} ({length} bytes) as {}: {} {}",
            uri.chars().take(120).collect::<String>(),
            if cookie.is_some() { "admin" } else { "visitor" },
            reply.status,
            reply.body.chars().take(160).collect::<String>()
        )
    };
    if reply.status.is_server_error() {
        return Err(format!("5xx: {}", shown()));
    }
    if reply.status.is_client_error() && !speaks_chinese(&message_of(&reply.body)) {
        return Err(format!("unclear: {}", shown()));
    }
    Ok(reply.status)
}

/// The longest article the form allows, all Chinese, is over a megabyte once
/// percent-encoded; it saves. Bigger forms are refused with a message, not a 500.
#[tokio::test]
async fn the_longest_article_saves_and_a_longer_form_is_refused() {
    use gazette::model::MAX_BODY_CHARS;
    let site = site().await;
    let admin = common::session(&site.pool, "boss", gazette::model::Role::Admin).await;
    let body = format!("<p>{}</p>", "协".repeat(MAX_BODY_CHARS - 7));
    let form = serde_urlencoded::to_string([
        ("id", "0"),
        ("version", "0"),
        ("intent", "save"),
        ("form[title]", "很长的文章"),
        ("form[category_id]", "2"),
        ("form[body]", &body),
    ])
    .unwrap();
    assert!(form.len() > 2 * 1024 * 1024);
    let reply = site
        .post_form("/api/admin/save_article", Some(&admin), &form)
        .await;
    assert!(reply.status.is_success(), "{} {}", reply.status, reply.body);
    let stored: i64 =
        sqlx::query_scalar("SELECT length(body) FROM articles WHERE title = '很长的文章'")
            .fetch_one(&site.pool)
            .await
            .unwrap();
    assert_eq!(stored as usize, MAX_BODY_CHARS);

    let too_long = format!("{form}{}", "%E5%8D%8F".repeat(400_000));
    let reply = site
        .post_form("/api/admin/save_article", Some(&admin), &too_long)
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(message_of(&reply.body).contains("提交的内容太大"));
}

/// The script-injection corpus the browser tests use too.
fn xss_payloads() -> Vec<String> {
    let corpus = include_str!("data/xss-payloads.txt");
    corpus.lines().map(str::to_string).collect()
}

fn shorten(text: &str, chars: usize) -> String {
    text.chars().take(chars).collect()
}

fn encode(text: &str) -> String {
    gazette::model::encode(text)
}

/// What in a page could run a script that is not ours: script elements its policy does not
/// allow (by this response's nonce or by hash), event-handler attributes, script URLs,
/// frames and plugins, `<base>`, refresh, and structured data that does not parse.
fn injected_markup(page: &str, policy: &str) -> Vec<String> {
    use scraper::{Html, Selector};
    let document = Html::parse_document(page);
    let mut found = Vec::new();
    for element in document.select(&Selector::parse("*").unwrap()) {
        let tag = element.value().name();
        let attr = |name: &str| element.value().attr(name);
        match tag {
            "script" => {
                let text: String = element.text().collect();
                let ours = (attr("src").is_none() && policy_allows(policy, attr("nonce"), &text))
                    || attr("src")
                        .is_some_and(|src| src.starts_with('/') && !src.starts_with("//"));
                if attr("type") == Some("application/ld+json") {
                    if serde_json::from_str::<serde_json::Value>(&text).is_err() {
                        found.push(format!("structured data broken: {text}"));
                    }
                } else if !ours {
                    found.push(format!("script: {}", element.html()));
                }
            }
            "iframe" | "frame" | "frameset" | "object" | "embed" | "applet" | "base" => {
                found.push(format!("{tag}: {}", element.html()));
            }
            "meta" if attr("http-equiv").is_some() => found.push(element.html()),
            // Stylesheets and modules are the site's own; canonical and feed links name
            // the public address.
            "link"
                if matches!(
                    attr("rel"),
                    Some("stylesheet" | "modulepreload" | "preload")
                ) && attr("href").is_some_and(|href| !href.starts_with('/')) =>
            {
                found.push(element.html())
            }
            _ => {}
        }
        for (name, value) in element.value().attrs() {
            let squeezed: String = value
                .chars()
                .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            let script_url = ["javascript:", "vbscript:", "data:text/html"]
                .iter()
                .any(|scheme| squeezed.starts_with(scheme));
            if name.starts_with("on") || name == "srcdoc" || name == "formaction" {
                found.push(format!(
                    "attribute {name}: {}",
                    shorten(&element.html(), 200)
                ));
            } else if script_url
                && name != "value"
                && name != "content"
                && name != "title"
                && name != "alt"
            {
                found.push(format!(
                    "script URL in {name}: {}",
                    shorten(&element.html(), 200)
                ));
            }
        }
    }
    found
}

/// The first text of the first element matching `selector`.
fn text_of(page: &str, selector: &str) -> String {
    let document = scraper::Html::parse_document(page);
    document
        .select(&scraper::Selector::parse(selector).unwrap())
        .next()
        .map(|element| element.text().collect())
        .unwrap_or_default()
}

/// Saves a form; if a field refuses the value (a URL field given markup), saves it again
/// with those fields set to a plain value. The refusal must be a 400.
async fn save_refusing(
    site: &common::Site,
    admin: &str,
    uri: &str,
    fields: &[(&str, String)],
    plain_values: &[(&str, &str)],
) {
    let form = serde_urlencoded::to_string(fields).unwrap();
    let reply = site.post_form(uri, Some(admin), &form).await;
    if reply.status.is_success() {
        return;
    }
    assert_eq!(
        reply.status,
        StatusCode::BAD_REQUEST,
        "{uri}: {}",
        reply.body
    );
    let plain: Vec<(&str, String)> = fields
        .iter()
        .map(|(name, value)| {
            let plain = plain_values.iter().find(|(plain, _)| plain == name);
            (
                *name,
                plain.map_or(value.clone(), |(_, plain)| plain.to_string()),
            )
        })
        .collect();
    let form = serde_urlencoded::to_string(&plain).unwrap();
    let reply = site.post_form(uri, Some(admin), &form).await;
    assert!(
        reply.status.is_success(),
        "{uri}: {} {}",
        reply.status,
        reply.body
    );
}

/// Every payload through every field editors fill and every place visitors type: saved, it
/// shows as text (or is sanitised away) on every page that shows it, and nothing in those
/// pages could run a script that is not the site's.
#[tokio::test]
async fn injected_scripts_are_shown_as_text_or_removed_everywhere() {
    use gazette::model::{
        MAX_CATEGORY_NAME_CHARS, MAX_GROUP_CHARS, MAX_LINK_NAME_CHARS, MAX_TITLE_CHARS,
    };
    let site = common::site_with(|config| config.search_limit_per_minute = 0).await;
    let admin = common::session(&site.pool, "boss", gazette::model::Role::Admin).await;
    let payloads = xss_payloads();
    assert!(payloads.len() >= 50);
    let mut problems = Vec::new();
    for (i, payload) in payloads.iter().enumerate() {
        let title = shorten(payload, MAX_TITLE_CHARS);
        let article_fields: Vec<(&str, String)> = vec![
            ("id", "0".into()),
            ("version", "0".into()),
            ("intent", "publish".into()),
            ("form[title]", title.clone()),
            ("form[subtitle]", shorten(payload, 100)),
            ("form[category_id]", "2".into()),
            ("form[source]", shorten(payload, 50)),
            ("form[author]", shorten(payload, 50)),
            ("form[info_source]", shorten(payload, 100)),
            ("form[info_source_url]", payload.clone()),
            ("form[summary]", payload.clone()),
            ("form[cover_image]", payload.clone()),
            ("form[body]", format!("<p>{payload}</p>{payload}")),
        ];
        let plain = [("form[info_source_url]", ""), ("form[cover_image]", "")];
        save_refusing(
            &site,
            &admin,
            "/api/admin/save_article",
            &article_fields,
            &plain,
        )
        .await;
        let article: i64 = sqlx::query_scalar("SELECT max(id) FROM articles")
            .fetch_one(&site.pool)
            .await
            .unwrap();
        let slug = format!("xss-{i}");
        let category_fields: Vec<(&str, String)> = vec![
            ("id", "0".into()),
            ("form[name]", shorten(payload, MAX_CATEGORY_NAME_CHARS)),
            ("form[slug]", slug.clone()),
            ("form[parent_id]", "0".into()),
            ("form[position]", "99".into()),
            ("form[kind]", "page".into()),
            ("form[description]", shorten(payload, 200)),
            ("form[page_body]", payload.clone()),
        ];
        save_refusing(
            &site,
            &admin,
            "/api/admin/save_category",
            &category_fields,
            &[],
        )
        .await;
        let category: i64 = sqlx::query_scalar("SELECT id FROM categories WHERE slug = ?")
            .bind(&slug)
            .fetch_one(&site.pool)
            .await
            .unwrap();
        let link_fields: Vec<(&str, String)> = vec![
            ("id", "0".into()),
            ("link[name]", shorten(payload, MAX_LINK_NAME_CHARS)),
            ("link[url]", payload.clone()),
            ("link[logo]", payload.clone()),
            ("link[group_name]", shorten(payload, MAX_GROUP_CHARS)),
            ("link[position]", "0".into()),
        ];
        save_refusing(
            &site,
            &admin,
            "/api/admin/save_link",
            &link_fields,
            &[("link[url]", "https://example.org/"), ("link[logo]", "")],
        )
        .await;
        let setting_names: Vec<String> = [
            "name",
            "short_name",
            "description",
            "address",
            "postcode",
            "phone",
            "fax",
            "email",
            "icp_number",
            "police_number",
            "copyright",
            "logo",
        ]
        .iter()
        .map(|field| format!("settings[{field}]"))
        .collect();
        let settings: Vec<(&str, String)> = setting_names
            .iter()
            .map(|name| (name.as_str(), payload.clone()))
            .collect();
        save_refusing(
            &site,
            &admin,
            "/api/admin/save_settings",
            &settings,
            &[("settings[email]", ""), ("settings[logo]", "")],
        )
        .await;

        let visitor_pages = [
            format!("/article/{article}"),
            format!("/category/{slug}"),
            "/category/news".to_string(),
            "/".to_string(),
            format!("/search?q={}", encode(payload)),
            format!("/category/{}", encode(payload)),
            format!("/{}", encode(payload)),
        ];
        let admin_pages = [
            format!("/admin/articles/{article}"),
            format!("/admin/articles/{article}/history"),
            format!("/admin/articles/{article}/preview"),
            format!("/admin/categories/{category}"),
            "/admin".to_string(),
            "/admin/links".to_string(),
            "/admin/settings".to_string(),
        ];
        let pages = visitor_pages
            .iter()
            .map(|uri| (uri, None))
            .chain(admin_pages.iter().map(|uri| (uri, Some(admin.as_str()))));
        for (uri, cookie) in pages {
            let mut headers = vec![];
            if let Some(cookie) = cookie {
                headers.push((header::COOKIE, cookie));
            }
            let reply = site.get_with(uri, &headers).await;
            assert!(!reply.status.is_server_error(), "{uri}: {}", reply.status);
            let policy = reply
                .headers
                .get(header::CONTENT_SECURITY_POLICY)
                .map(|policy| policy.to_str().unwrap().to_string())
                .unwrap_or_default();
            for found in injected_markup(&reply.body, &policy) {
                problems.push(format!("payload {i} {payload:?} on {uri}: {found}"));
            }
        }
        let page = site.get(&format!("/article/{article}")).await.body;
        assert_eq!(
            text_of(&page, "h1").trim(),
            title.trim(),
            "the title is shown as typed"
        );
        assert!(
            text_of(&page, "title").starts_with(title.trim()),
            "the window title reads as typed: {}",
            text_of(&page, "title")
        );
        let feed = site.get("/feed.xml").await;
        assert!(!feed.body.contains("<script"), "payload {i} in the feed");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
