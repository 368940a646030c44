//! Uploaded files, for editors picking one to link or show. Files arrive through the plain
//! `/admin/uploads` route (`server::handlers::uploads`), which streams them.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::model::UploadRow;

/// The newest uploads, for picking a file to link or show.
#[server(endpoint = "admin/uploads", input = GetUrl)]
pub async fn list_uploads() -> Result<Vec<UploadRow>, AppError> {
    use crate::model::Permission;
    use crate::server::server_fns::open;

    let (_, state) = open(Permission::Write).await?;
    Ok(crate::db::uploads::recent(&state.pool, 100).await?)
}
