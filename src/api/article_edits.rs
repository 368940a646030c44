//! Articles as editors write them: the list, the form's data, saving it, and cleaning
//! what is pasted into its body.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::model::{
    ArticleFilter, ArticleForm, ArticleListPage, Autosave, CategoryNode, EditableArticle,
    SaveIntent, SessionUser,
};

/// Articles by filter, 20 a page; contributors see only their own.
#[server(endpoint = "admin/articles", input = GetUrl)]
pub async fn list_articles(filter: ArticleFilter, page: i64) -> Result<ArticleListPage, AppError> {
    use crate::db::revisions;
    use crate::model::{PAGE_SIZE, Pagination, Permission, Role};
    use crate::server::server_fns::open;

    let (user, state) = open(Permission::Write).await?;
    let pool = state.pool.clone();
    let only_author = (user.role == Role::Contributor).then_some(user.id);
    let total = revisions::count(&pool, &filter, only_author).await?;
    let pagination = Pagination::new(page, total, PAGE_SIZE)
        .ok_or_else(|| AppError::BadRequest("没有这一页".into()))?;
    let rows = revisions::list(
        &pool,
        &filter,
        only_author,
        PAGE_SIZE,
        (page - 1) * PAGE_SIZE,
    )
    .await?;
    Ok(ArticleListPage { rows, pagination })
}

/// What the article form needs: the article (`None` for a new one), the categories that
/// hold articles, who is editing, and what they typed that the browser autosaved.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ArticleEditor {
    pub article: Option<EditableArticle>,
    pub categories: Vec<CategoryNode>,
    pub user: SessionUser,
    /// This user's autosave, when it differs from the article as saved.
    pub autosave: Option<Autosave>,
}

#[server(endpoint = "admin/article", input = GetUrl)]
pub async fn get_article_editor(id: Option<i64>) -> Result<ArticleEditor, AppError> {
    use crate::db::{autosaves, category_admin};
    use crate::model::Permission;
    use crate::server::editorial::article_edits::editable;
    use crate::server::server_fns::open;

    let (user, state) = open(Permission::Write).await?;
    let pool = state.pool.clone();
    let article = match id {
        Some(id) => Some(editable(&pool, &user, id).await?),
        None => None,
    };
    let autosave = match &article {
        Some(article) => autosaves::find(&pool, article.id, user.id)
            .await?
            .filter(|autosave| autosave.form != article.form),
        None => None,
    };
    Ok(ArticleEditor {
        article,
        categories: category_admin::tree(&pool).await?,
        user,
        autosave,
    })
}

/// Saves the form (`id` 0 for a new article) as the pressed button asks, refusing a save
/// over someone else's newer one; then shows the article's form again.
#[server(endpoint = "admin/save_article")]
pub async fn save_article(
    id: i64,
    version: i64,
    intent: SaveIntent,
    form: ArticleForm,
) -> Result<(), AppError> {
    use crate::db::{autosaves, categories, editing, editing::Change};
    use crate::model::{CategoryKind, Done, Permission};
    use crate::server::clock::unix_now;
    use crate::server::editorial::article_edits::{editable, shanghai_to_unix};
    use crate::server::editorial::sanitize::sanitize_html;
    use crate::server::editorial::workflow::plan_save;
    use crate::server::server_fns::{finish, open};

    let (user, state) = open(Permission::Write).await?;
    let pool = state.pool.clone();
    form.validate().map_err(AppError::BadRequest)?;
    match categories::kind_of(&pool, form.category_id).await? {
        None => return Err(AppError::BadRequest("栏目:所选栏目不存在".into())),
        Some(CategoryKind::Page) => {
            return Err(AppError::BadRequest(
                "栏目:单页栏目不能放文章,请选择列表栏目".into(),
            ));
        }
        Some(CategoryKind::List) => {}
    }
    let existing = if id > 0 {
        Some(editable(&pool, &user, id).await?)
    } else {
        None
    };
    let requested = shanghai_to_unix(&form.publish_at);
    let current = existing
        .as_ref()
        .map(|article| (article.status, shanghai_to_unix(&article.form.publish_at)));
    let plan = plan_save(&user, current, intent, requested, unix_now())?;
    let mut form = form;
    form.body = sanitize_html(&form.body);
    let change = Change {
        status: plan.status,
        published_at: plan.published_at,
        review_note: match (intent, &existing) {
            (SaveIntent::Save, Some(article)) => article.review_note.clone(),
            _ => String::new(),
        },
        note: plan.note,
        editor_id: user.id,
    };
    let id = match existing {
        Some(_) => {
            editing::update(&pool, id, version, &form, &change).await?;
            id
        }
        None => editing::create(&pool, &form, &change).await?,
    };
    // What was autosaved is in this save (or was deliberately left out of it).
    autosaves::delete(&pool, id, user.id).await?;
    let done = match intent {
        SaveIntent::Save => Done::Saved,
        SaveIntent::Submit => Done::Submitted,
        SaveIntent::Publish => Done::Published,
    };
    finish(&format!("/admin/articles/{id}"), done);
    Ok(())
}

