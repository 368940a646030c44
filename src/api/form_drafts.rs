//! What was typed into a form that was rejected without JavaScript, to fill it again
//! (`server::editorial::form_drafts` keeps it).

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;

/// The fields of a form that was rejected without JavaScript, to fill it again.
#[server(endpoint = "form_draft", input = GetUrl)]
pub async fn get_form_draft(key: String) -> Result<Vec<(String, String)>, AppError> {
    use crate::server::auth::session;
    use crate::server::state::app_state;

    let owner = session::current().await?.token_hash;
    let state = app_state()?;
    let draft = crate::server::editorial::form_drafts::get(&state, &key, owner.as_deref());
    Ok(draft.await?.unwrap_or_default())
}
