//! What the editors' article server functions share: loading an article the user may
//! change, and the publish time's conversion.

use crate::db::Store;

use super::workflow::may_edit;
use crate::db;
use crate::error::AppError;
use crate::model::{EditableArticle, SessionUser};

/// The article `id`, if `user` may change it.
pub async fn editable(
    pool: &Store,
    user: &SessionUser,
    id: i64,
) -> Result<EditableArticle, AppError> {
    let article = db::editing::find(pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    may_edit(user, &article)?;
    Ok(article)
}

/// Unix seconds of a `YYYY-MM-DDTHH:MM` time in Asia/Shanghai (UTC+8, no daylight saving).
pub fn shanghai_to_unix(text: &str) -> Option<i64> {
    let normalized = text.replacen(' ', "T", 1);
    chrono::NaiveDateTime::parse_from_str(&normalized, "%Y-%m-%dT%H:%M")
        .ok()
        .map(|local| local.and_utc().timestamp() - 8 * 3600)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shanghai_times_are_eight_hours_ahead() {
        assert_eq!(shanghai_to_unix("1970-01-01T08:00"), Some(0));
        assert_eq!(shanghai_to_unix("2025-01-01 08:00"), Some(1_735_689_600));
        assert_eq!(shanghai_to_unix("2025-02-30T08:00"), None);
    }
}
