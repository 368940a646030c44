//! Gazette: the news and notice website of an industry association.
//!
//! The same crate builds the server (feature `ssr`) and the browser client (feature
//! `hydrate`); server-only modules are declared here and nowhere else gated.

pub mod api;
pub mod app;
pub mod components;
pub mod error;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod search;
#[cfg(feature = "ssr")]
pub mod server;

#[cfg(all(test, feature = "ssr"))]
mod fuzz;

/// Set once the page has hydrated: from then on the router renders pages without asking
/// the server, which on its own never sets it.
pub static HYDRATED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The build both halves come from (see `build.rs`): the server finds it in the bundle it
/// serves, and the bundle writes it on the page it hydrates.
pub const BUILD_ID: &str = concat!("gazette-build-", env!("GAZETTE_BUILD_ID"));

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // As `leptos::mount::hydrate_lazy`, but knowing when the lazily loaded routes of the
    // editors' area have hydrated too.
    wasm_bindgen_futures::spawn_local(async {
        let Some(body) = leptos::prelude::document().body() else {
            leptos::logging::error!("the page has no <body> to hydrate");
            return;
        };
        let owner = leptos::mount::hydrate_from_async(body, app::App).await;
        owner.forget();
        HYDRATED.store(true, std::sync::atomic::Ordering::Relaxed);
        // Lets scripts, styles and browser tests tell a hydrated page from server-rendered
        // HTML.
        if let Some(root) = leptos::prelude::document().document_element()
            && root.set_attribute("data-hydrated", BUILD_ID).is_err()
        {
            leptos::logging::warn!("could not mark the page as hydrated");
        }
    });
}
