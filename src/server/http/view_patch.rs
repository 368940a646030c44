//! The 浏览量 of an article page rendered earlier, brought up to date when the page cache
//! serves it.

/// What stands before the count on an article page. Titles and other text are escaped, so
/// only the count's own element can hold the tag, whatever an article is called.
const BEFORE_COUNT: &str = "<span class=\"views\">浏览量:";

/// The number after 浏览量: on a rendered article page.
pub fn shown_views(body: &[u8]) -> Option<i64> {
    let text = std::str::from_utf8(body).ok()?;
    let after = &text[text.find(BEFORE_COUNT)? + BEFORE_COUNT.len()..];
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// An article page's 浏览量 changed from `shown` to `current`. Visitors' pages carry no
/// hydration data (they are not hydrated), so the text is the only place it is written.
pub fn patch_views(page: &str, shown: i64, current: i64) -> String {
    page.replacen(
        &format!("{BEFORE_COUNT}{shown}<"),
        &format!("{BEFORE_COUNT}{current}<"),
        1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    // An article may be called anything, the label included.
    const PAGE: &str = "<title>浏览量:12</title><h1>浏览量:1200</h1>\
                        <span class=\"views\">浏览量:12</span>";

    #[test]
    fn finds_the_views_an_article_page_shows() {
        assert_eq!(shown_views(PAGE.as_bytes()), Some(12));
        assert_eq!(shown_views("<p>浏览量:3</p>".as_bytes()), None);
    }

    #[test]
    fn only_the_count_is_patched() {
        assert_eq!(
            patch_views(PAGE, 12, 15),
            "<title>浏览量:12</title><h1>浏览量:1200</h1><span class=\"views\">浏览量:15</span>"
        );
    }
}
