//! Sign-in sessions. Only a hash of each token is stored; the token is in the editor's cookie.

use super::store::{Exec, on_backend};
use crate::model::{Role, SessionUser};

/// What sign-in needs to know of an account.
#[derive(sqlx::FromRow)]
pub struct Credentials {
    pub id: i64,
    pub password_hash: String,
    pub disabled: bool,
}

/// User names are compared without case (ASCII letters), on both backends.
pub async fn credentials(
    db: impl Into<Exec<'_>>,
    username: &str,
) -> sqlx::Result<Option<Credentials>> {
    on_backend!(db, |conn, _sql| {
        sqlx::query_as(
            "SELECT id, password_hash, disabled FROM users WHERE lower(username) = lower($1)",
        )
        .bind(username)
        .fetch_optional(&mut *conn)
        .await
    })
}

pub async fn credentials_by_id(
    db: impl Into<Exec<'_>>,
    id: i64,
) -> sqlx::Result<Option<Credentials>> {
    on_backend!(db, |conn, _sql| {
        sqlx::query_as("SELECT id, password_hash, disabled FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
    })
}

pub async fn create(
    db: impl Into<Exec<'_>>,
    token_hash: &str,
    user_id: i64,
    expires_at: i64,
) -> sqlx::Result<()> {
    on_backend!(db, |conn, _sql| {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)")
            .bind(token_hash)
            .bind(user_id)
            .bind(expires_at)
            .execute(&mut *conn)
            .await
            .map(|_| ())
    })
}

/// The user of a live session of an enabled account.
pub async fn user(
    db: impl Into<Exec<'_>>,
    token_hash: &str,
    now: i64,
) -> sqlx::Result<Option<SessionUser>> {
    let row: Option<(i64, String, String, Role)> = on_backend!(db, |conn, _sql| {
        sqlx::query_as(
            "SELECT u.id, u.username, u.display_name, u.role FROM sessions s
             JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT u.disabled",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&mut *conn)
        .await?
    });
    Ok(row.map(|(id, username, display_name, role)| SessionUser {
        id,
        username,
        display_name,
        role,
    }))
}

pub async fn delete(db: impl Into<Exec<'_>>, token_hash: &str) -> sqlx::Result<()> {
    on_backend!(db, |conn, _sql| {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *conn)
            .await
            .map(|_| ())
    })
}

pub async fn delete_expired(db: impl Into<Exec<'_>>, now: i64) -> sqlx::Result<u64> {
    on_backend!(db, |conn, _sql| {
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&mut *conn)
            .await
            .map(|done| done.rows_affected())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Store;
    use crate::db::testing::{execute, named, on_each_backend};
    use crate::db::users::test_hash as hash;

    async fn account(store: &Store, name: &str) -> i64 {
        crate::db::users::create(
            store,
            name,
            Role::Editor,
            &hash("一个足够长的密码").unwrap(),
        )
        .await
        .unwrap()
    }

    #[tokio::test]
    async fn a_session_names_its_user_until_it_expires() {
        on_each_backend(async |store| {
            let db = &store;
            let id = account(db, "Editor").await;
            create(db, "t1", id, 1_000).await.unwrap();
            let user = user(db, "t1", 999).await.unwrap().unwrap();
            assert_eq!((user.id, user.role), (id, Role::Editor), "{}", named(db));
            assert_eq!(super::user(db, "t1", 1_000).await.unwrap(), None);
            assert_eq!(super::user(db, "other", 999).await.unwrap(), None);
            assert_eq!(delete_expired(db, 1_000).await.unwrap(), 1);
            let found = credentials(db, "editor").await.unwrap().unwrap();
            assert_eq!(found.id, id, "names are found whatever their case");
            assert!(credentials_by_id(db, id).await.unwrap().is_some());
        })
        .await;
    }

    #[tokio::test]
    async fn a_disabled_account_has_no_session() {
        on_each_backend(async |store| {
            let id = account(&store, "writer").await;
            create(&store, "t2", id, i64::MAX).await.unwrap();
            execute(&store, "UPDATE users SET disabled = TRUE").await;
            assert_eq!(
                user(&store, "t2", 0).await.unwrap(),
                None,
                "{}",
                named(&store)
            );
            assert!(
                credentials(&store, "writer")
                    .await
                    .unwrap()
                    .unwrap()
                    .disabled
            );
        })
        .await;
    }
}
