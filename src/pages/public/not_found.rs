use leptos::prelude::*;

use crate::components::{LinkList, PageMeta, set_status, use_chrome};

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
