//! `/admin/redirects`: old addresses that lead to new ones (from imports, or added here
//! when a page is renamed or moved), searchable, with a form to add one.

use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::draft::{FormDraft, use_form_draft};
use super::notices::{ActionError, DoneNotice, LoadError};
use crate::api::{AddRedirect, DeleteRedirect, list_redirects};
use crate::components::Pager;
use crate::model::{MAX_REDIRECT_PATH_CHARS, RedirectRow, encode, parse_page};

#[component]
pub fn Redirects() -> impl IntoView {
    let query = use_query_map();
    let key = move || {
        query.with(|query| {
            (
                query.get("q").unwrap_or_default(),
                parse_page(query.get("page").as_deref()).unwrap_or(1),
                query.get("n"),
            )
        })
    };
    let list = Resource::new(key, |(q, page, _)| list_redirects(q, page));
    let draft = use_form_draft();
    view! {
        <DoneNotice/>
        <p class="hint">
            "访问这些旧地址的读者和搜索引擎会被带到新地址(301 永久跳转)。"
            "只有在旧地址没有页面时才会跳转,本站现有的页面不受影响。"
        </p>
        <Suspense fallback=|| view! { <p class="loading">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                let (q, _, _) = key();
                let draft = draft.await;
                match list.await {
                    Ok(list) => {
                        let base = format!("/admin/redirects?q={}", encode(&q));
                        view! {
                            <h2>"添加跳转"</h2>
                            <AddForm draft/>
                            <h2>"现有跳转"</h2>
                            <SearchForm q/>
                            <Rows rows=list.rows/>
                            <Pager base pagination=list.pagination/>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AddForm(draft: FormDraft) -> impl IntoView {
    let add = ServerAction::<AddRedirect>::new();
    view! {
        <ActionForm action=add attr:class="admin-form row-form">
            <ActionError action=add/>
            <label>
                "旧地址"
                <input name="redirect[path]" required maxlength=MAX_REDIRECT_PATH_CHARS
                    placeholder="/a/news/2020/1023/12.html"
                    value=draft.or("redirect[path]", "")/>
            </label>
            <label>
                "新地址"
                <input name="redirect[target]" required maxlength=MAX_REDIRECT_PATH_CHARS
                    placeholder="/article/12"
                    value=draft.or("redirect[target]", "")/>
            </label>
            <button type="submit">"添加跳转"</button>
        </ActionForm>
    }
}

#[component]
fn SearchForm(q: String) -> impl IntoView {
    view! {
        <Form method="GET" action="/admin/redirects" attr:class="filter-form" attr:role="search">
            <label>"地址包含" <input type="search" name="q" value=q/></label>
            <button type="submit">"搜索"</button>
        </Form>
    }
}

#[component]
fn Rows(rows: Vec<RedirectRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p>"没有符合条件的跳转"</p> }.into_any();
    }
    view! {
        <table class="admin-table">
            <thead>
                <tr>
                    <th scope="col">"旧地址"</th>
                    <th scope="col">"新地址"</th>
                    <th scope="col">"来源"</th>
                    <th scope="col">"添加时间"</th>
                    <th scope="col">"操作"</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|row| view! { <Row row/> }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn Row(row: RedirectRow) -> impl IntoView {
    let delete = ServerAction::<DeleteRedirect>::new();
    let origin = if row.origin == "editor" {
        "编辑添加".to_string()
    } else {
        format!("导入({})", row.origin)
    };
    let label = format!("删除 {} 的跳转", row.path);
    let target = row.target.clone();
    view! {
        <tr>
            // Followed like any link: the way to check that a redirect leads where it should.
            <td><a href=row.path.clone()>{row.path.clone()}</a></td>
            <td><a href=target rel="external">{row.target}</a></td>
            <td>{origin}</td>
            <td>{row.created}</td>
            <td>
                <ActionForm action=delete attr:class="inline-form">
                    <ActionError action=delete/>
                    <input type="hidden" name="path" value=row.path/>
                    <button type="submit" aria-label=label>"删除"</button>
                </ActionForm>
            </td>
        </tr>
    }
}
