//! DedeCMS' naming rules for the static pages it wrote (`GetFileName` in
//! `include/helpers/channelunit.helper.php`), to know the old address of each article.

/// The default article naming rule of DedeCMS (`$cfg_df_namerule`).
const DEFAULT_ARTICLE_RULE: &str = "{typedir}/{Y}/{M}{D}/{aid}.html";

/// What an article's static page was named from.
pub struct StaticPage<'a> {
    /// The category's `namerule`; empty for the default.
    pub rule: &'a str,
    /// The category's folder, `{cmspath}` filled in.
    pub folder: &'a str,
    pub id: i64,
    /// `senddate`, which DedeCMS takes the date folders from.
    pub sent: i64,
    /// A custom file name given in the article form.
    pub file_name: &'a str,
}

impl StaticPage<'_> {
    /// The page's path; `None` when the rule needs the title's pinyin (`{pinyin}`, `{py}`):
    /// those names end in `_{aid}.html`, which the redirect lookup understands without it.
    pub fn path(&self) -> Option<String> {
        let mut rule = match self.rule.trim() {
            "" => DEFAULT_ARTICLE_RULE,
            rule => rule,
        }
        .to_lowercase();
        if !self.file_name.trim().is_empty() {
            let folder = rule
                .rsplit_once('/')
                .map_or("", |(folder, _)| folder)
                .to_string();
            rule = format!("{folder}/{}.html", self.file_name.trim());
        }
        // Dates in the server's time, which for these sites is Beijing time.
        let date = chrono::DateTime::from_timestamp(self.sent + 8 * 3600, 0).unwrap_or_default();
        let (y, m, d) = (
            date.format("%Y").to_string(),
            date.format("%m").to_string(),
            date.format("%d").to_string(),
        );
        let path = rule
            .replace("{typedir}", self.folder)
            .replace("{y}", &y)
            .replace("{m}", &m)
            .replace("{d}", &d)
            .replace("{timestamp}", &self.sent.to_string())
            .replace("{aid}", &self.id.to_string())
            .replace("{cc}", &dd2char(&format!("{m}{d}{}{y}", self.id)));
        (!path.contains('{')).then(|| format!("/{}", path.trim_start_matches('/')))
    }
}

/// DedeCMS' `dd2char`: pairs of digits that are the code of a letter become the letter.
fn dd2char(digits: &str) -> String {
    let bytes = digits.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        if i + 1 < bytes.len()
            && let Ok(n) = digits[i..i + 2].parse::<u8>()
            && (n.is_ascii_lowercase() || n.is_ascii_uppercase())
        {
            out.push(char::from(n));
            i += 2;
            continue;
        }
        out.push(char::from(bytes[i]));
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page<'a>(rule: &'a str, file_name: &'a str) -> StaticPage<'a> {
        StaticPage {
            rule,
            folder: "/a/news",
            id: 12,
            // 2020-10-23 14:37 in Beijing, 06:37 UTC.
            sent: 1_603_435_020,
            file_name,
        }
    }

    #[test]
    fn follows_the_naming_rules() {
        assert_eq!(
            page("", "").path().as_deref(),
            Some("/a/news/2020/1023/12.html")
        );
        assert_eq!(
            page("{typedir}/{aid}.html", "").path().as_deref(),
            Some("/a/news/12.html")
        );
        assert_eq!(
            page("", "jingsai").path().as_deref(),
            Some("/a/news/2020/1023/jingsai.html")
        );
        assert_eq!(page("{typedir}/{pinyin}.html", "").path(), None);
        assert_eq!(
            page("{typedir}/{cc}.html", "").path().as_deref(),
            Some("/a/news/1023122020.html")
        );
    }

    #[test]
    fn dd2char_makes_letters_of_letter_codes() {
        assert_eq!(dd2char("1023"), "1023");
        assert_eq!(dd2char("9798"), "ab");
        assert_eq!(dd2char("10237202"), "1023H02");
    }
}
