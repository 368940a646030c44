//! An article's body is sent once. The server renders it into the page; the data the page
//! hydrates from carries it empty, and hydration leaves server-rendered `inner_html` as it
//! is. Client-side navigation fetches the whole article, body included, and renders it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use leptos::prelude::*;

use crate::model::{ArticleDetail, ArticlePage};

/// Bodies taken out of the hydration data while a page renders on the server, by article.
#[derive(Clone, Default)]
pub struct ServerRenderedBodies(Arc<Mutex<HashMap<i64, String>>>);

/// Provided by the app while it renders on the server.
pub fn provide_server_rendered_bodies() {
    if cfg!(feature = "ssr") {
        provide_context(ServerRenderedBodies::default());
    }
}

/// The page as the hydration data should carry it: on the server, without its body, which
/// is kept for the render; in the browser, unchanged.
pub fn without_body(mut page: ArticlePage) -> ArticlePage {
    if let Some(bodies) = use_context::<ServerRenderedBodies>()
        && let Ok(mut bodies) = bodies.0.lock()
    {
        let body = std::mem::take(&mut page.article.body);
        bodies.insert(page.article.id, body);
    }
    page
}

/// The body to render: the article's own, or on the server the one kept by `without_body`.
pub fn body_html(article: &ArticleDetail) -> String {
    if article.body.is_empty()
        && let Some(bodies) = use_context::<ServerRenderedBodies>()
        && let Ok(bodies) = bodies.0.lock()
        && let Some(body) = bodies.get(&article.id)
    {
        return body.clone();
    }
    article.body.clone()
}
