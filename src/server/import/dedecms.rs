//! DedeCMS 5.x (织梦) from a MySQL dump: categories (`arctype`), articles (`archives` +
//! `addonarticle`), friend links, settings, and the old addresses of each, computed from
//! the categories' naming rules as DedeCMS did.
//!
//! The dump is read twice, never held whole: the first pass keeps everything but the bodies
//! (a few hundred bytes an article), the second hands over one article at a time.

use std::collections::HashMap;
use std::io::BufRead;

use super::bodies::join_pages;
use super::dedecms_naming as naming;
use super::mysql_dump::{DumpError, DumpReader, Row, Value};
use super::old_site::{Kind, OldArticle, OldCategory, OldLink};
use super::text::{Encoding, decode, html_to_text, unescape_html};
use crate::model::{ArticleStatus, SiteSettings};
use crate::server::http::old_addresses::{dedecms_article_key, dedecms_category_key, key};

const TABLES: [&str; 6] = [
    "arctype",
    "archives",
    "addonarticle",
    "flink",
    "flinktype",
    "sysconfig",
];

/// How the dump's text is read, from `--encoding` or what the dump declares.
#[derive(Clone, Copy, Debug, Default)]
pub struct TextOptions {
    pub encoding: Option<Encoding>,
}

impl TextOptions {
    fn text(&self, row: &Row<'_>, column: &str) -> String {
        match row.get(column) {
            Some(Value::Text(bytes)) => {
                let encoding = self
                    .encoding
                    .or_else(|| Encoding::from_mysql(row.connection))
                    .or_else(|| Encoding::from_mysql(row.charset))
                    .unwrap_or(Encoding::Utf8);
                decode(bytes, encoding, row.charset == "latin1")
            }
            Some(Value::Number(number)) => number.clone(),
            _ => String::new(),
        }
    }
}

fn number(row: &Row<'_>, column: &str) -> i64 {
    row.get(column).and_then(Value::as_i64).unwrap_or(0)
}

/// A table of ours, by the name without its prefix (`dede_archives` → `archives`).
fn table_kind(table: &str) -> Option<(&'static str, &str)> {
    // Longest first: `addonarticle` must not be taken for a prefix + `article`.
    let mut kinds = TABLES;
    kinds.sort_by_key(|kind| std::cmp::Reverse(kind.len()));
    kinds.into_iter().find_map(|kind| {
        let prefix = table.strip_suffix(kind)?;
        (prefix.is_empty() || prefix.ends_with('_')).then_some((kind, prefix))
    })
}

struct ArcType {
    id: i64,
    parent: i64,
    position: i64,
    name: String,
    typedir: String,
    is_default: i64,
    default_name: String,
    ispart: i64,
    namerule: String,
    description: String,
    content: String,
    hidden: bool,
}

/// What the first pass keeps of an article.
#[derive(Clone)]
struct Archive {
    id: i64,
    category: i64,
    channel: i64,
    flags: String,
    arcrank: i64,
    ismake: i64,
    click: i64,
    money: i64,
    title: String,
    short_title: String,
    writer: String,
    source: String,
    litpic: String,
    pubdate: i64,
    senddate: i64,
    description: String,
    filename: String,
}

/// Everything of the site but the article bodies.
pub struct FirstPass {
    prefix: Option<String>,
    types: Vec<ArcType>,
    archives: HashMap<i64, Archive>,
    links: Vec<(i64, String, String, String, i64, i64, i64)>,
    link_groups: HashMap<i64, String>,
    config: HashMap<String, String>,
    other_prefixes: Vec<String>,
}

