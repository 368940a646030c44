//! Field limits, counted in characters, and the one check every form shares. The forms take
//! their `maxlength` from the same constants the server validates with.

/// Why `value` does not fit the field called `label`, if it does not.
pub fn check_length(label: &str, value: &str, max: usize, required: bool) -> Result<(), String> {
    if required && value.trim().is_empty() {
        return Err(format!("{label}不能为空"));
    }
    let count = value.chars().count();
    if count > max {
        return Err(format!("{label}最多 {max} 个字,现在是 {count} 个字"));
    }
    Ok(())
}

/// Web addresses that links and images may point to: the site's own paths or http(s).
pub fn check_url(label: &str, value: &str, max: usize) -> Result<(), String> {
    check_length(label, value, max, false)?;
    let value = value.trim();
    if value.is_empty() || is_site_path(value) || is_http_url(value) {
        Ok(())
    } else {
        Err(format!(
            "{label}必须以 http:// 或 https:// 开头,或是本站的 / 开头的地址"
        ))
    }
}

pub fn is_http_url(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    (lower.starts_with("http://") && value.len() > 7)
        || (lower.starts_with("https://") && value.len() > 8)
}

/// A path on this site: `/uploads/…`, not `//other.site/…`.
fn is_site_path(value: &str) -> bool {
    value.starts_with('/') && !value.starts_with("//") && !value.contains('\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_counted_in_characters() {
        assert!(check_length("标题", &"字".repeat(100), 100, true).is_ok());
        let error = check_length("标题", &"字".repeat(101), 100, true).unwrap_err();
        assert!(error.contains("标题") && error.contains("101"), "{error}");
        assert_eq!(
            check_length("标题", "  ", 100, true),
            Err("标题不能为空".into())
        );
        assert!(check_length("副标题", "", 100, false).is_ok());
        assert!(
            check_length("标题", "😀🀄𠀀", 3, true).is_ok(),
            "emoji and rare CJK count once"
        );
    }

    #[test]
    fn urls_are_http_or_the_sites_own() {
        assert!(check_url("链接", "https://www.example.org/a", 500).is_ok());
        assert!(check_url("链接", "/uploads/ab.png", 500).is_ok());
        assert!(check_url("链接", "", 500).is_ok());
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<script>",
            "//evil.example/x",
            "/\\evil.example",
            "http://",
            "ftp://example.org",
        ] {
            assert!(check_url("链接", bad, 500).is_err(), "{bad}");
        }
    }
}
