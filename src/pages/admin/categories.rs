//! `/admin/categories` (the tree) and `/admin/categories/{id|new}` (one category's form).

use leptos::prelude::*;
use leptos_meta::Script;
use leptos_router::hooks::use_params_map;

use super::admin_data::AdminData;
use super::draft::FormDraft;
use super::fields::TextArea;
use super::notices::{ActionError, LoadError};
use crate::api::{DeleteCategory, SaveCategory, list_categories};
use crate::error::AppError;
use crate::model::{
    CategoryKind, CategoryNode, MAX_BODY_CHARS, MAX_CATEGORY_NAME_CHARS, MAX_DESCRIPTION_CHARS,
    MAX_SLUG_CHARS,
};

#[component]
pub fn CategoryTree() -> impl IntoView {
    let render = |tree: Vec<CategoryNode>, _| {
        view! {
            <table class="admin-table">
                <thead>
                    <tr>
                        <th scope="col">"栏目"</th>
                        <th scope="col">"英文标识"</th>
                        <th scope="col">"类型"</th>
                        <th scope="col">"排序"</th>
                        <th scope="col">"文章数"</th>
                    </tr>
                </thead>
                <tbody>
                    {tree.into_iter().map(|c| view! {
                        <tr>
                            <td>
                                {"— ".repeat(c.depth)}
                                <a href=format!("/admin/categories/{}", c.id)>{c.name}</a>
                            </td>
                            <td>{c.slug}</td>
                            <td>{kind_label(c.kind)}</td>
                            <td>{c.position}</td>
                            <td>{c.articles}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <AdminData load=list_categories render>
            <p><a class="button" href="/admin/categories/new">"新建栏目"</a></p>
        </AdminData>
    }
}

fn kind_label(kind: CategoryKind) -> &'static str {
    match kind {
        CategoryKind::List => "文章列表",
        CategoryKind::Page => "单页",
    }
}

#[component]
pub fn CategoryEditor() -> impl IntoView {
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let render = move |tree: Vec<CategoryNode>, draft| {
        let current = id.and_then(|id| tree.iter().find(|c| c.id == id).cloned());
        if id.is_some() && current.is_none() {
            return view! { <LoadError error=AppError::NotFound/> }.into_any();
        }
        view! { <CategoryForm current tree draft/> }.into_any()
    };
    view! {
        <Script src="/editor.js" defer="defer"/>
        <AdminData load=list_categories render>
            <p><a href="/admin/categories">"返回栏目列表"</a></p>
        </AdminData>
    }
}

#[component]
fn CategoryForm(
    current: Option<CategoryNode>,
    tree: Vec<CategoryNode>,
    draft: FormDraft,
) -> impl IntoView {
    let save = ServerAction::<SaveCategory>::new();
    let delete = ServerAction::<DeleteCategory>::new();
    let id = current.as_ref().map_or(0, |c| c.id);
    let typed = draft.clone();
    let field = move |name: &str, stored: &str| typed.or(&format!("form[{name}]"), stored);
    let current_position = current.as_ref().map_or(0, |c| c.position).to_string();
    let in_nav = draft.checked(
        "form[show_in_nav]",
        current.as_ref().is_none_or(|c| c.show_in_nav),
    );
    let stored =
        move |get: fn(&CategoryNode) -> String| current.as_ref().map(get).unwrap_or_default();
    let parent = field(
        "parent_id",
        &stored(|c| c.parent_id.unwrap_or(0).to_string()),
    );
    let kind = field(
        "kind",
        &stored(|c| match c.kind {
            CategoryKind::Page => "page".into(),
            CategoryKind::List => "list".into(),
        }),
    );
    view! {
        <ActionForm action=save attr:class="admin-form">
            <ActionError action=save/>
            <input type="hidden" name="id" value=id/>
            <label>"栏目名称" <input name="form[name]" required maxlength=MAX_CATEGORY_NAME_CHARS value=field("name", &stored(|c| c.name.clone()))/></label>
            <label>
                "英文标识(网址中使用,小写字母、数字和 -)"
                <input name="form[slug]" required maxlength=MAX_SLUG_CHARS pattern="[a-z0-9-]+" value=field("slug", &stored(|c| c.slug.clone()))/>
            </label>
            <label>
                "上级栏目"
                <select name="form[parent_id]">
                    <option value="0" selected=parent == "0">"(顶级栏目)"</option>
                    {tree.into_iter().filter(|c| c.id != id).map(|c| {
                        let selected = parent == c.id.to_string();
                        view! { <option value=c.id selected=selected>{format!("{}{}", "— ".repeat(c.depth), c.name)}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>"排序(数字小的在前)" <input type="number" name="form[position]" value=field("position", &current_position)/></label>
            <label>
                "类型"
                <select name="form[kind]">
                    <option value="list" selected=kind != "page">"文章列表"</option>
                    <option value="page" selected=kind == "page">"单页(如关于我们)"</option>
                </select>
            </label>
            <label class="checkbox">
                <input type="checkbox" name="form[show_in_nav]" value="true" checked=in_nav/>
                "显示在导航栏"
            </label>
            <label>"栏目简介" <TextArea name="form[description]" rows=2 max=MAX_DESCRIPTION_CHARS value=field("description", &stored(|c| c.description.clone()))/></label>
            <label for="page-body">"单页内容(仅单页栏目使用)"</label>
            <div class="rich-editor">
                <TextArea id="page-body" name="form[page_body]" rows=12 max=MAX_BODY_CHARS rich=true value=field("page_body", &stored(|c| c.page_body.clone()))/>
            </div>
            <div class="form-buttons"><button type="submit" class="primary">"保存栏目"</button></div>
        </ActionForm>
        {(id > 0).then(|| view! {
            <ActionForm action=delete attr:class="inline-form danger">
                <ActionError action=delete/>
                <input type="hidden" name="id" value=id/>
                <button type="submit">"删除栏目"</button>
            </ActionForm>
        })}
    }
}
