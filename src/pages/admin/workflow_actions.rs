//! Under the article form: review, archive, restore and delete, as the user's role allows.

use leptos::prelude::*;

use super::notices::ActionError;
use crate::api::{ArchiveArticle, DeleteArticle, ReviewArticle};
use crate::model::{ArticleStatus, EditableArticle, MAX_NOTE_CHARS, Permission, SessionUser};

#[component]
pub fn WorkflowActions(article: EditableArticle, user: SessionUser) -> impl IntoView {
    let review = ServerAction::<ReviewArticle>::new();
    let archive = ServerAction::<ArchiveArticle>::new();
    let delete = ServerAction::<DeleteArticle>::new();
    let (id, version) = (article.id, article.version);
    let reviewer = user.may(Permission::Publish);
    let review_form = (reviewer && article.status == ArticleStatus::Pending).then(|| {
        view! {
            <section class="workflow" aria-labelledby="review-title">
                <h2 id="review-title">"审核"</h2>
                <ActionForm action=review attr:class="admin-form">
                    <ActionError action=review/>
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="version" value=version/>
                    <label>
                        "退回原因(退回时必填,作者会看到)"
                        <textarea name="note" rows="2" maxlength=MAX_NOTE_CHARS></textarea>
                    </label>
                    <div class="form-buttons">
                        <button type="submit" name="decision" value="approve" class="primary">"审核通过并发布"</button>
                        <button type="submit" name="decision" value="reject">"退回修改"</button>
                    </div>
                </ActionForm>
            </section>
        }
    });
    let archive_form = match article.status {
        ArticleStatus::Archived if reviewer => Some(("restore", "恢复为草稿")),
        ArticleStatus::Archived => None,
        _ => Some(("archive", "删除(归档)")),
    }
    .map(|(action, label)| {
        view! {
            <ActionForm action=archive attr:class="inline-form">
                <ActionError action=archive/>
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="version" value=version/>
                <button type="submit" name="action" value=action>{label}</button>
            </ActionForm>
        }
    });
    let delete_form = (user.may(Permission::Administer)
        && article.status == ArticleStatus::Archived)
        .then(|| {
            view! {
                <ActionForm action=delete attr:class="inline-form danger">
                    <ActionError action=delete/>
                    <input type="hidden" name="id" value=id/>
                    <label class="checkbox">
                        <input type="checkbox" name="confirm" value="yes" required/>
                        "确认永久删除(无法恢复)"
                    </label>
                    <button type="submit">"永久删除"</button>
                </ActionForm>
            }
        });
    view! {
        {review_form}
        <section class="workflow" aria-label="文章操作">
            {archive_form}
            {delete_form}
        </section>
    }
}
