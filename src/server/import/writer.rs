//! Writes what a reader made of an old site, in one transaction: categories, articles,
//! links, settings, the files they refer to, and a redirect from every old address. A run
//! that fails or is interrupted leaves the database as it was; a dry run is a run that is
//! rolled back at the end.

use std::collections::HashMap;

use sqlx::{Sqlite, SqlitePool, Transaction};

use super::bodies;
use super::files::Files;
use super::old_site::{Kind, OldArticle, OldCategory, OldLink, fingerprint};
use super::report::{Outcome, Report};
use super::site_addresses::OldAddresses;
use crate::db;
use crate::db::imports::{ImportedArticle, ImportedCategory, Origin};
use crate::model::{
    ArticleForm, LinkForm, MAX_AUTHOR_CHARS, MAX_CATEGORY_NAME_CHARS, MAX_DESCRIPTION_CHARS,
    MAX_INFO_SOURCE_CHARS, MAX_SLUG_CHARS, MAX_SOURCE_CHARS, MAX_SUBTITLE_CHARS, MAX_SUMMARY_CHARS,
    MAX_TITLE_CHARS, SiteSettings,
};
use crate::server::editorial::sanitize::sanitize_html;
use crate::server::http::old_addresses;

pub struct Writer {
    tx: Transaction<'static, Sqlite>,
    site: String,
    addresses: OldAddresses,
    pub files: Files,
    pub report: Report,
    /// Old category id → new id.
    categories: HashMap<String, i64>,
    /// Articles whose bodies link to old addresses, pointed at new ones at the end.
    relink: Vec<i64>,
}

type Failed = String;

/// A summary made from the body when the old site had none, as long as the demo's.
const SUMMARY_CHARS: usize = 80;

fn database(error: sqlx::Error) -> Failed {
    format!("数据库写入失败: {error}")
}

impl Writer {
    pub async fn begin(
        pool: &SqlitePool,
        site: String,
        addresses: OldAddresses,
        files: Files,
        report: Report,
    ) -> Result<Writer, Failed> {
        Ok(Writer {
            tx: pool.begin().await.map_err(database)?,
            site,
            addresses,
            files,
            report,
            categories: HashMap::new(),
            relink: Vec::new(),
        })
    }

    /// Writes the categories, parents before children, in the order given otherwise.
    pub async fn categories(&mut self, mut pending: Vec<OldCategory>) -> Result<(), Failed> {
        loop {
            let before = pending.len();
            let mut waiting = Vec::new();
            for category in pending {
                let parent_known = category
                    .parent
                    .as_ref()
                    .is_none_or(|parent| self.categories.contains_key(parent));
                if parent_known {
                    self.category(category).await?;
                } else {
                    waiting.push(category);
                }
            }
            if waiting.is_empty() {
                return Ok(());
            }
            if waiting.len() == before {
                for category in waiting {
                    self.report.problem(
                        "栏目",
                        &category.old_id,
                        format!(
                            "上级栏目 {} 不存在或形成循环",
                            category.parent.unwrap_or_default()
                        ),
                    );
                }
                return Ok(());
            }
            pending = waiting;
        }
    }

