//! Autosaves of saved articles: what an editor typed and the browser sent in the
//! background, one per article and editor, apart from the article and its revisions.

use super::store::{Exec, on_backend};
use crate::model::{ArticleForm, Autosave};

/// Keeps `form` as `user_id`'s autosave of the article, replacing the one before.
pub async fn put(
    db: impl Into<Exec<'_>>,
    article_id: i64,
    user_id: i64,
    version: i64,
    form: &ArticleForm,
) -> sqlx::Result<Autosave> {
    let json = serde_json::to_string(form).map_err(|error| sqlx::Error::Encode(error.into()))?;
    let saved: String = on_backend!(db, |conn, sql| {
        sqlx::query_scalar(&format!(
            "INSERT INTO article_autosaves (article_id, user_id, version, form)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (article_id, user_id) DO UPDATE
                 SET version = excluded.version, form = excluded.form, saved_at = {now}
             RETURNING {saved}",
            now = sql.now,
            saved = sql.shanghai_minutes("saved_at")
        ))
        .bind(article_id)
        .bind(user_id)
        .bind(version)
        .bind(&json)
        .fetch_one(&mut *conn)
        .await?
    });
    Ok(Autosave {
        form: form.clone(),
        version,
        saved,
    })
}

/// `user_id`'s autosave of the article, if there is one.
pub async fn find(
    db: impl Into<Exec<'_>>,
    article_id: i64,
    user_id: i64,
) -> sqlx::Result<Option<Autosave>> {
    let row: Option<(String, i64, String)> = on_backend!(db, |conn, sql| {
        sqlx::query_as(&format!(
            "SELECT form, version, {} FROM article_autosaves
             WHERE article_id = $1 AND user_id = $2",
            sql.shanghai_minutes("saved_at")
        ))
        .bind(article_id)
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?
    });
    row.map(|(form, version, saved)| {
        let form =
            serde_json::from_str(&form).map_err(|error| sqlx::Error::Decode(error.into()))?;
        Ok(Autosave {
            form,
            version,
            saved,
        })
    })
    .transpose()
}

/// Forgets `user_id`'s autosave of the article: they saved it.
pub async fn delete(db: impl Into<Exec<'_>>, article_id: i64, user_id: i64) -> sqlx::Result<()> {
    on_backend!(db, |conn, _sql| {
        sqlx::query("DELETE FROM article_autosaves WHERE article_id = $1 AND user_id = $2")
            .bind(article_id)
            .bind(user_id)
            .execute(&mut *conn)
            .await
            .map(|_| ())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::{execute, on_each_backend};
    use crate::db::users::test_hash as hash;
    use crate::model::Role;

    #[tokio::test]
    async fn an_autosave_is_replaced_found_and_deleted() {
        on_each_backend(async |store| {
            let pool = store;
            let user = crate::db::users::create(
                &pool,
                "editor",
                Role::Editor,
                &hash("一个足够长的密码").unwrap(),
            )
            .await
            .unwrap();
            execute(
                &pool,
                "INSERT INTO categories (id, slug, name) VALUES (7, 'members', '会员风采');
             INSERT INTO articles (id, category_id, title) VALUES (9, 7, '文章')",
            )
            .await;
            let article = 9;
            assert_eq!(find(&pool, article, user).await.unwrap(), None);
            let mut form = ArticleForm {
                title: "第一稿".into(),
                ..ArticleForm::default()
            };
            put(&pool, article, user, 1, &form).await.unwrap();
            form.title = "第二稿".into();
            let kept = put(&pool, article, user, 1, &form).await.unwrap();
            let found = find(&pool, article, user).await.unwrap().unwrap();
            assert_eq!(found, kept);
            assert_eq!(found.form.title, "第二稿");
            delete(&pool, article, user).await.unwrap();
            assert_eq!(find(&pool, article, user).await.unwrap(), None);
        })
        .await;
    }
}
