//! The home page's articles.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::model::HomePage;

/// The home page: headlines, recommendations, and the latest of each top-level category.
#[server(endpoint = "home", input = GetUrl)]
pub async fn get_home() -> Result<HomePage, AppError> {
    use crate::db::articles::{self, Flag};
    use crate::db::categories;
    use crate::model::HomeSection;
    use crate::server::state::app_state;

    /// Articles per home-page section.
    const SECTION_SIZE: i64 = 8;

    let state = app_state()?;
    // One connection for the page's queries: each return to the pool is a round trip to
    // the connection's thread.
    let mut db = state.pool.acquire().await?;
    let mut sections = Vec::new();
    for category in categories::top_level_lists(&mut db).await? {
        let articles = articles::latest_in_tree(&mut db, category.id, SECTION_SIZE).await?;
        sections.push(HomeSection { category, articles });
    }
    Ok(HomePage {
        headlines: articles::list_flagged(&mut db, Flag::Headline, 3).await?,
        recommended: articles::list_flagged(&mut db, Flag::Recommended, 6).await?,
        sections,
    })
}
