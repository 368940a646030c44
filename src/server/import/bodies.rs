//! Old article bodies made into ours: DedeCMS page breaks joined, a trailing 信息来源 line
//! taken into its field, and the addresses in `src`/`href` rewritten.

use crate::model::escape_html;

/// A DedeCMS body with its page breaks (`#p#next page's title#e#`) joined: each later page
/// starts with its title as a heading. Returns the body and how many pages it had.
pub fn join_pages(body: &str) -> (String, usize) {
    let mut joined = String::with_capacity(body.len());
    let mut pages = 1;
    let mut rest = body;
    while let Some(start) = rest.find("#p#") {
        let Some(end) = rest[start + 3..].find("#e#") else {
            break;
        };
        joined.push_str(&rest[..start]);
        let title = rest[start + 3..start + 3 + end].trim();
        // A title of only the page number (“分页标题” left empty) is no heading.
        if !title.is_empty() && title != "分页标题" {
            joined.push_str(&format!("<h2>{}</h2>", escape_html(title)));
        }
        pages += 1;
        rest = &rest[start + 3 + end + 3..];
    }
    joined.push_str(rest);
    (joined, pages)
}

const INFO_SOURCE_LABELS: [&str; 5] = ["信息来源", "资料来源", "稿件来源", "消息来源", "文章来源"];

/// Takes a last paragraph that only says where the information came from (“信息来源:深圳
/// 特区报”) out of a sanitised body, and returns it as the article's 信息来源.
pub fn take_info_source(body: &str) -> (String, Option<String>) {
    let trimmed = body.trim_end();
    let Some(last_open) = trimmed.rfind("<p>") else {
        return (body.to_string(), None);
    };
    let Some(inner) = trimmed[last_open + 3..].strip_suffix("</p>") else {
        return (body.to_string(), None);
    };
    let text = super::text::html_to_text(inner);
    let found = INFO_SOURCE_LABELS.iter().find_map(|label| {
        let rest = text.strip_prefix(label)?.trim_start();
        let rest = rest.strip_prefix([':', ':'])?.trim();
        (!rest.is_empty() && rest.chars().count() <= 100).then(|| rest.to_string())
    });
    match found {
        Some(source) => (trimmed[..last_open].trim_end().to_string(), Some(source)),
        None => (body.to_string(), None),
    }
}

/// `html` with each `src` and `href` value that `rewrite` gives a new address for replaced.
/// `html` is the sanitiser's output, so attributes are double-quoted and escaped.
pub fn rewrite_addresses(html: &str, mut rewrite: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let next = [" src=\"", " href=\""]
            .iter()
            .filter_map(|attribute| rest.find(attribute).map(|at| at + attribute.len()))
            .min();
        let Some(value_start) = next else {
            break;
        };
        let Some(length) = rest[value_start..].find('"') else {
            break;
        };
        out.push_str(&rest[..value_start]);
        let value = &rest[value_start..value_start + length];
        let address = super::text::unescape_html(value);
        match rewrite(&address) {
            Some(new) => out.push_str(&escape_html(&new)),
            None => out.push_str(value),
        }
        rest = &rest[value_start + length..];
    }
    out.push_str(rest);
    out
}

/// Every `src` and `href` address in a sanitised body.
pub fn addresses(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    rewrite_addresses(html, |address| {
        found.push(address.to_string());
        None
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_pages_with_their_titles() {
        let (body, pages) = join_pages("<p>一</p>#p#第二部分#e#<p>二</p>#p#分页标题#e#<p>三</p>");
        assert_eq!(body, "<p>一</p><h2>第二部分</h2><p>二</p><p>三</p>");
        assert_eq!(pages, 3);
        assert_eq!(
            join_pages("<p>#p# no end</p>"),
            ("<p>#p# no end</p>".into(), 1)
        );
    }

    #[test]
    fn takes_a_trailing_info_source_line() {
        let (body, source) =
            take_info_source("<p>正文</p>\n<p>信息来源:<strong>深圳特区报</strong></p>");
        assert_eq!(body, "<p>正文</p>");
        assert_eq!(source.as_deref(), Some("深圳特区报"));
        let (body, source) = take_info_source("<p>信息来源并不总在最后。</p><p>正文</p>");
        assert_eq!(source, None);
        assert_eq!(body, "<p>信息来源并不总在最后。</p><p>正文</p>");
    }

    #[test]
    fn rewrites_sources_and_links() {
        let html = r#"<p><img src="/uploads/allimg/a.jpg" alt="x"><a href="http://old.org/a?x=1&amp;y=2">l</a></p>"#;
        let rewritten = rewrite_addresses(html, |address| match address {
            "/uploads/allimg/a.jpg" => Some("/uploads/new.jpg".into()),
            "http://old.org/a?x=1&y=2" => Some("/article/1?a=1&b=2".into()),
            _ => None,
        });
        assert_eq!(
            rewritten,
            r#"<p><img src="/uploads/new.jpg" alt="x"><a href="/article/1?a=1&amp;b=2">l</a></p>"#
        );
        assert_eq!(addresses(html).len(), 2);
    }
}
