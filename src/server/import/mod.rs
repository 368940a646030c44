//! Moving an existing site in: readers for a DedeCMS database dump and a WordPress export
//! (files only: no MySQL server, no network), one writer for both, the files the old pages
//! refer to, and a redirect from every old address. Run by `gazette import`; never on a
//! request path.

pub mod bodies;
pub mod dedecms;
pub mod dedecms_naming;
pub mod files;
pub mod mysql_dump;
pub mod old_site;
pub mod report;
pub mod site_addresses;
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
use self::site_addresses::{OldAddresses, hosts_of};
use self::writer::Writer;

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

/// `gazette import dedecms DUMP.sql`.
pub async fn import_dedecms(pool: &SqlitePool, options: &ImportOptions) -> Result<Report, String> {
    check_uploads_folder(options)?;
    let in_file = |why: String| format!("{}: {why}", options.file.display());
    let text = dedecms::TextOptions {
        encoding: options.encoding,
    };
    let file = options.file.clone();
    let mut first = tokio::task::spawn_blocking(move || {
        dedecms::first_pass(open(&file)?, text).map_err(|error| error.to_string())
    })
    .await
    .map_err(|error| error.to_string())?
    .map_err(in_file)?;
    first.check().map_err(in_file)?;
    let base_url = options.base_url.clone().unwrap_or_else(|| first.base_url());
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
    let mut problems = Vec::new();
    let categories = first.categories(&mut problems);
    for (id, why) in problems.drain(..) {
        report.problem("栏目", id, why);
    }
    let links = first.links(&mut problems);
    for (id, why) in problems.drain(..) {
        report.problem("友情链接", id, why);
    }
    let total = first.article_count() as u64;
    let mut writer = begin(pool, "dedecms", &base_url, addresses, options, report).await?;
    let written = async {
        writer.categories(categories).await?;
        for link in links {
            writer.link(link).await?;
        }
        writer.settings(&first.settings()).await?;
        let file = options.file.clone();
        write_articles(&mut writer, total, &options.file, move |send| {
            dedecms::second_pass(open(&file)?, text, &mut first, &mut *send)
                .map_err(|error| error.to_string())?;
            let (left, problems) = first.without_body();
            for article in left {
                send(article)?;
            }
            Ok(problems)
        })
        .await
    }
    .await;
    end(writer, written).await
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
    let categories = first.categories();
    let total = first.post_count as u64;
    let mut writer = begin(pool, "wordpress", &base_url, addresses, options, report).await?;
    let written = async {
        writer.categories(categories).await?;
        writer.settings(&first.settings()).await?;
        let file = options.file.clone();
        write_articles(&mut writer, total, &options.file, move |send| {
            wordpress::second_pass(open(&file)?, &mut first, send)
        })
        .await
    }
    .await;
    end(writer, written).await
}

/// A writer for the old site at `base_url`, whose imports are remembered under its host.
async fn begin(
    pool: &SqlitePool,
    cms: &str,
    base_url: &str,
    addresses: OldAddresses,
    options: &ImportOptions,
    mut report: Report,
) -> Result<Writer, String> {
    report.note(if base_url.trim().is_empty() {
        "不知道旧站的网址(可用 --base-url 指定):只有以 / 开头的站内链接和图片被识别".to_string()
    } else {
        format!(
            "旧站网址 {base_url}:指向它的链接和图片已识别;本站自己的网址在 Leptos.toml 的 public_base_url 中设置"
        )
    });
    let site = format!(
        "{cms}:{}",
        hosts_of(base_url).first().cloned().unwrap_or_default()
    );
    let files = Files::new(
        options.uploads_from.clone(),
        options.uploads_to.clone(),
        options.dry_run,
    );
    Writer::begin(pool, site, addresses, files, report).await
}

type Send<'a> = dyn FnMut(OldArticle) -> Result<(), String> + 'a;

/// Runs `read` on a thread of its own, writing each article it hands over as it comes (a
/// few read ahead at most); adds the articles `read` could not bring over to the report.
async fn write_articles(
    writer: &mut Writer,
    total: u64,
    file: &Path,
    read: impl FnOnce(&mut Send<'_>) -> Result<Vec<(String, String)>, String>
    + std::marker::Send
    + 'static,
) -> Result<(), String> {
    let (sender, mut receiver) = mpsc::channel::<OldArticle>(READ_AHEAD);
    let reading = tokio::task::spawn_blocking(move || {
        let mut send = |article| {
            sender
                .blocking_send(article)
                .map_err(|_| "导入已停止".to_string())
        };
        read(&mut send)
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
        .map_err(|error| format!("{}: {error}", file.display()))?;
    for (id, why) in problems {
        writer.report.problem("文章", id, why);
    }
    Ok(())
}

/// Commits what was written, or takes it all back if anything failed.
async fn end(writer: Writer, written: Result<(), String>) -> Result<Report, String> {
    match written {
        Ok(()) => writer.finish().await,
        Err(error) => {
            writer.abandon().await;
            Err(error)
        }
    }
}
