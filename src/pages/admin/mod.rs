//! The editors' area. Every page is a lazy route: its code is split out of the visitors'
//! bundle and loaded only when an editor opens it.

mod account;
mod admin_data;
mod article_form;
mod article_history;
mod article_preview;
mod articles;
mod categories;
mod draft;
mod fields;
mod frame;
mod links;
mod notices;
mod redirects;
mod settings;
mod sign_in;
mod uploads;
mod users;
mod workflow_actions;

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

use frame::AdminFrame;

/// A lazy route that shows `$page`; or `$body` in the editors' frame under `$title`.
macro_rules! lazy_page {
    ($route:ident, $title:literal => $body:path) => {
        lazy_page!(@view $route, view! {
            <AdminFrame title=$title.to_string() view=|_| $body()/>
        });
    };
    ($route:ident => $page:path) => {
        lazy_page!(@view $route, $page());
    };
    (@view $route:ident, $view:expr) => {
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                $view.into_any()
            }
        }
    };
}

lazy_page!(SignInRoute => sign_in::SignInPage);
lazy_page!(ArticlesRoute, "文章管理" => articles::ArticleTable);
lazy_page!(NewArticleRoute => article_form::NewArticlePage);
lazy_page!(EditArticleRoute => article_form::EditArticlePage);
lazy_page!(HistoryRoute, "历史版本" => article_history::History);
lazy_page!(PreviewRoute, "预览" => article_preview::Preview);
lazy_page!(CategoriesRoute, "栏目管理" => categories::CategoryTree);
lazy_page!(CategoryRoute, "编辑栏目" => categories::CategoryEditor);
lazy_page!(LinksRoute, "友情链接" => links::Links);
lazy_page!(RedirectsRoute, "旧地址跳转" => redirects::Redirects);
lazy_page!(SettingsRoute, "网站设置" => settings::Settings);
lazy_page!(UsersRoute, "用户管理" => users::Users);
lazy_page!(UploadsRoute, "上传文件" => uploads::Uploads);
lazy_page!(AccountRoute => account::AccountPage);
