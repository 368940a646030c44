//! The editors' area. Every page is a lazy route: its code is split out of the visitors'
//! bundle and loaded only when an editor opens it.

mod account;
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
mod settings;
mod sign_in;
mod uploads;
mod users;
mod workflow_actions;

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

/// A lazy route that shows `$page`.
macro_rules! lazy_page {
    ($route:ident => $page:path) => {
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }
    };
}

lazy_page!(SignInRoute => sign_in::SignInPage);
lazy_page!(ArticlesRoute => articles::ArticlesPage);
lazy_page!(NewArticleRoute => article_form::NewArticlePage);
lazy_page!(EditArticleRoute => article_form::EditArticlePage);
lazy_page!(HistoryRoute => article_history::HistoryPage);
lazy_page!(PreviewRoute => article_preview::PreviewPage);
lazy_page!(CategoriesRoute => categories::CategoriesPage);
lazy_page!(CategoryRoute => categories::CategoryPage);
lazy_page!(LinksRoute => links::LinksPage);
lazy_page!(SettingsRoute => settings::SettingsPage);
lazy_page!(UsersRoute => users::UsersPage);
lazy_page!(UploadsRoute => uploads::UploadsPage);
lazy_page!(AccountRoute => account::AccountPage);
