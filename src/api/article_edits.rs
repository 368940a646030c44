//! Articles as editors write them: the list, the form's data, saving it, and cleaning
//! what is pasted into its body.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::model::{
    ArticleFilter, ArticleForm, ArticleListPage, CategoryNode, EditableArticle, SaveIntent,
    SessionUser,
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
/// hold articles, and who is editing.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ArticleEditor {
    pub article: Option<EditableArticle>,
    pub categories: Vec<CategoryNode>,
    pub user: SessionUser,
}

#[server(endpoint = "admin/article", input = GetUrl)]
pub async fn get_article_editor(id: Option<i64>) -> Result<ArticleEditor, AppError> {
    use crate::db::category_admin;
    use crate::model::Permission;
    use crate::server::editorial::article_edits::editable;
    use crate::server::server_fns::open;

    let (user, state) = open(Permission::Write).await?;
    let pool = state.pool.clone();
    let article = match id {
        Some(id) => Some(editable(&pool, &user, id).await?),
        None => None,
    };
    Ok(ArticleEditor {
        article,
        categories: category_admin::tree(&pool).await?,
        user,
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
    use crate::db::{categories, editing, editing::Change};
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
    let done = match intent {
        SaveIntent::Save => Done::Saved,
        SaveIntent::Submit => Done::Submitted,
        SaveIntent::Publish => Done::Published,
    };
    finish(&format!("/admin/articles/{id}"), done);
    Ok(())
}

/// The category tree, for choosing and filtering by category.
#[server(endpoint = "admin/article_categories", input = GetUrl)]
pub async fn list_article_categories() -> Result<Vec<CategoryNode>, AppError> {
    use crate::model::Permission;
    use crate::server::server_fns::open;

    let (_, state) = open(Permission::Write).await?;
    Ok(crate::db::category_admin::tree(&state.pool).await?)
}

/// Pasted clipboard content made fit for the body: HTML through the allow-list, plain
/// text as paragraphs.
#[server(endpoint = "admin/clean_paste")]
pub async fn clean_pasted(html: String, text: String) -> Result<String, AppError> {
    use crate::model::{MAX_BODY_CHARS, Permission, check_length};
    use crate::server::editorial::sanitize::{clean_pasted_html, text_to_paragraphs};
    use crate::server::server_fns::open;

    open(Permission::Write).await?;
    check_length("粘贴的内容", &html, MAX_BODY_CHARS, false).map_err(AppError::BadRequest)?;
    check_length("粘贴的内容", &text, MAX_BODY_CHARS, false).map_err(AppError::BadRequest)?;
    Ok(if html.trim().is_empty() {
        text_to_paragraphs(&text)
    } else {
        clean_pasted_html(&html)
    })
}
