use leptos::prelude::*;

use crate::model::{ArticleDetail, SiteChrome};

/// schema.org `NewsArticle` data for search engines.
#[component]
pub fn NewsArticleData(chrome: SiteChrome, article: ArticleDetail) -> impl IntoView {
    let url = chrome.absolute(&format!("/article/{}", article.id));
    let data = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.summary,
        "datePublished": article.published_iso,
        "mainEntityOfPage": url,
        "url": url,
        "author": { "@type": "Organization", "name": chrome.settings.name },
        "publisher": { "@type": "Organization", "name": chrome.settings.name },
    });
    // No `<` at all inside the script: `</script>` would end it early, and `<!--` would
    // make the parser swallow the page after it.
    let json = data.to_string().replace('<', "\\u003c");
    view! { <script type="application/ld+json" inner_html=json></script> }
}
