//! One module per routed page.

pub mod admin;
pub mod public;
