//! Moving an article through review and out of sight: approve, reject with a note, archive,
//! bring back from the archive, and (admins only) delete for good.

use leptos::prelude::*;

use crate::error::AppError;

/// An editor's decision on a pending article: `approve`, or `reject` with a note the
/// author sees.
#[server(endpoint = "admin/review_article")]
pub async fn review_article(
    id: i64,
    version: i64,
    decision: String,
    note: String,
) -> Result<(), AppError> {
    use crate::db::{editing, editing::Change};
    use crate::model::{ArticleStatus, MAX_NOTE_CHARS, Permission, check_length};
    use crate::server::article_edits::{editable, shanghai_to_unix};
    use crate::server::{session::require, state::app_state, unix_now};

    let user = require(Permission::Publish).await?;
    let pool = app_state()?.pool.clone();
    let article = editable(&pool, &user, id).await?;
    if article.status != ArticleStatus::Pending {
        return Err(AppError::BadRequest("这篇文章不在待审核状态".into()));
    }
    let now = unix_now();
    let change = match decision.as_str() {
        "approve" => {
            let at = shanghai_to_unix(&article.form.publish_at).unwrap_or(now);
            Change {
                status: ArticleStatus::Published,
                published_at: Some(at),
                review_note: String::new(),
                note: if at > now {
                    "审核通过,定时发布"
                } else {
                    "审核通过并发布"
                }
                .into(),
                editor_id: user.id,
            }
        }
        "reject" => {
            check_length("退回原因", &note, MAX_NOTE_CHARS, true).map_err(AppError::BadRequest)?;
            Change {
                status: ArticleStatus::Draft,
                published_at: shanghai_to_unix(&article.form.publish_at),
                review_note: note.trim().to_string(),
                note: format!("退回修改:{}", note.trim()),
                editor_id: user.id,
            }
        }
        _ => return Err(AppError::BadRequest("请选择通过或退回".into())),
    };
    editing::set_status(&pool, id, version, &change).await?;
    let done = if decision == "approve" {
        "approved"
    } else {
        "rejected"
    };
    leptos_axum::redirect(&crate::server::done_url(
        &format!("/admin/articles/{id}"),
        done,
    ));
    Ok(())
}

/// Takes an article off the site (`archive`) or brings it back as a draft (`restore`).
/// Contributors may archive their own drafts.
#[server(endpoint = "admin/archive_article")]
pub async fn archive_article(id: i64, version: i64, action: String) -> Result<(), AppError> {
    use crate::db::{editing, editing::Change};
    use crate::model::{ArticleStatus, Permission};
    use crate::server::article_edits::{editable, shanghai_to_unix};
    use crate::server::{session::require, state::app_state};

    let user = require(Permission::Write).await?;
    let pool = app_state()?.pool.clone();
    let article = editable(&pool, &user, id).await?;
    let (status, note, done) = match action.as_str() {
        "archive" => (ArticleStatus::Archived, "归档", "archived"),
        "restore" if user.may(Permission::Publish) => {
            (ArticleStatus::Draft, "从归档恢复为草稿", "unarchived")
        }
        "restore" => return Err(AppError::forbidden()),
        _ => return Err(AppError::BadRequest("未知的操作".into())),
    };
    let change = Change {
        status,
        published_at: shanghai_to_unix(&article.form.publish_at),
        review_note: article.review_note.clone(),
        note: note.into(),
        editor_id: user.id,
    };
    editing::set_status(&pool, id, version, &change).await?;
    leptos_axum::redirect(&crate::server::done_url(
        &format!("/admin/articles/{id}"),
        done,
    ));
    Ok(())
}

/// Deletes an archived article for good: admins only, with `confirm` ticked.
#[server(endpoint = "admin/delete_article")]
pub async fn delete_article(id: i64, confirm: Option<String>) -> Result<(), AppError> {
    use crate::db::editing;
    use crate::model::{ArticleStatus, Permission};
    use crate::server::{session::require, state::app_state};

    require(Permission::Administer).await?;
    let pool = app_state()?.pool.clone();
    let article = editing::find(&pool, id).await?.ok_or(AppError::NotFound)?;
    if article.status != ArticleStatus::Archived {
        return Err(AppError::BadRequest(
            "只能永久删除已归档的文章,请先归档".into(),
        ));
    }
    if confirm.as_deref() != Some("yes") {
        return Err(AppError::BadRequest("请勾选“确认永久删除”后再删除".into()));
    }
    editing::delete(&pool, id).await?;
    leptos_axum::redirect(&crate::server::done_url("/admin", "deleted"));
    Ok(())
}
