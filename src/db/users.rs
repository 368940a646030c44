//! Accounts and their sessions.

use sqlx::Connection;

use super::StoreError;
use super::store::{Exec, on_backend};
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

pub async fn count(db: impl Into<Exec<'_>>) -> sqlx::Result<i64> {
    on_backend!(db, |conn, _sql| {
        sqlx::query_scalar("SELECT count(*) FROM users")
            .fetch_one(&mut *conn)
            .await
    })
}

/// Names are unique whatever their case (ASCII letters), on both backends.
pub async fn create(
    db: impl Into<Exec<'_>>,
    name: &str,
    role: Role,
    hash: &PasswordHashString,
) -> Result<i64, StoreError> {
    let id: Option<i64> = on_backend!(db, |conn, _sql| {
        sqlx::query_scalar(
            "INSERT INTO users (username, display_name, role, password_hash)
             VALUES ($1, $1, $2, $3) ON CONFLICT DO NOTHING RETURNING id",
        )
        .bind(name)
        .bind(role)
        .bind(hash.as_str())
        .fetch_optional(&mut *conn)
        .await?
    });
    id.ok_or_else(|| StoreError::Refused(format!("用户名 {name} 已被使用")))
}

/// Sets a new password and ends every session of the user.
pub async fn set_password(
    db: impl Into<Exec<'_>>,
    name: &str,
    hash: &PasswordHashString,
) -> Result<(), StoreError> {
    on_backend!(db, |conn, _sql| {
        let id = id_of(&mut *conn, name)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("没有名为 {name} 的用户")))?;
        set_password_by_id(&mut *conn, id, hash, None).await
    })
}

/// Disables the account and ends every session of the user.
pub async fn disable(db: impl Into<Exec<'_>>, name: &str) -> Result<(), StoreError> {
    on_backend!(db, |conn, _sql| {
        let mut tx = conn.begin().await?;
        let id: Option<i64> = sqlx::query_scalar(
            "UPDATE users SET disabled = TRUE WHERE lower(username) = lower($1) RETURNING id",
        )
        .bind(name)
        .fetch_optional(&mut *tx)
        .await?;
        let id = id.ok_or_else(|| StoreError::NotFound(format!("没有名为 {name} 的用户")))?;
        end_sessions(&mut tx, id, None).await?;
        tx.commit().await?;
        Ok(())
    })
}

/// Every account, for the admins' list.
pub async fn list(db: impl Into<Exec<'_>>) -> sqlx::Result<Vec<UserRow>> {
    on_backend!(db, |conn, sql| {
        sqlx::query_as(&format!(
            "SELECT id, username, display_name, role, disabled, {} AS created
             FROM users ORDER BY lower(username)",
            sql.shanghai_minutes("created_at")
        ))
        .fetch_all(&mut *conn)
        .await
    })
}

/// The id of the account called `name`.
pub async fn id_of(db: impl Into<Exec<'_>>, name: &str) -> sqlx::Result<Option<i64>> {
    on_backend!(db, |conn, _sql| {
        sqlx::query_scalar("SELECT id FROM users WHERE lower(username) = lower($1)")
            .bind(name)
            .fetch_optional(&mut *conn)
            .await
    })
}

