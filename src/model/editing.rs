//! Articles as editors see them: the form, its rules, the workflow and the revision history.

use serde::{Deserialize, Serialize};

use super::limits::{check_length, check_url};

pub const MAX_TITLE_CHARS: usize = 100;
pub const MAX_SUBTITLE_CHARS: usize = 100;
pub const MAX_SOURCE_CHARS: usize = 50;
pub const MAX_AUTHOR_CHARS: usize = 50;
pub const MAX_INFO_SOURCE_CHARS: usize = 100;
pub const MAX_URL_CHARS: usize = 500;
pub const MAX_SUMMARY_CHARS: usize = 300;
/// Generous for a long policy document with tables, small enough to keep pages light.
pub const MAX_BODY_CHARS: usize = 300_000;
pub const MAX_NOTE_CHARS: usize = 500;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "lowercase"))]
#[serde(rename_all = "lowercase")]
pub enum ArticleStatus {
    Draft,
    Pending,
    Published,
    Archived,
}

impl ArticleStatus {
    pub const ALL: [ArticleStatus; 4] = [
        ArticleStatus::Draft,
        ArticleStatus::Pending,
        ArticleStatus::Published,
        ArticleStatus::Archived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ArticleStatus::Draft => "draft",
            ArticleStatus::Pending => "pending",
            ArticleStatus::Published => "published",
            ArticleStatus::Archived => "archived",
        }
    }

    pub fn parse(text: &str) -> Option<ArticleStatus> {
        ArticleStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            ArticleStatus::Draft => "草稿",
            ArticleStatus::Pending => "待审核",
            ArticleStatus::Published => "已发布",
            ArticleStatus::Archived => "已归档",
        }
    }
}

/// What the editor asked for with the button they pressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SaveIntent {
    /// Keep the article's status (a published article is updated in place).
    Save,
    /// Send it for review.
    Submit,
    /// Publish now, or at the publish time when that is in the future.
    Publish,
}

/// Every field of the article form, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ArticleForm {
    pub title: String,
    pub subtitle: String,
    pub category_id: i64,
    pub source: String,
    pub author: String,
    pub info_source: String,
    pub info_source_url: String,
    pub summary: String,
    pub cover_image: String,
    pub is_headline: bool,
    pub is_recommended: bool,
    pub is_pinned: bool,
    /// `YYYY-MM-DDTHH:MM` in Asia/Shanghai time (an `<input type=datetime-local>`); empty
    /// means "when it is published".
    pub publish_at: String,
    /// HTML from the editor, sanitised by the server before it is stored.
    pub body: String,
}

impl ArticleForm {
    /// Why the form cannot be saved, naming the field, if it cannot.
    pub fn validate(&self) -> Result<(), String> {
        check_length("标题", &self.title, MAX_TITLE_CHARS, true)?;
        if self.category_id <= 0 {
            return Err("请选择栏目".into());
        }
        self.check_lengths()
    }

    /// Every field within its limit and format, nothing required: what a form half way
    /// through typing must meet to be autosaved.
    pub fn check_lengths(&self) -> Result<(), String> {
        check_length("标题", &self.title, MAX_TITLE_CHARS, false)?;
        check_length("副标题", &self.subtitle, MAX_SUBTITLE_CHARS, false)?;
        check_length("来源", &self.source, MAX_SOURCE_CHARS, false)?;
        check_length("作者", &self.author, MAX_AUTHOR_CHARS, false)?;
        check_length("信息来源", &self.info_source, MAX_INFO_SOURCE_CHARS, false)?;
        check_url("信息来源网址", &self.info_source_url, MAX_URL_CHARS)?;
        check_length("摘要", &self.summary, MAX_SUMMARY_CHARS, false)?;
        check_url("封面图片", &self.cover_image, MAX_URL_CHARS)?;
        if !self.publish_at.is_empty() && !is_local_datetime(&self.publish_at) {
            return Err("发布时间的格式应为 2025-01-31 09:30".into());
        }
        check_length("正文", &self.body, MAX_BODY_CHARS, false)
    }
}

/// `YYYY-MM-DDTHH:MM`, as a datetime-local input sends it (a space is accepted too).
pub fn is_local_datetime(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 16 || !matches!(bytes[10], b'T' | b' ') || bytes[13] != b':' {
        return false;
    }
    let number =
        |range: std::ops::Range<usize>| text.get(range).and_then(|s| s.parse::<u32>().ok());
    text.get(..10).is_some_and(super::is_date)
        && matches!(
            (number(11..13), number(14..16)),
            (Some(0..=23), Some(0..=59))
        )
}

