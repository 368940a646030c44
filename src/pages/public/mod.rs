//! The pages visitors read.

mod article;
mod category;
mod home;
mod not_found;
mod search;

pub use article::{ArticlePage, ArticleView};
pub use category::CategoryPage;
pub use home::HomePage;
pub use not_found::{NotFound, UnknownAddress};
pub use search::SearchPage;
