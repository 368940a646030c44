use leptos::prelude::*;

use crate::components::{LinkList, PageMeta, set_status, use_chrome};

/// An address no route knows. Reached by following a link after the page hydrated, it may
/// still be an old address the server redirects (from an import, or added by an editor):
/// the browser asks the server by loading it. Loaded from the server, it is a 404.
#[component]
pub fn UnknownAddress() -> impl IntoView {
    let followed_a_link = crate::HYDRATED.load(std::sync::atomic::Ordering::Relaxed);
    Effect::new(move || {
        if followed_a_link && let Err(error) = window().location().reload() {
            leptos::logging::warn!("could not ask the server for this address: {error:?}");
        }
    });
    view! { <NotFound/> }
}

/// 404: says so plainly and offers the way back.
#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    let chrome = use_chrome();
    view! {
        <section class="not-found">
            <h1>"抱歉,您访问的页面不存在"</h1>
            <p>"该页面可能已被删除、尚未发布,或网址有误。您可以:"</p>
            <ul>
                <li>
                    <a href="/">"返回首页"</a>
                </li>
                <li>"检查网址是否输入正确"</li>
                <li>"从下列栏目继续浏览"</li>
            </ul>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    chrome.await.ok().map(|chrome| {
                        let categories = chrome.nav.iter().map(|c| (c.href(), c.name.clone())).collect();
                        view! {
                            <PageMeta
                                chrome
                                title="页面不存在"
                                description="您访问的页面不存在。"
                            />
                            <LinkList class="category-links" links=categories/>
                        }
                    })
                })}
            </Suspense>
        </section>
    }
}
