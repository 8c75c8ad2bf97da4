//! Pieces shared by pages.
pub mod error;
pub mod live;
pub mod map;
pub mod nav;
pub mod upload;
