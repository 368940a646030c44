//! The old site's own addresses: which links and pictures in its pages point at itself
//! (relative, or on its host names) and which name a file in its uploads folder.

use crate::server::http::old_addresses;

/// Where the old site lived, to tell its own addresses from other sites'.
#[derive(Clone, Debug, Default)]
pub struct OldAddresses {
    /// Its host names (`www.old.org`), lower case.
    pub hosts: Vec<String>,
    /// Where its uploads were served from (`/uploads/`, `/wp-content/uploads/`).
    pub uploads_prefix: String,
}

impl OldAddresses {
    /// The path (and query) of an address on the old site; `None` for other sites and for
    /// addresses that are no path (`mailto:`, `#top`).
    pub fn local_path(&self, address: &str) -> Option<String> {
        let address = address.trim();
        let lower = address.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("http://")
            .or_else(|| lower.strip_prefix("https://"))
            .or_else(|| lower.strip_prefix("//"));
        match rest {
            Some(rest) => {
                let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
                let host = &rest[..host_end];
                if !self.hosts.iter().any(|known| known == host) {
                    return None;
                }
                let start = address.len() - rest.len() + host_end;
                let path = &address[start..];
                Some(if path.starts_with('/') {
                    path.to_string()
                } else {
                    format!("/{path}")
                })
            }
            None if address.starts_with('/') => Some(address.to_string()),
            None => None,
        }
    }

    /// The file inside the old uploads folder an address names, if it names one.
    pub fn upload(&self, address: &str) -> Option<String> {
        let path = self.local_path(address)?;
        let path = path.split(['?', '#']).next().unwrap_or("");
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let relative = decoded.strip_prefix(&self.uploads_prefix)?;
        (!relative.is_empty()).then(|| relative.to_string())
    }

    pub fn key(&self, address: &str) -> Option<String> {
        let path = self.local_path(address)?;
        let path = path.split('#').next().unwrap_or("");
        let (path, query) = match path.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (path, None),
        };
        Some(old_addresses::key(path, query))
    }
}

/// The host names of a base address (`http://www.old.org/` → `www.old.org`, `old.org`).
pub fn hosts_of(base_url: &str) -> Vec<String> {
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
