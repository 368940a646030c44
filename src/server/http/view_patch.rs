//! The 浏览量 of an article page rendered earlier, brought up to date when the page cache
//! serves it: the number shown on the page and the one in its hydration data, wherever
//! `view_count` stands among the article's fields.

/// The number after 浏览量: on a rendered article page.
pub fn shown_views(body: &[u8]) -> Option<i64> {
    let text = std::str::from_utf8(body).ok()?;
    let after = &text[text.find("浏览量:")? + "浏览量:".len()..];
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// An article page's 浏览量 changed from `shown` to `current`, as text and in the page's
/// hydration data (JSON inside a JavaScript string, its quotes escaped).
pub fn patch_views(page: &str, shown: i64, current: i64) -> String {
    let page = page.replacen(
        &format!("浏览量:{shown}<"),
        &format!("浏览量:{current}<"),
        1,
    );
    replace_count(&page, "\\\"view_count\\\":", shown, current)
}

/// `text` with the first `{label}{shown}` that is the whole number (not the start of a
/// longer one) made `{label}{current}`, wherever the field stands among the others.
fn replace_count(text: &str, label: &str, shown: i64, current: i64) -> String {
    let needle = format!("{label}{shown}");
    let whole = text.match_indices(&needle).find(|(at, _)| {
        !text[at + needle.len()..]
            .bytes()
            .next()
            .is_some_and(|next| next.is_ascii_digit())
    });
    match whole {
        Some((at, _)) => format!(
            "{}{label}{current}{}",
            &text[..at],
            &text[at + needle.len()..]
        ),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_views_an_article_page_shows() {
        assert_eq!(
            shown_views("<span>浏览量:1024</span>".as_bytes()),
            Some(1024)
        );
        assert_eq!(shown_views(b"<p>no count</p>"), None);
    }

    #[test]
    fn the_views_are_patched_in_the_page_and_its_hydration_data() {
        use crate::model::ArticleDetail;
        let article = ArticleDetail {
            id: 7,
            category_id: 1,
            title: "浏览量:1200".into(),
            subtitle: String::new(),
            source: "未知".into(),
            author: String::new(),
            info_source: String::new(),
            info_source_url: String::new(),
            summary: String::new(),
            body: "<p>正文</p>".into(),
            cover_image: String::new(),
            published: "2020-10-23 14:37".into(),
            published_iso: "2020-10-23T14:37:00+08:00".into(),
            view_count: 12,
        };
        // As the page carries it: JSON in a JavaScript string, quotes escaped.
        let data = serde_json::to_string(&article)
            .unwrap()
            .replace('"', "\\\"");
        let body = format!("<h1>浏览量:1200</h1><span>浏览量:12</span><script>\"{data}\"</script>");
        let patched = patch_views(&body, 12, 15);
        assert!(patched.contains("<span>浏览量:15</span>"), "{patched}");
        assert!(
            patched.contains("<h1>浏览量:1200</h1>"),
            "a longer number is not the count"
        );
        let script = &patched[patched.find("<script>\"").unwrap() + 9..patched.len() - 10];
        let read: ArticleDetail = serde_json::from_str(&script.replace("\\\"", "\"")).unwrap();
        assert_eq!(
            read.view_count, 15,
            "the hydration data must carry the same count"
        );
        assert_eq!(read.title, "浏览量:1200");
    }
}
