//! Tongxin's server: configuration, services (rules and authorization), all SQL, and
//! the HTTP surface (Leptos pages and server functions, GeoJSON, static files).
// The page views' types nest deep (app's lib.rs sets the same).
#![recursion_limit = "256"]
pub mod config;
pub mod db;
pub mod http;
pub mod seed;
pub mod services;
pub mod state;

pub use http::build;
