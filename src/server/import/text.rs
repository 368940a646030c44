//! Old sites' text made right: bytes in GBK or UTF-8 (or GBK hidden in a `latin1` table)
//! turned into UTF-8, HTML-escaped titles turned into text, names turned into slugs.

use encoding_rs::{GBK, UTF_8, WINDOWS_1252};

/// How the text bytes of a dump are encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Gbk,
}

impl Encoding {
    /// The encoding a MySQL character set name stands for, if it is one we read.
    pub fn from_mysql(name: &str) -> Option<Encoding> {
        match name.to_ascii_lowercase().as_str() {
            "utf8" | "utf8mb3" | "utf8mb4" | "utf-8" => Some(Encoding::Utf8),
            "gbk" | "gb2312" | "gb18030" | "cp936" => Some(Encoding::Gbk),
            _ => None,
        }
    }
}

/// Text bytes as UTF-8. Bytes that are not valid in the declared encoding are tried in the
/// other one (dumps made with the wrong `--default-character-set` are common). A `latin1`
/// table read over a UTF-8 connection holds GBK or UTF-8 bytes each turned into a Latin-1
/// character (“Ã¤Â¸Â­”); those are turned back when they spell Chinese.
pub fn decode(bytes: &[u8], encoding: Encoding, latin1_table: bool) -> String {
    let text = match encoding {
        Encoding::Utf8 => match std::str::from_utf8(bytes) {
            Ok(text) => text.to_string(),
            Err(_) => strict(GBK, bytes).unwrap_or_else(|| lossy(UTF_8, bytes)),
        },
        Encoding::Gbk => strict(GBK, bytes)
            .or_else(|| std::str::from_utf8(bytes).ok().map(str::to_string))
            .unwrap_or_else(|| lossy(GBK, bytes)),
    };
    if latin1_table {
        undo_latin1(&text).unwrap_or(text)
    } else {
        text
    }
}

fn strict(encoding: &'static encoding_rs::Encoding, bytes: &[u8]) -> Option<String> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| text.into_owned())
}

fn lossy(encoding: &'static encoding_rs::Encoding, bytes: &[u8]) -> String {
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// The text whose bytes were read as Latin-1 (MySQL's `latin1` is Windows-1252), if that is
/// what happened: every character fits in one Windows-1252 byte, and the bytes spell
/// Chinese in UTF-8 or GBK.
fn undo_latin1(text: &str) -> Option<String> {
    if text.is_ascii() {
        return None;
    }
    let (bytes, _, unmappable) = WINDOWS_1252.encode(text);
    if unmappable {
        return None;
    }
    let has_chinese = |text: &str| text.chars().any(is_cjk);
    std::str::from_utf8(&bytes)
        .ok()
        .map(str::to_string)
        .filter(|text| has_chinese(text))
        .or_else(|| strict(GBK, &bytes).filter(|text| has_chinese(text)))
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}')
}

/// Text from HTML-escaped text (DedeCMS stores titles escaped): `&amp;` → `&`, `&#8220;`
/// → `“`. Unknown entities stay as they are.
pub fn unescape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest
            .find(';')
            .filter(|end| *end <= 10)
            .and_then(|end| entity(&rest[1..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code).filter(|c| !c.is_control() || c.is_whitespace());
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "middot" => '·',
        "copy" => '©',
        "reg" => '®',
        "times" => '×',
        _ => return None,
    })
}

/// Plain text of a bit of HTML (a copyright line with `&copy;` and a link in it).
pub fn html_to_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    unescape_html(&text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A category slug (`a-z0-9-`) from an old folder or name; `None` when nothing ASCII is
/// left (a Chinese name), so the caller picks one.
pub fn slug(from: &str) -> Option<String> {
    let mut slug = String::new();
    for c in from.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug
        .trim_end_matches('-')
        .chars()
        .take(60)
        .collect::<String>();
    let slug = slug.trim_end_matches('-').to_string();
    (!slug.is_empty()).then_some(slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_gbk_and_utf8() {
        let (gbk, _, _) = GBK.encode("政策法规");
        assert_eq!(decode(&gbk, Encoding::Gbk, false), "政策法规");
        assert_eq!(
            decode("政策法规".as_bytes(), Encoding::Utf8, false),
            "政策法规"
        );
        // A GBK dump declared as UTF-8 still reads right.
        assert_eq!(decode(&gbk, Encoding::Utf8, false), "政策法规");
    }

    #[test]
    fn turns_back_chinese_hidden_in_latin1_tables() {
        for original in [
            GBK.encode("行业动态").0.into_owned(),
            "行业动态".as_bytes().to_vec(),
        ] {
            let (as_latin1, _, _) = WINDOWS_1252.decode(&original);
            let dumped = as_latin1.as_bytes();
            assert_eq!(decode(dumped, Encoding::Utf8, true), "行业动态");
        }
        // Western text in a latin1 table stays as it is.
        assert_eq!(decode("Café".as_bytes(), Encoding::Utf8, true), "Café");
    }

    #[test]
    fn unescapes_titles() {
        assert_eq!(
            unescape_html("&lt;b&gt;&quot;双创&quot;&amp;&#8220;&#x4e2d;&#8221; &unknown; & x"),
            "<b>\"双创\"&“中” &unknown; & x"
        );
        assert_eq!(
            html_to_text("Copyright &copy; 2020 <a href='/'>协会</a>"),
            "Copyright © 2020 协会"
        );
    }

    #[test]
    fn makes_slugs() {
        assert_eq!(
            slug("{cmspath}/a/HangYe_DongTai").as_deref(),
            Some("cmspath-a-hangye-dongtai")
        );
        assert_eq!(slug("hangye").as_deref(), Some("hangye"));
        assert_eq!(slug("政策法规"), None);
    }
}