/// Keeps what `user` has typed into a saved article's form, as the browser sends it in the
/// background: no revision, no new version, nothing published, and so no edit conflict for
/// anyone. Answers the time it was kept.
#[server(endpoint = "admin/autosave_article")]
pub async fn autosave_article(
    id: i64,
    version: i64,
    form: ArticleForm,
) -> Result<String, AppError> {
    use crate::db::autosaves;
    use crate::model::Permission;
    use crate::server::editorial::article_edits::editable;
    use crate::server::editorial::sanitize::sanitize_html;
    use crate::server::server_fns::open;

    let (user, state) = open(Permission::Write).await?;
    let pool = state.pool.clone();
    form.check_lengths().map_err(AppError::BadRequest)?;
    editable(&pool, &user, id).await?;
    let mut form = form;
    form.body = sanitize_html(&form.body);
    let kept = autosaves::put(&pool, id, user.id, version, &form).await?;
    Ok(kept.saved)
}

/// The category tree, for choosing and filtering by category.
#[server(endpoint = "admin/article_categories", input = GetUrl)]
pub async fn list_article_categories() -> Result<Vec<CategoryNode>, AppError> {
    use crate::model::Permission;
    use crate::server::server_fns::open;

    let (_, state) = open(Permission::Write).await?;
    Ok(crate::db::category_admin::tree(&state.pool).await?)
}

/// Pasted content, ready for the body, and what the editor should know about it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PastedContent {
    pub html: String,
    /// Pictures that could not be copied here, each with why.
    pub notes: Vec<String>,
}

/// Pasted clipboard content made fit for the body: HTML through the allow-list with its
/// pictures from other sites copied into the uploads, plain text as paragraphs.
#[server(endpoint = "admin/clean_paste")]
pub async fn clean_pasted(html: String, text: String) -> Result<PastedContent, AppError> {
    use crate::model::{MAX_BODY_CHARS, Permission, check_length};
    use crate::server::editorial::remote_images::copy_remote_images;
    use crate::server::editorial::sanitize::{clean_pasted_html, text_to_paragraphs};
    use crate::server::server_fns::open;

    let (user, state) = open(Permission::Write).await?;
    check_length("粘贴的内容", &html, MAX_BODY_CHARS, false).map_err(AppError::BadRequest)?;
    check_length("粘贴的内容", &text, MAX_BODY_CHARS, false).map_err(AppError::BadRequest)?;
    if html.trim().is_empty() {
        return Ok(PastedContent {
            html: text_to_paragraphs(&text),
            notes: Vec::new(),
        });
    }
    let copied = copy_remote_images(&state, user.id, &clean_pasted_html(&html)).await;
    Ok(PastedContent {
        html: copied.html,
        notes: copied.notes,
    })
}