    async fn category(&mut self, old: OldCategory) -> Result<(), Failed> {
        let print = fingerprint(&old);
        let origin = db::imports::origin(&mut self.tx, &self.site, "category", &old.old_id)
            .await
            .map_err(database)?;
        let page_body = self.body(&old.page_body, "栏目", &old.old_id).await?;
        let mut category = ImportedCategory {
            parent_id: old
                .parent
                .as_ref()
                .and_then(|p| self.categories.get(p).copied()),
            slug: String::new(),
            name: clip(
                &super::text::html_to_text(&old.name),
                MAX_CATEGORY_NAME_CHARS,
            ),
            position: old.position,
            kind: old.kind.category_kind(),
            description: clip(&old.description, MAX_DESCRIPTION_CHARS),
            page_body,
            show_in_nav: old.show_in_nav,
        };
        if category.name.is_empty() {
            category.name = format!("栏目{}", old.old_id);
        }
        let kept = match origin {
            Some(origin) if origin.fingerprint == print => {
                let exists = db::imports::category_slug(&mut self.tx, origin.new_id)
                    .await
                    .map_err(database)?
                    .is_some();
                exists.then_some((origin.new_id, Outcome::Unchanged))
            }
            Some(origin) => db::imports::update_category(&mut self.tx, origin.new_id, &category)
                .await
                .map_err(database)?
                .then_some((origin.new_id, Outcome::Updated)),
            None => None,
        };
        // New, or deleted here since the last import: its articles need it back.
        let (id, outcome) = match kept {
            Some(kept) => kept,
            None => {
                category.slug = self.free_slug(&old).await?;
                let id = db::imports::insert_category(&mut self.tx, &category)
                    .await
                    .map_err(database)?;
                (id, Outcome::Added)
            }
        };
        match old.kind {
            Kind::List => self.report.categories.count(outcome),
            Kind::Page => self.report.pages.count(outcome),
        }
        self.categories.insert(old.old_id.clone(), id);
        let origin = Origin {
            new_id: id,
            fingerprint: print,
            version: 0,
        };
        db::imports::remember(&mut self.tx, &self.site, "category", &old.old_id, &origin)
            .await
            .map_err(database)?;
        let slug = db::imports::category_slug(&mut self.tx, id)
            .await
            .map_err(database)?
            .unwrap_or_default();
        self.redirect_all(&old.old_paths, &format!("/category/{slug}"))
            .await
    }

    /// A slug of the old folder's name when it is ASCII, else the reader's fallback; made
    /// free with a number when taken.
    async fn free_slug(&mut self, old: &OldCategory) -> Result<String, Failed> {
        let base = super::text::slug(&old.slug_hint)
            .or_else(|| super::text::slug(&old.fallback_slug))
            .map(|slug| {
                clip(&slug, MAX_SLUG_CHARS - 4)
                    .trim_end_matches('-')
                    .to_string()
            })
            .unwrap_or_else(|| "imported".into());
        let mut slug = base.clone();
        let mut n = 2;
        while db::imports::slug_taken(&mut self.tx, &slug)
            .await
            .map_err(database)?
        {
            slug = format!("{base}-{n}");
            n += 1;
        }
        Ok(slug)
    }

    pub async fn article(&mut self, old: OldArticle) -> Result<(), Failed> {
        let Some(&category_id) = self.categories.get(&old.category) else {
            self.report.problem(
                "文章",
                &old.old_id,
                format!("所在栏目 {} 没有导入", old.category),
            );
            return Ok(());
        };
        let print = fingerprint(&old);
        let origin = db::imports::origin(&mut self.tx, &self.site, "article", &old.old_id)
            .await
            .map_err(database)?;
        if let Some(origin) = &origin
            && origin.fingerprint == print
        {
            self.report.article(Outcome::Unchanged, old.status);
            return Ok(());
        }
        let title = clip(&old.title, MAX_TITLE_CHARS);
        if title.is_empty() {
            self.report.problem("文章", &old.old_id, "标题为空");
            return Ok(());
        }
        let mut body = old.body.clone();
        if !old.external_url.is_empty() {
            let link = crate::model::escape_html(&old.external_url);
            body.push_str(&format!("<p>原文链接:<a href=\"{link}\">{link}</a></p>"));
        }
        let mut body = self.body(&body, "文章", &old.old_id).await?;
        let mut info_source = old.info_source.clone();
        if info_source.is_empty() {
            let (rest, found) = bodies::take_info_source(&body);
            if let Some(found) = found {
                body = rest;
                info_source = found;
            }
        }
        if body.chars().count() > crate::model::MAX_BODY_CHARS {
            self.report
                .problem("文章", &old.old_id, "正文超过 30 万字,请在旧站拆分后再导入");
            return Ok(());
        }
        let summary = if old.summary.trim().is_empty() {
            db::demo::summarize(&crate::search::snippet::plain_text(&body), SUMMARY_CHARS)
        } else {
            old.summary.clone()
        };
        let cover_image = self.cover(&old.cover_image, &old.old_id).await?;
        let form = ArticleForm {
            title,
            subtitle: clip(&old.subtitle, MAX_SUBTITLE_CHARS),
            category_id,
            source: match clip(&old.source, MAX_SOURCE_CHARS) {
                source if source.is_empty() => "未知".into(),
                source => source,
            },
            author: clip(&old.author, MAX_AUTHOR_CHARS),
            info_source: clip(&info_source, MAX_INFO_SOURCE_CHARS),
            info_source_url: String::new(),
            summary: clip(summary.trim(), MAX_SUMMARY_CHARS),
            cover_image,
            is_headline: old.headline,
            is_recommended: old.recommended,
            is_pinned: false,
            publish_at: String::new(),
            body,
        };
        let article = ImportedArticle {
            form,
            status: old.status,
            published_at: old.published_at,
            view_count: old.view_count.max(0),
            created_at: old.created_at,
            note: format!("从 {} 导入", self.report.source),
        };
        let (id, version, outcome) = match origin {
            None => {
                let id = db::imports::insert_article(&mut self.tx, &article)
                    .await
                    .map_err(database)?;
                (id, 1, Outcome::Added)
            }
            Some(origin) => {
                let current = db::imports::article_version(&mut self.tx, origin.new_id)
                    .await
                    .map_err(database)?;
                match current {
                    Some(current) if current != origin.version => {
                        self.report.problem(
                            "文章",
                            &old.old_id,
                            format!(
                                "旧站有更新,但这篇文章(编号 {})导入后已在这里修改过,没有覆盖",
                                origin.new_id
                            ),
                        );
                        return Ok(());
                    }
                    Some(_) => {
                        let version =
                            db::imports::update_article(&mut self.tx, origin.new_id, &article)
                                .await
                                .map_err(database)?;
                        (origin.new_id, version, Outcome::Updated)
                    }
                    None => {
                        self.report.problem(
                            "文章",
                            &old.old_id,
                            format!("导入后已在这里删除(编号 {}),没有重新导入", origin.new_id),
                        );
                        return Ok(());
                    }
                }
            }
        };
        self.report.article(outcome, old.status);
        if bodies::addresses(&article.form.body).iter().any(|address| {
            self.addresses.upload(address).is_none() && self.addresses.key(address).is_some()
        }) {
            self.relink.push(id);
        }
        let origin = Origin {
            new_id: id,
            fingerprint: print,
            version,
        };
        db::imports::remember(&mut self.tx, &self.site, "article", &old.old_id, &origin)
            .await
            .map_err(database)?;
        self.redirect_all(&old.old_paths, &format!("/article/{id}"))
            .await
    }

