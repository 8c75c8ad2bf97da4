//! Pieces shared by pages.
pub mod alert;
pub mod call;
pub mod duty;
pub mod elder;
pub mod emergency;
pub mod error;
pub mod form;
pub mod import;
pub mod live;
pub mod map;
pub mod nav;
pub mod outbox;
pub mod push;
pub mod targets;
pub mod upload;
pub mod video;
