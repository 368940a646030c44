//! Wire types shared by the server and the browser, and the pure rules about them.

mod article;
mod category;
mod pagination;
mod search;
mod site;
mod user;

pub use article::{ArticleDetail, ArticlePage, ArticleSummary, HomePage, HomeSection, Neighbour};
pub use category::{CategoryKind, CategoryLink, CategoryPage, CategoryView};
pub use pagination::{PAGE_SIZE, Pagination, parse_page};
pub use search::{
    MAX_QUERY_CHARS, SEARCH_PAGE_SIZE, SearchHit, SearchParams, SearchResults, encode, is_date,
};
pub use site::{FriendlyLink, NavItem, SiteChrome, SiteSettings};
pub use user::{
    MAX_PASSWORD_CHARS, MAX_USERNAME_CHARS, MIN_PASSWORD_CHARS, Role, check_password,
    check_username,
};
