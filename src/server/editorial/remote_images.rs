//! Pictures in pasted HTML that live on other sites (a WeChat article's above all, whose
//! servers refuse them to any other site): fetched by the server and kept as uploads, so
//! that the article shows them from here. Each is typed by its content like any upload;
//! where it came from is kept with the upload.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::{Client, Url, redirect};

use super::sanitize::{image_sources, replace_image_sources};
use crate::server::handlers::uploads::{detect, keep, too_large};
use crate::server::state::AppState;

/// More pictures than this in one paste are left as they are (and said so).
const MAX_PICTURES: usize = 30;
/// For each picture, connecting and reading it all.
const FETCH_TIME: Duration = Duration::from_secs(15);
const CONNECT_TIME: Duration = Duration::from_secs(5);
const MAX_REDIRECTS: usize = 5;
const PRIVATE_REFUSED: &str = "不能从内部网络地址复制图片";

/// Pasted HTML with its pictures copied, and a sentence for each that could not be.
pub struct Copied {
    pub html: String,
    pub notes: Vec<String>,
}

/// Copies the pictures of `html` (sanitised) that are on other sites into the uploads, as
/// `owner_id`'s, and points the HTML at the copies. Pictures that fail stay as they were.
pub async fn copy_remote_images(state: &AppState, owner_id: i64, html: &str) -> Copied {
    let own_site = Url::parse(&state.config.public_base_url)
        .ok()
        .and_then(|url| site_of(&url));
    let remote: Vec<(String, Url)> = image_sources(html)
        .into_iter()
        .filter_map(|source| {
            let url = remote_url(&source, own_site.as_ref())?;
            Some((source, url))
        })
        .collect();
    let mut notes = Vec::new();
    if remote.is_empty() {
        return Copied {
            html: html.to_string(),
            notes,
        };
    }
    if remote.len() > MAX_PICTURES {
        notes.push(format!(
            "粘贴的内容有 {} 张其他网站的图片,只复制了前 {MAX_PICTURES} 张;其余的请另存后用“图片”按钮上传",
            remote.len()
        ));
    }
    let allow_private = state.config.remote_images_from_private_networks;
    let client = match client(allow_private) {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "could not make the HTTP client for pasted pictures");
            notes.push("其他网站的图片暂时无法复制,请另存后用“图片”按钮上传".into());
            return Copied {
                html: html.to_string(),
                notes,
            };
        }
    };
    let mut fetches = tokio::task::JoinSet::new();
    for (source, url) in remote.into_iter().take(MAX_PICTURES) {
        let client = client.clone();
        let max = state.config.upload_max_bytes;
        fetches.spawn(async move {
            let fetched = fetch(&client, url, max, allow_private).await;
            (source, fetched)
        });
    }
    let mut replaced = HashMap::new();
    while let Some(done) = fetches.join_next().await {
        let Ok((source, fetched)) = done else {
            continue;
        };
        let kept = match fetched {
            Ok((name, bytes)) => keep(state, owner_id, &name, &bytes, &source)
                .await
                .map_err(|(_, message)| message),
            Err(reason) => Err(reason),
        };
        match kept {
            Ok(uploaded) => {
                replaced.insert(source, uploaded.url);
            }
            Err(reason) => notes.push(format!("图片 {source} 没有复制到本站:{reason}")),
        }
    }
    notes.sort();
    Copied {
        html: replace_image_sources(html, replaced),
        notes,
    }
}

/// A site as host and port (http and https of one site are the same site).
fn site_of(url: &Url) -> Option<(String, u16)> {
    Some((url.host_str()?.to_string(), url.port_or_known_default()?))
}

/// The address to fetch, if `source` is a picture on another site (`http(s)://` or
/// `//host/…`), not this one's.
fn remote_url(source: &str, own_site: Option<&(String, u16)>) -> Option<Url> {
    let absolute = match source.strip_prefix("//") {
        Some(rest) => format!("https://{rest}"),
        None => source.to_string(),
    };
    let url = Url::parse(&absolute).ok()?;
    let other_site = matches!(url.scheme(), "http" | "https")
        && site_of(&url).is_some_and(|site| Some(&site) != own_site);
    other_site.then_some(url)
}

fn client(allow_private: bool) -> reqwest::Result<Client> {
    let mut builder = Client::builder()
        .timeout(FETCH_TIME)
        .connect_timeout(CONNECT_TIME)
        .user_agent("Mozilla/5.0 (compatible; Gazette)")
        .redirect(redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= MAX_REDIRECTS {
                attempt.error("转向次数太多")
            } else if !allow_private && names_private_address(attempt.url()) {
                attempt.error("转向了内部网络地址")
            } else {
                attempt.follow()
            }
        }));
    if !allow_private {
        builder = builder.dns_resolver(Arc::new(PublicAddressesOnly));
    }
    builder.build()
}

