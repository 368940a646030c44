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
