//! Who sent a request. Behind a reverse proxy the connection comes from the proxy, so the
//! visitor's address is taken from `X-Forwarded-For` (or `X-Real-IP`), and whether they came
//! over https from `X-Forwarded-Proto`, but only when the connection comes from a proxy the
//! configuration trusts (`trusted_proxies`). Anyone else's headers are ignored: a visitor
//! could write any address into them.
//!
//! Every per-address rule reads the `Client` this middleware puts on the request: the search
//! limit, the sign-in throttle, visitor identity for 浏览量, and the request log.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;

use crate::server::state::AppState;

/// The request's client, as far as this server can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Client {
    pub address: IpAddr,
    /// The visitor reached the proxy over https.
    pub forwarded_https: bool,
}

/// The proxies whose headers are believed, as the middleware holds them: a plain reference,
/// since the state of a middleware is copied for every request (an `Arc` would be counted
/// up and down by every request, on every core).
#[derive(Clone, Copy)]
pub struct TrustedProxies(pub &'static [IpNet]);

impl TrustedProxies {
    /// The configured list, kept for the rest of the process (one per router built).
    pub fn from_state(state: &AppState) -> TrustedProxies {
        TrustedProxies(Box::leak(
            state.config.trusted_proxies.clone().into_boxed_slice(),
        ))
    }
}

/// Puts the request's `Client` into its extensions.
pub async fn identify(
    State(TrustedProxies(trusted)): State<TrustedProxies>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip());
    // Requests made in-process (tests) have no connection, and so no client.
    if let Some(peer) = peer {
        let client = resolve(peer, request.headers(), trusted);
        request.extensions_mut().insert(client);
    }
    next.run(request).await
}

/// The client of a connection from `peer` carrying `headers`.
pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> Client {
    let is_trusted = |address: &IpAddr| trusted.iter().any(|net| net.contains(address));
    if !is_trusted(&peer) {
        return Client {
            address: peer,
            forwarded_https: false,
        };
    }
    // Each proxy appends the address it was reached from; the entries a client wrote come
    // first. Walking from the right, the first address that is not one of our proxies is
    // the client; nothing left of an entry our proxies did not write can be believed.
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    let mut last_proxy = None;
    let mut client = None;
    for entry in entries.iter().rev() {
        match parse_address(entry) {
            Some(address) if is_trusted(&address) => last_proxy = Some(address),
            Some(address) => {
                client = Some(address);
                break;
            }
            None => break,
        }
    }
    let address = client
        .or(last_proxy)
        .or_else(|| {
            headers
                .get("x-real-ip")
                .and_then(|value| value.to_str().ok())
                .and_then(|value| parse_address(value.trim()))
        })
        .unwrap_or(peer);
    let forwarded_https = headers
        .get("x-forwarded-proto")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(',').next_back())
        .is_some_and(|scheme| scheme.trim().eq_ignore_ascii_case("https"));
    Client {
        address,
        forwarded_https,
    }
}

/// An address as proxies write it: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1` or
/// `[2001:db8::1]:5678`.
fn parse_address(text: &str) -> Option<IpAddr> {
    text.parse::<IpAddr>()
        .ok()
        .or_else(|| text.parse::<SocketAddr>().ok().map(|socket| socket.ip()))
}

/// The request's client inside a server function; none for requests made in-process.
pub async fn current() -> Option<Client> {
    use axum::Extension;
    leptos_axum::extract::<Extension<Client>>()
        .await
        .ok()
        .map(|Extension(client)| client)
}

/// The client's address inside a server function, as text; "unknown" without one.
pub async fn client_address() -> String {
    current()
        .await
        .map_or_else(|| "unknown".into(), |client| client.address.to_string())
}

/// Whether cookies must be `Secure`: the site is public over https, or this visitor
/// reached the proxy in front of it over https.
pub async fn is_https(config: &crate::server::config::Config) -> bool {
    config.is_https() || current().await.is_some_and(|client| client.forwarded_https)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap());
        }
        map
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|net| net.parse().unwrap()).collect()
    }

    fn address(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        let forged = headers(&[
            ("x-forwarded-for", "1.1.1.1"),
            ("x-real-ip", "2.2.2.2"),
            ("x-forwarded-proto", "https"),
        ]);
        let client = resolve(address("203.0.113.9"), &forged, &[]);
        assert_eq!(client.address, address("203.0.113.9"));
        assert!(!client.forwarded_https);
        let client = resolve(address("203.0.113.9"), &forged, &nets(&["127.0.0.1/32"]));
        assert_eq!(client.address, address("203.0.113.9"));
    }

    #[test]
    fn behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client() {
        let trusted = nets(&["127.0.0.1/32", "10.0.0.0/8"]);
        let proxy = address("127.0.0.1");
        // The client forged the first entry; our proxy appended the address it saw.
        let chain = headers(&[("x-forwarded-for", "6.6.6.6, 198.51.100.7")]);
        assert_eq!(
            resolve(proxy, &chain, &trusted).address,
            address("198.51.100.7")
        );
        // Through two of our proxies.
        let chain = headers(&[
            ("x-forwarded-for", "6.6.6.6, 198.51.100.7"),
            ("x-forwarded-for", "10.1.2.3"),
        ]);
        assert_eq!(
            resolve(proxy, &chain, &trusted).address,
            address("198.51.100.7")
        );
        // A client on the proxies' own network.
        let chain = headers(&[("x-forwarded-for", "10.9.9.9")]);
        assert_eq!(
            resolve(proxy, &chain, &trusted).address,
            address("10.9.9.9")
        );
        let real = headers(&[("x-real-ip", "[2001:db8::5]:443")]);
        assert_eq!(
            resolve(proxy, &real, &trusted).address,
            address("2001:db8::5")
        );
        assert_eq!(
            resolve(proxy, &HeaderMap::new(), &trusted).address,
            address("127.0.0.1")
        );
        let https = headers(&[("x-forwarded-proto", "https")]);
        assert!(resolve(proxy, &https, &trusted).forwarded_https);
    }

    #[test]
    fn nothing_left_of_a_malformed_entry_is_believed() {
        let trusted = nets(&["127.0.0.1/32", "10.0.0.0/8"]);
        let proxy = address("127.0.0.1");
        let chain = headers(&[("x-forwarded-for", "junk, 198.51.100.7")]);
        assert_eq!(
            resolve(proxy, &chain, &trusted).address,
            address("198.51.100.7")
        );
        let chain = headers(&[("x-forwarded-for", "6.6.6.6, junk, 10.0.0.2")]);
        assert_eq!(
            resolve(proxy, &chain, &trusted).address,
            address("10.0.0.2")
        );
    }
}
