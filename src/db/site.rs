//! Site settings, navigation and friendly links.

use sqlx::SqlitePool;

use crate::model::{FriendlyLink, NavItem, SiteSettings};

pub async fn settings(pool: &SqlitePool) -> sqlx::Result<SiteSettings> {
    sqlx::query_as(
        "SELECT name, short_name, description, address, postcode, phone, fax, email,
                icp_number, police_number, copyright, logo
         FROM site_settings WHERE id = 1",
    )
    .fetch_one(pool)
    .await
}

pub async fn friendly_links(pool: &SqlitePool) -> sqlx::Result<Vec<FriendlyLink>> {
    sqlx::query_as(
        "SELECT id, name, url, logo, group_name FROM friendly_links
         ORDER BY group_name, position, id",
    )
    .fetch_all(pool)
    .await
}

/// The navigation bar: visible top-level categories, each with its visible children.
pub async fn navigation(pool: &SqlitePool) -> sqlx::Result<Vec<NavItem>> {
    let rows: Vec<(i64, Option<i64>, String, String)> = sqlx::query_as(
        "SELECT id, parent_id, slug, name FROM categories
         WHERE show_in_nav = 1 ORDER BY position, id",
    )
    .fetch_all(pool)
    .await?;
    let children_of = |parent: i64| {
        rows.iter()
            .filter(|(_, p, _, _)| *p == Some(parent))
            .map(|(_, _, slug, name)| NavItem {
                slug: slug.clone(),
                name: name.clone(),
                children: Vec::new(),
            })
            .collect()
    };
    Ok(rows
        .iter()
        .filter(|(_, parent, _, _)| parent.is_none())
        .map(|(id, _, slug, name)| NavItem {
            slug: slug.clone(),
            name: name.clone(),
            children: children_of(*id),
        })
        .collect())
}

pub async fn save_settings<'e>(
    executor: impl sqlx::SqliteExecutor<'e>,
    s: &SiteSettings,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE site_settings SET name = ?, short_name = ?, description = ?, address = ?,
                postcode = ?, phone = ?, fax = ?, email = ?, icp_number = ?,
                police_number = ?, copyright = ?, logo = ?, updated_at = unixepoch()
         WHERE id = 1",
    )
    .bind(&s.name)
    .bind(&s.short_name)
    .bind(&s.description)
    .bind(&s.address)
    .bind(&s.postcode)
    .bind(&s.phone)
    .bind(&s.fax)
    .bind(&s.email)
    .bind(&s.icp_number)
    .bind(&s.police_number)
    .bind(&s.copyright)
    .bind(&s.logo)
    .execute(executor)
    .await
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[sqlx::test]
    async fn settings_round_trip(pool: SqlitePool) {
        let saved = SiteSettings {
            name: "深圳市美容行业协会".into(),
            postcode: "518000".into(),
            icp_number: "粤ICP备17113859号".into(),
            ..SiteSettings::default()
        };
        save_settings(&pool, &saved).await.unwrap();
        assert_eq!(settings(&pool).await.unwrap(), saved);
    }

    #[sqlx::test]
    async fn navigation_nests_visible_children_in_order(pool: SqlitePool) {
        sqlx::query(
            "INSERT INTO categories (id, parent_id, slug, name, position, show_in_nav) VALUES
                 (1, NULL, 'news', '行业动态', 0, 1),
                 (2, 1, 'policy', '政策法规', 1, 1),
                 (3, 1, 'industry', '行业新闻', 0, 1),
                 (4, 1, 'hidden', '隐藏', 2, 0),
                 (5, NULL, 'contact', '联系我们', 1, 1)",
        )
        .execute(&pool)
        .await
        .unwrap();
        let nav = navigation(&pool).await.unwrap();
        let top: Vec<&str> = nav.iter().map(|item| item.name.as_str()).collect();
        assert_eq!(top, ["行业动态", "联系我们"]);
        let children: Vec<&str> = nav[0].children.iter().map(|c| c.slug.as_str()).collect();
        assert_eq!(children, ["industry", "policy"]);
    }

    #[sqlx::test]
    async fn friendly_links_need_web_addresses(pool: SqlitePool) {
        let bad = sqlx::query(
            "INSERT INTO friendly_links (name, url) VALUES ('x', 'javascript:alert(1)')",
        )
        .execute(&pool)
        .await;
        assert!(bad.is_err());
        sqlx::query(
            "INSERT INTO friendly_links (name, url) VALUES ('政府', 'https://www.sz.gov.cn/')",
        )
        .execute(&pool)
        .await
        .unwrap();
        assert_eq!(friendly_links(&pool).await.unwrap()[0].name, "政府");
    }
}
