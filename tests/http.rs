//! The router in-process: statuses, pages, meta tags and view counting over HTTP.
#![cfg(feature = "ssr")]
// A test that cannot unwrap has failed; the lints against unwrap are for the server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{BROWSER, MODEL_TITLE, site};
use http::{StatusCode, header};

#[tokio::test]
async fn home_shows_the_association_and_its_sections() {
    let site = site().await;
    let reply = site.get("/").await;
    assert_eq!(reply.status, StatusCode::OK);
    let html_tag = reply
        .body
        .split("<html")
        .nth(1)
        .and_then(|rest| rest.split('>').next());
    assert!(html_tag.is_some_and(|tag| tag.contains("lang=\"zh-CN\"")));
    assert!(reply.head().contains("type=\"application/rss+xml\""));
    assert!(reply.head().contains("<title>深圳市美容行业协会</title>"));
    assert!(
        reply
            .head()
            .contains("<link href=\"https://www.example.org/\" rel=\"canonical\">")
    );
    for text in [
        "地址:深圳市福田区中国凤凰大厦22楼B",
        "传真:33011684-803",
        "行业动态",
        "通知公告",
        "友情链接",
        "头条新闻",
        MODEL_TITLE,
    ] {
        assert!(reply.body.contains(text), "home lacks {text}");
    }
    assert!(
        reply
            .body
            .contains("<a href=\"https://beian.miit.gov.cn/\"")
    );
    assert!(reply.body.contains("粤ICP备17113859号"));
    assert!(reply.body.contains("邮编:518000"));
}

#[tokio::test]
async fn category_lists_paginate() {
    let site = site().await;
    let first = site.get("/category/news").await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains("您现在的位置:"));
    assert!(
        first.body.contains("共 39 条 / 第 1/2 页"),
        "{}",
        first.body
    );
    assert!(first.body.contains("href=\"/category/news?page=2\""));
    assert!(
        first.body.contains("href=\"/category/policy\""),
        "sub-categories are listed"
    );
    assert!(
        first
            .head()
            .contains("<title>行业动态 - 深圳市美容行业协会</title>")
    );

    let second = site.get("/category/news?page=2").await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(second.body.contains("第 2/2 页"));
    assert!(second.head().contains(
        "<link href=\"https://www.example.org/category/news?page=2\" rel=\"canonical\">"
    ));
    assert!(
        second
            .head()
            .contains("<title>行业动态 - 第2页 - 深圳市美容行业协会</title>")
    );
}

#[tokio::test]
async fn a_page_category_shows_its_page() {
    let site = site().await;
    let reply = site.get("/category/contact").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("办公时间"));
    assert_eq!(
        site.get("/category/contact?page=2").await.status,
        StatusCode::NOT_FOUND
    );
    let about = site.get("/category/about").await;
    assert!(about.body.contains("href=\"/category/charter\""));
}

#[tokio::test]
async fn article_page_shows_the_model_article() {
    let site = site().await;
    let id = site.model_article_id().await;
    let reply = site.get(&format!("/article/{id}")).await;
    assert_eq!(reply.status, StatusCode::OK);
    for text in [
        "来源:未知",
        "发布日期:<time datetime=\"2020-10-23T14:37:00+08:00\">2020-10-23 14:37</time>",
        "信息来源:深圳特区报",
        "<h2>专家学者和企业家代表建言广深双城联动</h2>",
        "<h3>构建嵌入型世界经济平台</h3>",
        "<a href=\"/category/news\">行业动态</a> &gt; <a href=\"/category/policy\">政策法规</a> &gt;",
        "上一篇",
        "下一篇",
        "相关文章",
        "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\"",
        "\"datePublished\":\"2020-10-23T14:37:00+08:00\"",
    ] {
        assert!(reply.body.contains(text), "article lacks {text}");
    }
    let head = reply.head();
    assert!(head.contains(&format!(
        "<title>{MODEL_TITLE} - 政策法规 - 深圳市美容行业协会</title>"
    )));
    assert!(head.contains("<meta name=\"description\" content=\"10月22日,广州深圳"));
    assert!(head.contains(&format!(
        "<link href=\"https://www.example.org/article/{id}\" rel=\"canonical\">"
    )));
    assert!(head.contains("<meta property=\"og:type\" content=\"article\""));
    assert!(head.contains(
        "<meta property=\"article:published_time\" content=\"2020-10-23T14:37:00+08:00\""
    ));
}

