//! What the readers of each old CMS make of its data, before anything is written: one shape
//! for DedeCMS and WordPress alike.

use serde::Serialize;

use crate::model::{ArticleStatus, CategoryKind};

/// A category (or a single page) of the old site.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OldCategory {
    pub old_id: String,
    pub parent: Option<String>,
    pub name: String,
    /// The old folder or slug, for a slug of our own when it is ASCII.
    pub slug_hint: String,
    /// The slug when the hint is no use (a Chinese name) or taken: `c12`.
    pub fallback_slug: String,
    pub position: i64,
    pub kind: Kind,
    pub description: String,
    /// The content of a single page (raw HTML from the old site).
    pub page_body: String,
    pub show_in_nav: bool,
    /// Old addresses, already as redirect keys.
    pub old_paths: Vec<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum Kind {
    #[default]
    List,
    Page,
}

impl Kind {
    pub fn category_kind(self) -> CategoryKind {
        match self {
            Kind::List => CategoryKind::List,
            Kind::Page => CategoryKind::Page,
        }
    }
}

/// An article of the old site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OldArticle {
    pub old_id: String,
    pub category: String,
    pub title: String,
    pub subtitle: String,
    pub author: String,
    pub source: String,
    pub info_source: String,
    pub summary: String,
    /// Raw HTML from the old site; sanitised and its files brought over when written.
    pub body: String,
    /// An address on the old site or elsewhere.
    pub cover_image: String,
    pub headline: bool,
    pub recommended: bool,
    #[serde(serialize_with = "status_name")]
    pub status: ArticleStatus,
    pub published_at: Option<i64>,
    pub created_at: i64,
    pub view_count: i64,
    /// Where a DedeCMS “跳转” article sent its readers.
    pub external_url: String,
    pub old_paths: Vec<String>,
}

fn status_name<S: serde::Serializer>(status: &ArticleStatus, to: S) -> Result<S::Ok, S::Error> {
    to.serialize_str(status.as_str())
}

/// A friendly link of the old site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OldLink {
    pub old_id: String,
    pub name: String,
    pub url: String,
    pub logo: String,
    pub group: String,
    pub position: i64,
}

/// A digest of what was read, to tell an unchanged thing on a rerun.
pub fn fingerprint(thing: &impl Serialize) -> String {
    use sha2::{Digest, Sha256};
    let json = serde_json::to_vec(thing).unwrap_or_default();
    Sha256::digest(&json)
        .iter()
        .take(16)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
