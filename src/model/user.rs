//! Editors' accounts: roles and the rules for names and passwords.

use serde::{Deserialize, Serialize};

/// Shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest password accepted, in characters: argon2 takes any length, people do not need more.
pub const MAX_PASSWORD_CHARS: usize = 128;
/// Longest user name, in characters.
pub const MAX_USERNAME_CHARS: usize = 32;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "lowercase"))]
pub enum Role {
    /// Everything, users and settings included.
    Admin,
    /// Writes, reviews and publishes any article; categories; links.
    Editor,
    /// Writes drafts and submits them for review.
    Contributor,
}

impl Role {
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "admin" => Some(Role::Admin),
            "editor" => Some(Role::Editor),
            "contributor" => Some(Role::Contributor),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "管理员",
            Role::Editor => "编辑",
            Role::Contributor => "投稿人",
        }
    }
}

/// Why a user name is not acceptable, if it is not.
pub fn check_username(name: &str) -> Result<(), String> {
    let count = name.chars().count();
    if count == 0 {
        return Err("用户名不能为空".into());
    }
    if count > MAX_USERNAME_CHARS {
        return Err(format!("用户名最多 {MAX_USERNAME_CHARS} 个字符"));
    }
    if !name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        return Err("用户名只能包含文字、数字和 _ - .".into());
    }
    Ok(())
}

/// Why a password is not acceptable, if it is not.
pub fn check_password(password: &str) -> Result<(), String> {
    let count = password.chars().count();
    if count < MIN_PASSWORD_CHARS {
        return Err(format!("密码至少 {MIN_PASSWORD_CHARS} 个字符"));
    }
    if count > MAX_PASSWORD_CHARS {
        return Err(format!("密码最多 {MAX_PASSWORD_CHARS} 个字符"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_from_their_names() {
        assert_eq!(Role::parse("editor"), Some(Role::Editor));
        assert_eq!(Role::parse("Editor"), None);
        assert_eq!(Role::Contributor.label(), "投稿人");
    }

    #[test]
    fn user_names_are_short_words() {
        assert!(check_username("admin").is_ok());
        assert!(check_username("王小明").is_ok());
        assert!(check_username("").is_err());
        assert!(check_username("a b").is_err());
        assert!(check_username(&"长".repeat(33)).is_err());
        assert!(check_username(&"长".repeat(32)).is_ok());
    }

    #[test]
    fn passwords_are_counted_in_characters() {
        assert!(
            check_password("密码密码密码密码").is_ok(),
            "eight characters, 24 bytes"
        );
        assert!(check_password("short").is_err());
        assert!(check_password(&"x".repeat(129)).is_err());
    }
}
