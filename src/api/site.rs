//! The site: the header and footer every page shows; the association's details, which
//! admins edit.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::model::{SiteChrome, SiteSettings};

/// The association's details, navigation and friendly links for the header and footer, and
/// the visitor's reading mode.
#[server(endpoint = "site_chrome", input = GetUrl)]
pub async fn get_site_chrome() -> Result<SiteChrome, AppError> {
    use crate::server::handlers::reading::chose_large_text;
    use crate::server::state::app_state;

    let state = app_state()?;
    let chrome = state.chrome_cache.get(&state.pool).await?;
    Ok(SiteChrome {
        settings: chrome.settings.clone(),
        nav: chrome.nav.clone(),
        links: chrome.links.clone(),
        base_url: state.config.public_base_url.clone(),
        hot_queries: state.hot_queries.get(&state.pool).await?,
        large_text: leptos_axum::extract::<http::HeaderMap>()
            .await
            .is_ok_and(|headers| chose_large_text(&headers)),
    })
}

#[server(endpoint = "admin/settings", input = GetUrl)]
pub async fn get_settings() -> Result<SiteSettings, AppError> {
    use crate::model::Permission;
    use crate::server::server_fns::open;

    let (_, state) = open(Permission::Administer).await?;
    Ok(crate::db::site::settings(&state.pool).await?)
}

#[server(endpoint = "admin/save_settings")]
pub async fn save_settings(settings: SiteSettings) -> Result<(), AppError> {
    use crate::model::Done;
    use crate::model::Permission;
    use crate::server::server_fns::{finish, open};

    let (_, state) = open(Permission::Administer).await?;
    settings.validate().map_err(AppError::BadRequest)?;
    let trimmed = SiteSettings {
        name: settings.name.trim().to_string(),
        ..settings
    };
    crate::db::site::save_settings(&state.pool, &trimmed).await?;
    finish("/admin/settings", Done::Saved);
    Ok(())
}