/// A row of the editors' article list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ArticleRow {
    pub id: i64,
    pub title: String,
    pub category: String,
    pub status: ArticleStatus,
    /// Published with a publish time still to come.
    pub scheduled: bool,
    pub author: String,
    /// `YYYY-MM-DD HH:MM`, Asia/Shanghai; empty when never published.
    pub published: String,
    pub updated: String,
}

/// The list's filters, as in `/admin?category=&status=&author=&q=&page=`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ArticleFilter {
    pub category: Option<i64>,
    pub status: Option<ArticleStatus>,
    pub author: Option<i64>,
    pub q: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleListPage {
    pub rows: Vec<ArticleRow>,
    pub pagination: super::Pagination,
}

/// An article opened in the form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditableArticle {
    pub id: i64,
    pub version: i64,
    pub status: ArticleStatus,
    pub scheduled: bool,
    /// The reviewer's note when the article was sent back.
    pub review_note: String,
    pub author_id: Option<i64>,
    pub form: ArticleForm,
    /// Who saved last and when, for the form's heading.
    pub last_saved_by: String,
    pub last_saved: String,
}

/// What an editor typed into a saved article's form and the browser kept on the server
/// without saving it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Autosave {
    pub form: ArticleForm,
    /// The article's version the form was opened at.
    pub version: i64,
    /// `YYYY-MM-DD HH:MM`, Beijing time.
    pub saved: String,
}

/// One saved version of an article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct RevisionSummary {
    pub id: i64,
    pub version: i64,
    pub note: String,
    pub editor: String,
    pub created: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiffKind {
    Same,
    Added,
    Removed,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffLine {
    pub kind: DiffKind,
    pub text: String,
}

/// The changes to one field between two revisions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDiff {
    pub label: String,
    pub lines: Vec<DiffLine>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleHistory {
    pub id: i64,
    pub title: String,
    pub revisions: Vec<RevisionSummary>,
    /// The compared pair (older, newer) and the fields that differ.
    pub compared: Option<(i64, i64)>,
    pub changes: Vec<FieldDiff>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> ArticleForm {
        ArticleForm {
            title: "关于开展美容行业诚信经营检查的通知".into(),
            category_id: 2,
            ..ArticleForm::default()
        }
    }

    #[test]
    fn a_minimal_form_is_valid() {
        assert_eq!(valid().validate(), Ok(()));
    }

    #[test]
    fn every_rejection_names_its_field() {
        type Change = fn(&mut ArticleForm);
        let cases: [(Change, &str); 8] = [
            (|f| f.title = " ".into(), "标题"),
            (|f| f.title = "题".repeat(101), "标题"),
            (|f| f.category_id = 0, "栏目"),
            (|f| f.source = "源".repeat(51), "来源"),
            (
                |f| f.info_source_url = "javascript:alert(1)".into(),
                "信息来源网址",
            ),
            (
                |f| f.cover_image = "data:image/png;base64,AAAA".into(),
                "封面图片",
            ),
            (|f| f.publish_at = "明天".into(), "发布时间"),
            (|f| f.body = "x".repeat(MAX_BODY_CHARS + 1), "正文"),
        ];
        for (change, field) in cases {
            let mut form = valid();
            change(&mut form);
            let error = form.validate().unwrap_err();
            assert!(error.contains(field), "{error} should name {field}");
        }
    }

    #[test]
    fn a_megabyte_of_cjk_is_counted_in_characters() {
        let mut form = valid();
        // 1 MB of three-byte characters is about 350,000 characters: over the limit.
        form.body = "𠀀".repeat(1_000_000 / 4);
        assert!(form.validate().is_ok(), "250,000 four-byte characters fit");
        form.body = "字".repeat(1_000_000 / 3);
        assert!(form.validate().unwrap_err().contains("正文"));
    }

    #[test]
    fn publish_times_are_datetime_local_values() {
        assert!(is_local_datetime("2026-11-26T09:30"));
        assert!(is_local_datetime("2026-11-26 09:30"));
        assert!(!is_local_datetime("2026-11-26T24:00"));
        assert!(!is_local_datetime("2026-13-01T09:30"));
        assert!(!is_local_datetime("2026-11-26"));
        assert!(!is_local_datetime("2026-11-26T09:30:00"));
        assert!(!is_local_datetime("２０２６-11-26T09:30"));
    }

    #[test]
    fn statuses_round_trip_their_names() {
        for status in ArticleStatus::ALL {
            assert_eq!(ArticleStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(ArticleStatus::parse("deleted"), None);
    }
}
