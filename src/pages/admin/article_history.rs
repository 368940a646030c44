//! `/admin/articles/{id}/history`: every saved version, the changes between any two, and
//! restoring one.

use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::notices::{ActionError, DoneNotice, LoadError};
use crate::api::{RestoreRevision, get_article_history};
use crate::error::AppError;
use crate::model::{ArticleHistory, DiffKind, FieldDiff};

#[component]
pub fn History() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let id = params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
        let number = |name: &str| query.with(|q| q.get(name).and_then(|v| v.parse::<i64>().ok()));
        (id, number("from"), number("to"), query.with(|q| q.get("n")))
    };
    let history = Resource::new(key, |(id, from, to, _)| async move {
        match id {
            Some(id) => get_article_history(id, from, to).await.map(Some),
            None => Ok(None),
        }
    });
    view! {
        <DoneNotice/>
        <Suspense fallback=|| view! { <p class="loading">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match history.await {
                    Ok(Some(history)) => view! { <HistoryView history/> }.into_any(),
                    Ok(None) => view! { <LoadError error=AppError::NotFound/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn HistoryView(history: ArticleHistory) -> impl IntoView {
    let restore = ServerAction::<RestoreRevision>::new();
    let id = history.id;
    let current_version = history.revisions.first().map_or(0, |r| r.version);
    let newest = history.revisions.first().map(|r| r.id);
    let restorable: Vec<_> = history
        .revisions
        .iter()
        .filter(|r| r.version != current_version)
        .map(|r| r.id)
        .collect();
    let older = history.revisions.get(1).map(|r| r.id);
    view! {
        <p>
            <a href=format!("/admin/articles/{id}")>{format!("返回编辑《{}》", history.title)}</a>
        </p>
        <ActionError action=restore/>
        <Form method="GET" action="" attr:class="compare-form">
            <table class="admin-table">
                <thead>
                    <tr>
                        <th scope="col">"版本"</th>
                        <th scope="col">"操作"</th>
                        <th scope="col">"修改人"</th>
                        <th scope="col">"时间"</th>
                        <th scope="col">"比较:旧"</th>
                        <th scope="col">"比较:新"</th>
                        <th scope="col">"恢复"</th>
                    </tr>
                </thead>
                <tbody>
                    {history
                        .revisions
                        .into_iter()
                        .map(|r| {
                            let label = format!("第 {} 版", r.version);
                            view! {
                                <tr>
                                    <td>{label.clone()}</td>
                                    <td>{r.note}</td>
                                    <td>{r.editor}</td>
                                    <td>{r.created}</td>
                                    <td>
                                        <input type="radio" name="from" value=r.id checked=Some(r.id) == older
                                            aria-label=format!("{label}作为旧版本")/>
                                    </td>
                                    <td>
                                        <input type="radio" name="to" value=r.id checked=Some(r.id) == newest
                                            aria-label=format!("{label}作为新版本")/>
                                    </td>
                                    <td>
                                        {(r.version != current_version).then(|| view! {
                                            <button type="submit" form=format!("restore-{}", r.id)>
                                                {format!("恢复{label}")}
                                            </button>
                                        })}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <button type="submit">"比较所选版本"</button>
        </Form>
        // Restore forms live outside the compare form; their buttons point at them by id.
        {restorable
            .into_iter()
            .map(|revision| {
                view! {
                    <ActionForm action=restore attr:id=format!("restore-{revision}") attr:class="hidden-form">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="version" value=current_version/>
                        <input type="hidden" name="revision" value=revision/>
                    </ActionForm>
                }
            })
            .collect_view()}
        {history.compared.map(|(old, new)| {
            view! {
                <section class="diff" aria-labelledby="diff-title">
                    <h2 id="diff-title">{format!("第 {old} 版 → 第 {new} 版的修改")}</h2>
                    {if history.changes.is_empty() {
                        view! { <p>"两个版本的内容相同"</p> }.into_any()
                    } else {
                        history.changes.into_iter().map(|change| view! { <FieldChanges change/> }).collect_view().into_any()
                    }}
                </section>
            }
        })}
    }
}

#[component]
fn FieldChanges(change: FieldDiff) -> impl IntoView {
    view! {
        <h3>{change.label}</h3>
        <ul class="diff-lines">
            {change
                .lines
                .into_iter()
                .map(|line| {
                    let (class, mark) = match line.kind {
                        DiffKind::Same => ("same", "  "),
                        DiffKind::Added => ("added", "+ "),
                        DiffKind::Removed => ("removed", "- "),
                    };
                    let label = match line.kind {
                        DiffKind::Same => "",
                        DiffKind::Added => "新增:",
                        DiffKind::Removed => "删除:",
                    };
                    view! {
                        <li class=class>
                            <span class="visually-hidden">{label}</span>
                            <span aria-hidden="true">{mark}</span>
                            {line.text}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
