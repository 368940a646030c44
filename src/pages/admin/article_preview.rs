//! `/admin/articles/{id}/preview`: an article of any status exactly as visitors will see it,
//! for signed-in users only.

use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::use_params_map;

use super::notices::LoadError;
use crate::api::preview_article;
use crate::components::use_chrome;
use crate::error::AppError;
use crate::pages::public::ArticleView;

#[component]
pub fn Preview() -> impl IntoView {
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let chrome = use_chrome();
    let page = Resource::new(
        || (),
        move |_| async move {
            match id {
                Some(id) => preview_article(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=|| view! { <p class="loading">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match (chrome.await, page.await) {
                    (Ok(chrome), Ok(Some(page))) => {
                        let edit = format!("/admin/articles/{}", page.article.id);
                        view! {
                            <p class="preview-banner" role="note">
                                "预览:这是访客将看到的样子。" <a href=edit>"返回编辑"</a>
                            </p>
                            <div class="preview container">
                                <ArticleView chrome page/>
                            </div>
                        }
                        .into_any()
                    }
                    (_, Ok(None)) => view! { <LoadError error=AppError::NotFound/> }.into_any(),
                    (Err(error), _) | (_, Err(error)) => {
                        view! { <LoadError error/> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
