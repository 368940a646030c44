//! The pages the page cache keeps, and which request renders each. A page is kept for a
//! second; when it expires one request renders it anew while the others get the last
//! rendering (for two seconds more at most). With no recent rendering to give them (a
//! page's first request, or one asked again after a while), the others wait for that one
//! request rather than all rendering it at once: a search at a million articles takes
//! 70 ms, and sixty-four visitors rendering it together kept each waiting 1.5 s.
//!
//! The rendering request holds a `Rendering`. Dropped, whether its page was kept or not or
//! the request was dropped mid-render (the visitor left), it wakes those waiting: they
//! take the page, or one of them renders it. A page that could not be kept (an error
//! page, a page setting a cookie, one too large) is rendered by each request for a second,
//! not waited for. A page rendered from what was there before a change is not kept after it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::watch;

use super::page_cache::Page;

/// How long a rendered page is served.
pub const LIFETIME: Duration = Duration::from_secs(1);
/// While one request renders a page anew, the others are served the previous rendering
/// for at most this much longer; with no rendering that recent, they wait this long at
/// most for the one under way.
const RENDERING_GRACE: Duration = Duration::from_secs(2);
/// Pages kept; past this, only those of the last second are.
const MAX_PAGES: usize = 512;

#[derive(Clone, Default)]
pub struct PageCache {
    pages: Arc<Mutex<Pages>>,
}

#[derive(Default)]
struct Pages {
    entries: HashMap<String, Entry>,
    /// Counts the clearings, so that a page rendered before one is not kept after it.
    clearings: u64,
}

#[derive(Default)]
struct Entry {
    /// The last rendering kept.
    page: Option<Arc<Page>>,
    /// Set while a request renders the page to keep it; its end is seen by every receiver.
    rendering: Option<watch::Receiver<()>>,
    /// When the last rendering could not be kept.
    not_kept_at: Option<Instant>,
}

/// Leave to render a page and keep it.
pub(super) struct Ticket {
    clearings: u64,
    /// Held by the one request others wait for.
    rendering: Option<Rendering>,
}

impl Ticket {
    /// For a request rendering the page for itself, nobody waiting for it.
    fn alone(clearings: u64) -> Ticket {
        Ticket {
            clearings,
            rendering: None,
        }
    }
}

struct Rendering {
    cache: PageCache,
    key: String,
    /// Dropping it wakes every request waiting for this rendering.
    done: watch::Sender<()>,
}

/// What a request does about its page, as far as the cache knows now.
enum Lookup {
    Serve(Arc<Page>),
    Render(Ticket),
    Wait(watch::Receiver<()>),
}

impl PageCache {
    /// The kept page to serve, or the ticket to render it, after waiting (two seconds at
    /// most) for a request rendering a page there is no recent copy of.
    pub(super) async fn page_or_ticket(&self, key: &str) -> Result<Arc<Page>, Ticket> {
        let deadline = tokio::time::Instant::now() + RENDERING_GRACE;
        loop {
            match self.lookup(key) {
                Lookup::Serve(page) => return Ok(page),
                Lookup::Render(ticket) => return Err(ticket),
                Lookup::Wait(mut done) => {
                    let waited = tokio::time::timeout_at(deadline, done.changed()).await;
                    if waited.is_err() {
                        return Err(self.ticket_for_one());
                    }
                }
            }
        }
    }

    /// Forgets every page: something changed.
    pub fn clear(&self) {
        if let Ok(mut pages) = self.pages.lock() {
            pages.entries.clear();
            pages.clearings += 1;
        }
    }

    fn lookup(&self, key: &str) -> Lookup {
        let Ok(mut pages) = self.pages.lock() else {
            return Lookup::Render(Ticket::alone(0));
        };
        let clearings = pages.clearings;
        // The key is copied only for a page nobody has asked for yet.
        if !pages.entries.contains_key(key) {
            pages.entries.insert(key.to_owned(), Entry::default());
        }
        let Some(entry) = pages.entries.get_mut(key) else {
            return Lookup::Render(Ticket::alone(clearings));
        };
        let age = entry.page.as_ref().map(|page| page.at.elapsed());
        if let Some(page) = &entry.page
            && age.is_some_and(|age| age < LIFETIME)
        {
            return Lookup::Serve(page.clone());
        }
        if entry.not_kept_at.is_some_and(|at| at.elapsed() < LIFETIME) {
            return Lookup::Render(Ticket::alone(clearings));
        }
        if let Some(rendering) = &entry.rendering {
            return match &entry.page {
                Some(page) if age.is_some_and(|age| age < LIFETIME + RENDERING_GRACE) => {
                    Lookup::Serve(page.clone())
                }
                _ => Lookup::Wait(rendering.clone()),
            };
        }
        let (done, rendering) = watch::channel(());
        entry.rendering = Some(rendering);
        Lookup::Render(Ticket {
            clearings,
            rendering: Some(Rendering {
                cache: self.clone(),
                key: key.to_owned(),
                done,
            }),
        })
    }

