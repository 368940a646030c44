//! `/admin/login`: the sign-in form. It says the same whether the name or the password was
//! wrong.

use leptos::prelude::*;
use leptos_meta::{Stylesheet, Title};
use leptos_router::hooks::use_query_map;

use super::draft::use_form_draft;
use super::notices::ActionError;
use crate::api::SignIn;
use crate::model::{MAX_PASSWORD_CHARS, MAX_USERNAME_CHARS};

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let query = use_query_map();
    let next = move || {
        query
            .with(|query| query.get("next"))
            .unwrap_or_else(|| "/admin".into())
    };
    let draft = use_form_draft();
    view! {
        <Title text="编辑登录"/>
        <Stylesheet id="admin" href="/admin.css"/>
        <section class="sign-in" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">"编辑登录"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let draft = draft.await;
                    view! {
                        <ActionForm action attr:class="admin-form">
                            <ActionError action/>
                            <input type="hidden" name="next" value=next()/>
                            <label>
                                "用户名"
                                <input
                                    name="username"
                                    required
                                    autocomplete="username"
                                    maxlength=MAX_USERNAME_CHARS
                                    value=draft.or("username", "")
                                />
                            </label>
                            <label>
                                "密码"
                                <input
                                    type="password"
                                    name="password"
                                    required
                                    autocomplete="current-password"
                                    maxlength=MAX_PASSWORD_CHARS
                                />
                            </label>
                            <button type="submit">"登录"</button>
                        </ActionForm>
                    }
                })}
            </Suspense>
            <p><a href="/">"返回网站首页"</a></p>
        </section>
    }
}
