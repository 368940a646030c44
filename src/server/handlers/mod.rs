//! Plain axum routes, outside Leptos: feeds, sitemaps, uploads (in and out), the reading
//! mode switch, the health check and the visitors' navigation script (from the binary).
//! The others read through `db::` and the shared state; none renders a page.

pub mod feeds;
pub mod health;
pub mod navigation;
pub mod reading;
pub mod sitemap;
pub mod uploads;
