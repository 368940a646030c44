//! The HTML shell, the site's frame and the route table.

use leptos::prelude::*;
use leptos_meta::{Link, MetaTags, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{Lazy, SsrMode, path};

use crate::api::get_site_chrome;
use crate::components::{SiteFooter, SiteHeader, provide_chrome, provide_server_rendered_bodies};
use crate::pages::admin::*;
use crate::pages::public::{ArticlePage, CategoryPage, HomePage, SearchPage, UnknownAddress};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::http::security_headers::provide_request_nonce();
    let assets = asset_prefix();
    // Editors' pages hydrate; visitors' pages only need their links taken care of
    // (`src/navigation.js`), which spares them the whole wasm bundle.
    let code = if is_editors_area(&request_path()) {
        view! { <HydrationScripts options=options.clone() root=assets.clone()/> }.into_any()
    } else {
        // Nothing will hydrate, so the resources' data is not written into the page (as in
        // Leptos' islands mode, where only islands hydrate): half of a page's bytes saved.
        if let Some(context) = Owner::current_shared_context() {
            context.set_is_hydrating(false);
        }
        let src = format!("{assets}/{NAVIGATION_SCRIPT}");
        view! { <script src=src defer data-navigation data-build=crate::BUILD_ID></script> }
            .into_any()
    };
    view! {
        <!DOCTYPE html>
        <html lang="zh-CN">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options/>
                {code}
                <link rel="stylesheet" id="leptos" href=format!("{assets}/pkg/gazette.css")/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The visitors' navigation script, under the version's prefix like the bundle.
pub const NAVIGATION_SCRIPT: &str = "navigation.js";

/// The editors' area: hydrated pages, never kept by the page cache or framed.
pub fn is_editors_area(path: &str) -> bool {
    path == "/admin" || path.starts_with("/admin/")
}

/// The path of the request being rendered; empty outside a request.
fn request_path() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .map(|parts| parts.uri.path().to_string())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    String::new()
}

/// Where this version's bundle and styles are served (`versioned_assets`); empty (the plain
/// `/pkg/` addresses) outside a request.
fn asset_prefix() -> String {
    #[cfg(feature = "ssr")]
    {
        use crate::server::http::versioned_assets::AssetPrefix;
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<AssetPrefix>().cloned())
            .map(|prefix| prefix.0.to_string())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    String::new()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_chrome(OnceResource::new(get_site_chrome()));
    provide_server_rendered_bodies();

    view! {
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Link rel="alternate" type_="application/rss+xml" href="/feed.xml" title="RSS"/>
        <Router>
            <a class="skip-link" href="#main">"跳到正文"</a>
            <PublicOnly><SiteHeader/></PublicOnly>
            <main id="main" class="container" tabindex="-1">
                // Async rendering waits for the database, so that each page's title and meta
                // tags are in the first response's <head> and its status can be 404.
                <Routes fallback=UnknownAddress>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/category/:slug") view=CategoryPage ssr=SsrMode::Async/>
                    <Route path=path!("/article/:id") view=ArticlePage ssr=SsrMode::Async/>
                    <Route path=path!("/search") view=SearchPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/login") view={Lazy::<SignInRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view={Lazy::<ArticlesRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/articles/new") view={Lazy::<NewArticleRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/articles/:id") view={Lazy::<EditArticleRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/articles/:id/history") view={Lazy::<HistoryRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/articles/:id/preview") view={Lazy::<PreviewRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/categories") view={Lazy::<CategoriesRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/categories/:id") view={Lazy::<CategoryRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/links") view={Lazy::<LinksRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/redirects") view={Lazy::<RedirectsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/settings") view={Lazy::<SettingsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users") view={Lazy::<UsersRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/uploads") view={Lazy::<UploadsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/account") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::Async/>
                </Routes>
            </main>
            <PublicOnly><SiteFooter/></PublicOnly>
        </Router>
    }
}

/// Shows its children on visitors' pages, not in the editors' area, which has its own menu.
#[component]
fn PublicOnly(children: ChildrenFn) -> impl IntoView {
    let location = use_location();
    let public = move || !location.pathname.with(|path| is_editors_area(path));
    move || public().then(|| children())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_editors_area_is_admin_and_below() {
        assert!(is_editors_area("/admin"));
        assert!(is_editors_area("/admin/articles/3"));
        assert!(!is_editors_area("/administration"));
        assert!(!is_editors_area("/article/1"));
    }
}
