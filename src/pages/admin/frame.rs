//! The editors' area's frame: signed-in users get the menu their role allows; anyone else
//! is sent to the sign-in page.

use leptos::prelude::*;
use leptos_meta::{Stylesheet, Title};
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

use super::notices::LoadError;
use crate::api::{SignOut, get_current_user};
use crate::components::set_status;
use crate::model::{Permission, SessionUser, encode};

/// Wraps a page of the editors' area. `view` gets the signed-in user.
#[component]
pub fn AdminFrame<V, F>(
    /// The page's title, for the tab and the heading.
    title: String,
    view: F,
) -> impl IntoView
where
    F: Fn(SessionUser) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let user = Resource::new(|| (), |_| get_current_user());
    let location = use_location();
    let view = StoredValue::new(view);
    let heading = title.clone();
    view! {
        <Title text=crate::model::title_text(&format!("{title} - 网站管理"))/>
        <Stylesheet id="admin" href="/admin.css"/>
        <Suspense fallback=|| view! { <p class="loading">"正在加载…"</p> }>
            {move || {
                let heading = heading.clone();
                Suspend::new(async move {
                match user.await {
                    Ok(Some(user)) => {
                        view! {
                            <div class="admin">
                                <AdminMenu user=user.clone()/>
                                <section class="admin-page" aria-labelledby="admin-title">
                                    <h1 id="admin-title">{heading}</h1>
                                    {view.with_value(|view| view(user))}
                                </section>
                            </div>
                        }
                        .into_any()
                    }
                    Ok(None) => {
                        let here = crate::model::path_and_query(
                            &location.pathname.get_untracked(),
                            &location.search.get_untracked(),
                        );
                        let path = format!("/admin/login?next={}", encode(&here));
                        // Leptos answers a redirect with 302 only to clients that accept
                        // HTML; a monitor or link checker would get 200 and a blank frame.
                        set_status(302);
                        view! { <Redirect path/> }.into_any()
                    }
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}}
        </Suspense>
    }
}

#[component]
fn AdminMenu(user: SessionUser) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    let may = |permission| user.may(permission);
    let content = may(Permission::ManageContent);
    let admin = may(Permission::Administer);
    view! {
        <nav class="admin-menu" aria-label="管理菜单">
            <a href="/admin">"文章"</a>
            <a href="/admin/articles/new">"写文章"</a>
            {content.then(|| view! {
                <a href="/admin/categories">"栏目"</a>
                <a href="/admin/links">"友情链接"</a>
                <a href="/admin/redirects">"旧地址跳转"</a>
            })}
            {admin.then(|| view! {
                <a href="/admin/settings">"网站设置"</a>
                <a href="/admin/users">"用户"</a>
            })}
            <a href="/admin/uploads">"上传文件"</a>
            <a href="/admin/account">"我的账号"</a>
            <a href="/" rel="external">"查看网站"</a>
            <span class="admin-user">{format!("{}({})", user.name(), user.role.label())}</span>
            <ActionForm action=sign_out attr:class="inline-form">
                <button type="submit">"退出登录"</button>
            </ActionForm>
        </nav>
    }
}
