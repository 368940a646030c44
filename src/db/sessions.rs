//! Sign-in sessions. Only a hash of each token is stored; the token is in the editor's cookie.

use sqlx::SqlitePool;

use crate::model::{Role, SessionUser};

/// What sign-in needs to know of an account.
#[derive(sqlx::FromRow)]
pub struct Credentials {
    pub id: i64,
    pub password_hash: String,
    pub disabled: bool,
}

pub async fn credentials(pool: &SqlitePool, username: &str) -> sqlx::Result<Option<Credentials>> {
    sqlx::query_as("SELECT id, password_hash, disabled FROM users WHERE username = ?")
        .bind(username)
        .fetch_optional(pool)
        .await
}

pub async fn credentials_by_id(pool: &SqlitePool, id: i64) -> sqlx::Result<Option<Credentials>> {
    sqlx::query_as("SELECT id, password_hash, disabled FROM users WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await
}

pub async fn create(
    pool: &SqlitePool,
    token_hash: &str,
    user_id: i64,
    expires_at: i64,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (?, ?, ?)")
        .bind(token_hash)
        .bind(user_id)
        .bind(expires_at)
        .execute(pool)
        .await
        .map(|_| ())
}

/// The user of a live session of an enabled account.
pub async fn user(
    pool: &SqlitePool,
    token_hash: &str,
    now: i64,
) -> sqlx::Result<Option<SessionUser>> {
    let row: Option<(i64, String, String, Role)> = sqlx::query_as(
        "SELECT u.id, u.username, u.display_name, u.role FROM sessions s
         JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(id, username, display_name, role)| SessionUser {
        id,
        username,
        display_name,
        role,
    }))
}

pub async fn delete(pool: &SqlitePool, token_hash: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
        .bind(token_hash)
        .execute(pool)
        .await
        .map(|_| ())
}

pub async fn delete_expired(pool: &SqlitePool, now: i64) -> sqlx::Result<u64> {
    sqlx::query("DELETE FROM sessions WHERE expires_at <= ?")
        .bind(now)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::users::test_hash as hash;

    async fn account(pool: &SqlitePool, name: &str) -> i64 {
        crate::db::users::create(pool, name, Role::Editor, &hash("一个足够长的密码").unwrap())
            .await
            .unwrap()
    }

    #[sqlx::test]
    async fn a_session_names_its_user_until_it_expires(pool: SqlitePool) {
        let id = account(&pool, "editor").await;
        create(&pool, "t1", id, 1_000).await.unwrap();
        let user = user(&pool, "t1", 999).await.unwrap().unwrap();
        assert_eq!((user.id, user.role), (id, Role::Editor));
        assert_eq!(super::user(&pool, "t1", 1_000).await.unwrap(), None);
        assert_eq!(super::user(&pool, "other", 999).await.unwrap(), None);
        assert_eq!(delete_expired(&pool, 1_000).await.unwrap(), 1);
    }

    #[sqlx::test]
    async fn a_disabled_account_has_no_session(pool: SqlitePool) {
        let id = account(&pool, "writer").await;
        create(&pool, "t2", id, i64::MAX).await.unwrap();
        sqlx::query("UPDATE users SET disabled = 1")
            .execute(&pool)
            .await
            .unwrap();
        assert_eq!(user(&pool, "t2", 0).await.unwrap(), None);
    }
}
