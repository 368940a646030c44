//! The `gazette` command line.

use clap::{Parser, Subcommand};

use crate::server::config::ConfigArgs;

/// Gazette: the news and notice website of an industry association.
///
/// Every setting is read from the configuration file (Leptos.toml by default), overridden by
/// the environment variable or flag named beside it.
#[derive(Parser, Debug)]
#[command(
    name = "gazette",
    version = concat!(env!("CARGO_PKG_VERSION"), " (", env!("GAZETTE_COMMIT"), ")"),
    about,
    long_about
)]
pub struct Cli {
    #[command(flatten)]
    pub config: ConfigArgs,
    /// On an empty database, load the demo content (the association, its categories and
    /// sample articles) before serving
    #[arg(
        long,
        env = "GAZETTE_DEMO",
        global = true,
        action = clap::ArgAction::SetTrue,
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Serve the site (the default)
    Serve,
    /// Rebuild the search index from the articles, for example after restoring a database
    RebuildSearch,
    /// Fill an empty database with the demo site and COUNT generated articles, for benchmarks
    #[command(hide = true)]
    BenchData {
        #[arg(long)]
        articles: u64,
    },
    /// Serve one file's bytes from memory at every path: the limit `bench/run` compares
    /// the site with
    #[command(hide = true)]
    BenchStatic {
        #[arg(long)]
        file: std::path::PathBuf,
        #[arg(long)]
        addr: std::net::SocketAddr,
    },
    /// Copy a whole site from one database to another, SQLite to PostgreSQL or back:
    /// articles, revisions, accounts, sessions, settings and the search index. The target
    /// must be empty and no server may be running on either
    Copy {
        /// The database to copy (sqlite://… or postgres://…)
        #[arg(long)]
        from: String,
        /// The empty database to copy into
        #[arg(long)]
        to: String,
    },
    /// Copy the database to FILE, consistently, while the server keeps running
    Backup { file: std::path::PathBuf },
    /// Replace the database with the backup in FILE; the server must be stopped first
    Restore { file: std::path::PathBuf },
    /// Bring an existing DedeCMS or WordPress site in: its categories, articles, pages,
    /// links, settings and files, with every old address answering with a 301. The server
    /// must be stopped; running it again updates what changed
    Import {
        #[command(subcommand)]
        from: ImportFrom,
    },
    /// Manage editors' accounts; passwords are read from standard input
    User {
        #[command(subcommand)]
        action: UserAction,
    },
}

#[derive(Subcommand, Debug, Clone, PartialEq, Eq)]
pub enum ImportFrom {
    /// From a DedeCMS 5.x database dump (mysqldump or phpMyAdmin, UTF-8 or GBK)
    Dedecms {
        /// The .sql file exported from the old site's database
        dump: std::path::PathBuf,
        /// A copy of the old site's uploads folder, for its images and attachments
        #[arg(long)]
        uploads: Option<std::path::PathBuf>,
        /// The old site's address (default: the one in its settings), to recognise its
        /// own links
        #[arg(long)]
        base_url: Option<String>,
        /// The dump's text encoding when it is not the one it declares
        #[arg(long, value_parser = ["utf8", "gbk"])]
        encoding: Option<String>,
        /// Read and check everything and print the report, without writing anything
        #[arg(long)]
        dry_run: bool,
    },
    /// From a WordPress export file (Tools → Export, WXR)
    Wordpress {
        /// The .xml file WordPress exported
        export: std::path::PathBuf,
        /// A copy of the old site's wp-content/uploads folder
        #[arg(long)]
        uploads: Option<std::path::PathBuf>,
        /// The old site's address (default: the one in the export)
        #[arg(long)]
        base_url: Option<String>,
        /// Read and check everything and print the report, without writing anything
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand, Debug, Clone, PartialEq, Eq)]
pub enum UserAction {
    /// Create an account
    Add {
        name: String,
        /// admin (everything), editor (write, review, publish) or contributor (write drafts)
        #[arg(long, value_parser = ["admin", "editor", "contributor"])]
        role: String,
    },
    /// Set a new password; the user's sessions end
    Passwd { name: String },
    /// Disable an account; the user's sessions end
    Disable { name: String },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn the_version_names_the_commit() {
        let version = Cli::command().render_version();
        assert!(
            version.contains(&format!("({})", env!("GAZETTE_COMMIT"))),
            "{version}"
        );
    }

    #[test]
    fn serve_is_the_default() {
        let cli = Cli::try_parse_from(["gazette", "--demo"]).unwrap();
        assert!(cli.demo);
        assert_eq!(cli.command, None);
        let cli = Cli::try_parse_from([
            "gazette",
            "serve",
            "--demo",
            "--site-addr",
            "127.0.0.1:4000",
        ])
        .unwrap();
        assert_eq!(cli.command, Some(Command::Serve));
        assert_eq!(cli.config.site_addr.unwrap().port(), 4000);
        let cli = Cli::try_parse_from(["gazette", "rebuild-search"]).unwrap();
        assert_eq!(cli.command, Some(Command::RebuildSearch));
    }

    #[test]
    fn user_commands_take_a_name_and_a_known_role() {
        let cli =
            Cli::try_parse_from(["gazette", "user", "add", "王编辑", "--role", "editor"]).unwrap();
        assert_eq!(
            cli.command,
            Some(Command::User {
                action: UserAction::Add {
                    name: "王编辑".into(),
                    role: "editor".into()
                }
            })
        );
        assert!(Cli::try_parse_from(["gazette", "user", "add", "x", "--role", "boss"]).is_err());
        assert!(Cli::try_parse_from(["gazette", "user", "disable"]).is_err());
    }
}
