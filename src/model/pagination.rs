//! Numbered pagination: which page numbers exist and which links a list shows.

use serde::{Deserialize, Serialize};

/// Articles per list page.
pub const PAGE_SIZE: i64 = 20;

/// How many numbered links the pager shows around the current page.
const WINDOW: i64 = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pagination {
    /// 1-based.
    pub page: i64,
    pub total_items: i64,
    pub page_size: i64,
}

impl Pagination {
    /// The pagination for `page` of `total_items`, or `None` when that page does not exist.
    /// Page 1 always exists, so an empty list still shows "共 0 条".
    pub fn new(page: i64, total_items: i64, page_size: i64) -> Option<Self> {
        let pagination = Self {
            page,
            total_items,
            page_size,
        };
        (page >= 1 && page <= pagination.total_pages()).then_some(pagination)
    }

    pub fn total_pages(&self) -> i64 {
        ((self.total_items + self.page_size - 1) / self.page_size).max(1)
    }

    /// Rows to skip to reach this page.
    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.page_size
    }

    pub fn has_previous(&self) -> bool {
        self.page > 1
    }

    pub fn has_next(&self) -> bool {
        self.page < self.total_pages()
    }

    /// The page numbers shown as links: a window around the current page.
    pub fn window(&self) -> std::ops::RangeInclusive<i64> {
        let last = self.total_pages();
        let start = (self.page - WINDOW).max(1);
        let end = (self.page + WINDOW).min(last);
        start..=end
    }
}

/// Reads a `?page=` value. Absent or empty means the first page; anything that is not a
/// positive whole number is `None`.
pub fn parse_page(raw: Option<&str>) -> Option<i64> {
    match raw.map(str::trim) {
        None | Some("") => Some(1),
        Some(text) => text.parse::<i64>().ok().filter(|page| *page >= 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_pages_rounding_up() {
        assert_eq!(Pagination::new(1, 0, 20).unwrap().total_pages(), 1);
        assert_eq!(Pagination::new(1, 20, 20).unwrap().total_pages(), 1);
        assert_eq!(Pagination::new(1, 21, 20).unwrap().total_pages(), 2);
        assert_eq!(
            Pagination::new(1, 1_000_000, 20).unwrap().total_pages(),
            50_000
        );
    }

    #[test]
    fn rejects_pages_out_of_range() {
        assert!(Pagination::new(0, 10, 20).is_none());
        assert!(Pagination::new(-1, 10, 20).is_none());
        assert!(Pagination::new(2, 20, 20).is_none());
        assert!(Pagination::new(3, 41, 20).is_some());
    }

    #[test]
    fn offset_skips_earlier_pages() {
        assert_eq!(Pagination::new(1, 100, 20).unwrap().offset(), 0);
        assert_eq!(Pagination::new(3, 100, 20).unwrap().offset(), 40);
    }

    #[test]
    fn window_stays_inside_the_pages() {
        assert_eq!(Pagination::new(1, 200, 20).unwrap().window(), 1..=3);
        assert_eq!(Pagination::new(5, 200, 20).unwrap().window(), 3..=7);
        assert_eq!(Pagination::new(10, 200, 20).unwrap().window(), 8..=10);
        assert_eq!(Pagination::new(1, 5, 20).unwrap().window(), 1..=1);
    }

    #[test]
    fn previous_and_next_at_the_edges() {
        let first = Pagination::new(1, 45, 20).unwrap();
        assert!(!first.has_previous() && first.has_next());
        let last = Pagination::new(3, 45, 20).unwrap();
        assert!(last.has_previous() && !last.has_next());
    }

    #[test]
    fn parses_page_parameters() {
        assert_eq!(parse_page(None), Some(1));
        assert_eq!(parse_page(Some("")), Some(1));
        assert_eq!(parse_page(Some("2")), Some(2));
        assert_eq!(parse_page(Some("0")), None);
        assert_eq!(parse_page(Some("-1")), None);
        assert_eq!(parse_page(Some("abc")), None);
        assert_eq!(parse_page(Some("99999999999999999999999")), None);
    }
}
