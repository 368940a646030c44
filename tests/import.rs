//! Moving an old site in: a DedeCMS dump (UTF-8, GBK, GBK in latin1 tables) and a WordPress
//! export, read into a fresh site; what came over, what did not and why, reruns, bad input,
//! and every old address answering with a 301.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use http::{StatusCode, header};
use sqlx::SqlitePool;

use common::{Site, empty_site, fingerprint};
use gazette::server::import::report::Report;
use gazette::server::import::text::Encoding;
use gazette::server::import::{ImportOptions, import_dedecms, import_wordpress};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn dedecms_dump() -> PathBuf {
    fixtures().join("dedecms/site-utf8.sql")
}

fn options(site: &Site, file: &Path) -> ImportOptions {
    ImportOptions {
        file: file.to_path_buf(),
        uploads_from: Some(fixtures().join("dedecms/uploads")),
        uploads_to: site.state.config.uploads_dir.clone(),
        base_url: None,
        encoding: None,
        dry_run: false,
    }
}

async fn import(site: &Site, file: &Path) -> Report {
    import_dedecms(&site.pool, &options(site, file))
        .await
        .unwrap()
}

async fn scalar<T>(pool: &SqlitePool, sql: &str) -> T
where
    T: for<'r> sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite> + Send + Unpin,
{
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

async fn article_id(pool: &SqlitePool, old_id: &str) -> i64 {
    sqlx::query_scalar("SELECT new_id FROM import_origins WHERE kind = 'article' AND old_id = ?")
        .bind(old_id)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[derive(sqlx::FromRow, Debug)]
struct Imported {
    title: String,
    author: String,
    source: String,
    info_source: String,
    summary: String,
    body: String,
    cover_image: String,
    is_headline: bool,
    is_recommended: bool,
    status: String,
    published_at: Option<i64>,
    view_count: i64,
    category: String,
}

async fn imported(pool: &SqlitePool, old_id: &str) -> Imported {
    sqlx::query_as(
        "SELECT a.title, a.author, a.source, a.info_source, a.summary, a.body,
                a.cover_image, a.is_headline, a.is_recommended, a.status, a.published_at,
                a.view_count, c.slug AS category
         FROM articles a JOIN categories c ON c.id = a.category_id WHERE a.id = ?",
    )
    .bind(article_id(pool, old_id).await)
    .fetch_one(pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_dedecms_site_comes_over_with_its_files_and_settings() {
    let site = empty_site().await;
    let report = import(&site, &dedecms_dump()).await;
    let printed = report.to_string();

    // 行业动态, 政策法规, 协会动态, 通知公告; 关于我们 is a single page; the external link is not.
    assert_eq!(report.categories.added, 4, "{printed}");
    assert_eq!(report.pages.added, 1, "{printed}");
    assert!(
        printed.contains("栏目 5:“旧版论坛”是外部链接栏目"),
        "{printed}"
    );
    // 1, 2, 6, 7, 8, 10 published; 3 pending; 4 in the recycle bin; 5 members only.
    assert_eq!(report.articles.added, 9, "{printed}");
    assert_eq!(
        report.articles_by_status.get("已发布"),
        Some(&6),
        "{printed}"
    );
    assert!(
        printed.contains("文章 9:《一篇图集》属于内容模型 2"),
        "{printed}"
    );
    assert!(
        printed.contains("文章 10:《没有正文的旧文章》在导出文件中没有正文"),
        "{printed}"
    );
    assert_eq!(report.links.added, 2, "{printed}");
    assert!(
        printed.contains("友情链接 3:“待审核链接”未通过审核"),
        "{printed}"
    );
    assert_eq!(report.files_copied, 2, "{printed}");
    assert_eq!(report.files_missing, 1, "{printed}");
    assert!(
        printed
            .contains("文件 allimg/201023/missing.jpg:旧站上传文件夹中没有这个文件(文章 1 引用)"),
        "{printed}"
    );

    let model = imported(&site.pool, "1").await;
    assert_eq!(model.title, "深圳市出台美容美发行业管理新规");
    assert_eq!(model.category, "zhengce");
    assert_eq!(
        (model.author.as_str(), model.source.as_str()),
        ("王记者", "深圳特区报")
    );
    assert_eq!(
        model.info_source, "深圳特区报",
        "the last line became 信息来源"
    );
    assert!(!model.body.contains("信息来源"), "{}", model.body);
    assert_eq!(model.summary, "新规自 11 月 1 日起施行。");
    assert_eq!((model.is_headline, model.is_recommended), (true, true));
    assert_eq!(model.status, "published");
    assert_eq!(model.published_at, Some(1_603_435_020));
    assert_eq!(model.view_count, 1234);
    // Files: typed by content (the .jpg is a PNG), stored once, references rewritten.
    assert!(model.cover_image.starts_with("/uploads/") && model.cover_image.ends_with(".png"));
    assert!(
        model
            .body
            .contains(&format!("src=\"{}\"", model.cover_image)),
        "{}",
        model.body
    );
    let pdf: String = scalar(
        &site.pool,
        "SELECT stored_name FROM uploads WHERE content_type = 'application/pdf'",
    )
    .await;
    assert!(
        model.body.contains(&format!("href=\"/uploads/{pdf}\"")),
        "{}",
        model.body
    );
    assert!(site.state.config.uploads_dir.join(&pdf).is_file());
    assert_eq!(
        scalar::<i64>(&site.pool, "SELECT count(*) FROM uploads").await,
        2
    );
    // A missing file and a picture on another site stay as they were.
    assert!(
        model
            .body
            .contains("http://www.example-old.org/uploads/allimg/201023/missing.jpg")
    );
    assert!(
        model
            .body
            .contains("https://mmbiz.qpic.cn/mmbiz_jpg/abc/640")
    );
    // Its link to another old article now leads to that article here.
    let forum = article_id(&site.pool, "8").await;
    assert!(
        model.body.contains(&format!("href=\"/article/{forum}\"")),
        "{}",
        model.body
    );
    // Word's markup is gone, its table kept.
    for word in ["mso-", "<o:p>", "MsoNormal", "style="] {
        assert!(!model.body.contains(word), "{word} in {}", model.body);
    }
    assert!(model.body.contains("<table>"), "{}", model.body);

    // An escaped title is text; the pages are joined under their titles; scripts are gone.
    let policy = imported(&site.pool, "2").await;
    assert_eq!(policy.title, "\"双创\"政策解读:<b>小微企业</b>如何申请补贴");
    assert!(
        policy
            .body
            .contains("<h2>申请条件</h2><p>第二部分内容。</p><h2>申请流程</h2>"),
        "{}",
        policy.body
    );
    for hostile in ["<script", "onclick", "javascript:"] {
        assert!(
            !policy.body.contains(hostile),
            "{hostile} in {}",
            policy.body
        );
    }
    assert!(policy.is_recommended, "flag a is 特荐");
    assert_eq!(
        policy.summary,
        "第一部分内容。 申请条件 第二部分内容。 申请流程 第三部分。 点此 链接"
    );

    assert_eq!(imported(&site.pool, "3").await.status, "pending");
    assert_eq!(imported(&site.pool, "4").await.status, "archived");
    assert_eq!(
        imported(&site.pool, "5").await.status,
        "draft",
        "members only is not public"
    );
    let jump = imported(&site.pool, "6").await;
    assert!(
        jump.body
            .contains("href=\"http://scjg.example.gov.cn/zt/\""),
        "{}",
        jump.body
    );
    assert_eq!(imported(&site.pool, "8").await.info_source, "协会秘书处");

    let (about_kind, about_body): (String, String) =
        sqlx::query_as("SELECT kind, page_body FROM categories WHERE name = '关于我们'")
            .fetch_one(&site.pool)
            .await
            .unwrap();
    assert_eq!(about_kind, "page");
    assert!(
        about_body.contains(&format!("src=\"{}\"", model.cover_image)),
        "{about_body}"
    );
    let parent: String = scalar(
        &site.pool,
        "SELECT p.name FROM categories c JOIN categories p ON p.id = c.parent_id WHERE c.slug = 'zhengce'",
    )
    .await;
    assert_eq!(parent, "行业动态");

    let (name, icp, copyright, description): (String, String, String, String) =
        sqlx::query_as("SELECT name, icp_number, copyright, description FROM site_settings")
            .fetch_one(&site.pool)
            .await
            .unwrap();
    assert_eq!(name, "深圳市美容美发行业协会");
    assert_eq!(icp, "粤ICP备12345678号");
    assert_eq!(
        copyright,
        "Copyright © 2020 深圳市美容美发行业协会 版权所有"
    );
    assert_eq!(description, "深圳市美容美发行业协会官方网站");
    let links: Vec<(String, String, String)> =
        sqlx::query_as("SELECT name, url, group_name FROM friendly_links ORDER BY position")
            .fetch_all(&site.pool)
            .await
            .unwrap();
    assert_eq!(
        links,
        vec![
            (
                "深圳市美容协会".into(),
                "http://www.szsmr.org".into(),
                "综合网站".into()
            ),
            (
                "中国政府网".into(),
                "http://www.gov.cn".into(),
                "政府网站".into()
            ),
        ]
    );
    // Published articles are found by search, with their Chinese text.
    let found = site
        .get_with("/search?q=%E6%98%8E%E7%A0%81%E6%A0%87%E4%BB%B7", &[])
        .await;
    assert!(
        found.body.contains("深圳市出台美容美发行业管理新规"),
        "{}",
        found.body
    );
}

#[tokio::test]
async fn importing_again_changes_nothing_and_a_newer_dump_updates() {
    let site = empty_site().await;
    import(&site, &dedecms_dump()).await;
    let before = fingerprint(&site.pool).await;
    let redirects: i64 = scalar(&site.pool, "SELECT count(*) FROM redirects").await;

    let again = import(&site, &dedecms_dump()).await;
    assert_eq!(again.articles.added + again.articles.updated, 0, "{again}");
    assert_eq!(again.articles.unchanged, 9, "{again}");
    assert_eq!(again.categories.unchanged, 4, "{again}");
    assert_eq!((again.redirects, again.files_copied), (0, 0), "{again}");
    assert_eq!(fingerprint(&site.pool).await, before);
    assert_eq!(
        scalar::<i64>(&site.pool, "SELECT count(*) FROM redirects").await,
        redirects
    );

    // An editor changes article 7 here; the old site changes articles 1 and 7 and adds 11.
    let edited = article_id(&site.pool, "7").await;
    sqlx::query("UPDATE articles SET title = '编辑改过的标题', version = version + 1 WHERE id = ?")
        .bind(edited)
        .execute(&site.pool)
        .await
        .unwrap();
    let newer = site.folder.path().join("newer.sql");
    let dump = std::fs::read_to_string(dedecms_dump()).unwrap()
        .replace("深圳市出台美容美发行业管理新规", "深圳市出台美容美发行业管理新规(修订)")
        .replace("关于开展行业技能竞赛的通知", "关于开展行业技能竞赛的补充通知")
        .replace(
            "INSERT INTO `dede_addonarticle` VALUES (",
            "INSERT INTO `dede_addonarticle` VALUES (11,6,'<p>新增的文章。</p>','','',''),(",
        )
        .replace(
            "INSERT INTO `dede_archives` VALUES (10,",
            "INSERT INTO `dede_archives` VALUES (11,6,'0',1603435020,'',1,1,0,0,0,'新增的通知','','','','','',1603435020,1603435020,1,'',0,0,0,0,0,0,'','',1,0,0,11);\nINSERT INTO `dede_archives` VALUES (10,",
        );
    std::fs::write(&newer, dump).unwrap();
    let update = import(&site, &newer).await;
    assert_eq!(
        (update.articles.added, update.articles.updated),
        (1, 1),
        "{update}"
    );
    assert!(
        update.to_string().contains("导入后已在这里修改过,没有覆盖"),
        "{update}"
    );
    let model = imported(&site.pool, "1").await;
    assert_eq!(model.title, "深圳市出台美容美发行业管理新规(修订)");
    let revisions: i64 =
        sqlx::query_scalar("SELECT count(*) FROM article_revisions WHERE article_id = ?")
            .bind(article_id(&site.pool, "1").await)
            .fetch_one(&site.pool)
            .await
            .unwrap();
    assert_eq!(revisions, 2);
    assert_eq!(imported(&site.pool, "7").await.title, "编辑改过的标题");
    assert_eq!(imported(&site.pool, "11").await.title, "新增的通知");
}

#[tokio::test]
async fn a_dry_run_reports_everything_and_writes_nothing() {
    let site = empty_site().await;
    let before = fingerprint(&site.pool).await;
    let mut dry = options(&site, &dedecms_dump());
    dry.dry_run = true;
    let report = import_dedecms(&site.pool, &dry).await.unwrap();
    assert_eq!(report.articles.added, 9);
    assert_eq!(report.files_copied, 2);
    assert!(report.to_string().contains("试运行,没有写入任何内容"));
    assert_eq!(fingerprint(&site.pool).await, before);
    assert_eq!(
        scalar::<i64>(&site.pool, "SELECT count(*) FROM redirects").await,
        0
    );
    assert!(
        !site.state.config.uploads_dir.exists()
            || std::fs::read_dir(&site.state.config.uploads_dir)
                .unwrap()
                .next()
                .is_none()
    );
}

/// The UTF-8 fixture as a GBK dump, and as GBK text kept in `latin1` tables and dumped over
/// a UTF-8 connection (each byte turned into a Latin-1 character).
fn other_encodings(folder: &Path) -> Vec<(PathBuf, Option<Encoding>)> {
    let utf8 = std::fs::read_to_string(dedecms_dump()).unwrap();
    let gbk_text = utf8
        .replace("SET NAMES utf8", "SET NAMES gbk")
        .replace("CHARSET=utf8", "CHARSET=gbk");
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&gbk_text);
    assert!(!unmappable);
    let gbk_file = folder.join("gbk.sql");
    std::fs::write(&gbk_file, &gbk).unwrap();

    let latin1_text = utf8.replace("CHARSET=utf8", "CHARSET=latin1");
    let (gbk_bytes, _, _) = encoding_rs::GBK.encode(&latin1_text);
    let (as_latin1, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&gbk_bytes);
    let latin1_file = folder.join("latin1.sql");
    std::fs::write(&latin1_file, as_latin1.as_bytes()).unwrap();

    // A GBK dump whose header says UTF-8, read with --encoding gbk.
    let mislabelled = folder.join("mislabelled.sql");
    let (bytes, _, _) = encoding_rs::GBK.encode(&utf8);
    std::fs::write(&mislabelled, &bytes).unwrap();
    vec![
        (gbk_file, None),
        (latin1_file, None),
        (mislabelled, Some(Encoding::Gbk)),
    ]
}

#[tokio::test]
async fn gbk_dumps_and_gbk_in_latin1_tables_read_as_the_utf8_one() {
    let reference = empty_site().await;
    import(&reference, &dedecms_dump()).await;
    let titles = |pool: SqlitePool| async move {
        sqlx::query_scalar::<_, String>(
            "SELECT title || '|' || body || '|' || author FROM articles ORDER BY id",
        )
        .fetch_all(&pool)
        .await
        .unwrap()
    };
    let expected = titles(reference.pool.clone()).await;
    let strip_uploads = |rows: Vec<String>| -> Vec<String> {
        rows.into_iter()
            .map(|row| {
                row.split("/uploads/")
                    .map(|part| part.split_once('"').map_or(part, |(_, rest)| rest))
                    .collect::<Vec<_>>()
                    .join("")
            })
            .collect()
    };
    for (file, encoding) in other_encodings(reference.folder.path()) {
        let site = empty_site().await;
        let mut options = options(&site, &file);
        options.encoding = encoding;
        import_dedecms(&site.pool, &options).await.unwrap();
        assert_eq!(
            strip_uploads(titles(site.pool.clone()).await),
            strip_uploads(expected.clone()),
            "{}",
            file.display()
        );
        let name: String = scalar(&site.pool, "SELECT name FROM site_settings").await;
        assert_eq!(name, "深圳市美容美发行业协会", "{}", file.display());
    }
}

#[tokio::test]
async fn bad_input_is_named_and_writes_nothing() {
    let site = empty_site().await;
    let before = fingerprint(&site.pool).await;
    let folder = site.folder.path();
    let dump = std::fs::read_to_string(dedecms_dump()).unwrap();
    let cut = dump.find("第二部分内容").unwrap();
    let truncated = folder.join("truncated.sql");
    std::fs::write(&truncated, &dump[..cut]).unwrap();
    let binary = folder.join("junk.sql");
    std::fs::write(&binary, [0x7f, b'E', b'L', b'F', 0, 1, 2, 0xff, 0xfe]).unwrap();
    let other_cms = folder.join("wordpress-db.sql");
    std::fs::write(
        &other_cms,
        "CREATE TABLE `wp_posts` (`ID` bigint, `post_title` text);\nINSERT INTO `wp_posts` VALUES (1,'Hello');\n",
    )
    .unwrap();
    let wxr = fixtures().join("wordpress/site.xml");
    let cases: [(&Path, &str); 5] = [
        (&truncated, "不完整"),
        (&binary, "不是 MySQL"),
        (&other_cms, "这不是 DedeCMS"),
        (&wxr, "不是 MySQL"),
        (Path::new("/no/such/dump.sql"), "找不到文件"),
    ];
    for (file, expected) in cases {
        let error = import_dedecms(&site.pool, &options(&site, file))
            .await
            .unwrap_err();
        assert!(error.contains(expected), "{}: {error}", file.display());
        assert!(error.contains(&file.display().to_string()), "{error}");
    }
    let truncated_error = import_dedecms(&site.pool, &options(&site, &truncated))
        .await
        .unwrap_err();
    assert!(
        truncated_error.contains("行"),
        "names the line: {truncated_error}"
    );
    assert_eq!(fingerprint(&site.pool).await, before);
    assert_eq!(
        scalar::<i64>(&site.pool, "SELECT count(*) FROM import_origins").await,
        0
    );

    let mut no_uploads = options(&site, &dedecms_dump());
    no_uploads.uploads_from = Some(folder.join("missing-folder"));
    let error = import_dedecms(&site.pool, &no_uploads).await.unwrap_err();
    assert!(error.contains("找不到旧站的上传文件夹"), "{error}");

    let not_xml = folder.join("not.xml");
    std::fs::write(&not_xml, "<rss><channel><item><title>cut").unwrap();
    let error = import_wordpress(&site.pool, &options(&site, &not_xml))
        .await
        .unwrap_err();
    assert!(error.contains("not.xml"), "{error}");
    let error = import_wordpress(&site.pool, &options(&site, &dedecms_dump()))
        .await
        .unwrap_err();
    assert!(
        error.contains("XML") || error.contains("WordPress"),
        "{error}"
    );
    assert_eq!(fingerprint(&site.pool).await, before);
}

async fn location(site: &Site, uri: &str) -> (StatusCode, String) {
    let reply = site.get_with(uri, &[]).await;
    let location = reply
        .headers
        .get(header::LOCATION)
        .map(|value| value.to_str().unwrap().to_string())
        .unwrap_or_default();
    (reply.status, location)
}

#[tokio::test]
async fn every_old_dedecms_address_answers_with_a_301() {
    let site = empty_site().await;
    import(&site, &dedecms_dump()).await;
    let model = format!("/article/{}", article_id(&site.pool, "1").await);
    let policy = format!("/article/{}", article_id(&site.pool, "2").await);
    let notice = format!("/article/{}", article_id(&site.pool, "7").await);
    let forum = format!("/article/{}", article_id(&site.pool, "8").await);
    let picture: String = scalar(
        &site.pool,
        "SELECT '/uploads/' || stored_name FROM uploads WHERE content_type = 'image/png'",
    )
    .await;
    for (old, new) in [
        ("/a/hangye/zhengce/2020/1023/1.html", model.as_str()),
        ("/plus/view.php?aid=1", &model),
        ("/plus/view-1-1.html", &model),
        ("/m/view.php?aid=1&from=wechat", &model),
        ("/A/HangYe/ZhengCe/2020/1023/1.html", &model),
        ("/a/hangye/zhengce/2020/1023/2_3.html", &policy),
        ("/a/tongzhi/2020/1023/jingsai2020.html", &notice),
        ("/a/hangye/xiehui/8.html", &forum),
        ("/a/hangye/zhengce/", "/category/zhengce"),
        ("/a/hangye/zhengce/index.html", "/category/zhengce"),
        ("/a/hangye/zhengce/list_2_3.html", "/category/zhengce"),
        ("/plus/list.php?tid=2&PageNo=2", "/category/zhengce"),
        ("/a/about/", "/category/about"),
        ("/uploads/allimg/201023/1-201023143700.jpg", &picture),
    ] {
        assert_eq!(
            location(&site, old).await,
            (StatusCode::MOVED_PERMANENTLY, new.to_string()),
            "{old}"
        );
    }
    // The new address answers; unknown addresses are still the 404 page.
    let page = site.get_with(&model, &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("深圳市出台美容美发行业管理新规"));
    assert_eq!(
        location(&site, "/a/hangye/zhengce/2020/1023/999.html")
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        location(&site, "/plus/view.php?aid=999").await.0,
        StatusCode::NOT_FOUND
    );
    // A page of ours is never redirected away, whatever is stored.
    sqlx::query("INSERT INTO redirects (path, target) VALUES ('/search', '/elsewhere')")
        .execute(&site.pool)
        .await
        .unwrap();
    assert_eq!(
        site.get_with("/search?q=x", &[]).await.status,
        StatusCode::OK
    );
}

fn wordpress_options(site: &Site) -> ImportOptions {
    ImportOptions {
        file: fixtures().join("wordpress/site.xml"),
        uploads_from: Some(fixtures().join("wordpress/uploads")),
        ..options(site, Path::new(""))
    }
}

#[tokio::test]
async fn a_wordpress_export_comes_over_with_its_permalinks() {
    let site = empty_site().await;
    let report = import_wordpress(&site.pool, &wordpress_options(&site))
        .await
        .unwrap();
    let printed = report.to_string();
    assert_eq!(report.categories.added, 3, "{printed}");
    assert_eq!(report.pages.added, 2, "{printed}");
    assert_eq!(report.articles.added, 6, "{printed}");
    assert_eq!(report.files_copied, 1, "{printed}");

    let statuses: Vec<(String, String, Option<i64>)> = sqlx::query_as(
        "SELECT o.old_id, a.status, a.published_at FROM import_origins o
         JOIN articles a ON a.id = o.new_id WHERE o.kind = 'article' ORDER BY 0 + o.old_id",
    )
    .fetch_all(&site.pool)
    .await
    .unwrap();
    let status = |id: &str| statuses.iter().find(|(old, ..)| old == id).unwrap().clone();
    assert_eq!(status("10").1, "published");
    assert_eq!(status("10").2, Some(1_603_435_020), "post_date_gmt");
    assert_eq!(status("11").1, "draft");
    assert_eq!(status("12").1, "pending");
    assert_eq!(status("13").1, "draft", "private is not public here");
    assert_eq!(status("14").1, "published", "future: scheduled");
    assert!(status("14").2.unwrap() > 1_900_000_000);
    assert_eq!(status("15").1, "archived");

    let first = imported(&site.pool, "10").await;
    assert_eq!(first.title, "协会召开 2020 年度会员大会 & 换届选举");
    assert_eq!(first.author, "李秘书");
    assert_eq!(first.category, "huiwu");
    assert!(first.cover_image.ends_with(".png"), "{}", first.cover_image);
    assert!(
        first
            .body
            .contains(&format!("src=\"{}\"", first.cover_image)),
        "{}",
        first.body
    );
    assert!(first.body.contains("<p>第一段。</p>"), "{}", first.body);
    let (parent, about): (String, String) = sqlx::query_as(
        "SELECT p.slug, c.page_body FROM categories c JOIN categories p ON p.id = c.parent_id
         WHERE c.slug = 'contact'",
    )
    .fetch_one(&site.pool)
    .await
    .unwrap();
    assert_eq!(parent, "about");
    assert!(about.contains("电话"), "{about}");
    let child_parent: String = scalar(
        &site.pool,
        "SELECT p.slug FROM categories c JOIN categories p ON p.id = c.parent_id WHERE c.slug = 'huiwu'",
    )
    .await;
    assert_eq!(child_parent, "news");

    let post = format!("/article/{}", article_id(&site.pool, "10").await);
    for (old, new) in [
        ("/2020/10/23/annual-meeting/", post.as_str()),
        ("/?p=10", &post),
        ("/index.php?p=10", &post),
        ("/category/news/huiwu/", "/category/huiwu"),
        ("/?cat=3", "/category/huiwu"),
        ("/about/contact/", "/category/contact"),
        ("/?page_id=21", "/category/contact"),
    ] {
        assert_eq!(
            location(&site, old).await,
            (StatusCode::MOVED_PERMANENTLY, new.to_string()),
            "{old}"
        );
    }
    // The home page itself is not redirected.
    assert_eq!(
        site.get_with("/?utm_source=x", &[]).await.status,
        StatusCode::OK
    );

    let again = import_wordpress(&site.pool, &wordpress_options(&site))
        .await
        .unwrap();
    assert_eq!(again.articles.unchanged, 6, "{again}");
}

#[tokio::test]
async fn editors_add_find_and_remove_redirects() {
    let site = common::site().await;
    let cookie = common::session(&site.pool, "redirect-editor", gazette::model::Role::Editor).await;
    let add = |form: &'static str| {
        let site = &site;
        let cookie = cookie.clone();
        async move {
            site.post_form("/api/admin/add_redirect", Some(&cookie), form)
                .await
        }
    };
    // A full address of the old site is cut to its path; the key is lower case.
    let reply =
        add("redirect[path]=http://www.old.org/News/Old-Page.html&redirect[target]=/category/news")
            .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        location(&site, "/news/old-page.html").await,
        (StatusCode::MOVED_PERMANENTLY, "/category/news".to_string())
    );
    for (form, message) in [
        (
            "redirect[path]=/news/old-page.html&redirect[target]=/",
            "已经有跳转",
        ),
        (
            "redirect[path]=old&redirect[target]=/",
            "必须是以 / 开头的路径",
        ),
        (
            "redirect[path]=/loop&redirect[target]=/loop/",
            "不能和旧地址相同",
        ),
        (
            "redirect[path]=/x&redirect[target]=javascript:alert(1)",
            "新地址必须是本站",
        ),
        ("redirect[path]=&redirect[target]=/", "旧地址"),
    ] {
        let reply = add(form).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{form}: {}",
            reply.body
        );
        assert!(reply.body.contains(message), "{form}: {}", reply.body);
    }
    let listed = site
        .get_with(
            "/api/admin/redirects?q=OLD-PAGE&page=1",
            &[(header::COOKIE, cookie.as_str())],
        )
        .await;
    assert!(
        listed.body.contains("/news/old-page.html"),
        "{}",
        listed.body
    );
    assert!(listed.body.contains("\"total_items\":1"), "{}", listed.body);
    let page = site
        .get_with(
            "/admin/redirects?q=old",
            &[(header::COOKIE, cookie.as_str())],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("/news/old-page.html") && page.body.contains("编辑添加"));

    let reply = site
        .post_form(
            "/api/admin/delete_redirect",
            Some(&cookie),
            "path=/news/old-page.html",
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        location(&site, "/news/old-page.html").await.0,
        StatusCode::NOT_FOUND
    );
    let again = site
        .post_form(
            "/api/admin/delete_redirect",
            Some(&cookie),
            "path=/news/old-page.html",
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
}
