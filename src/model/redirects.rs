//! Old addresses that lead to new ones, as editors see and add them.

use serde::{Deserialize, Serialize};

use super::limits::check_length;

pub const MAX_REDIRECT_PATH_CHARS: usize = 500;
pub const REDIRECTS_PAGE_SIZE: i64 = 50;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct RedirectRow {
    pub path: String,
    pub target: String,
    /// `editor`, or the old site it was imported from.
    pub origin: String,
    pub created: String,
}

/// One page of the redirects matching a search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedirectList {
    pub rows: Vec<RedirectRow>,
    pub pagination: super::Pagination,
}

/// An editor's new redirect, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RedirectForm {
    pub path: String,
    pub target: String,
}

impl RedirectForm {
    /// The old address as a path (a full address of this or the old site is cut to its
    /// path), or why it cannot be one.
    pub fn old_path(&self) -> Result<String, String> {
        check_length("旧地址", &self.path, MAX_REDIRECT_PATH_CHARS, true)?;
        let path = path_of(self.path.trim());
        if !path.starts_with('/') || path.starts_with("//") {
            return Err("旧地址必须是以 / 开头的路径,例如 /a/news/2020/1023/12.html".into());
        }
        Ok(path.to_string())
    }

    /// The new address: a path on this site or a full http(s) address.
    pub fn new_target(&self) -> Result<String, String> {
        check_length("新地址", &self.target, MAX_REDIRECT_PATH_CHARS, true)?;
        let target = self.target.trim();
        let is_path = target.starts_with('/') && !target.starts_with("//");
        if !is_path && !super::is_http_url(target) {
            return Err(
                "新地址必须是本站以 / 开头的路径,或以 http:// 或 https:// 开头的网址".into(),
            );
        }
        if target.chars().any(char::is_whitespace) {
            return Err("新地址不能包含空格".into());
        }
        Ok(target.to_string())
    }
}

/// The path and query of a full address (`http://old.site/a/1.html` → `/a/1.html`).
fn path_of(address: &str) -> &str {
    let lower = address.get(..8).unwrap_or(address).to_ascii_lowercase();
    let rest = if lower.starts_with("http://") {
        &address[7..]
    } else if lower.starts_with("https://") {
        &address[8..]
    } else {
        return address;
    };
    rest.find('/').map_or("/", |at| &rest[at..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(path: &str, target: &str) -> RedirectForm {
        RedirectForm {
            path: path.into(),
            target: target.into(),
        }
    }

    #[test]
    fn old_addresses_become_paths() {
        assert_eq!(
            form("http://www.old.org/a/1.html?x=1", "/")
                .old_path()
                .unwrap(),
            "/a/1.html?x=1"
        );
        assert_eq!(form(" /about ", "/").old_path().unwrap(), "/about");
        assert!(
            form("about", "/")
                .old_path()
                .unwrap_err()
                .contains("/ 开头")
        );
        assert!(form("", "/").old_path().unwrap_err().contains("旧地址"));
    }

    #[test]
    fn targets_are_paths_or_web_addresses() {
        assert!(form("/a", "/article/1").new_target().is_ok());
        assert!(form("/a", "https://example.org/x").new_target().is_ok());
        assert!(form("/a", "javascript:alert(1)").new_target().is_err());
        assert!(form("/a", "//evil.example").new_target().is_err());
        assert!(form("/a", "/a b").new_target().is_err());
    }
}
