//! 友情链接 as editors manage them.

use super::store::{Exec, on_backend};

use crate::model::{LinkForm, LinkRow};

pub async fn list(db: impl Into<Exec<'_>>) -> sqlx::Result<Vec<LinkRow>> {
    on_backend!(db, |conn, _sql| {
        sqlx::query_as(
            "SELECT id, name, url, logo, group_name, position FROM friendly_links
             ORDER BY group_name, position, id",
        )
        .fetch_all(&mut *conn)
        .await
    })
}

/// Also inside an import's transaction, hence any executor.
pub async fn create(db: impl Into<Exec<'_>>, link: &LinkForm) -> sqlx::Result<i64> {
    on_backend!(db, |conn, _sql| {
        sqlx::query_scalar(
            "INSERT INTO friendly_links (name, url, logo, group_name, position)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(link.name.trim())
        .bind(link.url.trim())
        .bind(link.logo.trim())
        .bind(link.group_name.trim())
        .bind(link.position)
        .fetch_one(&mut *conn)
        .await
    })
}

/// Whether there was such a link.
pub async fn update(db: impl Into<Exec<'_>>, id: i64, link: &LinkForm) -> sqlx::Result<bool> {
    on_backend!(db, |conn, _sql| {
        sqlx::query(
            "UPDATE friendly_links SET name = $1, url = $2, logo = $3, group_name = $4,
                    position = $5
             WHERE id = $6",
        )
        .bind(link.name.trim())
        .bind(link.url.trim())
        .bind(link.logo.trim())
        .bind(link.group_name.trim())
        .bind(link.position)
        .bind(id)
        .execute(&mut *conn)
        .await
        .map(|done| done.rows_affected() == 1)
    })
}

pub async fn delete(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<bool> {
    on_backend!(db, |conn, _sql| {
        sqlx::query("DELETE FROM friendly_links WHERE id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await
            .map(|done| done.rows_affected() == 1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::on_each_backend;

    #[tokio::test]
    async fn links_are_listed_by_group_and_position() {
        on_each_backend(async |store| {
            let pool = store;
            let link = |name: &str, group: &str, position| LinkForm {
                name: name.into(),
                url: "https://example.org".into(),
                group_name: group.into(),
                position,
                ..LinkForm::default()
            };
            let b = create(&pool, &link("乙", "政府", 2)).await.unwrap();
            create(&pool, &link("甲", "政府", 1)).await.unwrap();
            create(&pool, &link("丙", "协会", 9)).await.unwrap();
            let names =
                |rows: Vec<LinkRow>| rows.into_iter().map(|r| r.link.name).collect::<Vec<_>>();
            assert_eq!(names(list(&pool).await.unwrap()), ["丙", "甲", "乙"]);
            assert!(update(&pool, b, &link("乙", "政府", 0)).await.unwrap());
            assert_eq!(names(list(&pool).await.unwrap()), ["丙", "乙", "甲"]);
            assert!(delete(&pool, b).await.unwrap());
            assert!(!delete(&pool, b).await.unwrap());
        })
        .await;
    }
}
