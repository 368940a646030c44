//! Runtime configuration: `Leptos.toml`, overridden by environment variables and flags.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::Args;
use serde::Deserialize;

/// Where the configuration file is looked for when neither `--config` nor `GAZETTE_CONFIG`
/// names one.
const DEFAULT_CONFIG_FILE: &str = "Leptos.toml";

/// Settings that may come from the command line or the environment; each overrides the same
/// key in the configuration file.
#[derive(Args, Debug, Clone, Default)]
pub struct ConfigArgs {
    /// Configuration file [default: Leptos.toml, if present]
    #[arg(long, env = "GAZETTE_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Address to listen on (key `site_addr`) [default: 127.0.0.1:3000]
    #[arg(long, env = "LEPTOS_SITE_ADDR", global = true)]
    pub site_addr: Option<SocketAddr>,
    /// Folder with the built site: pkg/ (wasm, js, css) and public assets (key `site_root`)
    /// [default: target/site]
    #[arg(long, env = "LEPTOS_SITE_ROOT", global = true)]
    pub site_root: Option<String>,
    /// SQLite database, created on first start (key `database_url`)
    /// [default: sqlite://data/gazette.db]
    #[arg(long, env = "GAZETTE_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Folder for files that editors upload (key `uploads_dir`) [default: data/uploads]
    #[arg(long, env = "GAZETTE_UPLOADS_DIR", global = true)]
    pub uploads_dir: Option<PathBuf>,
    /// Largest upload accepted, in bytes (key `upload_max_bytes`) [default: 10485760]
    #[arg(long, env = "GAZETTE_UPLOAD_MAX_BYTES", global = true)]
    pub upload_max_bytes: Option<u64>,
    /// How long an editor stays signed in, in hours (key `session_lifetime_hours`)
    /// [default: 168]
    #[arg(long, env = "GAZETTE_SESSION_LIFETIME_HOURS", global = true)]
    pub session_lifetime_hours: Option<u64>,
    /// Address visitors reach the site at, for canonical links and feeds (key
    /// `public_base_url`) [default: http://<site_addr>]
    #[arg(long, env = "GAZETTE_PUBLIC_BASE_URL", global = true)]
    pub public_base_url: Option<String>,
    /// Searches one address may make per minute; 0 for no limit (key
    /// `search_limit_per_minute`) [default: 30]
    #[arg(long, env = "GAZETTE_SEARCH_LIMIT_PER_MINUTE", global = true)]
    pub search_limit_per_minute: Option<u32>,
    /// Reverse proxies whose X-Forwarded-For, X-Real-IP and X-Forwarded-Proto are believed:
    /// addresses or ranges, comma-separated, such as 127.0.0.1,10.0.0.0/8 (key
    /// `trusted_proxies`) [default: none: every address is the visitor's own]
    #[arg(
        long,
        env = "GAZETTE_TRUSTED_PROXIES",
        global = true,
        value_delimiter = ','
    )]
    pub trusted_proxies: Option<Vec<String>>,
    /// Whether pictures in pasted HTML may be copied from loopback and private-network
    /// addresses; off, so that editors cannot make the server read internal services (key
    /// `remote_images_from_private_networks`) [default: false]
    #[arg(
        long,
        env = "GAZETTE_REMOTE_IMAGES_FROM_PRIVATE_NETWORKS",
        global = true
    )]
    pub remote_images_from_private_networks: Option<bool>,
}

/// The keys of `Leptos.toml`; every one is optional.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    site_addr: Option<SocketAddr>,
    site_root: Option<String>,
    database_url: Option<String>,
    uploads_dir: Option<PathBuf>,
    upload_max_bytes: Option<u64>,
    session_lifetime_hours: Option<u64>,
    public_base_url: Option<String>,
    search_limit_per_minute: Option<u32>,
    trusted_proxies: Option<Vec<String>>,
    remote_images_from_private_networks: Option<bool>,
}

/// The configuration the server runs with.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub site_addr: SocketAddr,
    pub site_root: String,
    pub database_url: String,
    pub uploads_dir: PathBuf,
    pub upload_max_bytes: u64,
    pub session_lifetime_hours: u64,
    /// Without a trailing slash.
    pub public_base_url: String,
    /// 0 for no limit.
    pub search_limit_per_minute: u32,
    /// Whose forwarding headers name the client (`http::client`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Whether pasted pictures may be fetched from loopback and private addresses.
    pub remote_images_from_private_networks: bool,
}

impl Config {
    /// Reads the configuration file (if any) and applies the overrides in `args`.
    /// Whether visitors reach the site over https, so cookies must be `Secure`.
    pub fn is_https(&self) -> bool {
        self.public_base_url.starts_with("https://")
    }

    pub fn load(args: &ConfigArgs) -> Result<Config, String> {
        let file = match &args.config {
            Some(path) => read_file(path)?,
            None if Path::new(DEFAULT_CONFIG_FILE).exists() => {
                read_file(Path::new(DEFAULT_CONFIG_FILE))?
            }
            None => FileConfig::default(),
        };
        Config::merge(args, file)
    }

