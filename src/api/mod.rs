//! Server functions: everything the pages read from the server, one function per file.

mod get_article;
mod get_category;
mod get_home;
mod get_site_chrome;
mod search_articles;

pub use get_article::{GetArticle, get_article};
pub use get_category::{GetCategory, get_category};
pub use get_home::{GetHome, get_home};
pub use get_site_chrome::{GetSiteChrome, get_site_chrome};
pub use search_articles::{SearchArticles, search_articles};