pub fn first_pass(input: impl BufRead, text: TextOptions) -> Result<FirstPass, DumpError> {
    let mut pass = FirstPass {
        prefix: None,
        types: Vec::new(),
        archives: HashMap::new(),
        links: Vec::new(),
        link_groups: HashMap::new(),
        config: HashMap::new(),
        other_prefixes: Vec::new(),
    };
    let mut reader = DumpReader::new(input);
    reader.read(
        |table| table_kind(table).is_some_and(|(kind, _)| kind != "addonarticle"),
        |row| {
            let Some((kind, prefix)) = table_kind(row.table) else {
                return Ok(());
            };
            match &pass.prefix {
                None => pass.prefix = Some(prefix.to_string()),
                Some(known) if known != prefix => {
                    if !pass.other_prefixes.iter().any(|other| other == prefix) {
                        pass.other_prefixes.push(prefix.to_string());
                    }
                    return Ok(());
                }
                Some(_) => {}
            }
            pass.take(kind, &row, text);
            Ok(())
        },
    )?;
    Ok(pass)
}

impl FirstPass {
    fn take(&mut self, kind: &str, row: &Row<'_>, text: TextOptions) {
        let get = |column: &str| text.text(row, column);
        match kind {
            "arctype" => self.types.push(ArcType {
                id: number(row, "id"),
                parent: number(row, "reid"),
                position: number(row, "sortrank"),
                name: unescape_html(&get("typename")),
                typedir: get("typedir"),
                is_default: number(row, "isdefault"),
                default_name: get("defaultname"),
                ispart: number(row, "ispart"),
                namerule: get("namerule"),
                description: get("description"),
                content: get("content"),
                hidden: number(row, "ishidden") != 0,
            }),
            "archives" => {
                let archive = Archive {
                    id: number(row, "id"),
                    category: number(row, "typeid"),
                    channel: number(row, "channel"),
                    flags: get("flag"),
                    arcrank: number(row, "arcrank"),
                    ismake: number(row, "ismake"),
                    click: number(row, "click"),
                    money: number(row, "money"),
                    title: unescape_html(&get("title")),
                    short_title: unescape_html(&get("shorttitle")),
                    writer: get("writer"),
                    source: get("source"),
                    litpic: get("litpic"),
                    pubdate: number(row, "pubdate"),
                    senddate: number(row, "senddate"),
                    description: unescape_html(&get("description")),
                    filename: get("filename"),
                };
                self.archives.insert(archive.id, archive);
            }
            "flink" => self.links.push((
                number(row, "id"),
                unescape_html(&get("webname")),
                get("url"),
                get("logo"),
                number(row, "typeid"),
                number(row, "ischeck"),
                number(row, "sortrank"),
            )),
            "flinktype" => {
                self.link_groups
                    .insert(number(row, "id"), unescape_html(&get("typename")));
            }
            "sysconfig" => {
                self.config.insert(get("varname"), get("value"));
            }
            _ => {}
        }
    }

    /// Why this dump is not a DedeCMS site, if it is not one.
    pub fn check(&self) -> Result<(), String> {
        if self.prefix.is_none() || self.types.is_empty() {
            return Err("文件中没有 DedeCMS 的栏目表(如 dede_arctype)和它的数据:这不是 DedeCMS 的数据库导出,或者导出时没有包含数据".into());
        }
        Ok(())
    }

    pub fn article_count(&self) -> usize {
        self.archives.len()
    }

    fn config(&self, name: &str) -> &str {
        self.config.get(name).map(String::as_str).unwrap_or("")
    }

    /// The old site's address: `--base-url`, else `cfg_basehost`.
    pub fn base_url(&self) -> String {
        self.config("cfg_basehost")
            .trim()
            .trim_end_matches('/')
            .to_string()
    }

    /// Where the old site served uploads from (`cfg_medias_dir`, `/uploads` by default).
    pub fn uploads_prefix(&self) -> String {
        let dir = match self.config("cfg_medias_dir").trim() {
            "" => "/uploads",
            dir => dir,
        };
        format!("{}/{}/", self.cmspath(), dir.trim_matches('/'))
    }

    fn cmspath(&self) -> String {
        self.config("cfg_cmspath")
            .trim()
            .trim_end_matches('/')
            .to_string()
    }

