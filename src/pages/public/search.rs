use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::NotFound;
use crate::api::search_articles;
use crate::components::{ErrorNotice, PageMeta, Pager, use_chrome};
use crate::model::{
    MAX_QUERY_CHARS, MAX_RANKED, NavItem, SearchHit, SearchParams, SearchResults, SiteChrome,
    parse_page,
};

/// `/search?q=…&category=…&from=…&until=…&page=N`.
#[component]
pub fn SearchPage() -> impl IntoView {
    let chrome = use_chrome();
    let query = use_query_map();
    let key = move || {
        query.with(|query| {
            let get = |name: &str| query.get(name).unwrap_or_default();
            let params = SearchParams {
                q: get("q"),
                category: get("category"),
                from: get("from"),
                until: get("until"),
            };
            (params, parse_page(query.get("page").as_deref()))
        })
    };
    let results = Resource::new(key, |(params, page)| async move {
        match page {
            Some(page) => search_articles(params.clone(), page)
                .await
                .map(|r| r.map(|r| (params, r))),
            None => Ok(None),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p class="loading">"正在搜索…"</p> }>
            {move || Suspend::new(async move {
                match (chrome.await, results.await) {
                    (Ok(chrome), Ok(Some((params, results)))) => {
                        view! { <SearchView chrome params results/> }.into_any()
                    }
                    (Ok(_), Ok(None)) => view! { <NotFound/> }.into_any(),
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SearchView(chrome: SiteChrome, params: SearchParams, results: SearchResults) -> impl IntoView {
    let title = if params.q.trim().is_empty() {
        "站内搜索".to_string()
    } else {
        format!("“{}”的搜索结果", params.q.trim())
    };
    let categories = chrome.nav.clone();
    let summary = results.pagination.map(|pagination| {
        if results.more {
            format!("超过 {MAX_RANKED} 条结果,按相关度列出最新的 {MAX_RANKED} 条")
        } else {
            format!("共 {} 条结果", pagination.total_items)
        }
    });
    let base = params.href();
    view! {
        <PageMeta chrome title=title.clone() description="在本站的新闻、通知和政策中搜索。"/>
        <section class="search">
            <h1>{title}</h1>
            <SearchForm params categories/>
            {results.notices.into_iter().map(|notice| view! { <p class="notice">{notice}</p> }).collect_view()}
            {summary.map(|summary| view! { <p class="result-count">{summary}</p> })}
            {results.pagination.map(|pagination| view! {
                <ResultList hits=results.hits/>
                <Pager base pagination/>
            })}
        </section>
    }
}

#[component]
fn SearchForm(params: SearchParams, categories: Vec<NavItem>) -> impl IntoView {
    let options = categories
        .into_iter()
        .flat_map(|top| {
            let children: Vec<(String, String)> = top
                .children
                .iter()
                .map(|child| (child.slug.clone(), format!("— {}", child.name)))
                .collect();
            std::iter::once((top.slug.clone(), top.name.clone())).chain(children)
        })
        .map(|(slug, name)| {
            let selected = slug == params.category;
            view! { <option value=slug selected=selected>{name}</option> }
        })
        .collect_view();
    view! {
        <Form action="/search" method="get">
            <div class="search-form">
            <p>
                <label for="search-q">"关键词"</label>
                <input id="search-q" type="search" name="q" value=params.q maxlength=MAX_QUERY_CHARS/>
            </p>
            <p>
                <label for="search-category">"栏目"</label>
                <select id="search-category" name="category">
                    <option value="">"全部栏目"</option>
                    {options}
                </select>
            </p>
            <p>
                <label for="search-from">"发布日期从"</label>
                <input id="search-from" type="date" name="from" value=params.from/>
                <label for="search-until">"至"</label>
                <input id="search-until" type="date" name="until" value=params.until/>
            </p>
            <p>
                <button type="submit">"搜索"</button>
            </p>
            </div>
        </Form>
    }
}

#[component]
fn ResultList(hits: Vec<SearchHit>) -> impl IntoView {
    if hits.is_empty() {
        return view! { <p class="empty">"没有找到相关文章,请换个关键词试试。"</p> }.into_any();
    }
    view! {
        <ol class="search-results" aria-label="搜索结果">
            {hits
                .into_iter()
                .map(|hit| {
                    let href = hit.href();
                    let category_href = hit.category.href();
                    view! {
                        <li>
                            <h2>
                                <a href=href inner_html=hit.title_html></a>
                            </h2>
                            <p class="excerpt" inner_html=hit.excerpt_html></p>
                            <p class="result-meta">
                                <a href=category_href>{hit.category.name}</a>
                                " "
                                <time>{hit.published}</time>
                            </p>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}
