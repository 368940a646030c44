use leptos::prelude::*;

use super::use_chrome;
use crate::model::{FriendlyLink, SiteSettings};

/// Where the Ministry of Industry and Information Technology lists ICP licences.
const ICP_REGISTRY: &str = "https://beian.miit.gov.cn/";

/// 友情链接, then the copyright line with the ICP licence and the association's address.
#[component]
pub fn SiteFooter() -> impl IntoView {
    let chrome = use_chrome();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                chrome.await.ok().map(|chrome| view! {
                    <FriendlyLinks links=chrome.links/>
                    <Colophon settings=chrome.settings/>
                })
            })}
        </Suspense>
    }
}

#[component]
fn FriendlyLinks(links: Vec<FriendlyLink>) -> impl IntoView {
    (!links.is_empty()).then(|| {
        view! {
            <section class="friendly-links container" aria-labelledby="friendly-links-title">
                <h2 id="friendly-links-title">"友情链接"</h2>
                <ul>
                    {links
                        .into_iter()
                        .map(|link| view! {
                            <li>
                                <a href=link.url rel="noopener" target="_blank">{link.name}</a>
                            </li>
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    })
}

#[component]
fn Colophon(settings: SiteSettings) -> impl IntoView {
    let contact = [
        ("地址", settings.address),
        ("邮编", settings.postcode),
        ("电话", settings.phone),
    ];
    // On phones the header leaves its contact lines out; these two are found here instead.
    let on_phones = [("传真", settings.fax), ("邮箱", settings.email)];
    view! {
        <footer class="site-footer">
            <div class="container">
                <p>
                    {format!("{} {} ", settings.copyright, settings.name)}
                    {(!settings.icp_number.is_empty()).then(|| view! {
                        <a href=ICP_REGISTRY rel="noopener" target="_blank">{settings.icp_number}</a>
                    })}
                    " " {settings.police_number}
                </p>
                <p>
                    {contact
                        .into_iter()
                        .filter(|(_, value)| !value.is_empty())
                        .map(|(label, value)| view! { <span>{format!("{label}:{value}")}</span> " " })
                        .collect_view()}
                    {on_phones
                        .into_iter()
                        .filter(|(_, value)| !value.is_empty())
                        .map(|(label, value)| view! { <span class="on-phones">{format!("{label}:{value}")}</span> " " })
                        .collect_view()}
                </p>
            </div>
        </footer>
    }
}
