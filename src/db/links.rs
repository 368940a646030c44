//! 友情链接 as editors manage them.

use sqlx::{SqliteExecutor, SqlitePool};

use crate::model::{LinkForm, LinkRow};

pub async fn list(pool: &SqlitePool) -> sqlx::Result<Vec<LinkRow>> {
    sqlx::query_as(
        "SELECT id, name, url, logo, group_name, position FROM friendly_links
         ORDER BY group_name, position, id",
    )
    .fetch_all(pool)
    .await
}

/// Also inside an import's transaction, hence any executor.
pub async fn create<'e>(executor: impl SqliteExecutor<'e>, link: &LinkForm) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO friendly_links (name, url, logo, group_name, position)
         VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(link.name.trim())
    .bind(link.url.trim())
    .bind(link.logo.trim())
    .bind(link.group_name.trim())
    .bind(link.position)
    .fetch_one(executor)
    .await
}

/// Whether there was such a link.
pub async fn update<'e>(
    executor: impl SqliteExecutor<'e>,
    id: i64,
    link: &LinkForm,
) -> sqlx::Result<bool> {
    sqlx::query(
        "UPDATE friendly_links SET name = ?, url = ?, logo = ?, group_name = ?, position = ?
         WHERE id = ?",
    )
    .bind(link.name.trim())
    .bind(link.url.trim())
    .bind(link.logo.trim())
    .bind(link.group_name.trim())
    .bind(link.position)
    .bind(id)
    .execute(executor)
    .await
    .map(|done| done.rows_affected() == 1)
}

pub async fn delete(pool: &SqlitePool, id: i64) -> sqlx::Result<bool> {
    sqlx::query("DELETE FROM friendly_links WHERE id = ?")
        .bind(id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[sqlx::test]
    async fn links_are_listed_by_group_and_position(pool: SqlitePool) {
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
        let names = |rows: Vec<LinkRow>| rows.into_iter().map(|r| r.link.name).collect::<Vec<_>>();
        assert_eq!(names(list(&pool).await.unwrap()), ["丙", "甲", "乙"]);
        assert!(update(&pool, b, &link("乙", "政府", 0)).await.unwrap());
        assert_eq!(names(list(&pool).await.unwrap()), ["丙", "乙", "甲"]);
        assert!(delete(&pool, b).await.unwrap());
        assert!(!delete(&pool, b).await.unwrap());
    }
}
