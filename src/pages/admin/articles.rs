//! `/admin`: every article the user may see, filtered and paginated.

use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::notices::{DoneNotice, LoadError};
use crate::api::{list_article_categories, list_articles};
use crate::components::Pager;
use crate::model::{ArticleFilter, ArticleRow, ArticleStatus, CategoryNode, encode, parse_page};

#[component]
pub fn ArticleTable() -> impl IntoView {
    let query = use_query_map();
    let key = move || {
        query.with(|query| {
            let number = |name: &str| query.get(name).and_then(|v| v.parse::<i64>().ok());
            let filter = ArticleFilter {
                category: number("category").filter(|id| *id > 0),
                status: query
                    .get("status")
                    .as_deref()
                    .and_then(ArticleStatus::parse),
                author: None,
                q: query.get("q").unwrap_or_default(),
            };
            (
                filter,
                parse_page(query.get("page").as_deref()).unwrap_or(1),
            )
        })
    };
    let articles = Resource::new(key, |(filter, page)| async move {
        list_articles(filter, page).await
    });
    let categories = Resource::new(|| (), |_| list_article_categories());
    view! {
        <DoneNotice/>
        <p><a class="button" href="/admin/articles/new">"写文章"</a></p>
        <Suspense fallback=|| view! { <p class="loading">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                let (filter, _) = key();
                let categories = categories.await.unwrap_or_default();
                match articles.await {
                    Ok(page) => {
                        let base = filter_href(&filter);
                        view! {
                            <FilterForm filter categories/>
                            <Rows rows=page.rows/>
                            <Pager base pagination=page.pagination/>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn filter_href(filter: &ArticleFilter) -> String {
    format!(
        "/admin?category={}&status={}&q={}",
        filter.category.unwrap_or(0),
        filter.status.map(ArticleStatus::as_str).unwrap_or(""),
        encode(&filter.q)
    )
}

#[component]
fn FilterForm(filter: ArticleFilter, categories: Vec<CategoryNode>) -> impl IntoView {
    view! {
        <Form method="GET" action="/admin" attr:class="filter-form" attr:role="search">
            <label>
                "栏目"
                <select name="category">
                    <option value="0">"全部栏目"</option>
                    {categories
                        .into_iter()
                        .map(|c| {
                            let selected = filter.category == Some(c.id);
                            view! {
                                <option value=c.id selected=selected>
                                    {format!("{}{}", "— ".repeat(c.depth), c.name)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label>
                "状态"
                <select name="status">
                    <option value="">"全部状态"</option>
                    {ArticleStatus::ALL
                        .into_iter()
                        .map(|s| {
                            view! {
                                <option value=s.as_str() selected=filter.status == Some(s)>
                                    {s.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label>"标题" <input type="search" name="q" value=filter.q.clone()/></label>
            <button type="submit">"筛选"</button>
        </Form>
    }
}

#[component]
fn Rows(rows: Vec<ArticleRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p>"没有符合条件的文章"</p> }.into_any();
    }
    view! {
        <table class="admin-table">
            <thead>
                <tr>
                    <th scope="col">"标题"</th>
                    <th scope="col">"栏目"</th>
                    <th scope="col">"状态"</th>
                    <th scope="col">"作者"</th>
                    <th scope="col">"发布时间"</th>
                    <th scope="col">"最后修改"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|row| {
                        let status = if row.scheduled { "定时发布" } else { row.status.label() };
                        view! {
                            <tr>
                                <td><a href=format!("/admin/articles/{}", row.id)>{row.title}</a></td>
                                <td>{row.category}</td>
                                <td>{status}</td>
                                <td>{row.author}</td>
                                <td>{row.published}</td>
                                <td>{row.updated}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
