//! The association's details shown in the header and footer: admins only.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::model::SiteSettings;

#[server(endpoint = "admin/settings", input = GetUrl)]
pub async fn get_settings() -> Result<SiteSettings, AppError> {
    use crate::model::Permission;
    use crate::server::{session::require, state::app_state};

    require(Permission::Administer).await?;
    Ok(crate::db::site::settings(&app_state()?.pool).await?)
}

#[server(endpoint = "admin/save_settings")]
pub async fn save_settings(settings: SiteSettings) -> Result<(), AppError> {
    use crate::model::Permission;
    use crate::server::{session::require, state::app_state};

    require(Permission::Administer).await?;
    settings.validate().map_err(AppError::BadRequest)?;
    let trimmed = SiteSettings {
        name: settings.name.trim().to_string(),
        ..settings
    };
    crate::db::site::save_settings(&app_state()?.pool, &trimmed).await?;
    leptos_axum::redirect(&crate::server::done_url("/admin/settings", "saved"));
    Ok(())
}