    /// Sanitised HTML of an old body, with the files it refers to brought over.
    async fn body(
        &mut self,
        html: &str,
        kind: &'static str,
        old_id: &str,
    ) -> Result<String, Failed> {
        if html.trim().is_empty() {
            return Ok(String::new());
        }
        let clean = sanitize_html(html);
        let mut new_addresses = HashMap::new();
        for address in bodies::addresses(&clean) {
            let Some(relative) = self.addresses.upload(&address) else {
                continue;
            };
            match self.files.bring(&mut self.tx, &relative).await {
                Ok(new) => {
                    new_addresses.insert(address, new);
                }
                Err(why) => {
                    self.report
                        .problem("文件", &relative, format!("{why}({kind} {old_id} 引用)"))
                }
            }
        }
        Ok(bodies::rewrite_addresses(&clean, |address| {
            new_addresses.get(address).cloned()
        }))
    }

    async fn cover(&mut self, address: &str, old_id: &str) -> Result<String, Failed> {
        let address = address.trim();
        if address.is_empty() {
            return Ok(String::new());
        }
        if let Some(relative) = self.addresses.upload(address) {
            return match self.files.bring(&mut self.tx, &relative).await {
                Ok(new) => Ok(new),
                Err(why) => {
                    self.report.problem(
                        "文件",
                        &relative,
                        format!("{why}(文章 {old_id} 的缩略图)"),
                    );
                    Ok(String::new())
                }
            };
        }
        Ok(if crate::model::is_http_url(address) {
            clip(address, crate::model::MAX_URL_CHARS)
        } else {
            String::new()
        })
    }

