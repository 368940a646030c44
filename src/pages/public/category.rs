use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::NotFound;
use crate::api::get_category;
use crate::components::{
    ArticleList, Breadcrumb, ErrorNotice, LinkList, PageMeta, Pager, use_chrome,
};
use crate::model::{CategoryPage as Shown, CategoryView, SiteChrome, parse_page};

/// `/category/{slug}?page=N`: a list of articles, or a single page.
#[component]
pub fn CategoryPage() -> impl IntoView {
    let chrome = use_chrome();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let slug = params.read().get("slug").unwrap_or_default();
        let page = parse_page(query.read().get("page").as_deref());
        (slug, page)
    };
    let category = Resource::new(key, |(slug, page)| async move {
        match page {
            Some(page) => get_category(slug, page).await,
            None => Ok(None),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p class="loading">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match (chrome.await, category.await) {
                    (Ok(chrome), Ok(Some(view))) => {
                        view! { <CategoryView chrome view/> }.into_any()
                    }
                    (Ok(_), Ok(None)) => view! { <NotFound/> }.into_any(),
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CategoryView(chrome: SiteChrome, view: CategoryView) -> impl IntoView {
    let base = view.category.href();
    let (title, path) = match &view.page {
        Shown::List { pagination, .. } if pagination.page > 1 => (
            format!("{} - 第{}页", view.category.name, pagination.page),
            format!("{base}?page={}", pagination.page),
        ),
        _ => (view.category.name.clone(), base.clone()),
    };
    let description = if view.description.is_empty() {
        view.category.name.clone()
    } else {
        view.description.clone()
    };
    let children = (!view.children.is_empty()).then(|| {
        view! {
            <nav class="sub-categories" aria-label="子栏目">
                <LinkList links=view.children.iter().map(|c| (c.href(), c.name.clone())).collect()/>
            </nav>
        }
    });
    let content = match view.page {
        Shown::List {
            articles,
            pagination,
        } => view! {
            <ArticleList articles/>
            <Pager base pagination/>
        }
        .into_any(),
        Shown::Single { body } => {
            view! { <div class="page-body" inner_html=body></div> }.into_any()
        }
    };
    view! {
        <PageMeta chrome title description path/>
        <Breadcrumb path=view.path/>
        <section class="category">
            <h1>{view.category.name}</h1>
            {children}
            {content}
        </section>
    }
}