    /// A ticket for a request that waited long enough: it renders for itself.
    fn ticket_for_one(&self) -> Ticket {
        Ticket::alone(self.pages.lock().map_or(0, |pages| pages.clearings))
    }

    /// Keeps `updated` in place of `served` (the same page, with the views counted since),
    /// unless the page has been rendered anew or forgotten meanwhile.
    pub(super) fn update(&self, key: &str, served: &Arc<Page>, updated: Arc<Page>) {
        if let Ok(mut pages) = self.pages.lock()
            && let Some(entry) = pages.entries.get_mut(key)
            && entry
                .page
                .as_ref()
                .is_some_and(|page| Arc::ptr_eq(page, served))
        {
            entry.page = Some(updated);
        }
    }

    /// Keeps the page the ticket rendered.
    pub(super) fn put(&self, key: &str, page: Arc<Page>, ticket: &Ticket) {
        self.set(key, ticket, |entry| {
            entry.page = Some(page);
            entry.not_kept_at = None;
        });
    }

    /// The page the ticket rendered could not be kept: the last rendering goes, and for a
    /// second each request renders the page for itself.
    pub(super) fn forget(&self, key: &str, ticket: &Ticket) {
        self.set(key, ticket, |entry| {
            entry.page = None;
            entry.not_kept_at = Some(Instant::now());
        });
    }

    fn set(&self, key: &str, ticket: &Ticket, change: impl FnOnce(&mut Entry)) {
        let Ok(mut pages) = self.pages.lock() else {
            return;
        };
        if pages.clearings != ticket.clearings {
            return;
        }
        if !pages.entries.contains_key(key) && pages.entries.len() >= MAX_PAGES {
            pages.entries.retain(|_, entry| entry.is_recent());
            // Most of them recent: start afresh rather than search them all again soon.
            if pages.entries.len() >= MAX_PAGES * 3 / 4 {
                pages.entries.clear();
            }
        }
        let entry = pages.entries.entry(key.to_owned()).or_default();
        change(entry);
        // Another request's rendering (one this request stopped waiting for) goes on.
        if let Some(rendering) = &ticket.rendering
            && entry.is_rendered_by(rendering)
        {
            entry.rendering = None;
        }
    }
}

impl Entry {
    fn is_recent(&self) -> bool {
        self.rendering.is_some()
            || self
                .page
                .as_ref()
                .is_some_and(|page| page.at.elapsed() < LIFETIME)
            || self.not_kept_at.is_some_and(|at| at.elapsed() < LIFETIME)
    }

    fn is_rendered_by(&self, rendering: &Rendering) -> bool {
        self.rendering
            .as_ref()
            .is_some_and(|mark| mark.same_channel(&rendering.done.subscribe()))
    }
}

impl Drop for Rendering {
    fn drop(&mut self) {
        let Ok(mut pages) = self.cache.pages.lock() else {
            return;
        };
        if let Some(entry) = pages.entries.get_mut(&self.key)
            && entry.is_rendered_by(self)
        {
            entry.rendering = None;
            if entry.page.is_none() && entry.not_kept_at.is_none() {
                pages.entries.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Bytes;
    use axum::http::HeaderMap;

    fn page(age: Duration) -> Arc<Page> {
        Arc::new(Page::new(
            Bytes::from_static(b"<p>page</p>"),
            HeaderMap::new(),
            Instant::now() - age,
            None,
            None,
        ))
    }

    fn served(lookup: Lookup) -> Arc<Page> {
        match lookup {
            Lookup::Serve(page) => page,
            _ => panic!("expected the kept page"),
        }
    }

    /// The ticket of the request the others wait for.
    fn renders(lookup: Lookup) -> Ticket {
        match lookup {
            Lookup::Render(ticket) if ticket.rendering.is_some() => ticket,
            _ => panic!("expected this request to render for the others"),
        }
    }

    fn waits(lookup: Lookup) -> watch::Receiver<()> {
        match lookup {
            Lookup::Wait(done) => done,
            _ => panic!("expected this request to wait"),
        }
    }

    fn mark_of(cache: &PageCache, key: &str) -> bool {
        cache.pages.lock().unwrap().entries[key].rendering.is_some()
    }

    #[test]
    fn one_request_renders_an_expired_page_while_the_others_get_the_last_one() {
        let cache = PageCache::default();
        let ticket = renders(cache.lookup("/"));
        cache.put("/", page(Duration::ZERO), &ticket);
        drop(ticket);
        served(cache.lookup("/"));

        cache.put("/", page(LIFETIME), &cache.ticket_for_one());
        let ticket = renders(cache.lookup("/"));
        served(cache.lookup("/"));
        let fresh = page(Duration::ZERO);
        cache.put("/", fresh.clone(), &ticket);
        drop(ticket);
        assert!(Arc::ptr_eq(&served(cache.lookup("/")), &fresh));

        cache.put(
            "/",
            page(LIFETIME + RENDERING_GRACE),
            &cache.ticket_for_one(),
        );
        let _ticket = renders(cache.lookup("/"));
        let _done = waits(cache.lookup("/"));
    }

    #[tokio::test]
    async fn with_no_recent_page_the_others_wait_for_the_one_rendering() {
        let cache = PageCache::default();
        let ticket = renders(cache.lookup("/"));
        let waiting: Vec<_> = (0..8)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.page_or_ticket("/").await.is_ok() })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(20)).await;
        cache.put("/", page(Duration::ZERO), &ticket);
        drop(ticket);
        for served in waiting {
            assert!(served.await.unwrap(), "given the page rendered for them");
        }
    }

