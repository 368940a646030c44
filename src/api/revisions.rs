//! An article's revisions: the list, the changes between two, and restoring one.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::model::ArticleHistory;

/// The revisions of an article, and the changes from revision `from` to `to` when both are
/// given (ids of revisions).
#[server(endpoint = "admin/history", input = GetUrl)]
pub async fn get_article_history(
    id: i64,
    from: Option<i64>,
    to: Option<i64>,
) -> Result<ArticleHistory, AppError> {
    use crate::db::revisions;
    use crate::model::Permission;
    use crate::server::editorial::article_edits::editable;
    use crate::server::editorial::revision_diff::diff_forms;
    use crate::server::server_fns::open;

    let (user, state) = open(Permission::Write).await?;
    let pool = state.pool.clone();
    let article = editable(&pool, &user, id).await?;
    let list = revisions::list_revisions(&pool, id).await?;
    let mut history = ArticleHistory {
        id,
        title: article.form.title,
        revisions: list,
        compared: None,
        changes: Vec::new(),
    };
    if let (Some(from), Some(to)) = (from, to) {
        let (Some((from_version, old)), Some((to_version, new))) = (
            revisions::snapshot(&pool, id, from).await?,
            revisions::snapshot(&pool, id, to).await?,
        ) else {
            return Err(AppError::BadRequest("要比较的版本不存在".into()));
        };
        // Older on the left whichever way round they were picked.
        let (old, new, pair) = if from_version <= to_version {
            (old, new, (from_version, to_version))
        } else {
            (new, old, (to_version, from_version))
        };
        history.compared = Some(pair);
        history.changes = diff_forms(&old, &new);
    }
    Ok(history)
}

/// Makes an old revision's fields the article's current ones, as a new revision. The
/// article's status is kept.
#[server(endpoint = "admin/restore_revision")]
pub async fn restore_revision(id: i64, version: i64, revision: i64) -> Result<(), AppError> {
    use crate::db::{editing, editing::Change, revisions};
    use crate::model::Done;
    use crate::model::Permission;
    use crate::server::editorial::article_edits::{editable, shanghai_to_unix};
    use crate::server::editorial::sanitize::sanitize_html;
    use crate::server::server_fns::{finish, open};

    let (user, state) = open(Permission::Write).await?;
    let pool = state.pool.clone();
    let article = editable(&pool, &user, id).await?;
    let (restored_version, mut form) = revisions::snapshot(&pool, id, revision)
        .await?
        .ok_or_else(|| AppError::BadRequest("要恢复的版本不存在".into()))?;
    // Revisions hold sanitised bodies; sanitising again keeps today's rules in force.
    form.body = sanitize_html(&form.body);
    let change = Change {
        status: article.status,
        published_at: shanghai_to_unix(&article.form.publish_at),
        review_note: article.review_note,
        note: format!("恢复为第 {restored_version} 版"),
        editor_id: user.id,
    };
    // The publish time belongs to the workflow, not to the restored text.
    form.publish_at = article.form.publish_at;
    editing::update(&pool, id, version, &form, &change).await?;
    finish(&format!("/admin/articles/{id}/history"), Done::Restored);
    Ok(())
}
