//! The server (feature `ssr`), in rooms by concern. Each room's `mod.rs` says what lives
//! there and what it may use:
//!
//! - `http/`: the router and the middleware stack, in the order requests pass it.
//! - `handlers/`: plain routes outside Leptos (feeds, sitemaps, uploads, reading mode, health).
//! - `auth/`: passwords, sessions, permission checks, the sign-in throttle.
//! - `editorial/`: the editors' rules (workflow, sanitising, revisions, form drafts).
//! - `audience/`: visitors (identity, 浏览量, 热门搜索, the search limit).
//! - `commands/`: what `gazette <sub>` runs; never on a request path.
//! - `import/`: moving an old DedeCMS or WordPress site in (`gazette import`).
//!
//! At the top: `run` (serving and the graceful stop), `tasks` (background work), `state`
//! (what handlers and server functions share), `config`, `server_fns` (how a server
//! function opens and finishes), `bundle` (the site's wasm is from this build),
//! `chrome_cache` (the header and footer's data, read once a second) and `clock`.
//!
//! All SQL is in `crate::db`, which knows nothing of this module.

pub mod audience;
pub mod auth;
pub mod bundle;
pub mod chrome_cache;
pub mod clock;
pub mod commands;
pub mod config;
pub mod editorial;
pub mod handlers;
pub mod http;
pub mod import;
pub mod run;
pub mod server_fns;
pub mod state;
pub mod tasks;
