//! The association's details and the navigation shown on every page.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct SiteSettings {
    pub name: String,
    pub short_name: String,
    pub description: String,
    pub address: String,
    pub postcode: String,
    pub phone: String,
    pub fax: String,
    pub email: String,
    pub icp_number: String,
    pub police_number: String,
    pub copyright: String,
    pub logo: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct FriendlyLink {
    pub id: i64,
    pub name: String,
    pub url: String,
    pub logo: String,
    pub group_name: String,
}

/// A top-level category in the navigation bar, with its visible sub-categories.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NavItem {
    pub slug: String,
    pub name: String,
    pub children: Vec<NavItem>,
}

impl NavItem {
    pub fn href(&self) -> String {
        format!("/category/{}", self.slug)
    }
}

/// Everything the header and footer need, loaded once per page view.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SiteChrome {
    pub settings: SiteSettings,
    pub nav: Vec<NavItem>,
    pub links: Vec<FriendlyLink>,
    /// The public base URL (no trailing slash), for canonical and Open Graph links.
    pub base_url: String,
    /// Whether this visitor chose large text and high contrast.
    pub large_text: bool,
    /// 热门搜索: most searched recently.
    pub hot_queries: Vec<String>,
}

impl SiteChrome {
    /// The absolute URL of a site path such as `/article/1`.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}
