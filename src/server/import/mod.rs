//! Moving an existing site in: readers for a DedeCMS database dump and a WordPress export
//! (files only: no MySQL server, no network), one writer for both, the files the old pages
//! refer to, and a redirect from every old address. Run by `gazette import`; never on a
//! request path.

pub mod bodies;
pub mod dedecms;
pub mod files;
pub mod mysql_dump;
pub mod old_site;
pub mod report;
pub mod text;
pub mod wordpress;
pub mod writer;

use std::io::BufReader;
use std::path::{Path, PathBuf};

use sqlx::SqlitePool;
use tokio::sync::mpsc;

use self::files::Files;
use self::old_site::OldArticle;
use self::report::Report;
use self::writer::{OldAddresses, Writer};

/// What the command line asked for.
#[derive(Clone, Debug)]
pub struct ImportOptions {
    pub file: PathBuf,
    pub uploads_from: Option<PathBuf>,
    pub uploads_to: PathBuf,
    pub base_url: Option<String>,
    pub encoding: Option<text::Encoding>,
    pub dry_run: bool,
}

/// Articles read ahead of the writer: enough to keep both busy, few enough to bound memory.
const READ_AHEAD: usize = 64;

fn open(file: &Path) -> Result<BufReader<std::fs::File>, String> {
    match std::fs::File::open(file) {
        Ok(opened) if opened.metadata().is_ok_and(|m| m.is_dir()) => {
            Err(format!("{} 是文件夹,不是导出文件", file.display()))
        }
        Ok(opened) => Ok(BufReader::with_capacity(1 << 16, opened)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            Err(format!("找不到文件 {}", file.display()))
        }
        Err(error) => Err(format!("无法打开 {}: {error}", file.display())),
    }
}

fn check_uploads_folder(options: &ImportOptions) -> Result<(), String> {
    match &options.uploads_from {
        Some(folder) if !folder.is_dir() => {
            Err(format!("找不到旧站的上传文件夹 {}", folder.display()))
        }
        _ => Ok(()),
    }
}

/// The host names of a base address (`http://www.old.org/` → `www.old.org`, `old.org`).
fn hosts_of(base_url: &str) -> Vec<String> {
    let lower = base_url.trim().to_ascii_lowercase();
    let rest = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"))
        .unwrap_or(&lower);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("").to_string();
    if host.is_empty() {
        return Vec::new();
    }
    let mut hosts = vec![host.clone()];
    match host.strip_prefix("www.") {
        Some(bare) => hosts.push(bare.to_string()),
        None => hosts.push(format!("www.{host}")),
    }
    hosts
}

