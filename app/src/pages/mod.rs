//! One module per noun; each page is a resource or action, then the view.
pub mod auth;
pub mod grid;
pub mod home;
pub mod not_found;
pub mod ticket;