#[tokio::test]
async fn unknown_and_hidden_things_are_404_pages() {
    let site = site().await;
    let draft: i64 = sqlx::query_scalar(
        "INSERT INTO articles (category_id, title, status) VALUES (1, '草稿', 'draft') RETURNING id",
    )
    .fetch_one(&site.pool)
    .await
    .unwrap();
    let scheduled: i64 = sqlx::query_scalar(
        "INSERT INTO articles (category_id, title, status, published_at)
         VALUES (1, '定时', 'published', unixepoch() + 3600) RETURNING id",
    )
    .fetch_one(&site.pool)
    .await
    .unwrap();
    for uri in [
        "/article/999999".to_string(),
        "/article/abc".to_string(),
        "/article/-1".to_string(),
        "/article/99999999999999999999999".to_string(),
        format!("/article/{draft}"),
        format!("/article/{scheduled}"),
        "/category/nope".to_string(),
        "/category/news?page=99999".to_string(),
        "/category/news?page=-1".to_string(),
        "/category/news?page=0".to_string(),
        "/category/news?page=abc".to_string(),
        "/category/%E6%94%BF%E7%AD%96".to_string(),
        "/no/such/page".to_string(),
    ] {
        let reply = site.get(&uri).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(reply.body.contains("抱歉,您访问的页面不存在"), "{uri}");
        assert!(reply.body.contains("返回首页"), "{uri}");
        assert!(
            reply
                .head()
                .contains("<title>页面不存在 - 深圳市美容行业协会</title>"),
            "{uri}"
        );
        assert!(!reply.head().contains("canonical"), "{uri}");
    }
}

#[tokio::test]
async fn a_visitor_is_counted_once_and_another_is_counted_too() {
    let site = site().await;
    let id = site.model_article_id().await;
    let uri = format!("/article/{id}");
    assert_eq!(site.views(id).await, 0);

    let first = site.get(&uri).await;
    assert!(first.body.contains("浏览量:1"));
    let cookie = first.set_cookie().expect("a new visitor gets a cookie");
    assert!(cookie.starts_with("gz_vid="));

    let reload = site.get_with(&uri, &[(header::COOKIE, &cookie)]).await;
    assert!(
        reload.body.contains("浏览量:1"),
        "a reload does not count again"
    );
    assert!(reload.set_cookie().is_none());

    let other = "gz_vid=ffffffffffffffffffffffffffffffff";
    let reply = site.get_with(&uri, &[(header::COOKIE, other)]).await;
    assert!(reply.body.contains("浏览量:2"));

    // Client-side navigation reaches the same count through the server function.
    let api = site
        .get_with(
            &format!("/api/article?id={id}"),
            &[(header::COOKIE, &cookie)],
        )
        .await;
    assert_eq!(api.status, StatusCode::OK);
    assert!(api.body.contains("\"view_count\":2"), "{}", api.body);
    assert_eq!(site.views(id).await, 2);
}

#[tokio::test]
async fn robots_are_not_counted() {
    let site = site().await;
    let id = site.model_article_id().await;
    let reply = site
        .get_with(
            &format!("/article/{id}"),
            &[(
                header::USER_AGENT,
                "Mozilla/5.0 (compatible; Baiduspider/2.0)",
            )],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(site.views(id).await, 0);
}

#[tokio::test]
async fn server_functions_answer_bad_arguments_with_4xx() {
    let site = site().await;
    for uri in [
        "/api/article?id=abc",
        "/api/article",
        "/api/category?slug=news&page=x",
    ] {
        let reply = site.get(uri).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{uri}: {}",
            reply.body
        );
        assert!(
            reply.body.contains("提交的内容格式不正确"),
            "{uri}: {}",
            reply.body
        );
    }
    let missing = site.get("/api/article?id=999999").await;
    assert_eq!(missing.status, StatusCode::OK);
    assert_eq!(missing.body, "null");
}

