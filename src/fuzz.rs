//! Property tests over random and hostile input for the code that takes whatever visitors
//! and editors send: the HTML sanitiser and paste cleaner, the search tokenizer and query
//! builder, and form validation. None may panic; sanitised HTML must be stable; every
//! search expression must be one FTS5 and PostgreSQL's `tsquery` accept.

use proptest::prelude::*;

use crate::model::{
    ArticleForm, CategoryForm, LinkForm, SiteSettings, check_url, is_date, parse_page,
};
use crate::search::query::{Prepared, prepare};
use crate::search::snippet::{excerpt, first_sentence, highlight, plain_text};
use crate::search::tokenize::{index_text, terms};
use crate::server::editorial::sanitize::{clean_pasted_html, sanitize_html, text_to_paragraphs};

/// Pieces that have broken HTML sanitisers and query parsers, to be strung together with
/// arbitrary text.
const FRAGMENTS: &[&str] = &[
    "<script>alert(1)</script>",
    "<script",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">",
    "</a>",
    "<p>",
    "</p>",
    "<table><tr><td>",
    "</td></tr></table>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<style>",
    "<math><mtext>",
    "<noscript>",
    "<template>",
    "<iframe srcdoc=",
    "&lt;",
    "&amp;",
    "&#0;",
    "&#x6a;avascript:",
    "\"",
    "'",
    "`",
    "=",
    ">",
    "<",
    "/",
    "\0",
    "\u{202e}",
    "\u{feff}",
    "<o:p>",
    "<span style=\"mso-list:Ignore\">",
    "<h1 class=x>",
    "<br/>",
    "<ul><li>",
    "AND",
    "OR",
    "NOT",
    "NEAR(",
    ")",
    "(",
    "*",
    "^",
    ":",
    "-",
    "+",
    "政策法规",
    "协会",
    "职业技能",
    "𠀀",
    "😀",
    "ｐｏｌｉｃｙ",
    "1",
    "9223372036854775808",
    "2026-02-30",
    " ",
];

/// 512 cases a run; `PROPTEST_CASES=100000 cargo test fuzz` searches longer.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(512);
    ProptestConfig::with_cases(cases)
}

fn hostile_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(FRAGMENTS).prop_map(str::to_string),
            1 => any::<String>(),
        ],
        0..24,
    )
    .prop_map(|parts| parts.concat())
}

fn article_form() -> impl Strategy<Value = ArticleForm> {
    (
        hostile_text(),
        hostile_text(),
        any::<i64>(),
        hostile_text(),
        hostile_text(),
        hostile_text(),
    )
        .prop_map(
            |(title, url, category_id, publish_at, body, summary)| ArticleForm {
                title: title.clone(),
                subtitle: summary.clone(),
                category_id,
                source: url.clone(),
                author: summary.clone(),
                info_source: title.clone(),
                info_source_url: url.clone(),
                summary,
                cover_image: url,
                is_headline: false,
                is_recommended: true,
                is_pinned: false,
                publish_at,
                body,
            },
        )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn sanitised_html_is_stable_and_inert(html in hostile_text()) {
        let once = sanitize_html(&html);
        prop_assert_eq!(sanitize_html(&once), once.clone());
        // Text keeps no `<` of its own: every one starts a tag the allow-list let through.
        for tag in once.split('<').skip(1) {
            let tag = tag.split('>').next().unwrap_or_default().to_ascii_lowercase();
            let name = tag.trim_start_matches('/').split([' ', '/']).next().unwrap_or_default();
            prop_assert!(!["script", "iframe", "svg", "style", "object", "embed", "math"].contains(&name), "{:?}", once);
            prop_assert!(!tag.contains(" on"), "handler in {:?}", once);
            prop_assert!(!tag.contains("javascript:") && !tag.contains("data:"), "URL in {:?}", once);
        }
    }

    #[test]
    fn pasted_html_comes_out_sanitised(html in hostile_text(), text in hostile_text()) {
        let cleaned = clean_pasted_html(&html);
        prop_assert_eq!(sanitize_html(&cleaned), cleaned);
        let paragraphs = text_to_paragraphs(&text);
        prop_assert_eq!(sanitize_html(&paragraphs), paragraphs);
    }

    #[test]
    fn tokenizing_and_snippets_never_panic(text in hostile_text(), query in hostile_text()) {
        let _ = terms(&text);
        let _ = index_text(&text);
        let plain = plain_text(&text);
        let _ = first_sentence(&plain, 80);
        if let Prepared::Match { highlights, .. } = prepare(&query) {
            let marked = highlight(&plain, &highlights);
            prop_assert!(!marked.contains("<script"));
            let _ = excerpt(&plain, &highlights, 120);
        }
    }

    #[test]
    fn validation_answers_every_form(form in article_form(), text in hostile_text(), number in any::<i64>()) {
        let _ = form.validate();
        let _ = CategoryForm {
            name: text.clone(),
            slug: text.clone(),
            parent_id: number,
            position: number,
            kind: text.clone(),
            show_in_nav: true,
            description: text.clone(),
            page_body: text.clone(),
        }
        .validate();
        let _ = LinkForm { name: text.clone(), url: text.clone(), logo: text.clone(), group_name: text.clone(), position: number }.validate();
        let _ = SiteSettings { name: text.clone(), email: text.clone(), logo: text.clone(), ..SiteSettings::default() }.validate();
        let _ = check_url("网址", &text, 500);
        let _ = is_date(&text);
        let _ = parse_page(Some(&text));
    }
}

