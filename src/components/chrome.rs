//! The site chrome (association details, navigation, links), loaded once per page view and
//! shared by the header, the footer and every page's meta tags.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::SiteChrome;

pub type ChromeResource = OnceResource<Result<SiteChrome, AppError>>;

pub fn provide_chrome(chrome: ChromeResource) {
    provide_context(chrome);
}

/// The chrome provided by `App`.
pub fn use_chrome() -> ChromeResource {
    expect_context::<ChromeResource>()
}
