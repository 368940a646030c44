//! The editorial workflow's rules: who may move an article where, and what its status and
//! publish time become. Pure, so every rule is tested without a database.

use crate::error::AppError;
use crate::model::{ArticleStatus, EditableArticle, Permission, Role, SaveIntent, SessionUser};

/// What a save makes of the article.
#[derive(Debug, PartialEq, Eq)]
pub struct Plan {
    pub status: ArticleStatus,
    pub published_at: Option<i64>,
    pub note: String,
}

/// Whether `user` may change `article` at all: contributors only their own, unpublished.
pub fn may_edit(user: &SessionUser, article: &EditableArticle) -> Result<(), AppError> {
    if user.role != Role::Contributor {
        return Ok(());
    }
    let own = article.author_id == Some(user.id);
    let open = matches!(
        article.status,
        ArticleStatus::Draft | ArticleStatus::Pending
    );
    if own && open {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "投稿人只能修改自己尚未发布的稿件".into(),
        ))
    }
}

/// The outcome of saving with `intent`. `existing` is the article's current status and
/// publish time (`None` for a new article); `requested` the form's publish time.
pub fn plan_save(
    user: &SessionUser,
    existing: Option<(ArticleStatus, Option<i64>)>,
    intent: SaveIntent,
    requested: Option<i64>,
    now: i64,
) -> Result<Plan, AppError> {
    let (status, published_at) = existing.unwrap_or((ArticleStatus::Draft, None));
    match intent {
        SaveIntent::Save => {
            let published_at = if status == ArticleStatus::Published {
                requested.or(published_at).or(Some(now))
            } else {
                requested
            };
            let note = if existing.is_none() {
                "创建"
            } else {
                "保存"
            };
            Ok(Plan {
                status,
                published_at,
                note: note.into(),
            })
        }
        SaveIntent::Submit => {
            if !matches!(status, ArticleStatus::Draft | ArticleStatus::Pending) {
                return Err(AppError::BadRequest(
                    "已发布或已归档的文章不需要提交审核".into(),
                ));
            }
            Ok(Plan {
                status: ArticleStatus::Pending,
                published_at: requested,
                note: "提交审核".into(),
            })
        }
        SaveIntent::Publish => {
            if !user.may(Permission::Publish) {
                return Err(AppError::Forbidden("投稿人不能直接发布,请提交审核".into()));
            }
            let kept = (status == ArticleStatus::Published)
                .then_some(published_at)
                .flatten();
            let at = requested.or(kept).unwrap_or(now);
            let note = if at > now { "定时发布" } else { "发布" };
            Ok(Plan {
                status: ArticleStatus::Published,
                published_at: Some(at),
                note: note.into(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ArticleForm;

    fn user(role: Role) -> SessionUser {
        SessionUser {
            id: 7,
            username: "u".into(),
            display_name: String::new(),
            role,
        }
    }

    fn article(status: ArticleStatus, author_id: i64) -> EditableArticle {
        EditableArticle {
            id: 1,
            version: 1,
            status,
            scheduled: false,
            review_note: String::new(),
            author_id: Some(author_id),
            form: ArticleForm::default(),
            last_saved_by: String::new(),
            last_saved: String::new(),
        }
    }

    #[test]
    fn contributors_edit_only_their_own_open_articles() {
        let writer = user(Role::Contributor);
        assert!(may_edit(&writer, &article(ArticleStatus::Draft, 7)).is_ok());
        assert!(may_edit(&writer, &article(ArticleStatus::Pending, 7)).is_ok());
        assert!(may_edit(&writer, &article(ArticleStatus::Published, 7)).is_err());
        assert!(may_edit(&writer, &article(ArticleStatus::Draft, 8)).is_err());
        assert!(may_edit(&user(Role::Editor), &article(ArticleStatus::Published, 8)).is_ok());
    }

    #[test]
    fn contributors_cannot_publish() {
        let refused = plan_save(
            &user(Role::Contributor),
            None,
            SaveIntent::Publish,
            None,
            100,
        );
        assert!(matches!(refused, Err(AppError::Forbidden(_))));
        let submitted = plan_save(
            &user(Role::Contributor),
            None,
            SaveIntent::Submit,
            None,
            100,
        )
        .unwrap();
        assert_eq!(submitted.status, ArticleStatus::Pending);
    }

    #[test]
    fn publishing_now_or_later() {
        let editor = user(Role::Editor);
        let now = plan_save(&editor, None, SaveIntent::Publish, None, 100).unwrap();
        assert_eq!(
            (now.status, now.published_at, now.note.as_str()),
            (ArticleStatus::Published, Some(100), "发布")
        );
        let later = plan_save(&editor, None, SaveIntent::Publish, Some(500), 100).unwrap();
        assert_eq!(
            (later.published_at, later.note.as_str()),
            (Some(500), "定时发布")
        );
    }

    #[test]
    fn saving_a_published_article_keeps_its_date() {
        let editor = user(Role::Editor);
        let existing = Some((ArticleStatus::Published, Some(50)));
        let plan = plan_save(&editor, existing, SaveIntent::Save, None, 100).unwrap();
        assert_eq!(
            (plan.status, plan.published_at),
            (ArticleStatus::Published, Some(50))
        );
        let republished = plan_save(&editor, existing, SaveIntent::Publish, None, 100).unwrap();
        assert_eq!(republished.published_at, Some(50));
    }

    #[test]
    fn published_articles_are_not_submitted() {
        let existing = Some((ArticleStatus::Published, Some(50)));
        assert!(plan_save(&user(Role::Editor), existing, SaveIntent::Submit, None, 100).is_err());
    }
}
