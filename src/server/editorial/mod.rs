//! The editors' rules, apart from HTTP: the workflow (who may move an article where), the
//! articles a user may change, the HTML allow-list and paste cleaner (with the pictures it copies from other sites), readable differences
//! between revisions, and the drafts of forms rejected without JavaScript.

pub mod article_edits;
pub mod form_drafts;
pub mod remote_images;
pub mod revision_diff;
pub mod sanitize;
pub mod workflow;
