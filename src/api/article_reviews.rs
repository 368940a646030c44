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
    use crate::model::{ArticleStatus, Done, MAX_NOTE_CHARS, Permission, check_length};
    use crate::server::clock::unix_now;
    use crate::server::editorial::article_edits::{editable, shanghai_to_unix};
    use crate::server::server_fns::{finish, open};

    let (user, state) = open(Permission::Publish).await?;
    let pool = state.pool.clone();
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
        Done::Approved
    } else {
        Done::Rejected
    };
    finish(&format!("/admin/articles/{id}"), done);
    Ok(())
}

/// Takes an article off the site (`archive`) or brings it back as a draft (`restore`).
/// Contributors may archive their own drafts.
#[server(endpoint = "admin/archive_article")]
pub async fn archive_article(id: i64, version: i64, action: String) -> Result<(), AppError> {
    use crate::db::{editing, editing::Change};
    use crate::model::{ArticleStatus, Done, Permission};
    use crate::server::editorial::article_edits::{editable, shanghai_to_unix};
    use crate::server::server_fns::{finish, open};

    let (user, state) = open(Permission::Write).await?;
    let pool = state.pool.clone();
    let article = editable(&pool, &user, id).await?;
    let (status, note, done) = match action.as_str() {
        "archive" => (ArticleStatus::Archived, "归档", Done::Archived),
        "restore" if user.may(Permission::Publish) => {
            (ArticleStatus::Draft, "从归档恢复为草稿", Done::Unarchived)
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
    finish(&format!("/admin/articles/{id}"), done);
    Ok(())
}

/// Deletes an archived article for good: admins only, with `confirm` ticked.
#[server(endpoint = "admin/delete_article")]
pub async fn delete_article(id: i64, confirm: Option<String>) -> Result<(), AppError> {
    use crate::db::editing;
    use crate::model::Done;
    use crate::model::{ArticleStatus, Permission};
    use crate::server::server_fns::{finish, open};

    let (_, state) = open(Permission::Administer).await?;
    let pool = state.pool.clone();
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
    finish("/admin", Done::Deleted);
    Ok(())
}