    fn merge(args: &ConfigArgs, file: FileConfig) -> Result<Config, String> {
        let site_addr = args
            .site_addr
            .or(file.site_addr)
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 3000)));
        let public_base_url = args
            .public_base_url
            .clone()
            .or(file.public_base_url)
            .filter(|url| !url.trim().is_empty())
            .unwrap_or_else(|| format!("http://{site_addr}"));
        if !(public_base_url.starts_with("http://") || public_base_url.starts_with("https://")) {
            return Err(format!(
                "public_base_url 必须以 http:// 或 https:// 开头: {public_base_url}"
            ));
        }
        Ok(Config {
            site_addr,
            site_root: args
                .site_root
                .clone()
                .or(file.site_root)
                .unwrap_or_else(|| "target/site".into()),
            database_url: args
                .database_url
                .clone()
                .or(file.database_url)
                .unwrap_or_else(|| "sqlite://data/gazette.db".into()),
            uploads_dir: args
                .uploads_dir
                .clone()
                .or(file.uploads_dir)
                .unwrap_or_else(|| "data/uploads".into()),
            upload_max_bytes: args
                .upload_max_bytes
                .or(file.upload_max_bytes)
                .unwrap_or(10 * 1024 * 1024),
            session_lifetime_hours: args
                .session_lifetime_hours
                .or(file.session_lifetime_hours)
                .unwrap_or(168),
            public_base_url: public_base_url.trim_end_matches('/').to_string(),
            search_limit_per_minute: args
                .search_limit_per_minute
                .or(file.search_limit_per_minute)
                .unwrap_or(super::audience::rate_limit::SEARCHES_PER_WINDOW),
            trusted_proxies: parse_proxies(
                args.trusted_proxies
                    .clone()
                    .or(file.trusted_proxies)
                    .unwrap_or_default(),
            )?,
            remote_images_from_private_networks: args
                .remote_images_from_private_networks
                .or(file.remote_images_from_private_networks)
                .unwrap_or(false),
        })
    }
}

/// Addresses (`127.0.0.1`, `::1`) and ranges (`10.0.0.0/8`); blank entries are skipped.
fn parse_proxies(entries: Vec<String>) -> Result<Vec<ipnet::IpNet>, String> {
    entries
        .iter()
        .map(|entry| entry.trim())
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            entry
                .parse::<ipnet::IpNet>()
                .or_else(|_| entry.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| {
                    format!("trusted_proxies 中的 {entry} 不是地址或网段(如 127.0.0.1、10.0.0.0/8)")
                })
        })
        .collect()
}

fn read_file(path: &Path) -> Result<FileConfig, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("无法读取配置文件 {}: {e}", path.display()))?;
    parse(&text).map_err(|reason| format!("配置文件 {} {reason}", path.display()))
}

/// The file's keys, or where and why it is wrong, in one line.
fn parse(text: &str) -> Result<FileConfig, String> {
    toml::from_str(text).map_err(|error| {
        let line = error
            .span()
            .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
        match line {
            Some(line) => format!("第 {line} 行有误: {}", error.message()),
            None => format!("有误: {}", error.message()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> FileConfig {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn defaults_need_no_file() {
        let config = Config::merge(&ConfigArgs::default(), FileConfig::default()).unwrap();
        assert_eq!(config.site_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.database_url, "sqlite://data/gazette.db");
        assert_eq!(config.public_base_url, "http://127.0.0.1:3000");
    }

    #[test]
    fn overrides_beat_the_file() {
        let args = ConfigArgs {
            database_url: Some("sqlite::memory:".into()),
            site_addr: Some("0.0.0.0:8080".parse().unwrap()),
            ..ConfigArgs::default()
        };
        let config = Config::merge(
            &args,
            file("database_url = \"sqlite://x.db\"\nsite_root = \"site\"\npublic_base_url = \"https://www.example.org/\""),
        )
        .unwrap();
        assert_eq!(config.database_url, "sqlite::memory:");
        assert_eq!(config.site_addr.port(), 8080);
        assert_eq!(config.site_root, "site");
        assert_eq!(config.public_base_url, "https://www.example.org");
    }

    #[test]
    fn rejects_unknown_keys_and_bad_urls() {
        let reason = parse("site_root = \"site\"\ndatabse_url = \"x\"").unwrap_err();
        assert!(
            reason.starts_with("第 2 行有误: unknown field `databse_url`"),
            "{reason}"
        );
        assert!(!reason.contains('\n'));
        let args = ConfigArgs {
            public_base_url: Some("www.example.org".into()),
            ..ConfigArgs::default()
        };
        assert!(Config::merge(&args, FileConfig::default()).is_err());
    }

    #[test]
    fn trusted_proxies_are_addresses_or_ranges() {
        let config = Config::merge(
            &ConfigArgs::default(),
            file("trusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\", \"::1\"]"),
        )
        .unwrap();
        let named: Vec<String> = config
            .trusted_proxies
            .iter()
            .map(|n| n.to_string())
            .collect();
        assert_eq!(named, ["127.0.0.1/32", "10.0.0.0/8", "::1/128"]);
        assert!(
            Config::merge(&ConfigArgs::default(), FileConfig::default())
                .unwrap()
                .trusted_proxies
                .is_empty()
        );
        let args = ConfigArgs {
            trusted_proxies: Some(vec!["proxy.example".into()]),
            ..ConfigArgs::default()
        };
        let reason = Config::merge(&args, FileConfig::default()).unwrap_err();
        assert!(reason.contains("proxy.example"), "{reason}");
    }
}
