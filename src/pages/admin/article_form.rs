//! `/admin/articles/new` and `/admin/articles/{id}`: the article form, with the workflow's
//! buttons for what the user may do next.

use leptos::prelude::*;
use leptos_meta::Script;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::draft::{FormDraft, use_form_draft};
use super::fields::{Flag, TextArea, TextField};
use super::frame::AdminFrame;
use super::notices::{ActionError, DoneNotice, LoadError};
use super::workflow_actions::WorkflowActions;
use crate::api::{ArticleEditor, SaveArticle, get_article_editor};
use crate::error::AppError;
use crate::model::{
    ArticleStatus, CategoryKind, MAX_AUTHOR_CHARS, MAX_BODY_CHARS, MAX_INFO_SOURCE_CHARS,
    MAX_SOURCE_CHARS, MAX_SUBTITLE_CHARS, MAX_SUMMARY_CHARS, MAX_TITLE_CHARS, MAX_URL_CHARS,
    Permission,
};

#[component]
pub fn NewArticlePage() -> impl IntoView {
    view! { <AdminFrame title="写文章".to_string() view=|_| view! { <Editor id=None/> }/> }
}

#[component]
pub fn EditArticlePage() -> impl IntoView {
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    view! {
        <AdminFrame
            title="编辑文章".to_string()
            view=move |_| match id {
                Some(id) => view! { <Editor id=Some(id)/> }.into_any(),
                None => view! { <LoadError error=AppError::NotFound/> }.into_any(),
            }
        />
    }
}