/// `gazette import dedecms DUMP.sql`.
pub async fn import_dedecms(pool: &SqlitePool, options: &ImportOptions) -> Result<Report, String> {
    check_uploads_folder(options)?;
    let dump_error = |error: mysql_dump::DumpError| format!("{}: {error}", options.file.display());
    let text = dedecms::TextOptions {
        encoding: options.encoding,
    };
    let file = options.file.clone();
    let mut first = tokio::task::spawn_blocking(move || {
        dedecms::first_pass(open(&file)?, text).map_err(|e| e.to_string())
    })
    .await
    .map_err(|error| error.to_string())?
    .map_err(|error| format!("{}: {error}", options.file.display()))?;
    first
        .check()
        .map_err(|why| format!("{}: {why}", options.file.display()))?;
    let base_url = options.base_url.clone().unwrap_or_else(|| first.base_url());
    let site = format!(
        "dedecms:{}",
        hosts_of(&base_url).first().cloned().unwrap_or_default()
    );
    let addresses = OldAddresses {
        hosts: hosts_of(&base_url),
        uploads_prefix: first.uploads_prefix(),
    };
    let mut report = Report::new(
        &format!("DedeCMS {}", options.file.display()),
        options.dry_run,
    );
    for note in first.notes() {
        report.note(note);
    }
    let files = Files::new(
        options.uploads_from.clone(),
        options.uploads_to.clone(),
        options.dry_run,
    );
    let mut writer = Writer::begin(pool, site, addresses, files, report).await?;
    let mut problems = Vec::new();
    let categories = first.categories(&mut problems);
    for (id, why) in problems.drain(..) {
        writer.report.problem("栏目", id, why);
    }
    let links = first.links(&mut problems);
    for (id, why) in problems.drain(..) {
        writer.report.problem("友情链接", id, why);
    }
    let settings = first.settings();
    let total = first.article_count() as u64;

    let result: Result<(), String> = async {
        writer.categories(categories).await?;
        for link in links {
            writer.link(link).await?;
        }
        writer.settings(&settings).await?;
        let (sender, mut receiver) = mpsc::channel::<OldArticle>(READ_AHEAD);
        let file = options.file.clone();
        let reading = tokio::task::spawn_blocking(move || {
            let input = open(&file)?;
            dedecms::second_pass(input, text, &mut first, |article| {
                sender
                    .blocking_send(article)
                    .map_err(|_| "导入已停止".to_string())
            })
            .map_err(|error| error.to_string())?;
            let left = first.without_body();
            for article in left.0 {
                sender
                    .blocking_send(article)
                    .map_err(|_| "导入已停止".to_string())?;
            }
            Ok::<_, String>(left.1)
        });
        let mut done = 0;
        while let Some(article) = receiver.recv().await {
            writer.article(article).await?;
            done += 1;
            writer.report.progress(done, total);
        }
        let problems = reading
            .await
            .map_err(|error| error.to_string())?
            .map_err(|error| format!("{}: {error}", options.file.display()))?;
        for (id, why) in problems {
            writer.report.problem("文章", id, why);
        }
        Ok(())
    }
    .await;
    let _ = dump_error;
    match result {
        Ok(()) => writer.finish().await,
        Err(error) => {
            writer.abandon().await;
            Err(error)
        }
    }
}

/// `gazette import wordpress EXPORT.xml`.
pub async fn import_wordpress(
    pool: &SqlitePool,
    options: &ImportOptions,
) -> Result<Report, String> {
    check_uploads_folder(options)?;
    let file = options.file.clone();
    let mut first = tokio::task::spawn_blocking(move || wordpress::first_pass(open(&file)?))
        .await
        .map_err(|error| error.to_string())?
        .map_err(|error| format!("{}: {error}", options.file.display()))?;
    let base_url = options
        .base_url
        .clone()
        .unwrap_or_else(|| first.base_url.clone());
    let site = format!(
        "wordpress:{}",
        hosts_of(&base_url).first().cloned().unwrap_or_default()
    );
    let addresses = OldAddresses {
        hosts: hosts_of(&base_url),
        uploads_prefix: first.uploads_prefix(),
    };
    let mut report = Report::new(
        &format!("WordPress {}", options.file.display()),
        options.dry_run,
    );
    for note in wordpress::NOTES {
        report.note(*note);
    }
    let files = Files::new(
        options.uploads_from.clone(),
        options.uploads_to.clone(),
        options.dry_run,
    );
    let mut writer = Writer::begin(pool, site, addresses, files, report).await?;
    let categories = first.categories();
    let total = first.post_count as u64;
    let result: Result<(), String> = async {
        writer.categories(categories).await?;
        writer.settings(&first.settings()).await?;
        let (sender, mut receiver) = mpsc::channel::<OldArticle>(READ_AHEAD);
        let file = options.file.clone();
        let reading = tokio::task::spawn_blocking(move || {
            wordpress::second_pass(open(&file)?, &mut first, |article| {
                sender
                    .blocking_send(article)
                    .map_err(|_| "导入已停止".to_string())
            })
        });
        let mut done = 0;
        while let Some(article) = receiver.recv().await {
            writer.article(article).await?;
            done += 1;
            writer.report.progress(done, total);
        }
        let problems = reading
            .await
            .map_err(|error| error.to_string())?
            .map_err(|error| format!("{}: {error}", options.file.display()))?;
        for (id, why) in problems {
            writer.report.problem("文章", id, why);
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) => writer.finish().await,
        Err(error) => {
            writer.abandon().await;
            Err(error)
        }
    }
}
