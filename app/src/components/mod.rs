//! Pieces shared by pages.
pub mod error;
pub mod map;
pub mod nav;
