//! Server functions: everything the pages read from and write to the server, one file per
//! domain. Visitors read `home`, `site`, `articles`, `categories` and `search`; editors
//! write through the rest. An editors' function opens with `server_fns::open` (permission,
//! state) and a form's finishes with `server_fns::finish` (back to its page with a `Done`).

mod account;
mod article_edits;
mod article_reviews;
mod articles;
mod categories;
mod form_drafts;
mod home;
mod links;
mod previews;
mod redirects;
mod revisions;
mod search;
mod site;
mod uploads;
mod users;

pub use account::*;
pub use article_edits::*;
pub use article_reviews::*;
pub use articles::*;
pub use categories::*;
pub use form_drafts::*;
pub use home::*;
pub use links::*;
pub use previews::*;
pub use redirects::*;
pub use revisions::*;
pub use search::*;
pub use site::*;
pub use uploads::*;
pub use users::*;