#[tokio::test]
async fn search_finds_chinese_words_and_marks_them() {
    let site = site().await;
    let reply = site
        .get("/search?q=%E5%8F%8C%E5%9F%8E%E8%81%94%E5%8A%A8")
        .await; // 双城联动
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply
            .body
            .contains("广州深圳“<mark>双城联动</mark>”论坛在深举行"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("共 1 条结果"));
    assert!(
        reply
            .head()
            .contains("<title>“双城联动”的搜索结果 - 深圳市美容行业协会</title>")
    );

    let policy = site.get("/search?q=%E6%94%BF%E7%AD%96").await; // 政策
    assert!(policy.body.contains("<mark>政策</mark>"));
    let filtered = site
        .get("/search?q=%E6%94%BF%E7%AD%96&category=notices")
        .await;
    assert!(filtered.body.contains("共 0 条结果") || filtered.body.contains("通知公告"));

    let number = site.get("/search?q=2020").await;
    assert!(number.body.contains("<mark>2020</mark>"));
}

#[tokio::test]
async fn search_finds_the_paper_a_notice_came_from_and_shows_one_excerpt_each() {
    let site = site().await;
    let reply = site
        .get("/search?q=%E6%B7%B1%E5%9C%B3%E7%89%B9%E5%8C%BA%E6%8A%A5")
        .await; // 深圳特区报
    assert_eq!(reply.status, StatusCode::OK);
    // Its 信息来源 is 深圳特区报; the paper appears nowhere in its text.
    assert!(
        reply.body.contains("广州深圳“双城联动”论坛在深举行"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("信息来源:<mark>深圳特区报</mark>"));
    let excerpts: Vec<&str> = reply
        .body
        .split(r#"<p class="excerpt">"#)
        .skip(1)
        .map(|rest| &rest[..rest.find("</p>").unwrap()])
        .collect();
    assert!(excerpts.len() >= 3, "{excerpts:?}");
    for excerpt in excerpts {
        let text = excerpt.replace("<mark>", "").replace("</mark>", "");
        for sentence in text.split('。').filter(|s| s.chars().count() > 8) {
            assert_eq!(
                text.matches(sentence).count(),
                1,
                "shown twice in one excerpt: {sentence}"
            );
        }
    }
}

#[tokio::test]
async fn hot_searches_appear_under_the_search_box() {
    let site = site().await;
    sqlx::query(
        "INSERT INTO search_counts (day, query, searches, last_at) VALUES
             (unixepoch() / 86400, '政策', 2, unixepoch()),
             (unixepoch() / 86400, '会员', 1, unixepoch()),
             (unixepoch() / 86400 - 40, '很久以前', 9, unixepoch() - 40 * 86400)",
    )
    .execute(&site.pool)
    .await
    .unwrap();
    let reply = site.get("/").await;
    let hot = reply
        .body
        .split("aria-label=\"热门搜索\"")
        .nth(1)
        .unwrap_or("");
    assert!(
        hot.contains(">政策</a>") && hot.contains(">会员</a>"),
        "{hot}"
    );
    assert!(hot.find("政策") < hot.find("会员"), "most searched first");
    assert!(
        !reply.body.contains("很久以前"),
        "only the last 30 days count"
    );
}

#[tokio::test]
async fn search_survives_hostile_and_odd_queries() {
    let site = site().await;
    for query in [
        "%22",
        "*",
        "NEAR(%E6%94%BF%E7%AD%96",
        "OR",
        "-",
        "()",
        "%27%3B%20DROP%20TABLE%20articles%3B--",
        "%22%E6%94%BF%E7%AD%96%22%20OR%20*",
        "%00",
        "%E6%94%BF",
        "",
        "%20%20",
        "%E3%80%80",
    ] {
        let reply = site.get(&format!("/search?q={query}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{query}");
        assert!(
            reply.body.contains("站内搜索") || reply.body.contains("的搜索结果"),
            "{query}"
        );
    }
    let single = site.get("/search?q=%E6%94%BF").await;
    assert!(single.body.contains("请至少输入两个汉字"));
    let long = site
        .get(&format!("/search?q={}", "%E6%94%BF%E7%AD%96".repeat(80)))
        .await;
    assert_eq!(long.status, StatusCode::OK);
    assert!(long.body.contains("搜索词过长"));
    let bad_date = site
        .get("/search?q=%E6%94%BF%E7%AD%96&from=yesterday")
        .await;
    assert!(bad_date.body.contains("开始日期应写作"));
    let past_the_end = site.get("/search?q=%E6%94%BF%E7%AD%96&page=999").await;
    assert_eq!(past_the_end.status, StatusCode::NOT_FOUND);
    let articles: i64 = sqlx::query_scalar("SELECT count(*) FROM articles")
        .fetch_one(&site.pool)
        .await
        .unwrap();
    assert!(articles > 40, "nothing was dropped");
}

/// The names and texts of every element, read by a real XML parser; fails on malformed XML.
fn parse_xml(xml: &str) -> Vec<(String, String)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut elements = Vec::new();
    let mut open: Vec<String> = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(start) => {
                open.push(String::from_utf8_lossy(start.name().as_ref()).into_owned())
            }
            Event::End(_) => {
                open.pop();
            }
            Event::Text(text) => {
                let text = text.decode().expect("text").into_owned();
                if let Some(name) = open.last() {
                    elements.push((name.clone(), text));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(open.is_empty(), "every element is closed");
    elements
}

fn texts<'a>(elements: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    elements
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, text)| text.as_str())
        .collect()
}

#[tokio::test]
async fn feeds_are_rss_with_absolute_links_and_rfc_822_dates() {
    let site = site().await;
    let reply = site.get("/feed.xml").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.headers[header::CONTENT_TYPE],
        "application/rss+xml; charset=utf-8"
    );
    assert!(reply.body.starts_with("<?xml"));
    assert!(reply.body.contains("<rss version=\"2.0\""));
    let elements = parse_xml(&reply.body);
    assert_eq!(
        texts(&elements, "item").len(),
        0,
        "items hold elements, not text"
    );
    let links = texts(&elements, "link");
    assert_eq!(links.len(), 21, "the channel and 20 items");
    assert!(
        links
            .iter()
            .all(|link| link.starts_with("https://www.example.org/"))
    );
    let dates = texts(&elements, "pubDate");
    assert_eq!(dates.len(), 20);
    assert_eq!(dates[0], "Tue, 5 Nov 2024 15:00:00 +0800", "newest first");

    let policy = site.get("/category/policy/feed.xml").await;
    let elements = parse_xml(&policy.body);
    let titles = texts(&elements, "title");
    assert_eq!(titles[0], "政策法规 - 深圳市美容行业协会");
    assert!(titles.contains(&MODEL_TITLE));
    assert!(texts(&elements, "pubDate").contains(&"Fri, 23 Oct 2020 14:37:00 +0800"));
    assert_eq!(
        site.get("/category/nope/feed.xml").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_sitemap_and_feeds_are_kept_in_memory_like_pages() {
    let site = site().await;
    let uris = ["/sitemap.xml", "/feed.xml", "/category/policy/feed.xml"];
    for uri in uris {
        let first = site.get(uri).await;
        assert_eq!(first.headers[header::CACHE_CONTROL], "no-cache", "{uri}");
        let etag = first.headers[header::ETAG].to_str().unwrap();
        let again = site.get_with(uri, &[(header::IF_NONE_MATCH, etag)]).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{uri}");
    }
    // A change made behind the server's back shows once the kept copy is let go, as every
    // editor's change does.
    sqlx::query("UPDATE site_settings SET name = '改名后的协会' WHERE id = 1")
        .execute(&site.pool)
        .await
        .unwrap();
    assert!(!site.get("/feed.xml").await.body.contains("改名后的协会"));
    site.state.forget_rendered();
    assert!(site.get("/feed.xml").await.body.contains("改名后的协会"));
}

#[tokio::test]
async fn the_sitemap_lists_every_article_and_category() {
    let site = site().await;
    let reply = site.get("/sitemap.xml").await;
    assert_eq!(reply.status, StatusCode::OK);
    let elements = parse_xml(&reply.body);
    let locs = texts(&elements, "loc");
    let articles: i64 = sqlx::query_scalar("SELECT count(*) FROM articles")
        .fetch_one(&site.pool)
        .await
        .unwrap();
    let categories: i64 = sqlx::query_scalar("SELECT count(*) FROM categories")
        .fetch_one(&site.pool)
        .await
        .unwrap();
    assert_eq!(locs.len() as i64, 1 + categories + articles);
    assert!(locs.contains(&"https://www.example.org/category/policy"));
    assert_eq!(
        texts(&elements, "lastmod").len() as i64,
        categories + articles
    );

    let robots = site.get("/robots.txt").await;
    assert!(robots.body.contains("Disallow: /admin"));
    assert!(robots.body.contains("Disallow: /search"));
    assert!(
        robots
            .body
            .contains("Sitemap: https://www.example.org/sitemap.xml")
    );
}

#[tokio::test]
async fn a_large_sitemap_becomes_an_index_of_parts() {
    let site = site().await;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)
         INSERT INTO articles (category_id, title, status, published_at)
         SELECT 1, '文章' || i, 'published', 1600000000 + i FROM n",
    )
    .execute(&site.pool)
    .await
    .unwrap();
    let visible: i64 = sqlx::query_scalar("SELECT count(*) FROM articles")
        .fetch_one(&site.pool)
        .await
        .unwrap();
    let index = site.get("/sitemap.xml").await;
    let parts = texts(&parse_xml(&index.body), "loc")
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<_>>();
    assert!(index.body.contains("<sitemapindex"));
    assert_eq!(
        parts,
        [
            "https://www.example.org/sitemap/1.xml",
            "https://www.example.org/sitemap/2.xml",
            "https://www.example.org/sitemap/3.xml"
        ]
    );
    let mut listed = 0;
    for part in 2..=3 {
        let reply = site.get(&format!("/sitemap/{part}.xml")).await;
        let count = texts(&parse_xml(&reply.body), "loc").len();
        assert!(count <= 50_000);
        listed += count as i64;
    }
    assert_eq!(listed, visible);
    assert!(
        site.get("/sitemap/1.xml")
            .await
            .body
            .contains("/category/news")
    );
    assert_eq!(
        site.get("/sitemap/4.xml").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        site.get("/sitemap/x.xml").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn health_reports_the_database() {
    let site = site().await;
    let reply = site.get("/healthz").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body, "ok");
}

#[tokio::test]
async fn the_reading_mode_is_remembered_and_rendered() {
    let site = site().await;
    let choose = site
        .get("/reading?mode=large&return=%2Fcategory%2Fnews%3Fpage%3D2")
        .await;
    assert_eq!(choose.status, StatusCode::SEE_OTHER);
    assert_eq!(choose.headers[header::LOCATION], "/category/news?page=2");
    let cookie = choose.set_cookie().unwrap();
    assert_eq!(cookie, "gz_reading=large");

    let page = site
        .get_with("/category/news", &[(header::COOKIE, &cookie)])
        .await;
    assert!(
        page.body.contains("class=\"reading-large\""),
        "{}",
        page.head()
    );
    assert!(page.body.contains("标准字号"));
    let plain = site.get("/category/news").await;
    assert!(!plain.body.contains("reading-large"));
    // The switch comes back to the page it is on, query included.
    let search = site.get("/search?q=%E5%8D%8F%E4%BC%9A").await;
    assert!(
        search
            .body
            .contains("return=%2Fsearch%3Fq%3D%25E5%258D%258F%25E4%25BC%259A"),
        "{}",
        search
            .body
            .split("reading-toggle")
            .nth(1)
            .unwrap_or_default()
    );
    assert!(
        plain
            .body
            .contains("href=\"/reading?mode=large&amp;return=%2Fcategory%2Fnews\"")
    );

    let away = site
        .get("/reading?mode=large&return=https%3A%2F%2Fevil.example%2F")
        .await;
    assert_eq!(away.headers[header::LOCATION], "/");
    assert_eq!(
        site.get("/reading?mode=huge").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn one_address_cannot_flood_search() {
    use axum::body::Body;
    use axum::extract::ConnectInfo;
    use http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let site = site().await;
    let search_from = |address: &'static str, uri: &'static str| {
        let mut request = Request::get(uri)
            .header(header::USER_AGENT, BROWSER)
            .body(Body::empty())
            .unwrap();
        let address: std::net::SocketAddr = address.parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(address));
        site.router.clone().oneshot(request)
    };
    for _ in 0..gazette::server::audience::rate_limit::SEARCHES_PER_WINDOW {
        let reply = search_from("10.0.0.1:5000", "/search?q=%E6%94%BF%E7%AD%96")
            .await
            .unwrap();
        assert_eq!(reply.status(), StatusCode::OK);
    }
    let page = search_from("10.0.0.1:5000", "/search?q=%E6%94%BF%E7%AD%96")
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::TOO_MANY_REQUESTS);
    let api = search_from("10.0.0.1:5001", "/api/search?params[q]=x&page=1")
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::TOO_MANY_REQUESTS);
    let body = api.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&body[..], b"\"RateLimited\"");
    let other = search_from("10.0.0.2:5000", "/search?q=%E6%94%BF%E7%AD%96")
        .await
        .unwrap();
    assert_eq!(
        other.status(),
        StatusCode::OK,
        "other visitors still search"
    );
    let reading = search_from("10.0.0.1:5000", "/category/news")
        .await
        .unwrap();
    assert_eq!(
        reading.status(),
        StatusCode::OK,
        "and the flooder can still read"
    );
}

