//! `/admin/links`: 友情链接, each editable in place, and a form to add one.

use leptos::prelude::*;

use super::admin_data::AdminData;
use super::draft::FormDraft;
use super::notices::ActionError;
use crate::api::{DeleteLink, SaveLink, list_links};
use crate::model::{LinkForm, LinkRow, MAX_GROUP_CHARS, MAX_LINK_NAME_CHARS, MAX_URL_CHARS};

#[component]
pub fn Links() -> impl IntoView {
    let render = |links: Vec<LinkRow>, draft: FormDraft| {
        view! {
            <h2>"添加链接"</h2>
            <LinkEditor row=None draft=draft.clone()/>
            <h2>"现有链接"</h2>
            {if links.is_empty() { Some(view! { <p>"还没有友情链接"</p> }) } else { None }}
            {links.into_iter().map(|row| view! { <LinkEditor row=Some(row) draft=FormDraft::default()/> }).collect_view()}
        }
        .into_any()
    };
    view! { <AdminData load=list_links render/> }
}

/// One link's form; `row` is `None` for a new link.
#[component]
fn LinkEditor(row: Option<LinkRow>, draft: FormDraft) -> impl IntoView {
    let save = ServerAction::<SaveLink>::new();
    let delete = ServerAction::<DeleteLink>::new();
    let id = row.as_ref().map_or(0, |r| r.id);
    let link = row.map(|r| r.link).unwrap_or_else(|| LinkForm {
        position: 0,
        ..LinkForm::default()
    });
    let field = move |name: &str, stored: &str| draft.or(&format!("link[{name}]"), stored);
    let label = if id == 0 {
        "添加".to_string()
    } else {
        format!("保存“{}”", link.name)
    };
    let delete_label = format!("删除“{}”", link.name);
    view! {
        <div class="link-editor">
            <ActionForm action=save attr:class="admin-form row-form">
                <ActionError action=save/>
                <input type="hidden" name="id" value=id/>
                <label>"名称" <input name="link[name]" required maxlength=MAX_LINK_NAME_CHARS value=field("name", &link.name)/></label>
                <label>"网址" <input type="url" name="link[url]" required maxlength=MAX_URL_CHARS value=field("url", &link.url)/></label>
                <label>"分组" <input name="link[group_name]" maxlength=MAX_GROUP_CHARS value=field("group_name", &link.group_name)/></label>
                <label>"排序" <input type="number" name="link[position]" value=field("position", &link.position.to_string())/></label>
                <label>"图标地址" <input name="link[logo]" maxlength=MAX_URL_CHARS value=field("logo", &link.logo)/></label>
                <button type="submit">{label}</button>
            </ActionForm>
            {(id > 0).then(|| view! {
                <ActionForm action=delete attr:class="inline-form">
                    <ActionError action=delete/>
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" aria-label=delete_label>"删除"</button>
                </ActionForm>
            })}
        </div>
    }
}
