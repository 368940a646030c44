use leptos::prelude::*;
use leptos_meta::Html;
use leptos_router::hooks::use_location;

use crate::model::{encode, path_and_query};

/// Switches large text and high contrast on or off. A plain link to the server, which
/// remembers the choice and comes back here, so it works without JavaScript too.
#[component]
pub fn ReadingToggle(large_text: bool) -> impl IntoView {
    let location = use_location();
    let (mode, label) = if large_text {
        ("standard", "标准字号")
    } else {
        ("large", "大字号 · 高对比")
    };
    // Back to the page the visitor is on now, after client-side navigation too.
    let href = move || {
        let here = path_and_query(&location.pathname.get(), &location.search.get());
        format!("/reading?mode={mode}&return={}", encode(&here))
    };
    view! {
        <Html attr:class=large_text.then_some("reading-large")/>
        <a class="reading-toggle" href=href rel="external">{label}</a>
    }
}
