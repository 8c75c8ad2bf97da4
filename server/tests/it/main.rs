//! The integration tests, one module per area, built as one test binary (one link
//! instead of one per area). Each test gets a fresh database: SQLite by default,
//! PostgreSQL when `TEST_DATABASE_URL` is set.
#![recursion_limit = "256"]
#![allow(clippy::unwrap_used)]
mod common;

mod alert;
mod assessment;
mod auth;
mod authz;
mod cameras;
mod council;
mod duty;
mod feedback;
mod grid;
mod http;
mod open311;
mod party;
mod reminders;
mod resident;
mod shifts;
mod sites;
mod sms;
mod staff_notices_missing_push;
mod study;
mod ticket;
mod trust;
mod worklog;
