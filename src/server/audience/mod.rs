//! The visitors, counted honestly and kept from flooding: visitor identity, 浏览量 counted
//! in memory and written in batches, 热门搜索 and the search rate limit.

pub mod hot_queries;
pub mod rate_limit;
pub mod view_counter;
pub mod visitor;
