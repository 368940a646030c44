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
    // `</` inside a script would end it early.
    let json = data.to_string().replace("</", "<\\/");
    view! { <script type="application/ld+json" inner_html=json></script> }
}