    pub fn settings(&self) -> SiteSettings {
        SiteSettings {
            name: html_to_text(self.config("cfg_webname")),
            description: html_to_text(self.config("cfg_description")),
            icp_number: html_to_text(self.config("cfg_beian")),
            copyright: html_to_text(self.config("cfg_powerby")),
            email: self.config("cfg_adminemail").trim().to_string(),
            ..SiteSettings::default()
        }
    }

    pub fn notes(&self) -> Vec<String> {
        let mut notes = vec![
            "关键词(keywords)没有导入:本系统不输出 keywords 元标签,主要搜索引擎也早已不用它"
                .to_string(),
            "友情链接的“首页/内页”位置不再区分:本系统在每页底部显示全部友情链接,按链接类型分组"
                .to_string(),
        ];
        for prefix in &self.other_prefixes {
            notes.push(format!("文件中还有表前缀为 {prefix} 的另一个站点,没有导入"));
        }
        notes
    }

    /// The folder a category's pages were written to (`{cmspath}/a/news` → `/a/news`).
    fn folder(&self, typedir: &str) -> String {
        let dir = typedir.replace("{cmspath}", &self.cmspath());
        if dir.trim().is_empty() {
            format!("{}{}", self.cmspath(), self.config("cfg_arcdir"))
        } else {
            dir
        }
    }

    /// The categories to write; external-link categories (`ispart` 2) have no place here.
    pub fn categories(&self, problems: &mut Vec<(String, String)>) -> Vec<OldCategory> {
        let has_children = |id: i64| self.types.iter().any(|t| t.parent == id);
        let mut categories = Vec::new();
        for t in &self.types {
            if t.ispart == 2 {
                problems.push((
                    t.id.to_string(),
                    format!("“{}”是外部链接栏目,没有导入", t.name),
                ));
                continue;
            }
            let is_page = t.ispart == 1 && !has_children(t.id) && !t.content.trim().is_empty();
            let folder = self.folder(&t.typedir);
            let mut old_paths = vec![dedecms_category_key(t.id)];
            if t.is_default != -1 && !folder.contains("://") {
                old_paths.push(key(&folder, None));
                old_paths.push(key(&format!("{folder}/{}", t.default_name), None));
            }
            old_paths.dedup();
            categories.push(OldCategory {
                old_id: t.id.to_string(),
                parent: (t.parent != 0).then(|| t.parent.to_string()),
                name: t.name.clone(),
                slug_hint: folder.rsplit('/').next().unwrap_or("").to_string(),
                fallback_slug: format!("c{}", t.id),
                position: t.position,
                kind: if is_page { Kind::Page } else { Kind::List },
                description: html_to_text(&t.description),
                page_body: if is_page {
                    t.content.clone()
                } else {
                    String::new()
                },
                show_in_nav: !t.hidden,
                old_paths,
            });
        }
        categories
    }

    pub fn links(&self, problems: &mut Vec<(String, String)>) -> Vec<OldLink> {
        let mut links = Vec::new();
        for (id, name, url, logo, group, ischeck, position) in &self.links {
            if *ischeck == 0 {
                problems.push((id.to_string(), format!("“{name}”未通过审核,没有导入")));
                continue;
            }
            links.push(OldLink {
                old_id: id.to_string(),
                name: name.clone(),
                url: url.clone(),
                logo: logo.clone(),
                group: self.link_groups.get(group).cloned().unwrap_or_default(),
                position: *position,
            });
        }
        links
    }

    /// The article `aid` with its body; removes it from those still waiting for one.
    fn article(&mut self, aid: i64, body: &str, redirect_url: &str) -> Option<OldArticle> {
        let archive = self.archives.remove(&aid)?;
        Some(self.make_article(&archive, body, redirect_url))
    }

