use leptos::prelude::*;

use super::{HotQueries, LinkList, ReadingToggle, SearchBox, use_chrome};
use crate::model::{NavItem, SiteSettings};

/// The masthead with the association's contact details, and the category navigation.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let chrome = use_chrome();
    view! {
        <header class="site-header">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    chrome.await.ok().map(|chrome| view! {
                        <Masthead
                            settings=chrome.settings
                            large_text=chrome.large_text
                            hot_queries=chrome.hot_queries
                        />
                        <SiteNav items=chrome.nav/>
                    })
                })}
            </Suspense>
        </header>
    }
}

#[component]
fn Masthead(settings: SiteSettings, large_text: bool, hot_queries: Vec<String>) -> impl IntoView {
    let contact = [
        ("地址", settings.address),
        ("电话", settings.phone),
        ("传真", settings.fax),
        ("邮箱", settings.email),
    ];
    view! {
        <div class="masthead container">
            <a class="site-name" href="/">{settings.name}</a>
            <div class="masthead-tools">
                <SearchBox/>
                <ReadingToggle large_text/>
                <HotQueries queries=hot_queries/>
            </div>
            <ul class="contact" aria-label="联系方式">
                {contact
                    .into_iter()
                    .filter(|(_, value)| !value.is_empty())
                    .map(|(label, value)| view! { <li>{format!("{label}:{value}")}</li> })
                    .collect_view()}
            </ul>
        </div>
    }
}

#[component]
fn SiteNav(items: Vec<NavItem>) -> impl IntoView {
    view! {
        <nav class="site-nav" aria-label="栏目导航">
            <ul class="container">
                <li>
                    <a href="/">"首页"</a>
                </li>
                {items
                    .into_iter()
                    .map(|item| {
                        let href = item.href();
                        let children = (!item.children.is_empty()).then(|| {
                            let links = item.children.iter().map(|c| (c.href(), c.name.clone())).collect();
                            view! { <LinkList class="sub-nav" links/> }
                        });
                        view! {
                            <li>
                                <a href=href>{item.name}</a>
                                {children}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
