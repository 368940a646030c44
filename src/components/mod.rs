//! Views that know nothing of routing: the site's frame and the pieces pages are made of.

mod article_list;
mod breadcrumb;
mod chrome;
mod error_notice;
mod hot_queries;
mod hydration_body;
mod link_list;
mod news_article_data;
mod page_meta;
mod pager;
mod reading_toggle;
mod search_box;
mod site_footer;
mod site_header;
mod status;

pub use article_list::ArticleList;
pub use breadcrumb::Breadcrumb;
pub use chrome::{ChromeResource, provide_chrome, use_chrome};
pub use error_notice::ErrorNotice;
pub use hot_queries::HotQueries;
pub use hydration_body::{body_html, provide_server_rendered_bodies, without_body};
pub use link_list::LinkList;
pub use news_article_data::NewsArticleData;
pub use page_meta::PageMeta;
pub use pager::Pager;
pub use reading_toggle::ReadingToggle;
pub use search_box::SearchBox;
pub use site_footer::SiteFooter;
pub use site_header::SiteHeader;
pub use status::set_status;
