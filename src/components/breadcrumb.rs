use leptos::prelude::*;

use crate::model::CategoryLink;

/// `您现在的位置:主页 > 行业动态 > 政策法规 >`, every crumb a link.
#[component]
pub fn Breadcrumb(path: Vec<CategoryLink>) -> impl IntoView {
    view! {
        <nav class="breadcrumb" aria-label="当前位置">
            "您现在的位置:"
            <a href="/">"主页"</a>
            " > "
            {path
                .into_iter()
                .map(|crumb| {
                    let href = crumb.href();
                    view! { <a href=href>{crumb.name}</a> " > " }
                })
                .collect_view()}
        </nav>
    }
}
