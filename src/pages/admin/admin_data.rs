//! The frame of an editors' page that loads its data once and shows forms on it.

use std::future::Future;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::draft::{FormDraft, use_form_draft};
use super::notices::{DoneNotice, LoadError};
use crate::error::AppError;

/// What `load` returns, loaded again after every form that redirects back here (a new
/// `?n=`), shown by `render` with what a form rejected without JavaScript had typed. Above
/// it: what the last form did, then `children`. When loading fails, the reason (with its
/// status on the server) stands in place of the data.
#[component]
pub fn AdminData<T, Fut, R>(
    load: fn() -> Fut,
    render: R,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
    R: Fn(T, FormDraft) -> AnyView + Clone + Send + Sync + 'static,
{
    let query = use_query_map();
    let data = Resource::new(move || query.with(|q| q.get("n")), move |_| load());
    let draft = use_form_draft();
    view! {
        <DoneNotice/>
        {children.map(|children| children())}
        <Suspense fallback=|| view! { <p class="loading">"正在加载…"</p> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match (data.await, draft.await) {
                        (Ok(data), draft) => render(data, draft),
                        (Err(error), _) => view! { <LoadError error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