    pub async fn link(&mut self, old: OldLink) -> Result<(), Failed> {
        let mut url = old.url.trim().to_string();
        if !crate::model::is_http_url(&url) && !url.is_empty() && !url.contains(':') {
            url = format!("http://{url}");
        }
        let link = LinkForm {
            name: clip(&old.name, crate::model::MAX_LINK_NAME_CHARS),
            url,
            logo: if crate::model::is_http_url(&old.logo) {
                old.logo.clone()
            } else {
                String::new()
            },
            group_name: clip(&old.group, crate::model::MAX_GROUP_CHARS),
            position: old.position,
        };
        if let Err(why) = link.validate() {
            self.report.problem("友情链接", &old.old_id, why);
            return Ok(());
        }
        let print = fingerprint(&old);
        let origin = db::imports::origin(&mut self.tx, &self.site, "link", &old.old_id)
            .await
            .map_err(database)?;
        let (id, outcome) = match origin {
            Some(origin) if origin.fingerprint == print => (origin.new_id, Outcome::Unchanged),
            Some(origin) => {
                if !db::links::update(&mut *self.tx, origin.new_id, &link)
                    .await
                    .map_err(database)?
                {
                    self.report
                        .problem("友情链接", &old.old_id, "导入后已在这里删除,没有重新导入");
                    return Ok(());
                }
                (origin.new_id, Outcome::Updated)
            }
            None => (
                db::links::create(&mut *self.tx, &link)
                    .await
                    .map_err(database)?,
                Outcome::Added,
            ),
        };
        self.report.links.count(outcome);
        let origin = Origin {
            new_id: id,
            fingerprint: print,
            version: 0,
        };
        db::imports::remember(&mut self.tx, &self.site, "link", &old.old_id, &origin)
            .await
            .map_err(database)
    }

    pub async fn settings(&mut self, settings: &SiteSettings) -> Result<(), Failed> {
        self.report.settings_filled += db::imports::fill_settings(&mut self.tx, settings)
            .await
            .map_err(database)?;
        Ok(())
    }

    async fn redirect_all(&mut self, keys: &[String], target: &str) -> Result<(), Failed> {
        for key in keys {
            if db::redirects::put(&mut self.tx, key, target, &self.site)
                .await
                .map_err(database)?
            {
                self.report.redirects += 1;
            }
        }
        Ok(())
    }

    /// Points links between imported pages at their new addresses, redirects the old file
    /// addresses, and commits (or, for a dry run, rolls everything back).
    pub async fn finish(mut self) -> Result<Report, Failed> {
        self.report.end_progress();
        for id in std::mem::take(&mut self.relink) {
            let body = db::imports::article_body(&mut self.tx, id)
                .await
                .map_err(database)?;
            let mut targets = HashMap::new();
            for address in bodies::addresses(&body) {
                let Some(key) = self.addresses.key(&address) else {
                    continue;
                };
                let keys = old_addresses::lookup_keys(
                    key.split('?').next().unwrap_or(""),
                    key.split_once('?').map(|(_, query)| query),
                );
                if let Some(target) = db::redirects::find_first(&mut self.tx, &keys)
                    .await
                    .map_err(database)?
                {
                    targets.insert(address.clone(), target);
                }
            }
            if !targets.is_empty() {
                let relinked =
                    bodies::rewrite_addresses(&body, |address| targets.get(address).cloned());
                db::imports::relink_body(&mut self.tx, id, &relinked)
                    .await
                    .map_err(database)?;
            }
        }
        let prefix = self.addresses.uploads_prefix.clone();
        let copied: Vec<(String, String)> = self
            .files
            .copied_files()
            .map(|(old, new)| (old.clone(), new.clone()))
            .collect();
        for (old, new) in copied {
            let key = old_addresses::key(&format!("{prefix}{old}"), None);
            if db::redirects::put(&mut self.tx, &key, &new, &self.site)
                .await
                .map_err(database)?
            {
                self.report.redirects += 1;
            }
        }
        self.report.files_copied = self.files.copied;
        self.report.files_missing = self.files.missing().len() as u64;
        if self.report.dry_run {
            self.tx.rollback().await.map_err(database)?;
        } else if let Err(error) = self.tx.commit().await {
            self.files.remove_written().await;
            return Err(database(error));
        }
        Ok(self.report)
    }

    /// Ends a run that failed: nothing it wrote stays.
    pub async fn abandon(mut self) {
        if let Err(error) = self.tx.rollback().await {
            tracing::warn!(%error, "rolling back an import failed");
        }
        self.files.remove_written().await;
    }
}

/// At most `max` characters of `text`, trimmed.
fn clip(text: &str, max: usize) -> String {
    text.trim()
        .chars()
        .take(max)
        .collect::<String>()
        .trim()
        .to_string()
}
