use leptos::prelude::*;
use leptos_router::components::Form;

use crate::model::MAX_QUERY_CHARS;

/// The site-wide search field. A plain GET form, so it works before and without hydration.
#[component]
pub fn SearchBox(
    /// What the field shows, such as the query of the results being shown.
    #[prop(optional, into)]
    value: String,
) -> impl IntoView {
    view! {
        <Form action="/search" method="get">
            <div class="search-box" role="search">
                <label for="site-search" class="visually-hidden">"站内搜索"</label>
                <input
                    id="site-search"
                    type="search"
                    name="q"
                    value=value
                    maxlength=MAX_QUERY_CHARS
                    placeholder="搜索新闻、通知、政策"
                />
                <button type="submit">"搜索"</button>
            </div>
        </Form>
    }
}