    #[tokio::test]
    async fn a_rendering_left_unfinished_is_taken_over_by_one_waiting_request() {
        let cache = PageCache::default();
        let ticket = renders(cache.lookup("/"));
        let waiting: Vec<_> = (0..8)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move {
                    match cache.page_or_ticket("/").await {
                        Ok(_) => "served",
                        Err(ticket) => {
                            assert!(ticket.rendering.is_some(), "the others wait for it");
                            tokio::time::sleep(Duration::from_millis(20)).await;
                            cache.put("/", page(Duration::ZERO), &ticket);
                            "rendered"
                        }
                    }
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(20)).await;
        // The visitor left: the request was dropped mid-render.
        drop(ticket);
        let mut answers = Vec::new();
        for request in waiting {
            answers.push(request.await.unwrap());
        }
        answers.sort();
        assert_eq!(answers, [["rendered"].as_slice(), &["served"; 7]].concat());
    }

    #[tokio::test]
    async fn a_page_not_kept_is_rendered_by_each_request_for_a_second() {
        let cache = PageCache::default();
        let ticket = renders(cache.lookup("/"));
        let waiting: Vec<_> = (0..4)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.page_or_ticket("/").await.err() })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(20)).await;
        // An error page, say.
        cache.forget("/", &ticket);
        drop(ticket);
        for request in waiting {
            let ticket = request.await.unwrap().expect("rendered, not served");
            assert!(ticket.rendering.is_none(), "each renders for itself");
        }
        assert!(matches!(
            cache.lookup("/"),
            Lookup::Render(Ticket {
                rendering: None,
                ..
            })
        ));
    }

    #[test]
    fn a_page_rendered_before_a_change_is_not_kept() {
        let cache = PageCache::default();
        let ticket = renders(cache.lookup("/"));
        cache.clear();
        cache.put("/", page(Duration::ZERO), &ticket);
        drop(ticket);
        let _ticket = renders(cache.lookup("/"));
    }

    #[test]
    fn a_request_that_stopped_waiting_leaves_the_rendering_it_waited_for() {
        let cache = PageCache::default();
        let ticket = renders(cache.lookup("/"));
        cache.put("/", page(Duration::ZERO), &cache.ticket_for_one());
        assert!(mark_of(&cache, "/"));
        cache.forget("/", &cache.ticket_for_one());
        assert!(mark_of(&cache, "/"));
        drop(ticket);
        assert!(!mark_of(&cache, "/"));
    }

    #[test]
    fn an_update_replaces_only_the_page_it_was_made_from() {
        let cache = PageCache::default();
        let kept = page(Duration::ZERO);
        cache.put("/", kept.clone(), &cache.ticket_for_one());
        let updated = page(Duration::ZERO);
        cache.update("/", &kept, updated.clone());
        assert!(Arc::ptr_eq(&served(cache.lookup("/")), &updated));
        let rendered_since = page(Duration::ZERO);
        cache.put("/", rendered_since.clone(), &cache.ticket_for_one());
        cache.update("/", &updated, page(Duration::ZERO));
        assert!(Arc::ptr_eq(&served(cache.lookup("/")), &rendered_since));
    }

    #[test]
    fn a_flood_of_addresses_does_not_grow_it_without_end() {
        let cache = PageCache::default();
        for n in 0..MAX_PAGES * 3 {
            cache.forget(&format!("/article/{n}"), &cache.ticket_for_one());
        }
        assert!(cache.pages.lock().unwrap().entries.len() <= MAX_PAGES);
    }
}
