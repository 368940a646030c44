//! What the servers sharing a database must agree on: failed sign-ins and the fields of
//! rejected no-JavaScript forms.

use super::store::{Exec, on_backend};

/// The failures counted under each of `keys` since `since`: (key, first failure, count).
pub async fn sign_in_failures(
    db: impl Into<Exec<'_>>,
    keys: &[&str],
    since: i64,
) -> sqlx::Result<Vec<(String, i64, i64)>> {
    let mut found = Vec::with_capacity(keys.len());
    on_backend!(db, |conn, _sql| {
        for key in keys {
            let row: Option<(String, i64, i64)> = sqlx::query_as(
                "SELECT key, first_at, failures FROM sign_in_failures
                 WHERE key = $1 AND first_at > $2",
            )
            .bind(key)
            .bind(since)
            .fetch_optional(&mut *conn)
            .await?;
            found.extend(row);
        }
    });
    Ok(found)
}

/// Counts a failure under each key at `now`; a count begun at or before `since` starts
/// again.
pub async fn add_sign_in_failure(
    db: impl Into<Exec<'_>>,
    keys: &[&str],
    now: i64,
    since: i64,
) -> sqlx::Result<()> {
    on_backend!(db, |conn, _sql| {
        for key in keys {
            sqlx::query(
                "INSERT INTO sign_in_failures (key, first_at, failures) VALUES ($1, $2, 1)
                 ON CONFLICT (key) DO UPDATE SET
                     failures = CASE WHEN sign_in_failures.first_at <= $3 THEN 1
                                     ELSE sign_in_failures.failures + 1 END,
                     first_at = CASE WHEN sign_in_failures.first_at <= $3 THEN $2
                                     ELSE sign_in_failures.first_at END",
            )
            .bind(key)
            .bind(now)
            .bind(since)
            .execute(&mut *conn)
            .await?;
        }
        Ok(())
    })
}

pub async fn forget_sign_in_failures(db: impl Into<Exec<'_>>, key: &str) -> sqlx::Result<()> {
    on_backend!(db, |conn, _sql| {
        sqlx::query("DELETE FROM sign_in_failures WHERE key = $1")
            .bind(key)
            .execute(&mut *conn)
            .await
            .map(|_| ())
    })
}

pub async fn keep_form_draft(
    db: impl Into<Exec<'_>>,
    key: &str,
    owner: Option<&str>,
    fields: &[(String, String)],
    now: i64,
) -> sqlx::Result<()> {
    let fields = serde_json::to_string(fields).map_err(|e| sqlx::Error::Encode(e.into()))?;
    on_backend!(db, |conn, _sql| {
        sqlx::query(
            "INSERT INTO form_drafts (key, owner, fields, saved_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(key)
        .bind(owner)
        .bind(&fields)
        .bind(now)
        .execute(&mut *conn)
        .await
        .map(|_| ())
    })
}

/// The fields kept under `key` for the session `owner` since `since`.
pub async fn form_draft(
    db: impl Into<Exec<'_>>,
    key: &str,
    owner: Option<&str>,
    since: i64,
) -> sqlx::Result<Option<Vec<(String, String)>>> {
    let fields: Option<String> = on_backend!(db, |conn, _sql| {
        sqlx::query_scalar(
            "SELECT fields FROM form_drafts
             WHERE key = $1 AND coalesce(owner, '') = coalesce($2, '') AND saved_at > $3",
        )
        .bind(key)
        .bind(owner)
        .bind(since)
        .fetch_optional(&mut *conn)
        .await?
    });
    fields
        .map(|fields| serde_json::from_str(&fields).map_err(|e| sqlx::Error::Decode(e.into())))
        .transpose()
}

/// Forgets drafts and failures older than `before`; returns how many rows went.
pub async fn prune(db: impl Into<Exec<'_>>, before: i64) -> sqlx::Result<u64> {
    on_backend!(db, |conn, _sql| {
        let drafts = sqlx::query("DELETE FROM form_drafts WHERE saved_at <= $1")
            .bind(before)
            .execute(&mut *conn)
            .await?
            .rows_affected();
        let failures = sqlx::query("DELETE FROM sign_in_failures WHERE first_at <= $1")
            .bind(before)
            .execute(&mut *conn)
            .await?
            .rows_affected();
        Ok(drafts + failures)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::{named, on_each_backend};

    #[tokio::test]
    async fn failures_add_up_and_start_again_after_the_window() {
        on_each_backend(async |store| {
            let keys = ["user:editor", "addr:10.0.0.1"];
            for at in [100, 101, 102] {
                add_sign_in_failure(&store, &keys, at, at - 60)
                    .await
                    .unwrap();
            }
            let found = sign_in_failures(&store, &keys, 40).await.unwrap();
            assert_eq!(
                found,
                [
                    ("user:editor".to_string(), 100, 3),
                    ("addr:10.0.0.1".to_string(), 100, 3)
                ],
                "{}",
                named(&store)
            );
            assert!(
                sign_in_failures(&store, &keys, 100)
                    .await
                    .unwrap()
                    .is_empty()
            );
            add_sign_in_failure(&store, &keys[..1], 200, 140)
                .await
                .unwrap();
            assert_eq!(
                sign_in_failures(&store, &keys[..1], 140).await.unwrap(),
                [("user:editor".to_string(), 200, 1)]
            );
            forget_sign_in_failures(&store, "user:editor")
                .await
                .unwrap();
            assert!(
                sign_in_failures(&store, &keys[..1], 0)
                    .await
                    .unwrap()
                    .is_empty()
            );
            assert_eq!(prune(&store, 150).await.unwrap(), 1);
        })
        .await;
    }

    #[tokio::test]
    async fn only_the_owner_reads_a_draft_while_it_is_kept() {
        on_each_backend(async |store| {
            let fields = vec![("form[title]".to_string(), "标题".to_string())];
            keep_form_draft(&store, "k1", Some("s1"), &fields, 100)
                .await
                .unwrap();
            keep_form_draft(&store, "k2", None, &fields, 100)
                .await
                .unwrap();
            assert_eq!(
                form_draft(&store, "k1", Some("s1"), 0).await.unwrap(),
                Some(fields.clone()),
                "{}",
                named(&store)
            );
            assert_eq!(form_draft(&store, "k1", Some("s2"), 0).await.unwrap(), None);
            assert_eq!(form_draft(&store, "k1", None, 0).await.unwrap(), None);
            assert_eq!(
                form_draft(&store, "k2", None, 0).await.unwrap(),
                Some(fields)
            );
            assert_eq!(
                form_draft(&store, "k1", Some("s1"), 100).await.unwrap(),
                None
            );
            assert_eq!(prune(&store, 100).await.unwrap(), 2);
        })
        .await;
    }
}
