//! Behind a reverse proxy: every per-address rule keys on the visitor's address from
//! `X-Forwarded-For` when the connection comes from a trusted proxy, and on the connection
//! itself otherwise, whatever the headers claim.
#![cfg(feature = "ssr")]
// A test that cannot unwrap has failed; the lints against unwrap are for the server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use common::{BROWSER, Reply, Site, site_with};
use gazette::server::auth::sign_in_throttle::{self, ADDRESS_LIMIT, keys};
use http::{Request, StatusCode, header};

const PROXY: &str = "127.0.0.1";

async fn behind_proxy() -> Site {
    site_with(|config| config.trusted_proxies = vec![format!("{PROXY}/32").parse().unwrap()]).await
}

/// A request reaching the server from `peer`, with `forwarded` as its X-Forwarded-For.
fn from(
    peer: &str,
    forwarded: Option<&str>,
    request: http::request::Builder,
) -> http::request::Builder {
    let peer: SocketAddr = format!("{peer}:40000").parse().unwrap();
    let mut request = request
        .header(header::USER_AGENT, BROWSER)
        .extension(ConnectInfo(peer));
    if let Some(chain) = forwarded {
        request = request.header("x-forwarded-for", chain);
    }
    request
}

async fn search(site: &Site, peer: &str, forwarded: Option<&str>) -> Reply {
    let request = from(
        peer,
        forwarded,
        Request::get("/search?q=%E6%94%BF%E7%AD%96"),
    );
    site.send(request.body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn searches_from_many_visitors_behind_the_proxy_are_each_their_own() {
    let site = behind_proxy().await;
    for n in 1..=35 {
        let visitor = format!("198.51.100.{n}");
        let reply = search(&site, PROXY, Some(&visitor)).await;
        assert_eq!(reply.status, StatusCode::OK, "visitor {n}");
    }
}

#[tokio::test]
async fn a_forged_forwarded_for_does_not_dodge_the_limit() {
    let site = behind_proxy().await;
    let limit = site.state.config.search_limit_per_minute;
    // From outside, straight to the server: the header is the visitor's own invention.
    for n in 0..limit {
        let forged = format!("203.0.113.{n}");
        let reply = search(&site, "192.0.2.50", Some(&forged)).await;
        assert_eq!(reply.status, StatusCode::OK);
    }
    let refused = search(&site, "192.0.2.50", Some("203.0.113.250")).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    // Through the proxy, a forged first entry is not the address the proxy saw.
    for n in 0..limit {
        let chain = format!("10.0.0.{n}, 198.51.100.77");
        assert_eq!(
            search(&site, PROXY, Some(&chain)).await.status,
            StatusCode::OK
        );
    }
    let chain = "10.9.9.9, 198.51.100.77";
    assert_eq!(
        search(&site, PROXY, Some(chain)).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another visitor through the same proxy is unaffected.
    assert_eq!(
        search(&site, PROXY, Some("198.51.100.78")).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_locked_out_address_leaves_other_visitors_able_to_sign_in() {
    let site = behind_proxy().await;
    // The account `session` makes signs in with 一个足够长的密码.
    common::session(&site.pool, "editor", gazette::model::Role::Editor).await;
    // One address has failed as often as an address may.
    for n in 0..ADDRESS_LIMIT {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        sign_in_throttle::failed(
            &site.state.pool,
            &keys(&format!("guess{n}"), "198.51.100.66"),
            now,
        )
        .await
        .unwrap();
    }
    let sign_in = |visitor: &'static str| {
        let form = "username=editor&password=一个足够长的密码&next=/admin";
        let request = from(PROXY, Some(visitor), Request::post("/api/sign_in"))
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, "http://127.0.0.1:3000")
            .header(header::ACCEPT, "application/json")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .unwrap();
        site.send(request)
    };
    let locked = sign_in("198.51.100.66").await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        locked.body
    );
    let other = sign_in("198.51.100.67").await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.body);
    let cookies: Vec<&str> = other
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect();
    assert!(
        cookies
            .iter()
            .any(|cookie| cookie.starts_with("gz_session=")),
        "{cookies:?}"
    );
}

#[tokio::test]
async fn visitors_without_the_cookie_count_once_each_behind_the_proxy() {
    let site = behind_proxy().await;
    let id = site.model_article_id().await;
    let before = site.views(id).await;
    for visitor in ["198.51.100.1", "198.51.100.2", "198.51.100.1"] {
        let request = from(PROXY, Some(visitor), Request::get(format!("/article/{id}")));
        let reply = site.send(request.body(Body::empty()).unwrap()).await;
        assert_eq!(reply.status, StatusCode::OK);
    }
    assert_eq!(site.views(id).await, before + 2);
}
