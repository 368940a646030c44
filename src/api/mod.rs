//! Server functions: everything the pages read from and write to the server.

mod article_history;
mod auth;
mod edit_articles;
mod get_article;
mod get_category;
mod get_home;
mod get_site_chrome;
mod manage_categories;
mod manage_links;
mod manage_settings;
mod manage_users;
mod preview_article;
mod review_articles;
mod search_articles;

pub use article_history::*;
pub use auth::*;
pub use edit_articles::*;
pub use get_article::{GetArticle, get_article};
pub use get_category::{GetCategory, get_category};
pub use get_home::{GetHome, get_home};
pub use get_site_chrome::{GetSiteChrome, get_site_chrome};
pub use manage_categories::*;
pub use manage_links::*;
pub use manage_settings::*;
pub use manage_users::*;
pub use preview_article::*;
pub use review_articles::*;
pub use search_articles::{SearchArticles, search_articles};
