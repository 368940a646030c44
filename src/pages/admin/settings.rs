//! `/admin/settings`: the association's name and contact details, shown on every page.

use leptos::prelude::*;

use super::admin_data::AdminData;
use super::draft::FormDraft;
use super::notices::ActionError;
use crate::api::{SaveSettings, get_settings};
use crate::model::{MAX_SETTING_CHARS, MAX_URL_CHARS, SiteSettings};

#[component]
pub fn Settings() -> impl IntoView {
    let render = |settings, draft| view! { <SettingsForm settings draft/> }.into_any();
    view! { <AdminData load=get_settings render/> }
}

#[component]
fn SettingsForm(settings: SiteSettings, draft: FormDraft) -> impl IntoView {
    let save = ServerAction::<SaveSettings>::new();
    let fields: [(&str, &str, String); 12] = [
        ("网站名称", "name", settings.name.clone()),
        ("简称", "short_name", settings.short_name.clone()),
        ("网站简介", "description", settings.description.clone()),
        ("地址", "address", settings.address.clone()),
        ("邮编", "postcode", settings.postcode.clone()),
        ("电话", "phone", settings.phone.clone()),
        ("传真", "fax", settings.fax.clone()),
        ("邮箱", "email", settings.email.clone()),
        ("ICP 备案号", "icp_number", settings.icp_number.clone()),
        (
            "公安备案号",
            "police_number",
            settings.police_number.clone(),
        ),
        ("版权信息", "copyright", settings.copyright.clone()),
        ("网站标志地址", "logo", settings.logo.clone()),
    ];
    view! {
        <ActionForm action=save attr:class="admin-form">
            <ActionError action=save/>
            {fields
                .into_iter()
                .map(|(label, name, stored)| {
                    let name = format!("settings[{name}]");
                    let value = draft.or(&name, &stored);
                    let max = if name.ends_with("[logo]") { MAX_URL_CHARS } else { MAX_SETTING_CHARS };
                    let required = name == "settings[name]";
                    view! { <label>{label} <input name=name value=value maxlength=max required=required/></label> }
                })
                .collect_view()}
            <div class="form-buttons"><button type="submit" class="primary">"保存设置"</button></div>
        </ActionForm>
    }
}
