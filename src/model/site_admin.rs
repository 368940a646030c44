//! Categories, 友情链接, site settings, users and uploads as editors manage them.

use serde::{Deserialize, Serialize};

use super::limits::{check_length, check_url, is_http_url};
use super::{CategoryKind, Role, SiteSettings};

pub const MAX_CATEGORY_NAME_CHARS: usize = 20;
pub const MAX_SLUG_CHARS: usize = 40;
pub const MAX_DESCRIPTION_CHARS: usize = 200;
pub const MAX_LINK_NAME_CHARS: usize = 40;
pub const MAX_GROUP_CHARS: usize = 20;
pub const MAX_SETTING_CHARS: usize = 200;

/// A category in the editors' tree, in display order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryNode {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub depth: usize,
    pub slug: String,
    pub name: String,
    pub position: i64,
    pub kind: CategoryKind,
    pub show_in_nav: bool,
    pub description: String,
    pub page_body: String,
    pub articles: i64,
    pub children: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CategoryForm {
    pub name: String,
    pub slug: String,
    /// 0 for a top-level category.
    pub parent_id: i64,
    pub position: i64,
    /// `list` or `page`.
    pub kind: String,
    pub show_in_nav: bool,
    pub description: String,
    /// The page of a `page` category: HTML, sanitised on the server.
    pub page_body: String,
}

impl CategoryForm {
    pub fn validate(&self) -> Result<(), String> {
        check_length("栏目名称", &self.name, MAX_CATEGORY_NAME_CHARS, true)?;
        check_slug(&self.slug)?;
        if self.kind().is_none() {
            return Err("栏目类型只能是列表或单页".into());
        }
        check_length("栏目简介", &self.description, MAX_DESCRIPTION_CHARS, false)?;
        check_length("单页内容", &self.page_body, super::MAX_BODY_CHARS, false)
    }

    pub fn kind(&self) -> Option<CategoryKind> {
        match self.kind.as_str() {
            "list" | "" => Some(CategoryKind::List),
            "page" => Some(CategoryKind::Page),
            _ => None,
        }
    }
}

/// Slugs are what URLs show: lower-case ASCII letters, digits and hyphens.
pub fn check_slug(slug: &str) -> Result<(), String> {
    check_length("英文标识", slug, MAX_SLUG_CHARS, true)?;
    if !slug
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err("英文标识只能包含小写字母、数字和连字符 -".into());
    }
    Ok(())
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
#[serde(default)]
pub struct LinkForm {
    pub name: String,
    pub url: String,
    pub logo: String,
    pub group_name: String,
    pub position: i64,
}

impl LinkForm {
    pub fn validate(&self) -> Result<(), String> {
        check_length("链接名称", &self.name, MAX_LINK_NAME_CHARS, true)?;
        check_length("链接网址", &self.url, super::MAX_URL_CHARS, true)?;
        if !is_http_url(self.url.trim()) {
            return Err("链接网址必须以 http:// 或 https:// 开头".into());
        }
        check_url("链接图标", &self.logo, super::MAX_URL_CHARS)?;
        check_length("分组", &self.group_name, MAX_GROUP_CHARS, false)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct LinkRow {
    pub id: i64,
    #[cfg_attr(feature = "ssr", sqlx(flatten))]
    pub link: LinkForm,
}

impl SiteSettings {
    pub fn validate(&self) -> Result<(), String> {
        check_length("网站名称", &self.name, MAX_SETTING_CHARS, true)?;
        for (label, value) in [
            ("简称", &self.short_name),
            ("网站简介", &self.description),
            ("地址", &self.address),
            ("邮编", &self.postcode),
            ("电话", &self.phone),
            ("传真", &self.fax),
            ("邮箱", &self.email),
            ("ICP 备案号", &self.icp_number),
            ("公安备案号", &self.police_number),
            ("版权信息", &self.copyright),
        ] {
            check_length(label, value, MAX_SETTING_CHARS, false)?;
        }
        if !self.email.is_empty() && !self.email.contains('@') {
            return Err("邮箱格式不正确".into());
        }
        check_url("网站标志", &self.logo, super::MAX_URL_CHARS)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    pub created: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct UploadRow {
    pub id: i64,
    pub stored_name: String,
    pub original_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// Where the server copied it from (a picture in pasted HTML), if it did.
    pub source_url: String,
    pub created: String,
}

impl UploadRow {
    pub fn href(&self) -> String {
        format!("/uploads/{}", self.stored_name)
    }

    pub fn is_image(&self) -> bool {
        self.content_type.starts_with("image/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lower_case_ascii() {
        assert!(check_slug("news-2024").is_ok());
        for bad in ["", "News", "新闻", "a b", "a/b", "../x", "a_b"] {
            assert!(check_slug(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn links_must_be_web_addresses() {
        let link = |url: &str| LinkForm {
            name: "深圳市市场监督管理局".into(),
            url: url.into(),
            ..LinkForm::default()
        };
        assert!(link("http://amr.sz.gov.cn").validate().is_ok());
        assert!(link("javascript:alert(1)").validate().is_err());
        assert!(
            link("/local").validate().is_err(),
            "friendly links leave the site"
        );
    }

    #[test]
    fn settings_need_a_name() {
        let mut settings = SiteSettings::default();
        assert!(settings.validate().unwrap_err().contains("网站名称"));
        settings.name = "深圳市美容行业协会".into();
        assert!(settings.validate().is_ok());
        settings.email = "not-an-address".into();
        assert!(settings.validate().unwrap_err().contains("邮箱"));
    }
}
