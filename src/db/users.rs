//! Accounts and their sessions.

use sqlx::SqlitePool;

use super::{StoreError, shanghai_minutes};
use crate::model::{Role, UserRow};

/// A password hash in the PHC string format. Deliberately neither `Serialize` nor
/// `Debug`-printable in full, so it cannot reach a browser or a log.
pub struct PasswordHashString(String);

impl PasswordHashString {
    /// Wraps a hash made by `server::auth::password::hash`.
    pub fn from_phc(phc: String) -> PasswordHashString {
        PasswordHashString(phc)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A stand-in hash for tests of the storage alone, which need no real password hashing.
#[cfg(test)]
pub(crate) fn test_hash(password: &str) -> Result<PasswordHashString, String> {
    Ok(PasswordHashString(format!("test:{password}")))
}

impl std::fmt::Debug for PasswordHashString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHashString(..)")
    }
}

pub async fn count(pool: &SqlitePool) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(pool)
        .await
}

pub async fn create(
    pool: &SqlitePool,
    name: &str,
    role: Role,
    hash: &PasswordHashString,
) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO users (username, display_name, role, password_hash) VALUES (?1, ?1, ?2, ?3)
         ON CONFLICT (username) DO NOTHING RETURNING id",
    )
    .bind(name)
    .bind(role)
    .bind(hash.as_str())
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| StoreError::Refused(format!("用户名 {name} 已被使用")))
}

/// Sets a new password and ends every session of the user.
pub async fn set_password(
    pool: &SqlitePool,
    name: &str,
    hash: &PasswordHashString,
) -> Result<(), StoreError> {
    let id = id_of(pool, name)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("没有名为 {name} 的用户")))?;
    set_password_by_id(pool, id, hash, None).await
}

/// Disables the account and ends every session of the user.
pub async fn disable(pool: &SqlitePool, name: &str) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    let id: Option<i64> =
        sqlx::query_scalar("UPDATE users SET disabled = 1 WHERE username = ? RETURNING id")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
    let id = id.ok_or_else(|| StoreError::NotFound(format!("没有名为 {name} 的用户")))?;
    end_sessions(&mut tx, id, None).await?;
    tx.commit().await?;
    Ok(())
}

/// Every account, for the admins' list.
pub async fn list(pool: &SqlitePool) -> sqlx::Result<Vec<UserRow>> {
    sqlx::query_as(concat!(
        "SELECT id, username, display_name, role, disabled, ",
        shanghai_minutes!("created_at"),
        " AS created FROM users ORDER BY username"
    ))
    .fetch_all(pool)
    .await
}

/// The id of the account called `name`.
pub async fn id_of(pool: &SqlitePool, name: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT id FROM users WHERE username = ?")
        .bind(name)
        .fetch_optional(pool)
        .await
}

/// The name of account `id`.
pub async fn name_of(pool: &SqlitePool, id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT username FROM users WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// Changes the role and whether the account may sign in; disabling ends its sessions.
pub async fn set_role_and_access(
    pool: &SqlitePool,
    id: i64,
    role: Role,
    disabled: bool,
) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    let found: Option<i64> =
        sqlx::query_scalar("UPDATE users SET role = ?, disabled = ? WHERE id = ? RETURNING id")
            .bind(role)
            .bind(disabled)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    if found.is_none() {
        return Err(StoreError::NotFound(format!("没有编号为 {id} 的用户")));
    }
    if disabled {
        end_sessions(&mut tx, id, None).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// How many enabled admins there are: the last one must not lock everyone out.
pub async fn active_admins(pool: &SqlitePool) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0")
        .fetch_one(pool)
        .await
}

/// Sets a new password and ends every session of the user except `keep` (the session of
/// a user changing their own password).
pub async fn set_password_by_id(
    pool: &SqlitePool,
    id: i64,
    hash: &PasswordHashString,
    keep: Option<&str>,
) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    let found: Option<i64> = sqlx::query_scalar(
        "UPDATE users SET password_hash = ?, password_changed_at = unixepoch()
         WHERE id = ? RETURNING id",
    )
    .bind(hash.as_str())
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    if found.is_none() {
        return Err(StoreError::NotFound(format!("没有编号为 {id} 的用户")));
    }
    end_sessions(&mut tx, id, keep).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends the user's sessions, except the one whose token hash is `keep`.
async fn end_sessions(
    conn: &mut sqlx::SqliteConnection,
    user_id: i64,
    keep: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?")
        .bind(user_id)
        .bind(keep)
        .execute(conn)
        .await
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::users::test_hash as hash;

    async fn sessions(pool: &SqlitePool) -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM sessions")
            .fetch_one(pool)
            .await
            .unwrap()
    }

    async fn open_session(pool: &SqlitePool, user: i64) {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (hex(randomblob(16)), ?, unixepoch() + 3600)")
            .bind(user)
            .execute(pool)
            .await
            .unwrap();
    }

    /// A new account with one open session; returns its id.
    async fn signed_in(pool: &SqlitePool, name: &str, role: Role) -> i64 {
        let id = create(pool, name, role, &hash("一个足够长的密码").unwrap())
            .await
            .unwrap();
        open_session(pool, id).await;
        id
    }

    #[sqlx::test]
    async fn names_are_unique_whatever_their_case(pool: SqlitePool) {
        let password = hash("一个足够长的密码").unwrap();
        create(&pool, "Admin", Role::Admin, &password)
            .await
            .unwrap();
        assert_eq!(
            create(&pool, "admin", Role::Editor, &password).await,
            Err(StoreError::Refused("用户名 admin 已被使用".into()))
        );
        assert_eq!(count(&pool).await.unwrap(), 1);
    }

    #[sqlx::test]
    async fn a_new_password_ends_sessions(pool: SqlitePool) {
        let id = signed_in(&pool, "editor", Role::Editor).await;
        set_password(&pool, "editor", &hash("另一个足够长的密码").unwrap())
            .await
            .unwrap();
        assert_eq!(sessions(&pool).await, 0);
        let stored: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = ?")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(stored, hash("另一个足够长的密码").unwrap().as_str());
        assert_eq!(
            set_password(&pool, "nobody", &hash("一个足够长的密码").unwrap()).await,
            Err(StoreError::NotFound("没有名为 nobody 的用户".into()))
        );
    }

    #[sqlx::test]
    async fn disabling_ends_sessions(pool: SqlitePool) {
        let id = signed_in(&pool, "writer", Role::Contributor).await;
        disable(&pool, "writer").await.unwrap();
        assert_eq!(sessions(&pool).await, 0);
        let disabled: bool = sqlx::query_scalar("SELECT disabled FROM users WHERE id = ?")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert!(disabled);
    }
}
