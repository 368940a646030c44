//! Chinese-aware full-text search: tokenising, queries and result snippets.

pub mod query;
pub mod snippet;
pub mod tokenize;
