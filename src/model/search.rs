//! Site search as the browser sees it: the parameters, the results, and their rules.

use serde::{Deserialize, Serialize};

use super::{CategoryLink, Pagination};

/// Characters of a query that are searched; the form's `maxlength` and the server agree.
pub const MAX_QUERY_CHARS: usize = 100;

/// Results per page.
pub const SEARCH_PAGE_SIZE: i64 = 10;

/// The newest matching articles that are ranked and paged: 100 pages. A word found in most
/// of a million articles is answered in milliseconds, and nobody reads past page 100.
pub const MAX_RANKED: i64 = 1000;

/// What the visitor asked for, as typed into `/search?q=…&category=…&from=…&until=…`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchParams {
    pub q: String,
    /// A category slug; empty for the whole site.
    pub category: String,
    /// `YYYY-MM-DD`; empty for no limit.
    pub from: String,
    /// `YYYY-MM-DD`; empty for no limit.
    pub until: String,
}

impl SearchParams {
    /// `/search?…` for these parameters, without a page number.
    pub fn href(&self) -> String {
        let mut href = format!("/search?q={}", encode(&self.q));
        for (name, value) in [
            ("category", &self.category),
            ("from", &self.from),
            ("until", &self.until),
        ] {
            if !value.is_empty() {
                href.push_str(&format!("&{name}={}", encode(value)));
            }
        }
        href
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub id: i64,
    /// The title as HTML, escaped, with the matches in `<mark>`.
    pub title_html: String,
    /// An excerpt of the text as HTML, escaped, with the matches in `<mark>`.
    pub excerpt_html: String,
    pub published: String,
    pub category: CategoryLink,
}

impl SearchHit {
    pub fn href(&self) -> String {
        format!("/article/{}", self.id)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// Why the search ran differently from what was typed, or did not run.
    pub notices: Vec<String>,
    pub hits: Vec<SearchHit>,
    /// `None` when nothing was searched.
    pub pagination: Option<Pagination>,
    /// More articles matched than the `MAX_RANKED` newest that are shown.
    pub more: bool,
}

/// Whether `text` is a date written `YYYY-MM-DD`.
pub fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let number =
        |range: std::ops::Range<usize>| text.get(range).and_then(|s| s.parse::<u32>().ok());
    matches!(
        (number(0..4), number(5..7), number(8..10)),
        (Some(1900..=2999), Some(1..=12), Some(1..=31))
    )
}

/// Percent-encodes a query-string value.
/// A path with the router's `search` (which has no leading `?`), as a link back to it.
pub fn path_and_query(path: &str, search: &str) -> String {
    if search.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{search}")
    }
}

pub fn encode(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                encoded.push(byte as char)
            }
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked() {
        assert!(is_date("2020-10-23"));
        assert!(!is_date("2020-13-01"));
        assert!(!is_date("2020-1-1"));
        assert!(!is_date("20201023xx"));
        assert!(!is_date("２０２０-10-23"));
        assert!(!is_date(""));
    }

    #[test]
    fn hrefs_encode_what_was_typed() {
        let params = SearchParams {
            q: "政策 法规&x=1".into(),
            category: "news".into(),
            ..SearchParams::default()
        };
        assert_eq!(
            params.href(),
            "/search?q=%E6%94%BF%E7%AD%96%20%E6%B3%95%E8%A7%84%26x%3D1&category=news"
        );
    }
}
