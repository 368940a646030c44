//! Who may do what: password hashes, sessions and the permission checks every editors'
//! server function opens with, and the throttle on failed sign-ins.

pub mod password;
pub mod session;
pub mod session_cache;
pub mod sign_in_throttle;
