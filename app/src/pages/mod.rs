//! One module per noun; each page is a resource or action, then the view.
pub mod alert;
pub mod auth;
pub mod grid;
pub mod home;
pub mod not_found;
pub mod resident;
pub mod ticket;
