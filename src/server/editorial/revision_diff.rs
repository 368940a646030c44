//! Readable differences between two saved versions of an article: field by field, the body
//! compared paragraph by paragraph as text an editor reads, not as HTML.

use similar::{ChangeTag, TextDiff};

use crate::model::{ArticleForm, DiffKind, DiffLine, FieldDiff};
use crate::search::snippet::plain_text;

pub fn diff_forms(old: &ArticleForm, new: &ArticleForm) -> Vec<FieldDiff> {
    let flag = |on: bool| if on { "是" } else { "否" }.to_string();
    let fields: [(&str, String, String); 13] = [
        ("标题", old.title.clone(), new.title.clone()),
        ("副标题", old.subtitle.clone(), new.subtitle.clone()),
        (
            "栏目",
            old.category_id.to_string(),
            new.category_id.to_string(),
        ),
        ("来源", old.source.clone(), new.source.clone()),
        ("作者", old.author.clone(), new.author.clone()),
        ("信息来源", old.info_source.clone(), new.info_source.clone()),
        (
            "信息来源网址",
            old.info_source_url.clone(),
            new.info_source_url.clone(),
        ),
        ("摘要", old.summary.clone(), new.summary.clone()),
        ("封面图片", old.cover_image.clone(), new.cover_image.clone()),
        ("头条", flag(old.is_headline), flag(new.is_headline)),
        ("推荐", flag(old.is_recommended), flag(new.is_recommended)),
        ("置顶", flag(old.is_pinned), flag(new.is_pinned)),
        ("正文", body_lines(&old.body), body_lines(&new.body)),
    ];
    fields
        .into_iter()
        .filter(|(_, old, new)| old != new)
        .map(|(label, old, new)| FieldDiff {
            label: label.to_string(),
            lines: diff_lines(&old, &new),
        })
        .collect()
}

fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    TextDiff::from_lines(old, new)
        .iter_all_changes()
        .map(|change| DiffLine {
            kind: match change.tag() {
                ChangeTag::Equal => DiffKind::Same,
                ChangeTag::Insert => DiffKind::Added,
                ChangeTag::Delete => DiffKind::Removed,
            },
            text: change.value().trim_end_matches('\n').to_string(),
        })
        .collect()
}

/// The body as one line of text per paragraph, heading, list item or table row; images
/// as `[图片 address]`.
pub fn body_lines(html: &str) -> String {
    let mut marked = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        marked.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start..start + end + 1];
        let name: String = tag
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name == "img" {
            let src = tag
                .split("src=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or("");
            marked.push_str(&format!("\n[图片 {src}]\n"));
        } else if matches!(
            name.as_str(),
            "p" | "h2" | "h3" | "h4" | "li" | "tr" | "br" | "blockquote" | "hr" | "figcaption"
        ) {
            marked.push('\n');
        } else if matches!(name.as_str(), "td" | "th") {
            marked.push_str(" | ");
        }
        rest = &rest[start + end + 1..];
    }
    marked.push_str(rest);
    marked
        .lines()
        .map(|line| plain_text(line).trim().to_string())
        .filter(|line| !line.is_empty())
        .map(|line| line + "\n")
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_is_compared_as_paragraphs_of_text() {
        assert_eq!(
            body_lines(
                "<h2>一、要求</h2><p>加强<strong>监管</strong></p><p><img src=\"/uploads/a.png\"></p>"
            ),
            "一、要求\n加强监管\n[图片 /uploads/a.png]\n"
        );
    }

    #[test]
    fn only_changed_fields_are_listed() {
        let old = ArticleForm {
            title: "旧标题".into(),
            body: "<p>第一段</p><p>第二段</p>".into(),
            ..ArticleForm::default()
        };
        let new = ArticleForm {
            title: "新标题".into(),
            body: "<p>第一段</p><p>第二段改了</p>".into(),
            ..old.clone()
        };
        let changes = diff_forms(&old, &new);
        let labels: Vec<_> = changes.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["标题", "正文"]);
        let body = &changes[1].lines;
        assert_eq!(
            body[0],
            DiffLine {
                kind: DiffKind::Same,
                text: "第一段".into()
            }
        );
        assert!(body.contains(&DiffLine {
            kind: DiffKind::Removed,
            text: "第二段".into()
        }));
        assert!(body.contains(&DiffLine {
            kind: DiffKind::Added,
            text: "第二段改了".into()
        }));
    }
}
