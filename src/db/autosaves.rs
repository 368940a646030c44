//! Autosaves of saved articles: what an editor typed and the browser sent in the
//! background, one per article and editor, apart from the article and its revisions.

use sqlx::SqlitePool;

use super::shanghai_minutes;
use crate::model::{ArticleForm, Autosave};

/// Keeps `form` as `user_id`'s autosave of the article, replacing the one before.
pub async fn put(
    pool: &SqlitePool,
    article_id: i64,
    user_id: i64,
    version: i64,
    form: &ArticleForm,
) -> sqlx::Result<Autosave> {
    let json = serde_json::to_string(form).map_err(|error| sqlx::Error::Encode(error.into()))?;
    let saved: String = sqlx::query_scalar(concat!(
        "INSERT INTO article_autosaves (article_id, user_id, version, form)
         VALUES (?, ?, ?, ?)
         ON CONFLICT (article_id, user_id) DO UPDATE
             SET version = excluded.version, form = excluded.form, saved_at = unixepoch()
         RETURNING ",
        shanghai_minutes!("saved_at")
    ))
    .bind(article_id)
    .bind(user_id)
    .bind(version)
    .bind(json)
    .fetch_one(pool)
    .await?;
    Ok(Autosave {
        form: form.clone(),
        version,
        saved,
    })
}

/// `user_id`'s autosave of the article, if there is one.
pub async fn find(
    pool: &SqlitePool,
    article_id: i64,
    user_id: i64,
) -> sqlx::Result<Option<Autosave>> {
    let row: Option<(String, i64, String)> = sqlx::query_as(concat!(
        "SELECT form, version, ",
        shanghai_minutes!("saved_at"),
        " FROM article_autosaves WHERE article_id = ? AND user_id = ?"
    ))
    .bind(article_id)
    .bind(user_id)
    .fetch_optional(pool)
    .await?;
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
pub async fn delete(pool: &SqlitePool, article_id: i64, user_id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM article_autosaves WHERE article_id = ? AND user_id = ?")
        .bind(article_id)
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::users::test_hash as hash;
    use crate::model::Role;

    #[sqlx::test]
    async fn an_autosave_is_replaced_found_and_deleted(pool: SqlitePool) {
        let user = crate::db::users::create(
            &pool,
            "editor",
            Role::Editor,
            &hash("一个足够长的密码").unwrap(),
        )
        .await
        .unwrap();
        let category: i64 = sqlx::query_scalar(
            "INSERT INTO categories (slug, name) VALUES ('members', '会员风采') RETURNING id",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        let article: i64 = sqlx::query_scalar(
            "INSERT INTO articles (category_id, title) VALUES (?, '文章') RETURNING id",
        )
        .bind(category)
        .fetch_one(&pool)
        .await
        .unwrap();
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
    }
}