#[tokio::test]
async fn pages_served_from_memory_show_current_views_and_revalidate() {
    let site = site().await;
    let id = site.model_article_id().await;
    let uri = format!("/article/{id}");
    let first = site
        .get_with(
            &uri,
            &[(header::COOKIE, "gz_vid=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")],
        )
        .await;
    assert!(first.body.contains("浏览量:1<"));
    let etag = first.headers[header::ETAG].to_str().unwrap().to_string();
    // Served from memory to another visitor: counted, and the page says so.
    let second = site
        .get_with(
            &uri,
            &[(header::COOKIE, "gz_vid=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")],
        )
        .await;
    assert!(
        second.body.contains("浏览量:2<"),
        "the page shows the second view"
    );
    assert!(
        !second.body.contains("view_count"),
        "a visitor's page carries no hydration data to disagree"
    );
    assert_eq!(site.views(id).await, 2);
    assert_ne!(second.headers[header::ETAG].to_str().unwrap(), etag);

    // A browser holding the current page gets a 304.
    let etag = second.headers[header::ETAG].to_str().unwrap().to_string();
    let again = site
        .get_with(
            &uri,
            &[
                (header::COOKIE, "gz_vid=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"),
                (header::IF_NONE_MATCH, &etag),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    let home = site.get("/").await;
    let home_etag = home.headers[header::ETAG].to_str().unwrap().to_string();
    let cached = site
        .get_with("/", &[(header::IF_NONE_MATCH, &home_etag)])
        .await;
    assert_eq!(cached.status, StatusCode::NOT_MODIFIED);
    let stale = site
        .get_with("/", &[(header::IF_NONE_MATCH, "W/\"other\"")])
        .await;
    assert_eq!(stale.status, StatusCode::OK);
}

#[tokio::test]
async fn an_article_body_is_sent_once() {
    let site = site().await;
    let id = site.model_article_id().await;
    let page = site.get(&format!("/article/{id}")).await;
    let heading = "专家学者和企业家代表建言广深双城联动";
    assert_eq!(
        page.body.matches(heading).count(),
        1,
        "the body is rendered, and not repeated in the hydration data"
    );
    // Read through the server function (client-side navigation), it comes whole.
    let data = site.get(&format!("/api/article?id={id}")).await;
    assert!(data.body.contains(heading));
}

#[tokio::test]
async fn only_the_editors_pages_carry_data_to_hydrate_with() {
    let site = site().await;
    let id = site.model_article_id().await;
    for path in [
        "/".to_string(),
        format!("/article/{id}"),
        "/category/news".into(),
        "/search?q=协会".into(),
        "/no/such/page".into(),
    ] {
        let page = site.get(&path).await;
        assert!(page.body.contains("</html>"), "{path}");
        assert!(!page.body.contains("__RESOLVED_RESOURCES[0]"), "{path}");
    }
    let sign_in = site.get("/admin/login").await;
    assert!(sign_in.body.contains("__RESOLVED_RESOURCES[0]"));
}

#[tokio::test]
async fn pages_name_their_bundle_by_version_and_browsers_keep_it() {
    let site = site().await;
    let pkg = site.folder.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("gazette.css"), "body{}").unwrap();

    let home = site.get("/").await;
    assert_eq!(home.headers[header::CACHE_CONTROL], "no-cache");
    let css = home
        .body
        .split("rel=\"stylesheet\" id=\"leptos\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    let version = css
        .strip_prefix("/assets/")
        .and_then(|rest| rest.strip_suffix("/pkg/gazette.css"))
        .unwrap_or_else(|| panic!("{css}"));
    assert_eq!(version.len(), 16);
    // Visitors' pages load the navigation script and no bundle; the editors' area hydrates.
    let navigation = format!("/assets/{version}/navigation.js");
    assert!(home.body.contains(&navigation), "{}", home.body);
    assert!(!home.body.contains("gazette.wasm") && !home.body.contains("gazette.js"));
    let sign_in = site.get("/admin/login").await;
    assert!(
        sign_in
            .body
            .contains(&format!("/assets/{version}/pkg/gazette.js"))
    );
    assert!(!sign_in.body.contains("navigation.js"));
    let script = site.get(&navigation).await;
    assert_eq!(script.status, StatusCode::OK);
    assert!(script.body.contains("addEventListener('click'"));
    assert!(
        script.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    assert_eq!(
        script.headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let served = site.get(&css).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.body, "body{}");
    assert_eq!(
        served.headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    // Another deployment's files are not served in this one's place.
    let other = site.get("/assets/0123456789abcdef/pkg/gazette.css").await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let missing = site.get(&format!("/assets/{version}/pkg/none.js")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(!missing.headers.contains_key(header::CACHE_CONTROL));
}

#[tokio::test]
async fn compressed_answers_decode_to_the_same_bytes() {
    use std::io::Read;
    let site = site().await;
    let pkg = site.folder.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    let script = "console.log('深圳市美容行业协会');\n".repeat(500);
    std::fs::write(pkg.join("gazette.js"), &script).unwrap();
    gazette::server::http::precompress::folder(site.folder.path()).unwrap();

    let raw = |reply: &common::Reply| reply.body.clone();
    let plain = site.get("/pkg/gazette.js").await;
    assert_eq!(raw(&plain), script);
    assert_eq!(plain.headers[header::CACHE_CONTROL], "no-cache");
    let request = http::Request::get("/pkg/gazette.js")
        .header(header::ACCEPT_ENCODING, "br")
        .body(axum::body::Body::empty())
        .unwrap();
    let response = tower::ServiceExt::oneshot(site.router.clone(), request)
        .await
        .unwrap();
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "br");
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    let mut decoded = String::new();
    brotli::Decompressor::new(&bytes[..], 4096)
        .read_to_string(&mut decoded)
        .unwrap();
    assert_eq!(decoded, script);

    // A kept page is compressed once, and every browser that accepts the coding gets those
    // bytes; the others get the page as it is.
    let page = site.get("/").await;
    let mut coded = Vec::new();
    for coding in ["gzip", "gzip", "br"] {
        let request = http::Request::get("/")
            .header(header::ACCEPT_ENCODING, coding)
            .header(header::USER_AGENT, common::BROWSER)
            .body(axum::body::Body::empty())
            .unwrap();
        let response = tower::ServiceExt::oneshot(site.router.clone(), request)
            .await
            .unwrap();
        assert_eq!(response.headers()[header::CONTENT_ENCODING], coding);
        assert_eq!(response.headers()[header::VARY], "accept-encoding");
        assert_eq!(response.headers()[header::ETAG], page.headers[header::ETAG]);
        let bytes = http_body_util::BodyExt::collect(response.into_body())
            .await
            .unwrap()
            .to_bytes();
        let mut decoded = String::new();
        if coding == "br" {
            brotli::Decompressor::new(&bytes[..], 4096)
                .read_to_string(&mut decoded)
                .unwrap();
        } else {
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_string(&mut decoded)
                .unwrap();
        }
        assert_eq!(decoded.replace("<!>", ""), page.body);
        coded.push(bytes);
    }
    assert_eq!(
        coded[0].as_ptr(),
        coded[1].as_ptr(),
        "the second browser gets the bytes compressed for the first"
    );
}

#[tokio::test]
async fn searches_served_from_memory_still_count_for_hot_queries() {
    let site = site().await;
    let first = site.get("/search?q=%E6%94%BF%E7%AD%96").await;
    let second = site.get("/search?q=%E6%94%BF%E7%AD%96").await;
    assert_eq!(
        first.headers[header::ETAG],
        second.headers[header::ETAG],
        "served from memory"
    );
    assert!(
        first.headers.get("x-gazette-logged-search").is_none(),
        "the header stays inside"
    );
    site.state.search_log.flush(&site.state.pool).await.unwrap();
    let logged: i64 = sqlx::query_scalar("SELECT searches FROM search_counts WHERE query = '政策'")
        .fetch_one(&site.pool)
        .await
        .unwrap();
    assert_eq!(logged, 2);
}
