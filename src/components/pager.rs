use leptos::prelude::*;

use crate::model::Pagination;

/// Numbered pagination with real links: 首页, 上一页, page numbers, 下一页, 末页.
#[component]
pub fn Pager(
    /// The list's own URL: page 1. Other pages add `page=N` to its query.
    base: String,
    pagination: Pagination,
) -> impl IntoView {
    let last = pagination.total_pages();
    let href = move |page: i64| {
        if page == 1 {
            base.clone()
        } else {
            let separator = if base.contains('?') { '&' } else { '?' };
            format!("{base}{separator}page={page}")
        }
    };
    let step = |label: &'static str, page: i64, enabled: bool| {
        if enabled {
            view! { <a href=href(page)>{label}</a> }.into_any()
        } else {
            view! { <span class="disabled">{label}</span> }.into_any()
        }
    };
    view! {
        <nav class="pager" aria-label="分页">
            <span class="pager-summary">
                {format!("共 {} 条 / 第 {}/{} 页", pagination.total_items, pagination.page, last)}
            </span>
            {step("首页", 1, pagination.has_previous())}
            {step("上一页", pagination.page - 1, pagination.has_previous())}
            {pagination
                .window()
                .map(|page| {
                    if page == pagination.page {
                        view! { <span class="current" aria-current="page">{page}</span> }.into_any()
                    } else {
                        view! { <a href=href(page)>{page}</a> }.into_any()
                    }
                })
                .collect_view()}
            {step("下一页", pagination.page + 1, pagination.has_next())}
            {step("末页", last, pagination.has_next())}
        </nav>
    }
}
