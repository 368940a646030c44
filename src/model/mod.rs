//! Wire types shared by the server and the browser, and the pure rules about them.

mod article;
mod auth;
mod category;
mod done;
mod editing;
mod html_text;
mod limits;
mod pagination;
mod redirects;
mod search;
mod site;
mod site_admin;
mod user;

pub use article::{ArticleDetail, ArticlePage, ArticleSummary, HomePage, HomeSection, Neighbour};
pub use auth::{Permission, SessionUser};
pub use category::{CategoryKind, CategoryLink, CategoryPage, CategoryView};
pub use done::Done;
pub use editing::*;
pub use html_text::{escape_html, push_escaped, title_text};
pub use limits::{check_length, check_url, is_http_url};
pub use pagination::{PAGE_SIZE, Pagination, parse_page};
pub use redirects::{
    MAX_REDIRECT_PATH_CHARS, REDIRECTS_PAGE_SIZE, RedirectForm, RedirectList, RedirectRow,
};
pub use search::{
    MAX_QUERY_CHARS, MAX_RANKED, SEARCH_PAGE_SIZE, SearchHit, SearchParams, SearchResults, encode,
    is_date, path_and_query,
};
pub use site::{FriendlyLink, NavItem, SiteChrome, SiteSettings};
pub use site_admin::*;
pub use user::{
    MAX_PASSWORD_CHARS, MAX_USERNAME_CHARS, MIN_PASSWORD_CHARS, Role, check_password,
    check_username,
};
