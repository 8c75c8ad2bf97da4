//! Domain types and pure rules, IO-free and compiled for browser and server alike.
pub mod alert;
pub mod assessment;
pub mod authz;
pub mod council;
pub mod duty;
pub mod emergency;
pub mod error;
pub mod feedback;
pub mod geo;
pub mod grid;
pub mod lesson;
pub mod missing;
pub mod notice;
pub mod party;
pub mod push;
pub mod quiz;
pub mod resident;
pub mod shift;
pub mod stats;
pub mod study;
pub mod ticket;
pub mod time;
pub mod user;
pub mod worklog;

pub use error::AppError;