/// The name of account `id`.
pub async fn name_of(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<Option<String>> {
    on_backend!(db, |conn, _sql| {
        sqlx::query_scalar("SELECT username FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
    })
}

/// Changes the role and whether the account may sign in; disabling ends its sessions.
pub async fn set_role_and_access(
    db: impl Into<Exec<'_>>,
    id: i64,
    role: Role,
    disabled: bool,
) -> Result<(), StoreError> {
    on_backend!(db, |conn, _sql| {
        let mut tx = conn.begin().await?;
        let found: Option<i64> = sqlx::query_scalar(
            "UPDATE users SET role = $1, disabled = $2 WHERE id = $3 RETURNING id",
        )
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
    })
}

/// How many enabled admins there are: the last one must not lock everyone out.
pub async fn active_admins(db: impl Into<Exec<'_>>) -> sqlx::Result<i64> {
    on_backend!(db, |conn, _sql| {
        sqlx::query_scalar("SELECT count(*) FROM users WHERE role = 'admin' AND NOT disabled")
            .fetch_one(&mut *conn)
            .await
    })
}

/// Sets a new password and ends every session of the user except `keep` (the session of
/// a user changing their own password).
pub async fn set_password_by_id(
    db: impl Into<Exec<'_>>,
    id: i64,
    hash: &PasswordHashString,
    keep: Option<&str>,
) -> Result<(), StoreError> {
    on_backend!(db, |conn, sql| {
        let mut tx = conn.begin().await?;
        let found: Option<i64> = sqlx::query_scalar(&format!(
            "UPDATE users SET password_hash = $1, password_changed_at = {}
             WHERE id = $2 RETURNING id",
            sql.now
        ))
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
    })
}

/// Ends the user's sessions, except the one whose token hash is `keep`.
async fn end_sessions(
    db: impl Into<Exec<'_>>,
    user_id: i64,
    keep: Option<&str>,
) -> sqlx::Result<()> {
    on_backend!(db, |conn, _sql| {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR token_hash <> $2)")
            .bind(user_id)
            .bind(keep)
            .execute(&mut *conn)
            .await
            .map(|_| ())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Store;
    use crate::db::testing::{execute_with, named, number, on_each_backend};
    use crate::db::users::test_hash as hash;

    async fn sessions(store: &Store) -> i64 {
        number(store, "SELECT count(*) FROM sessions").await
    }

    /// A new account with one open session; returns its id.
    async fn signed_in(store: &Store, name: &str, role: Role) -> i64 {
        let id = create(store, name, role, &hash("一个足够长的密码").unwrap())
            .await
            .unwrap();
        let token = format!("token of {name}");
        crate::db::sessions::create(store, &token, id, i64::MAX)
            .await
            .unwrap();
        id
    }

    #[tokio::test]
    async fn names_are_unique_whatever_their_case() {
        on_each_backend(async |store| {
            let password = hash("一个足够长的密码").unwrap();
            create(&store, "Admin", Role::Admin, &password)
                .await
                .unwrap();
            assert_eq!(
                create(&store, "admin", Role::Editor, &password).await,
                Err(StoreError::Refused("用户名 admin 已被使用".into())),
                "{}",
                named(&store)
            );
            assert_eq!(count(&store).await.unwrap(), 1);
            assert_eq!(active_admins(&store).await.unwrap(), 1);
        })
        .await;
    }

    #[tokio::test]
    async fn a_new_password_ends_sessions() {
        on_each_backend(async |store| {
            let id = signed_in(&store, "editor", Role::Editor).await;
            signed_in(&store, "other", Role::Editor).await;
            set_password(&store, "Editor", &hash("另一个足够长的密码").unwrap())
                .await
                .unwrap();
            assert_eq!(sessions(&store).await, 1, "{}", named(&store));
            let stored: sqlx::Result<String> = async {
                on_backend!(&store, |conn, _sql| {
                    sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
                        .bind(id)
                        .fetch_one(&mut *conn)
                        .await
                })
            }
            .await;
            assert_eq!(
                stored.unwrap(),
                hash("另一个足够长的密码").unwrap().as_str()
            );
            assert_eq!(
                set_password(&store, "nobody", &hash("一个足够长的密码").unwrap()).await,
                Err(StoreError::NotFound("没有名为 nobody 的用户".into()))
            );
            // Changing one's own password keeps the session it was changed in.
            let other = id_of(&store, "other").await.unwrap().unwrap();
            set_password_by_id(
                &store,
                other,
                &hash("第三个足够长的密码").unwrap(),
                Some("token of other"),
            )
            .await
            .unwrap();
            assert_eq!(sessions(&store).await, 1);
        })
        .await;
    }

    #[tokio::test]
    async fn disabling_ends_sessions() {
        on_each_backend(async |store| {
            let id = signed_in(&store, "writer", Role::Contributor).await;
            disable(&store, "writer").await.unwrap();
            assert_eq!(sessions(&store).await, 0, "{}", named(&store));
            let disabled = execute_with(
                &store,
                "UPDATE users SET display_name = 'x' WHERE id = $1 AND disabled",
                &[id],
            )
            .await
            .unwrap();
            assert_eq!(disabled, 1);
            let listed = list(&store).await.unwrap();
            assert_eq!(listed.len(), 1);
            set_role_and_access(&store, id, Role::Editor, false)
                .await
                .unwrap();
            assert_eq!(
                name_of(&store, id).await.unwrap().as_deref(),
                Some("writer")
            );
        })
        .await;
    }
}