#[component]
fn Editor(id: Option<i64>) -> impl IntoView {
    let query = use_query_map();
    // Reloaded after each redirect back here (`?done=…`), so the form shows the new version,
    // and when the editor asks for their autosave (`?restore=autosave`).
    let editor = Resource::new(
        move || query.with(|q| (q.get("n"), q.get("restore"))),
        move |_| get_article_editor(id),
    );
    let draft = use_form_draft();
    view! {
        <Script src="/editor.js" defer="defer"/>
        <DoneNotice/>
        <Suspense fallback=|| view! { <p class="loading">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match (editor.await, draft.await) {
                    (Ok(editor), draft) => view! { <EditorView editor draft/> }.into_any(),
                    (Err(error), _) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditorView(editor: ArticleEditor, draft: FormDraft) -> impl IntoView {
    let ArticleEditor {
        article,
        categories,
        user,
        autosave,
    } = editor;
    let save = ServerAction::<SaveArticle>::new();
    let id = article.as_ref().map_or(0, |a| a.id);
    let restoring = use_query_map()
        .with_untracked(|q| q.get("restore"))
        .as_deref()
        == Some("autosave");
    let (stored, version) = match (&autosave, &article) {
        (Some(autosave), Some(article)) if restoring => (autosave.form.clone(), article.version),
        (_, Some(article)) => (article.form.clone(), article.version),
        (_, None) => Default::default(),
    };
    let autosave_note = autosave.zip(article.as_ref()).map(|(autosave, article)| {
        // Filling it in is the editor's choice; when someone saved since, they are told
        // that saving it replaces that version.
        let saved_since = (article.version > autosave.version).then(|| {
            format!(
                "此后 {} 在 {} 保存了第 {} 版,保存自动保存的内容会替换那一版,请先看一下历史版本。",
                article.last_saved_by, article.last_saved, article.version
            )
        });
        if restoring {
            view! {
                <p class="autosave-note" role="note">
                    {format!("已填入 {} 自动保存的内容,保存后才生效。", autosave.saved)}
                    {saved_since}
                </p>
            }
            .into_any()
        } else {
            view! {
                <p class="autosave-note" role="note">
                    {format!("您在 {} 有自动保存但尚未保存的修改。", autosave.saved)}
                    {saved_since}
                    " "
                    <a href=format!("/admin/articles/{id}?restore=autosave")>"填入自动保存的内容"</a>
                </p>
            }
            .into_any()
        }
    });
    let status = article.as_ref().map(|a| a.status);
    let typed = draft.clone();
    let field = move |name: &str, stored: &str| typed.or(&format!("form[{name}]"), stored);
    let flag = move |name: &str, stored: bool| draft.checked(&format!("form[{name}]"), stored);
    let chosen_category = field("category_id", &stored.category_id.to_string());
    let may_publish = user.may(Permission::Publish);
    let may_submit = matches!(
        status,
        None | Some(ArticleStatus::Draft | ArticleStatus::Pending)
    );
    let status_line = article.as_ref().map(|a| {
        let label = if a.scheduled {
            "定时发布"
        } else {
            a.status.label()
        };
        format!(
            "状态:{label} · 第 {} 版 · {} {} 保存",
            a.version, a.last_saved_by, a.last_saved
        )
    });
    let review_note = article
        .as_ref()
        .filter(|a| !a.review_note.is_empty())
        .map(|a| view! { <p class="review-note" role="note">{format!("退回原因:{}", a.review_note)}</p> });
    let links = article.as_ref().map(|a| {
        view! {
            <p class="article-links">
                <a href=format!("/admin/articles/{}/preview", a.id)>"预览"</a>
                <a href=format!("/admin/articles/{}/history", a.id)>"历史版本"</a>
            </p>
        }
    });
    view! {
        {status_line.map(|line| view! { <p class="status-line">{line}</p> })}
        {review_note}
        {autosave_note}
        {links}
        <ActionForm action=save attr:class="admin-form article-form">
            <ActionError action=save/>
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="version" value=version/>
            <TextField label="标题" name="form[title]" value=field("title", &stored.title) max=MAX_TITLE_CHARS required=true/>
            <TextField label="副标题" name="form[subtitle]" value=field("subtitle", &stored.subtitle) max=MAX_SUBTITLE_CHARS/>
            <label>
                "栏目"
                <select name="form[category_id]" required>
                    <option value="">"请选择栏目"</option>
                    {categories
                        .into_iter()
                        .map(|c| {
                            let selected = chosen_category == c.id.to_string();
                            let disabled = c.kind == CategoryKind::Page;
                            view! {
                                <option value=c.id selected=selected disabled=disabled>
                                    {format!("{}{}", "— ".repeat(c.depth), c.name)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <TextField label="来源" name="form[source]" value=field("source", &stored.source) max=MAX_SOURCE_CHARS/>
            <TextField label="作者" name="form[author]" value=field("author", &stored.author) max=MAX_AUTHOR_CHARS/>
            <TextField label="信息来源" name="form[info_source]" value=field("info_source", &stored.info_source) max=MAX_INFO_SOURCE_CHARS/>
            <TextField label="信息来源网址" name="form[info_source_url]" value=field("info_source_url", &stored.info_source_url) max=MAX_URL_CHARS/>
            <label>
                "摘要"
                <TextArea name="form[summary]" rows=3 max=MAX_SUMMARY_CHARS value=field("summary", &stored.summary)/>
            </label>
            <TextField label="封面图片地址" name="form[cover_image]" value=field("cover_image", &stored.cover_image) max=MAX_URL_CHARS/>
            <p class="hint">"图片和附件可在" <a href="/admin/uploads" target="_blank">"上传文件"</a> "页上传后复制地址。"</p>
            <fieldset class="flags">
                <legend>"推荐位"</legend>
                <Flag label="头条" name="form[is_headline]" checked=flag("is_headline", stored.is_headline)/>
                <Flag label="推荐" name="form[is_recommended]" checked=flag("is_recommended", stored.is_recommended)/>
                <Flag label="置顶" name="form[is_pinned]" checked=flag("is_pinned", stored.is_pinned)/>
            </fieldset>
            <label>
                "发布时间(北京时间,留空为立即发布;填写将来的时间即定时发布)"
                <input type="datetime-local" name="form[publish_at]" value=field("publish_at", &stored.publish_at)/>
            </label>
            <label for="article-body">"正文"</label>
            // A saved article's form is also kept on the server as it is typed (editor.js).
            <div class="rich-editor" data-autosave-to=(id > 0).then_some("admin/autosave_article")>
                <TextArea id="article-body" name="form[body]" rows=20 max=MAX_BODY_CHARS rich=true value=field("body", &stored.body)/>
            </div>
            <div class="form-buttons">
                <button type="submit" name="intent" value="save">
                    {if status == Some(ArticleStatus::Published) { "保存修改" } else { "保存草稿" }}
                </button>
                {may_submit.then(|| view! { <button type="submit" name="intent" value="submit">"提交审核"</button> })}
                {may_publish.then(|| view! { <button type="submit" name="intent" value="publish" class="primary">"发布"</button> })}
            </div>
        </ActionForm>
        {article.map(|article| view! { <WorkflowActions article user/> })}
    }
}
