//! WordPress from its own export file (WXR, Tools → Export): categories (a tree), posts,
//! pages (as single-page categories), authors, statuses, featured images, and each post's
//! permalink and `?p=N` address. Read twice like a DedeCMS dump: the first pass keeps the
//! categories, authors and attachments, the second hands over one post at a time.

use std::collections::HashMap;
use std::io::BufRead;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::old_site::{Kind, OldArticle, OldCategory};
use super::text::{html_to_text, unescape_html};
use crate::model::{ArticleStatus, SiteSettings};
use crate::server::http::old_addresses::key;

pub const NOTES: &[&str] = &[
    "“私密”(private)文章导入为草稿:这里没有只对登录读者可见的文章,由编辑决定是否发布",
    "标签(tag)和评论没有导入:本系统没有标签和评论",
];

/// One `<item>` or `<wp:category>` as read, element name → text.
#[derive(Default)]
struct Element {
    fields: HashMap<String, String>,
    /// `<category domain="category" nicename="news">`.
    categories: Vec<String>,
    /// `<wp:postmeta>` keys and values.
    meta: HashMap<String, String>,
}

impl Element {
    fn get(&self, name: &str) -> &str {
        self.fields
            .get(name)
            .map(String::as_str)
            .unwrap_or("")
            .trim()
    }
}

