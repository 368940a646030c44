//! Plain axum routes, outside Leptos: feeds, sitemaps, uploads (in and out), the reading
//! mode switch and the health check. Each reads through `db::` and the shared state; none
//! renders a page.

pub mod feeds;
pub mod health;
pub mod reading;
pub mod sitemap;
pub mod uploads;