/// Every expression the query builder makes is valid FTS5 syntax: whatever is typed, the
/// search answers with results or none, never a database error.
#[test]
fn every_search_expression_is_valid_fts5() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let pool = runtime.block_on(async {
        // One connection: each in-memory connection is a database of its own.
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .unwrap();
        sqlx::query("CREATE VIRTUAL TABLE search USING fts5 (text)")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("INSERT INTO search (text) VALUES (?)")
            .bind(index_text("深圳市美容行业协会 政策法规 职业技能"))
            .execute(&pool)
            .await
            .unwrap();
        pool
    });
    let mut runner = proptest::test_runner::TestRunner::new(config());
    runner
        .run(&hostile_text(), |query| {
            if let Prepared::Match { expression, .. } = prepare(&query) {
                let answer = runtime.block_on(
                    sqlx::query_scalar::<_, i64>(
                        "SELECT count(*) FROM search WHERE search MATCH ?",
                    )
                    .bind(expression.fts5())
                    .fetch_one(&pool),
                );
                prop_assert!(
                    answer.is_ok(),
                    "{:?} → {:?}: {:?}",
                    query,
                    expression,
                    answer
                );
            }
            Ok(())
        })
        .unwrap();
}

/// Every expression is also a `tsquery` PostgreSQL accepts, when there is a server to ask.
#[test]
fn every_search_expression_is_a_valid_tsquery() {
    let Ok(server) = std::env::var("GAZETTE_TEST_POSTGRES") else {
        return eprintln!("GAZETTE_TEST_POSTGRES is not set: skipped");
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let pool = runtime.block_on(async {
        sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .connect(&server)
            .await
            .unwrap()
    });
    let mut runner = proptest::test_runner::TestRunner::new(config());
    runner
        .run(&hostile_text(), |query| {
            if let Prepared::Match { expression, .. } = prepare(&query) {
                for tsquery in [expression.tsquery(), expression.tsquery_in_title()] {
                    let answer = runtime.block_on(
                        sqlx::query_scalar::<_, bool>(
                            "SELECT CAST('''深圳'':1A ''职业'':2' AS tsvector) @@ CAST($1 AS tsquery)",
                        )
                        .bind(&tsquery)
                        .fetch_one(&pool),
                    );
                    prop_assert!(answer.is_ok(), "{:?} → {:?}: {:?}", query, tsquery, answer);
                }
            }
            Ok(())
        })
        .unwrap();
}