/// The file name and bytes of the picture at `url`, or why not, in a sentence.
async fn fetch(
    client: &Client,
    url: Url,
    max: u64,
    allow_private: bool,
) -> Result<(String, Vec<u8>), String> {
    if !allow_private && names_private_address(&url) {
        return Err(PRIVATE_REFUSED.into());
    }
    let name = url
        .path_segments()
        .and_then(|mut segments| segments.next_back().map(str::to_string))
        .filter(|segment| !segment.is_empty())
        .unwrap_or_else(|| "图片".into());
    let mut response = client.get(url).send().await.map_err(|error| why(&error))?;
    if !response.status().is_success() {
        return Err(format!("对方网站答复 {}", response.status().as_u16()));
    }
    if response.content_length().is_some_and(|length| length > max) {
        return Err(too_large(max).1);
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|error| why(&error))? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() as u64 > max {
            return Err(too_large(max).1);
        }
    }
    match detect(&bytes) {
        Some((mime, _)) if mime.starts_with("image/") => Ok((name, bytes)),
        _ => Err("对方网站给出的不是 JPEG、PNG、WebP 或 GIF 图片".into()),
    }
}

fn why(error: &reqwest::Error) -> String {
    // The refusal of an internal address comes from the resolver, deep in the chain.
    let mut cause: Option<&dyn std::error::Error> = Some(error);
    while let Some(error) = cause {
        if error.to_string() == PRIVATE_REFUSED {
            return PRIVATE_REFUSED.into();
        }
        cause = error.source();
    }
    if error.is_timeout() {
        format!("{} 秒内没有取到", FETCH_TIME.as_secs())
    } else if error.is_connect() {
        "连接不上对方网站".into()
    } else if error.is_redirect() {
        "对方网站的转向无法跟随".into()
    } else {
        "读取失败".into()
    }
}

/// Whether `url` names a loopback, private or link-local address outright.
fn names_private_address(url: &Url) -> bool {
    url.host_str()
        .map(|host| host.trim_start_matches('[').trim_end_matches(']'))
        .and_then(|host| host.parse::<IpAddr>().ok())
        .is_some_and(|ip| !is_public(ip))
}

/// Whether `ip` is on the public internet: not loopback, private, link-local, shared
/// (carrier NAT), unspecified, multicast or broadcast.
fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => {
            let [a, b, ..] = ip.octets();
            !(ip.is_loopback()
                || ip.is_private()
                || ip.is_link_local()
                || ip.is_unspecified()
                || ip.is_multicast()
                || ip.is_broadcast()
                || ip.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b)))
        }
        IpAddr::V6(ip) => match ip.to_ipv4_mapped() {
            Some(v4) => is_public(IpAddr::V4(v4)),
            None => {
                let first = ip.segments()[0];
                !(ip.is_loopback()
                    || ip.is_unspecified()
                    || ip.is_multicast()
                    || (first & 0xfe00) == 0xfc00
                    || (first & 0xffc0) == 0xfe80)
            }
        },
    }
}

/// Name resolution that leaves out every address that is not public, so that neither a
/// pasted address nor a redirect can reach the server's own network.
struct PublicAddressesOnly;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl Resolve for PublicAddressesOnly {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let found = tokio::net::lookup_host((name.as_str(), 0))
                .await
                .map_err(|error| -> BoxError { Box::new(error) })?;
            let public: Vec<SocketAddr> = found.filter(|addr| is_public(addr.ip())).collect();
            if public.is_empty() {
                return Err::<Addrs, BoxError>(PRIVATE_REFUSED.into());
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_other_sites_pictures_are_fetched() {
        let own = ("www.example.org".to_string(), 443);
        let own = Some(&own);
        for (source, fetched) in [
            ("https://mmbiz.qpic.cn/mmbiz_png/a/640?wx_fmt=png", true),
            ("http://img.example.com/a.jpg", true),
            ("//img.example.com/a.jpg", true),
            ("https://www.example.org/uploads/a.png", false),
            ("https://www.example.org:8443/a.png", true),
            ("/uploads/a.png", false),
            ("a.png", false),
            ("mailto:a@example.com", false),
        ] {
            assert_eq!(remote_url(source, own).is_some(), fetched, "{source}");
        }
    }

    #[test]
    fn internal_addresses_are_not_public() {
        for internal in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!is_public(internal.parse().unwrap()), "{internal}");
        }
        for public in ["101.226.1.1", "8.8.8.8", "2400:3200::1"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
        assert!(names_private_address(
            &Url::parse("http://127.0.0.1:8080/a.png").unwrap()
        ));
        assert!(names_private_address(
            &Url::parse("http://[::1]/a.png").unwrap()
        ));
        assert!(!names_private_address(
            &Url::parse("https://mmbiz.qpic.cn/a.png").unwrap()
        ));
    }
}
