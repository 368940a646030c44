//! `/admin/users`: accounts, for admins: create, change role, disable, reset a password.

use leptos::prelude::*;

use super::admin_data::AdminData;
use super::draft::FormDraft;
use super::notices::ActionError;
use crate::api::{CreateUser, ResetPassword, UpdateUser, list_users};
use crate::model::{MAX_PASSWORD_CHARS, MAX_USERNAME_CHARS, MIN_PASSWORD_CHARS, Role, UserRow};

const ROLES: [(Role, &str); 3] = [
    (Role::Admin, "admin"),
    (Role::Editor, "editor"),
    (Role::Contributor, "contributor"),
];

#[component]
pub fn Users() -> impl IntoView {
    let render = |users: Vec<UserRow>, draft| {
        view! {
            <h2>"新建用户"</h2>
            <NewUser draft/>
            <h2>"现有用户"</h2>
            {users.into_iter().map(|user| view! { <UserEditor user/> }).collect_view()}
        }
        .into_any()
    };
    view! { <AdminData load=list_users render/> }
}

#[component]
fn RoleSelect(selected: String) -> impl IntoView {
    view! {
        <select name="role">
            {ROLES.into_iter().map(|(role, value)| view! {
                <option value=value selected=selected == value>{role.label()}</option>
            }).collect_view()}
        </select>
    }
}

#[component]
fn NewUser(draft: FormDraft) -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    view! {
        <ActionForm action=create attr:class="admin-form row-form">
            <ActionError action=create/>
            <label>"用户名" <input name="username" required maxlength=MAX_USERNAME_CHARS value=draft.or("username", "")/></label>
            <label>"角色" <RoleSelect selected=draft.or("role", "contributor")/></label>
            <label>
                "初始密码"
                <input type="password" name="password" required autocomplete="new-password"
                    minlength=MIN_PASSWORD_CHARS maxlength=MAX_PASSWORD_CHARS/>
            </label>
            <button type="submit">"创建用户"</button>
        </ActionForm>
    }
}

#[component]
fn UserEditor(user: UserRow) -> impl IntoView {
    let update = ServerAction::<UpdateUser>::new();
    let reset = ServerAction::<ResetPassword>::new();
    let role = ROLES
        .iter()
        .find(|(r, _)| *r == user.role)
        .map_or("contributor", |(_, v)| v);
    let title = format!(
        "{}({}{})",
        user.username,
        user.role.label(),
        if user.disabled { ",已停用" } else { "" }
    );
    let save_label = format!("保存 {} 的角色", user.username);
    let reset_label = format!("重设 {} 的密码", user.username);
    view! {
        <section class="user-editor" aria-label=user.username>
            <h3>{title}</h3>
            <ActionForm action=update attr:class="admin-form row-form">
                <ActionError action=update/>
                <input type="hidden" name="id" value=user.id/>
                <label>"角色" <RoleSelect selected=role.to_string()/></label>
                <label class="checkbox">
                    <input type="checkbox" name="disabled" value="yes" checked=user.disabled/>
                    "停用"
                </label>
                <button type="submit">{save_label}</button>
            </ActionForm>
            <ActionForm action=reset attr:class="admin-form row-form">
                <ActionError action=reset/>
                <input type="hidden" name="id" value=user.id/>
                <label>
                    "新密码"
                    <input type="password" name="new_password" required autocomplete="new-password"
                        minlength=MIN_PASSWORD_CHARS maxlength=MAX_PASSWORD_CHARS/>
                </label>
                <button type="submit">{reset_label}</button>
            </ActionForm>
        </section>
    }
}
