use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::model::SiteChrome;

/// The association's details, navigation and friendly links for the header and footer, and
/// the visitor's reading mode.
#[server(endpoint = "site_chrome", input = GetUrl)]
pub async fn get_site_chrome() -> Result<SiteChrome, AppError> {
    use crate::db::site;
    use crate::server::reading::chose_large_text;
    use crate::server::state::app_state;

    let state = app_state()?;
    Ok(SiteChrome {
        settings: site::settings(&state.pool).await?,
        nav: site::navigation(&state.pool).await?,
        links: site::friendly_links(&state.pool).await?,
        base_url: state.config.public_base_url.clone(),
        hot_queries: state.hot_queries.get(&state.pool).await?,
        large_text: leptos_axum::extract::<http::HeaderMap>()
            .await
            .is_ok_and(|headers| chose_large_text(&headers)),
    })
}
