//! Who sent a request: the client's address, for the per-address rules.

use std::net::SocketAddr;

/// The address a server function's request came from, or "unknown" without one (tests).
pub async fn client_address() -> String {
    use axum::extract::ConnectInfo;
    leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .map(|ConnectInfo(address)| address.ip().to_string())
        .unwrap_or_else(|_| "unknown".into())
}
