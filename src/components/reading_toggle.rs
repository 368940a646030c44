use leptos::prelude::*;
use leptos_meta::Html;
use leptos_router::hooks::use_location;

use crate::model::encode;

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
    // Back to the page the visitor is on now, after client-side navigation too. The
    // router's `search` has no leading `?`.
    let href = move || {
        let search = location.search.get();
        let here = if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{search}", location.pathname.get())
        };
        format!("/reading?mode={mode}&return={}", encode(&here))
    };
    view! {
        <Html attr:class=large_text.then_some("reading-large")/>
        <a class="reading-toggle" href=href rel="external">{label}</a>
    }
}
