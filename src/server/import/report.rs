//! What an import did, counted per kind, and each thing it could not bring over with the
//! old id and why: printed at the end of every run.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{IsTerminal, Write};

use crate::model::ArticleStatus;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// What happened to one thing the old site had.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Added,
    Updated,
    Unchanged,
}

impl Counts {
    pub fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Added => self.added += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
        }
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "新增 {},更新 {},未变 {}",
            self.added, self.updated, self.unchanged
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// 文章, 栏目, 文件 …
    pub kind: &'static str,
    pub old_id: String,
    pub why: String,
}

#[derive(Debug, Default)]
pub struct Report {
    pub source: String,
    pub dry_run: bool,
    pub categories: Counts,
    pub pages: Counts,
    pub articles: Counts,
    /// Articles added or updated, by the status they have here.
    pub articles_by_status: BTreeMap<&'static str, u64>,
    pub links: Counts,
    pub settings_filled: u64,
    pub files_copied: u64,
    pub files_missing: u64,
    pub redirects: u64,
    pub problems: Vec<Problem>,
    /// What was decided about things that have no place here (read by a person).
    pub notes: Vec<String>,
    progress_shown: bool,
}

impl Report {
    pub fn new(source: &str, dry_run: bool) -> Report {
        Report {
            source: source.to_string(),
            dry_run,
            ..Report::default()
        }
    }

    pub fn problem(
        &mut self,
        kind: &'static str,
        old_id: impl fmt::Display,
        why: impl Into<String>,
    ) {
        self.problems.push(Problem {
            kind,
            old_id: old_id.to_string(),
            why: why.into(),
        });
    }

    pub fn note(&mut self, note: impl Into<String>) {
        let note = note.into();
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    pub fn article(&mut self, outcome: Outcome, status: ArticleStatus) {
        self.articles.count(outcome);
        if outcome != Outcome::Unchanged {
            *self.articles_by_status.entry(status.label()).or_default() += 1;
        }
    }

    /// A counter on the terminal while articles go in (not in logs or pipes).
    pub fn progress(&mut self, done: u64, total: u64) {
        if !done.is_multiple_of(250) && done != total {
            return;
        }
        let mut err = std::io::stderr();
        if err.is_terminal() {
            let _ = write!(err, "\r文章 {done}/{total}");
            let _ = err.flush();
            self.progress_shown = true;
        }
    }

    pub fn end_progress(&mut self) {
        if self.progress_shown {
            eprintln!();
            self.progress_shown = false;
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mode = if self.dry_run {
            "试运行,没有写入任何内容"
        } else {
            "已写入"
        };
        writeln!(f, "导入报告:{}({mode})", self.source)?;
        writeln!(f, "  栏目        {}", self.categories)?;
        writeln!(f, "  单页        {}", self.pages)?;
        let statuses: Vec<String> = self
            .articles_by_status
            .iter()
            .map(|(label, count)| format!("{label} {count}"))
            .collect();
        write!(f, "  文章        {}", self.articles)?;
        if !statuses.is_empty() {
            write!(f, "(新增和更新的:{})", statuses.join(","))?;
        }
        writeln!(f)?;
        writeln!(f, "  友情链接    {}", self.links)?;
        writeln!(
            f,
            "  网站设置    填入 {} 项(已有的设置不覆盖)",
            self.settings_filled
        )?;
        writeln!(
            f,
            "  文件        复制 {},缺失或无法导入 {}",
            self.files_copied, self.files_missing
        )?;
        writeln!(f, "  旧地址跳转  新增或更新 {}", self.redirects)?;
        if self.problems.is_empty() {
            writeln!(f, "所有内容都已导入。")?;
        } else {
            writeln!(f, "未能导入的内容({} 项):", self.problems.len())?;
            for problem in &self.problems {
                writeln!(f, "  {} {}:{}", problem.kind, problem.old_id, problem.why)?;
            }
        }
        for note in &self.notes {
            writeln!(f, "说明:{note}")?;
        }
        Ok(())
    }
}
