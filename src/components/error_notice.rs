use leptos::prelude::*;

use super::set_status;
use crate::error::AppError;

/// Tells the visitor that something failed, with the matching status.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    set_status(error.status_code());
    view! {
        <section class="notice" role="alert">
            <h1>"页面暂时无法显示"</h1>
            <p>{error.to_string()}</p>
            <p>
                <a href="/">"返回首页"</a>
            </p>
        </section>
    }
}