/// Reads the export, handing each `<item>` and `<wp:category>` (and the channel's own
/// fields) to `on_element`.
fn read_elements(
    input: impl BufRead,
    mut on_element: impl FnMut(&str, Element) -> Result<(), String>,
) -> Result<HashMap<String, String>, String> {
    let mut reader = Reader::from_reader(input);
    let mut buffer = Vec::new();
    let mut channel = HashMap::new();
    let mut saw_rss = false;
    // The element being read (`item`, `wp:category`, `wp:author`), the field inside it,
    // and the text of that field so far.
    let mut current: Option<(String, Element)> = None;
    let mut field: Option<String> = None;
    let mut meta_key = String::new();
    let mut text = String::new();
    let position = |reader: &Reader<_>| reader.buffer_position();
    loop {
        let event = reader
            .read_event_into(&mut buffer)
            .map_err(|error| format!("第 {} 字节处不是有效的 XML: {error}", position(&reader)))?;
        match event {
            Event::Start(start) => {
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                if name == "rss" {
                    saw_rss = true;
                }
                match (&mut current, name.as_str()) {
                    (None, "item" | "wp:category" | "wp:author") => {
                        current = Some((name, Element::default()));
                    }
                    (Some((_, element)), "category") => {
                        let is_category = start
                            .try_get_attribute("domain")
                            .ok()
                            .flatten()
                            .is_some_and(|domain| domain.value.as_ref() == b"category");
                        if is_category
                            && let Ok(Some(nicename)) = start.try_get_attribute("nicename")
                        {
                            element
                                .categories
                                .push(String::from_utf8_lossy(&nicename.value).into_owned());
                        }
                        field = None;
                    }
                    _ => {
                        field = Some(name);
                        text.clear();
                    }
                }
            }
            Event::Text(content) => {
                text.push_str(&content.decode().map_err(|error| error.to_string())?);
            }
            Event::CData(content) => {
                text.push_str(&content.decode().map_err(|error| error.to_string())?);
            }
            Event::GeneralRef(reference) => {
                let name = reference.decode().map_err(|error| error.to_string())?;
                text.push_str(&unescape_html(&format!("&{name};")));
            }
            Event::End(end) => {
                let name = String::from_utf8_lossy(end.name().as_ref()).into_owned();
                if current.as_ref().is_some_and(|(open, _)| *open == name) {
                    if let Some((kind, element)) = current.take() {
                        on_element(&kind, element)?;
                    }
                } else if field.as_deref() == Some(name.as_str()) {
                    let value = std::mem::take(&mut text);
                    match &mut current {
                        Some((_, element)) if name == "wp:meta_key" => meta_key = value,
                        Some((_, element)) if name == "wp:meta_value" => {
                            element.meta.insert(std::mem::take(&mut meta_key), value);
                        }
                        Some((_, element)) => {
                            element.fields.insert(name, value);
                        }
                        None => {
                            channel.insert(name, value);
                        }
                    }
                    field = None;
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buffer.clear();
    }
    if !saw_rss {
        return Err("这不是 WordPress 的导出文件(WXR):没有 <rss> 元素".into());
    }
    if current.is_some() {
        return Err("文件在中途结束:导出文件不完整,请重新导出".into());
    }
    Ok(channel)
}

pub struct FirstPass {
    pub base_url: String,
    site_name: String,
    description: String,
    /// term id / nicename → category.
    categories: Vec<Element>,
    pages: Vec<Element>,
    /// Author login → display name.
    authors: HashMap<String, String>,
    /// Attachment id → its address.
    attachments: HashMap<String, String>,
    pub post_count: usize,
}

pub fn first_pass(input: impl BufRead) -> Result<FirstPass, String> {
    let mut categories = Vec::new();
    let mut pages = Vec::new();
    let mut authors = HashMap::new();
    let mut attachments = HashMap::new();
    let mut post_count = 0;
    let channel = read_elements(input, |kind, element| {
        match kind {
            "wp:category" => categories.push(element),
            "wp:author" => {
                let login = element.get("wp:author_login").to_string();
                let name = match element.get("wp:author_display_name") {
                    "" => login.clone(),
                    name => name.to_string(),
                };
                authors.insert(login, name);
            }
            _ => match element.get("wp:post_type") {
                "attachment" => {
                    attachments.insert(
                        element.get("wp:post_id").to_string(),
                        element.get("wp:attachment_url").to_string(),
                    );
                }
                "page" => pages.push(element),
                "post" => post_count += 1,
                _ => {}
            },
        }
        Ok(())
    })?;
    let get = |name: &str| {
        channel
            .get(name)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    if !channel.contains_key("wp:wxr_version") {
        return Err("这不是 WordPress 的导出文件(WXR):没有 wp:wxr_version".into());
    }
    let base_url = match get("wp:base_blog_url") {
        url if url.is_empty() => get("wp:base_site_url"),
        url => url,
    };
    Ok(FirstPass {
        base_url,
        site_name: get("title"),
        description: get("description"),
        categories,
        pages,
        authors,
        attachments,
        post_count,
    })
}

/// The path of a full address on the old site, as a redirect key.
fn path_key(address: &str) -> Option<String> {
    let lower = address.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"))?;
    let start = address.len() - rest.len() + rest.find('/').unwrap_or(rest.len());
    let path_and_query = &address[start..];
    let (path, query) = match path_and_query.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (path_and_query, None),
    };
    let path = if path.is_empty() { "/" } else { path };
    Some(key(path, query))
}

impl FirstPass {
    pub fn uploads_prefix(&self) -> String {
        let base = path_key(&self.base_url).unwrap_or_default();
        format!("{}/wp-content/uploads/", base.trim_end_matches('/'))
    }

    pub fn settings(&self) -> SiteSettings {
        SiteSettings {
            name: html_to_text(&self.site_name),
            description: html_to_text(&self.description),
            ..SiteSettings::default()
        }
    }

    /// `news/huiwu`: a category's nicename after its parents', as its permalink has them.
    fn category_path(&self, nicename: &str) -> String {
        let mut path = vec![nicename.to_string()];
        let mut current = nicename.to_string();
        while let Some(parent) = self
            .categories
            .iter()
            .find(|c| c.get("wp:category_nicename") == current)
            .map(|c| c.get("wp:category_parent").to_string())
            .filter(|parent| !parent.is_empty() && !path.contains(parent))
        {
            path.insert(0, parent.clone());
            current = parent;
        }
        path.join("/")
    }

    /// Categories by nicename (WordPress' parent field names the parent's nicename), then
    /// the pages, each a single-page category.
    pub fn categories(&self) -> Vec<OldCategory> {
        let mut categories: Vec<OldCategory> = self
            .categories
            .iter()
            .map(|element| {
                let nicename = element.get("wp:category_nicename").to_string();
                let parent = element.get("wp:category_parent");
                let term_id = element.get("wp:term_id");
                let mut old_paths = vec![
                    key(
                        &format!("/category/{}", self.category_path(&nicename)),
                        None,
                    ),
                    key(&format!("/category/{nicename}"), None),
                ];
                if !term_id.is_empty() {
                    old_paths.push(key("/", Some(&format!("cat={term_id}"))));
                }
                OldCategory {
                    old_id: format!("category:{nicename}"),
                    parent: (!parent.is_empty()).then(|| format!("category:{parent}")),
                    name: unescape_html(element.get("wp:cat_name")),
                    slug_hint: percent_encoding::percent_decode_str(&nicename)
                        .decode_utf8_lossy()
                        .into_owned(),
                    fallback_slug: format!("c{term_id}"),
                    position: 0,
                    kind: Kind::List,
                    description: html_to_text(element.get("wp:category_description")),
                    page_body: String::new(),
                    show_in_nav: true,
                    old_paths,
                }
            })
            .collect();
        for page in &self.pages {
            let id = page.get("wp:post_id");
            if !matches!(
                page.get("wp:status"),
                "publish" | "private" | "draft" | "pending"
            ) {
                continue;
            }
            let parent = page.get("wp:post_parent");
            let mut old_paths = vec![key("/", Some(&format!("page_id={id}")))];
            old_paths.extend(path_key(page.get("link")));
            categories.push(OldCategory {
                old_id: format!("page:{id}"),
                parent: (!parent.is_empty() && parent != "0").then(|| format!("page:{parent}")),
                name: unescape_html(page.get("title")),
                slug_hint: percent_encoding::percent_decode_str(page.get("wp:post_name"))
                    .decode_utf8_lossy()
                    .into_owned(),
                fallback_slug: format!("page-{id}"),
                position: page.get("wp:menu_order").parse().unwrap_or(0),
                kind: Kind::Page,
                description: String::new(),
                page_body: paragraphs(page.get("content:encoded")),
                show_in_nav: page.get("wp:status") == "publish",
                old_paths,
            });
        }
        categories
    }

    fn article(&self, item: &Element) -> Result<OldArticle, String> {
        let id = item.get("wp:post_id").to_string();
        let (status, keep_time) = match item.get("wp:status") {
            "publish" => (ArticleStatus::Published, true),
            "future" => (ArticleStatus::Published, true),
            "pending" => (ArticleStatus::Pending, false),
            "draft" | "auto-draft" | "private" => (ArticleStatus::Draft, false),
            "trash" => (ArticleStatus::Archived, true),
            other => return Err(format!("未知的状态 {other}")),
        };
        let time = gmt_time(item.get("wp:post_date_gmt"))
            .or_else(|| gmt_time(item.get("wp:post_date")).map(|local| local - 8 * 3600));
        let category = item
            .categories
            .first()
            .map(|nicename| format!("category:{nicename}"))
            .ok_or("没有栏目(分类)")?;
        let cover_image = item
            .meta
            .get("_thumbnail_id")
            .and_then(|thumbnail| self.attachments.get(thumbnail))
            .cloned()
            .unwrap_or_default();
        let creator = item.get("dc:creator");
        let mut old_paths = vec![key("/", Some(&format!("p={id}")))];
        old_paths.extend(path_key(item.get("link")));
        Ok(OldArticle {
            old_id: id,
            category,
            title: unescape_html(item.get("title")),
            subtitle: String::new(),
            author: self
                .authors
                .get(creator)
                .cloned()
                .unwrap_or_else(|| creator.to_string()),
            source: String::new(),
            info_source: String::new(),
            summary: html_to_text(item.get("excerpt:encoded")),
            body: paragraphs(item.get("content:encoded")),
            cover_image,
            headline: item.meta.contains_key("_sticky") || item.get("wp:is_sticky") == "1",
            recommended: false,
            status,
            published_at: if keep_time || status == ArticleStatus::Published {
                time
            } else {
                None
            },
            created_at: time.unwrap_or(0),
            view_count: item
                .meta
                .get("views")
                .or_else(|| item.meta.get("post_views_count"))
                .and_then(|views| views.trim().parse().ok())
                .unwrap_or(0),
            external_url: String::new(),
            old_paths,
        })
    }
}

/// `YYYY-MM-DD HH:MM:SS` as Unix seconds; WordPress writes `0000-00-00 00:00:00` for none.
fn gmt_time(text: &str) -> Option<i64> {
    chrono::NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M:%S")
        .ok()
        .map(|time| time.and_utc().timestamp())
        .filter(|time| *time > 0)
}

/// WordPress stores bodies with blank lines for paragraphs (`wpautop` adds the `<p>`s when
/// it shows them) and with shortcodes (`[caption]…[/caption]`); both are made plain HTML.
fn paragraphs(content: &str) -> String {
    let content = without_shortcodes(content.trim());
    if content.contains("<p>") || content.contains("<p ") {
        return content;
    }
    content
        .split("\n\n")
        .map(str::trim)
        .filter(|block| !block.is_empty())
        .map(|block| {
            let is_block = [
                "<h",
                "<ul",
                "<ol",
                "<table",
                "<blockquote",
                "<div",
                "<figure",
            ]
            .iter()
            .any(|tag| block.starts_with(tag));
            if is_block {
                block.to_string()
            } else {
                format!("<p>{}</p>", block.replace('\n', "<br>"))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Shortcodes whose content is kept (a caption's picture and text, an embed's address);
/// their tags go.
const SHORTCODES: [&str; 4] = ["caption", "wp_caption", "embed", "audio"];

fn without_shortcodes(content: &str) -> String {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(start) = rest.find('[') {
        out.push_str(&rest[..start]);
        let tag = &rest[start + 1..];
        let name_end = tag
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '/'))
            .unwrap_or(tag.len());
        let name = tag[..name_end].trim_start_matches('/');
        match (SHORTCODES.contains(&name), tag.find(']')) {
            (true, Some(end)) => rest = &tag[end + 1..],
            _ => {
                out.push('[');
                rest = tag;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Hands over each post; returns the posts not brought over, with why.
pub fn second_pass(
    input: impl BufRead,
    first: &mut FirstPass,
    mut send: impl FnMut(OldArticle) -> Result<(), String>,
) -> Result<Vec<(String, String)>, String> {
    let mut problems = Vec::new();
    read_elements(input, |kind, element| {
        if kind != "item" || element.get("wp:post_type") != "post" {
            return Ok(());
        }
        match first.article(&element) {
            Ok(article) => send(article),
            Err(why) => {
                problems.push((element.get("wp:post_id").to_string(), why));
                Ok(())
            }
        }
    })?;
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_become_paragraphs() {
        assert_eq!(
            paragraphs("第一段\n第二行\n\n<h2>标题</h2>\n\n第三段"),
            "<p>第一段<br>第二行</p>\n<h2>标题</h2>\n<p>第三段</p>"
        );
        assert_eq!(paragraphs("<p>已有段落</p>"), "<p>已有段落</p>");
    }

    #[test]
    fn shortcodes_leave_their_content() {
        assert_eq!(
            paragraphs(
                r#"[caption id="attachment_30" align="alignnone"]<img src="a.png"> 会场[/caption]"#
            ),
            r#"<p><img src="a.png"> 会场</p>"#
        );
        assert_eq!(without_shortcodes("[注] 正文 [1]"), "[注] 正文 [1]");
    }

    #[test]
    fn refuses_what_is_not_an_export() {
        let not_xml = first_pass("this is { not xml <".as_bytes()).err().unwrap();
        assert!(
            not_xml.contains("WordPress") || not_xml.contains("XML"),
            "{not_xml}"
        );
        let feed = first_pass("<rss><channel><title>x</title></channel></rss>".as_bytes())
            .err()
            .unwrap();
        assert!(feed.contains("wxr_version"), "{feed}");
        let cut = first_pass(
            "<rss><channel><wp:wxr_version>1.2</wp:wxr_version><item><title>x".as_bytes(),
        )
        .err()
        .unwrap();
        assert!(cut.contains("不完整") || cut.contains("XML"), "{cut}");
    }

    #[test]
    fn permalinks_become_keys() {
        assert_eq!(
            path_key("https://Example.org/2020/10/23/%E6%96%B0/").as_deref(),
            Some("/2020/10/23/新")
        );
        assert_eq!(
            path_key("http://example.org/?p=12").as_deref(),
            Some("/?p=12")
        );
        assert_eq!(path_key("/relative"), None);
    }
}