    /// Articles the dump has no body for, and the reason for those not brought over.
    pub fn without_body(&mut self) -> (Vec<OldArticle>, Vec<(String, String)>) {
        let mut left: Vec<Archive> = self.archives.drain().map(|(_, a)| a).collect();
        left.sort_by_key(|archive| archive.id);
        let mut articles = Vec::new();
        let mut problems = Vec::new();
        for archive in left {
            if archive.channel != 1 {
                problems.push((
                    archive.id.to_string(),
                    format!(
                        "《{}》属于内容模型 {}(图集、软件等),不是普通文章,没有导入",
                        archive.title, archive.channel
                    ),
                ));
            } else {
                problems.push((
                    archive.id.to_string(),
                    format!(
                        "《{}》在导出文件中没有正文(addonarticle),只导入了标题和摘要",
                        archive.title
                    ),
                ));
                articles.push(self.make_article(&archive, "", ""));
            }
        }
        (articles, problems)
    }

    fn make_article(&self, a: &Archive, body: &str, redirect_url: &str) -> OldArticle {
        let flags: Vec<&str> = a.flags.split(',').map(str::trim).collect();
        let status = match a.arcrank {
            0 => ArticleStatus::Published,
            -1 => ArticleStatus::Pending,
            -2 => ArticleStatus::Archived,
            // Members-only articles: there are no members here, and nothing the old site
            // kept from the public may become public by moving; an editor decides.
            _ => ArticleStatus::Draft,
        };
        let (body, _pages) = join_pages(body);
        let published_at = match a.pubdate {
            0 => a.senddate,
            pubdate => pubdate,
        };
        let published_at = (published_at > 0).then_some(published_at);
        OldArticle {
            old_id: a.id.to_string(),
            category: a.category.to_string(),
            title: a.title.clone(),
            subtitle: a.short_title.clone(),
            author: a.writer.clone(),
            source: a.source.clone(),
            info_source: String::new(),
            summary: a.description.clone(),
            body,
            cover_image: a.litpic.clone(),
            headline: flags.contains(&"h"),
            recommended: flags.contains(&"c") || flags.contains(&"a"),
            status: if status == ArticleStatus::Published && published_at.is_none() {
                ArticleStatus::Draft
            } else {
                status
            },
            published_at,
            created_at: if a.senddate > 0 {
                a.senddate
            } else {
                published_at.unwrap_or(0)
            },
            view_count: a.click,
            external_url: if flags.contains(&"j") {
                redirect_url.trim().to_string()
            } else {
                String::new()
            },
            old_paths: self.article_paths(a),
        }
    }

    /// The addresses DedeCMS gave an article: the dynamic one always, the static page when
    /// it wrote one (`GetFileName` in `channelunit.helper.php`).
    fn article_paths(&self, a: &Archive) -> Vec<String> {
        let mut paths = vec![dedecms_article_key(a.id)];
        let is_static = a.arcrank == 0 && a.ismake != -1 && a.money == 0 && a.category != 0;
        let category = self.types.iter().find(|t| t.id == a.category);
        if let (true, Some(category)) = (is_static, category) {
            let page = naming::StaticPage {
                rule: &category.namerule,
                folder: &self.folder(&category.typedir),
                id: a.id,
                sent: a.senddate,
                file_name: &a.filename,
            };
            paths.extend(page.path().map(|path| key(&path, None)));
        }
        paths
    }
}

/// Reads the bodies, handing each article over as soon as its body is read.
pub fn second_pass(
    input: impl BufRead,
    text: TextOptions,
    first: &mut FirstPass,
    mut send: impl FnMut(OldArticle) -> Result<(), String>,
) -> Result<(), DumpError> {
    let prefix = first.prefix.clone().unwrap_or_default();
    let wanted = format!("{prefix}addonarticle");
    let mut reader = DumpReader::new(input);
    reader.read(
        |table| table == wanted,
        |row| {
            let aid = number(&row, "aid");
            let body = text.text(&row, "body");
            let redirect_url = text.text(&row, "redirecturl");
            match first.article(aid, &body, &redirect_url) {
                Some(article) => send(article),
                None => Ok(()),
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_tables_by_any_prefix() {
        assert_eq!(table_kind("dede_archives"), Some(("archives", "dede_")));
        assert_eq!(table_kind("xh_addonarticle"), Some(("addonarticle", "xh_")));
        assert_eq!(table_kind("wp_posts"), None);
        assert_eq!(table_kind("dede_archivesx"), None);
    }
}
