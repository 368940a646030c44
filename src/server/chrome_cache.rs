//! What the header and footer of every page show (site settings, navigation, friendly
//! links) and the category tree breadcrumbs are made from, read from the database at most
//! once a second instead of four queries for every page rendered. It follows the page
//! cache's rules: any change an editor makes empties it, and a change made elsewhere
//! (another server, a command) shows within a second.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::db::Store;

use crate::db::{categories, site};
use crate::model::{CategoryLink, FriendlyLink, NavItem, SiteSettings};
use crate::server::http::kept_pages::LIFETIME;

#[derive(Clone, Debug, PartialEq)]
pub struct Chrome {
    pub settings: SiteSettings,
    pub nav: Vec<NavItem>,
    pub links: Vec<FriendlyLink>,
    /// Every category by id, with its parent.
    pub categories: HashMap<i64, (Option<i64>, CategoryLink)>,
}

impl Chrome {
    /// The category and its ancestors, from the top-level category down.
    pub fn path(&self, id: i64) -> Vec<CategoryLink> {
        let mut path = Vec::new();
        let mut next = Some(id);
        while let Some(id) = next
            && let Some((parent, link)) = self.categories.get(&id)
            // A loop in the tree (never written by the editors' forms) ends the path.
            && path.len() <= self.categories.len()
        {
            path.push(link.clone());
            next = *parent;
        }
        path.reverse();
        path
    }
}

/// The last reading, and when it was made.
type Reading = Option<(Instant, Arc<Chrome>)>;

#[derive(Clone, Default)]
pub struct ChromeCache {
    read: Arc<Mutex<Reading>>,
}

impl ChromeCache {
    pub async fn get(&self, pool: &Store) -> sqlx::Result<Arc<Chrome>> {
        if let Ok(read) = self.read.lock()
            && let Some((at, chrome)) = read.as_ref()
            && at.elapsed() < LIFETIME
        {
            return Ok(Arc::clone(chrome));
        }
        let chrome = Arc::new(Chrome {
            settings: site::settings(pool).await?,
            nav: site::navigation(pool).await?,
            links: site::friendly_links(pool).await?,
            categories: categories::tree(pool)
                .await?
                .into_iter()
                .map(|(id, parent, slug, name)| (id, (parent, CategoryLink { id, slug, name })))
                .collect(),
        });
        if let Ok(mut read) = self.read.lock() {
            *read = Some((Instant::now(), Arc::clone(&chrome)));
        }
        Ok(chrome)
    }

    pub fn clear(&self) {
        if let Ok(mut read) = self.read.lock() {
            *read = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::{execute, on_each_backend};

    #[tokio::test]
    async fn a_change_shows_once_the_cache_is_cleared() {
        on_each_backend(async |store| {
            let pool = store;
            let cache = ChromeCache::default();
            let before = cache.get(&pool).await.unwrap();
            execute(
                &pool,
                "UPDATE site_settings SET name = '新名称' WHERE id = 1",
            )
            .await;
            assert_eq!(cache.get(&pool).await.unwrap(), before, "kept for a second");
            cache.clear();
            assert_eq!(cache.get(&pool).await.unwrap().settings.name, "新名称");
        })
        .await;
    }

    #[tokio::test]
    async fn paths_run_from_the_top_down() {
        on_each_backend(async |store| {
            let pool = store;
            execute(
                &pool,
                "INSERT INTO categories (id, parent_id, slug, name) VALUES
                 (1, NULL, 'news', 'news'), (2, 1, 'policy', 'policy'), (3, 2, 'local', 'local')",
            )
            .await;
            let ids = [1, 2, 3];
            let chrome = ChromeCache::default().get(&pool).await.unwrap();
            let slugs =
                |id| -> Vec<String> { chrome.path(id).into_iter().map(|c| c.slug).collect() };
            assert_eq!(slugs(ids[2]), ["news", "policy", "local"]);
            assert_eq!(slugs(ids[0]), ["news"]);
            assert!(chrome.path(9999).is_empty());
        })
        .await;
    }
}
