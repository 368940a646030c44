//! Feedback on the editors' forms: what a rejected submission was told, and what a
//! successful one did.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::set_status;
use crate::error::AppError;
use crate::model::Done;

/// The error of the last submission of `action`, if it failed.
#[component]
pub fn ActionError<A>(action: ServerAction<A>) -> impl IntoView
where
    A: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    A::Output: Send + Sync + 'static,
{
    move || {
        let error = action.value().with(|value| {
            value
                .as_ref()
                .and_then(|result| result.as_ref().err().cloned())
        });
        error.map(|error| match error {
            // Signed out while the form was open (the session expired, or ended in another
            // tab): what was typed is still here, so signing in elsewhere and pressing the
            // button again saves it.
            AppError::Unauthorized => view! {
                <p class="form-error" role="alert">
                    "登录已过期,这次没有保存。请"
                    <a href="/admin/login" target="_blank">"在新窗口重新登录"</a>
                    ",再回到本页重新提交;本页填写的内容都还在。"
                </p>
            }
            .into_any(),
            error => {
                view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any()
            }
        })
    }
}

/// "已保存" and the like, from `?done=…` after a form redirected back.
#[component]
pub fn DoneNotice() -> impl IntoView {
    let query = use_query_map();
    move || {
        query
            .with(|query| query.get("done"))
            .and_then(|code| Done::from_code(&code))
            .map(|done| view! { <p class="form-done" role="status">{done.message()}</p> })
    }
}

/// A page's data could not be loaded: the reason, with the matching HTTP status (401, 403,
/// 404 …) when rendered on the server.
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    set_status(error.status_code());
    view! { <p class="form-error" role="alert">{error.to_string()}</p> }
}
