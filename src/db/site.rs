//! Site settings, navigation and friendly links.

use super::store::{Exec, on_backend};

use crate::model::{FriendlyLink, NavItem, SiteSettings};

pub async fn settings(db: impl Into<Exec<'_>>) -> sqlx::Result<SiteSettings> {
    on_backend!(db, |conn, _sql| {
        sqlx::query_as(
            "SELECT name, short_name, description, address, postcode, phone, fax, email,
                    icp_number, police_number, copyright, logo
             FROM site_settings WHERE id = 1",
        )
        .fetch_one(&mut *conn)
        .await
    })
}

pub async fn friendly_links(db: impl Into<Exec<'_>>) -> sqlx::Result<Vec<FriendlyLink>> {
    on_backend!(db, |conn, _sql| {
        sqlx::query_as(
            "SELECT id, name, url, logo, group_name FROM friendly_links
             ORDER BY group_name, position, id",
        )
        .fetch_all(&mut *conn)
        .await
    })
}

/// The navigation bar: visible top-level categories, each with its visible children.
pub async fn navigation(db: impl Into<Exec<'_>>) -> sqlx::Result<Vec<NavItem>> {
    let rows: Vec<(i64, Option<i64>, String, String)> = on_backend!(db, |conn, _sql| {
        sqlx::query_as(
            "SELECT id, parent_id, slug, name FROM categories
             WHERE show_in_nav ORDER BY position, id",
        )
        .fetch_all(&mut *conn)
        .await?
    });
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

pub async fn save_settings(db: impl Into<Exec<'_>>, s: &SiteSettings) -> sqlx::Result<()> {
    on_backend!(db, |conn, sql| {
        sqlx::query(&format!(
            "UPDATE site_settings SET name = $1, short_name = $2, description = $3,
                    address = $4, postcode = $5, phone = $6, fax = $7, email = $8,
                    icp_number = $9, police_number = $10, copyright = $11, logo = $12,
                    updated_at = {}
             WHERE id = 1",
            sql.now
        ))
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
        .execute(&mut *conn)
        .await
        .map(|_| ())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::{execute, execute_with, named, on_each_backend};

    #[tokio::test]
    async fn settings_round_trip() {
        on_each_backend(async |store| {
            let saved = SiteSettings {
                name: "深圳市美容行业协会".into(),
                postcode: "518000".into(),
                icp_number: "粤ICP备17113859号".into(),
                ..SiteSettings::default()
            };
            save_settings(&store, &saved).await.unwrap();
            assert_eq!(settings(&store).await.unwrap(), saved, "{}", named(&store));
        })
        .await;
    }

    #[tokio::test]
    async fn navigation_nests_visible_children_in_order() {
        on_each_backend(async |store| {
            execute(
                &store,
                "INSERT INTO categories (id, parent_id, slug, name, position, show_in_nav) VALUES
                     (1, NULL, 'news', '行业动态', 0, TRUE),
                     (2, 1, 'policy', '政策法规', 1, TRUE),
                     (3, 1, 'industry', '行业新闻', 0, TRUE),
                     (4, 1, 'hidden', '隐藏', 2, FALSE),
                     (5, NULL, 'contact', '联系我们', 1, TRUE)",
            )
            .await;
            let nav = navigation(&store).await.unwrap();
            let top: Vec<&str> = nav.iter().map(|item| item.name.as_str()).collect();
            assert_eq!(top, ["行业动态", "联系我们"], "{}", named(&store));
            let children: Vec<&str> = nav[0].children.iter().map(|c| c.slug.as_str()).collect();
            assert_eq!(children, ["industry", "policy"]);
        })
        .await;
    }

    #[tokio::test]
    async fn friendly_links_need_web_addresses() {
        on_each_backend(async |store| {
            let bad = execute_with(
                &store,
                "INSERT INTO friendly_links (name, url) VALUES ('x', 'javascript:alert(1)')",
                &[],
            )
            .await;
            assert!(bad.is_err(), "{}", named(&store));
            execute(
                &store,
                "INSERT INTO friendly_links (name, url) VALUES ('政府', 'https://www.sz.gov.cn/')",
            )
            .await;
            assert_eq!(friendly_links(&store).await.unwrap()[0].name, "政府");
        })
        .await;
    }
}
