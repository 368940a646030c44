//! `/admin/account`: the signed-in user changes their own password.

use leptos::prelude::*;

use super::frame::AdminFrame;
use super::notices::{ActionError, DoneNotice};
use crate::api::ChangePassword;
use crate::model::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};

#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <AdminFrame
            title="我的账号".to_string()
            view=|user| {
                let change = ServerAction::<ChangePassword>::new();
                view! {
                    <DoneNotice/>
                    <p>{format!("用户名:{} · 角色:{}", user.username, user.role.label())}</p>
                    <h2>"修改密码"</h2>
                    <p class="hint">"修改后,您在其他设备上的登录会全部退出。"</p>
                    <ActionForm action=change attr:class="admin-form">
                        <ActionError action=change/>
                        <label>"当前密码" <input type="password" name="current_password" required autocomplete="current-password" maxlength=MAX_PASSWORD_CHARS/></label>
                        <label>"新密码" <input type="password" name="new_password" required autocomplete="new-password" minlength=MIN_PASSWORD_CHARS maxlength=MAX_PASSWORD_CHARS/></label>
                        <label>"再次输入新密码" <input type="password" name="new_password_again" required autocomplete="new-password" minlength=MIN_PASSWORD_CHARS maxlength=MAX_PASSWORD_CHARS/></label>
                        <button type="submit" class="primary">"修改密码"</button>
                    </ActionForm>
                }
            }
        />
    }
}
