//! Result excerpts: an article's text around what was searched for, with the matches marked.

use super::tokenize::normalize;
use crate::model::push_escaped;

/// Characters of context shown before the first match.
const LEAD_CHARS: usize = 20;

/// The text of an HTML body: tags dropped, common entities decoded, white space collapsed.
pub fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first sentence of `text` (up to 。, a full-width or ASCII ! or ?), at most `max_chars`.
pub fn first_sentence(text: &str, max_chars: usize) -> String {
    let mut sentence = String::new();
    for c in text.chars().take(max_chars) {
        sentence.push(c);
        if matches!(c, '。' | '\u{FF01}' | '\u{FF1F}' | '!' | '?') {
            break;
        }
    }
    sentence.trim().to_string()
}

/// At most `max_chars` of `text` from a little before the first match, as HTML: the text
/// escaped, each match in `<mark>`, and `…` where text was cut.
pub fn excerpt(text: &str, highlights: &[String], max_chars: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let marked = matches(&chars, highlights);
    let first = marked.iter().position(|&m| m).unwrap_or(0);
    let start = first.saturating_sub(LEAD_CHARS);
    let end = start.saturating_add(max_chars).min(chars.len());
    render(&chars, &marked, start, end)
}

/// The text a result's excerpt comes from: the first of `fields` in which something
/// searched for appears, else the first that is not empty (a match in the title alone).
/// One field only, so a summary that opens the body too is not shown twice.
pub fn matching_field<'a>(fields: &[&'a str], highlights: &[String]) -> &'a str {
    fields
        .iter()
        .find(|field| {
            let chars: Vec<char> = field.chars().collect();
            matches(&chars, highlights).contains(&true)
        })
        .or_else(|| fields.iter().find(|field| !field.trim().is_empty()))
        .copied()
        .unwrap_or_default()
}

/// All of `text` as HTML, escaped, with each match in `<mark>`.
pub fn highlight(text: &str, highlights: &[String]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let marked = matches(&chars, highlights);
    render(&chars, &marked, 0, chars.len())
}

fn render(chars: &[char], marked: &[bool], start: usize, end: usize) -> String {
    let mut html = String::new();
    if start > 0 {
        html.push('…');
    }
    let mut open = false;
    for i in start..end {
        if marked[i] != open {
            html.push_str(if marked[i] { "<mark>" } else { "</mark>" });
            open = marked[i];
        }
        push_escaped(chars[i], &mut html);
    }
    if open {
        html.push_str("</mark>");
    }
    if end < chars.len() {
        html.push('…');
    }
    html
}

/// For each character, whether it is part of a match. Latin letters match whatever their case.
fn matches(chars: &[char], highlights: &[String]) -> Vec<bool> {
    let folded: Vec<char> = chars.iter().map(|c| fold(*c)).collect();
    let mut marked = vec![false; chars.len()];
    for highlight in highlights {
        let needle: Vec<char> = highlight.chars().map(fold).collect();
        if needle.is_empty() || needle.len() > folded.len() {
            continue;
        }
        for start in 0..=folded.len() - needle.len() {
            if folded[start..start + needle.len()] == needle[..] {
                marked[start..start + needle.len()].fill(true);
            }
        }
    }
    marked
}

/// Lower-case ASCII, with full-width forms as ASCII, as the tokenizer sees them.
fn fold(c: char) -> char {
    normalize(c).to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_excerpt_comes_from_the_one_field_that_matched() {
        let words = |list: &[&str]| list.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        let summary = "春节前后,深圳美容美发门店预约量明显增长。";
        let body = "春节前后,深圳美容美发门店预约量明显增长。协会提醒消费者理性消费。";
        let source = "信息来源:深圳特区报";
        let fields = [summary, body, source];
        assert_eq!(matching_field(&fields, &words(&["预约"])), summary);
        assert_eq!(matching_field(&fields, &words(&["理性"])), body);
        assert_eq!(matching_field(&fields, &words(&["特区报"])), source);
        assert_eq!(matching_field(&fields, &words(&["标题里的词"])), summary);
        assert_eq!(matching_field(&["", body], &words(&["标题里的词"])), body);
    }

    use super::*;

    fn owned(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            plain_text("<h2>标题</h2><p>第一段 &amp; 1+1&gt;2</p>"),
            "标题 第一段 & 1+1>2"
        );
    }

    #[test]
    fn first_sentences_end_at_sentence_marks() {
        assert_eq!(first_sentence("第一句。第二句。", 50), "第一句。");
        assert_eq!(first_sentence("没有句号的很长文字", 4), "没有句号");
        assert_eq!(first_sentence("", 4), "");
    }

    #[test]
    fn marks_every_match() {
        assert_eq!(
            excerpt("政策法规与政策", &owned(&["政策"]), 50),
            "<mark>政策</mark>法规与<mark>政策</mark>"
        );
        assert_eq!(
            excerpt("粤ICP备", &owned(&["icp"]), 50),
            "粤<mark>ICP</mark>备"
        );
    }

    #[test]
    fn starts_a_little_before_the_first_match() {
        let text = format!("{}双城联动{}", "甲".repeat(50), "乙".repeat(50));
        let html = excerpt(&text, &owned(&["双城联动"]), 30);
        assert!(html.starts_with(&format!(
            "…{}<mark>双城联动</mark>",
            "甲".repeat(LEAD_CHARS)
        )));
        assert!(html.ends_with('…'));
    }

    #[test]
    fn highlights_a_whole_title() {
        let title = format!("{}政策", "长".repeat(40));
        assert_eq!(
            highlight(&title, &owned(&["政策"])),
            format!("{}<mark>政策</mark>", "长".repeat(40))
        );
    }

    #[test]
    fn escapes_the_text() {
        assert_eq!(
            excerpt("<script>政策", &owned(&["政策"]), 50),
            "&lt;script&gt;<mark>政策</mark>"
        );
    }

    #[test]
    fn without_a_match_shows_the_beginning() {
        assert_eq!(excerpt("一二三四五", &owned(&["政策"]), 3), "一二三…");
        assert_eq!(excerpt("", &owned(&["政策"]), 3), "");
    }
}
