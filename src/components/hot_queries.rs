use leptos::prelude::*;

use crate::model::encode;

/// 热门搜索: links that search again for what others searched most.
#[component]
pub fn HotQueries(queries: Vec<String>) -> impl IntoView {
    (!queries.is_empty()).then(|| {
        view! {
            <nav class="hot-queries" aria-label="热门搜索">
                "热门搜索:"
                {queries
                    .into_iter()
                    .map(|query| {
                        let href = format!("/search?q={}", encode(&query));
                        view! { <a href=href>{query}</a> }
                    })
                    .collect_view()}
            </nav>
        }
    })
}
