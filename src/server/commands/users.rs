//! `gazette user …`, and the admin account `--demo` creates.

use std::io::{BufRead, IsTerminal};

use crate::db::Store;

use super::cli::{Cli, UserAction};
use crate::db;
use crate::model::{Role, check_password, check_username};
use crate::server::auth::password;
use crate::server::config::Config;

/// The account `--demo` creates when there is none.
const DEMO_ADMIN: &str = "admin";

pub async fn run(cli: &Cli, action: UserAction) -> Result<(), String> {
    let config = Config::load(&cli.config)?;
    let pool = db::open(&config.database_url).await?;
    match action {
        UserAction::Add { name, role } => {
            check_username(&name)?;
            let role = Role::parse(&role).ok_or_else(|| format!("未知的角色: {role}"))?;
            let hash = password::hash(&read_new_password()?)?;
            db::users::create(&pool, &name, role, &hash)
                .await
                .map_err(|e| e.to_string())?;
            println!("已创建{} {name}", role.label());
        }
        UserAction::Passwd { name } => {
            let hash = password::hash(&read_new_password()?)?;
            db::users::set_password(&pool, &name, &hash)
                .await
                .map_err(|e| e.to_string())?;
            println!("已为 {name} 设置新密码,其登录状态已全部退出");
        }
        UserAction::Disable { name } => {
            db::users::disable(&pool, &name)
                .await
                .map_err(|e| e.to_string())?;
            println!("已停用 {name},其登录状态已全部退出");
        }
    }
    Ok(())
}

/// A new password: typed twice, unechoed, at a terminal; otherwise the first line of
/// standard input.
fn read_new_password() -> Result<String, String> {
    let password = if std::io::stdin().is_terminal() {
        let first =
            rpassword::prompt_password("新密码: ").map_err(|e| format!("无法读取密码: {e}"))?;
        let again =
            rpassword::prompt_password("再输入一次: ").map_err(|e| format!("无法读取密码: {e}"))?;
        if first != again {
            return Err("两次输入的密码不一致".into());
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| format!("无法读取密码: {e}"))?;
        line.trim_end_matches(['\r', '\n']).to_string()
    };
    check_password(&password)?;
    Ok(password)
}

/// With no account yet, creates the admin `admin`: its password is `GAZETTE_ADMIN_PASSWORD`
/// when set, otherwise a random one printed once here.
pub async fn create_demo_admin(pool: &Store) -> Result<(), String> {
    let none_yet = db::users::count(pool).await.map_err(|e| e.to_string())? == 0;
    if !none_yet {
        return Ok(());
    }
    let (chosen, shown) = match std::env::var("GAZETTE_ADMIN_PASSWORD") {
        Ok(chosen) => {
            check_password(&chosen)
                .map_err(|reason| format!("GAZETTE_ADMIN_PASSWORD: {reason}"))?;
            (chosen, false)
        }
        Err(_) => (password::generate(), true),
    };
    let hash = password::hash(&chosen)?;
    db::users::create(pool, DEMO_ADMIN, Role::Admin, &hash)
        .await
        .map_err(|e| e.to_string())?;
    if shown {
        println!("已创建管理员 {DEMO_ADMIN},密码(只显示这一次): {chosen}");
    } else {
        println!("已创建管理员 {DEMO_ADMIN},密码为 GAZETTE_ADMIN_PASSWORD 的值");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::on_each_backend;

    #[tokio::test]
    async fn the_demo_admin_is_made_once() {
        on_each_backend(async |store| {
            let pool = store;
            // The test environment sets no GAZETTE_ADMIN_PASSWORD, so a password is generated.
            create_demo_admin(&pool).await.unwrap();
            create_demo_admin(&pool).await.unwrap();
            let admins: Vec<(String, Role)> = db::users::list(&pool)
                .await
                .unwrap()
                .into_iter()
                .map(|user| (user.username, user.role))
                .collect();
            assert_eq!(admins, [("admin".to_string(), Role::Admin)]);
        })
        .await;
    }
}
