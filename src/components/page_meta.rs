use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

use crate::model::SiteChrome;

/// A page's `<title>`, description, canonical URL and Open Graph tags.
#[component]
pub fn PageMeta(
    chrome: SiteChrome,
    /// The page's own title; `None` for the home page, which is titled by the site's name.
    #[prop(optional, into)]
    title: Option<String>,
    #[prop(into)] description: String,
    /// The canonical path, such as `/category/news?page=2`; `None` for pages that have no
    /// address of their own, such as a 404.
    #[prop(optional, into)]
    path: Option<String>,
    /// RFC 3339 publish time, for articles.
    #[prop(optional, into)]
    published_time: Option<String>,
) -> impl IntoView {
    let site = chrome.settings.name.clone();
    let full_title = match &title {
        Some(title) => format!("{title} - {site}"),
        None => site.clone(),
    };
    let url = path.map(|path| chrome.absolute(&path));
    let kind = if published_time.is_some() {
        "article"
    } else {
        "website"
    };
    view! {
        <Title text=crate::model::title_text(&full_title)/>
        <Meta name="description" content=description.clone()/>
        {url.clone().map(|url| view! { <Link rel="canonical" href=url/> })}
        <Meta property="og:site_name" content=site/>
        <Meta property="og:type" content=kind/>
        <Meta property="og:title" content=title.unwrap_or_else(|| chrome.settings.name.clone())/>
        <Meta property="og:description" content=description/>
        {url.map(|url| view! { <Meta property="og:url" content=url/> })}
        <Meta property="og:locale" content="zh_CN"/>
        {published_time
            .map(|time| view! { <Meta property="article:published_time" content=time/> })}
    }
}
