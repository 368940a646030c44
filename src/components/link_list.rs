use leptos::prelude::*;

/// A list of links, one per item: sub-categories, navigation menus.
#[component]
pub fn LinkList(
    /// `(href, text)` pairs, in order.
    links: Vec<(String, String)>,
    #[prop(optional)] class: &'static str,
) -> impl IntoView {
    view! {
        <ul class=class>
            {links
                .into_iter()
                .map(|(href, text)| view! {
                    <li>
                        <a href=href>{text}</a>
                    </li>
                })
                .collect_view()}
        </ul>
    }
}
