//! Integration tests: each test starts the real server on a random port with a fresh database
//! (a temporary SQLite file, or a fresh PostgreSQL database when
//! `POSTWARDEN_TEST_POSTGRES_URL` names a server) and speaks HTTP to it with the `shared` types.
//! The server runs on a clock the test holds (`TestApp::clock`): time moves only when the test
//! moves it, so no outcome depends on the date or the time of day the suite runs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod accounts;
mod api_keys;
mod cache;
mod crash;
mod credit;
mod directory;
mod dns_server;
mod documents;
mod domains;
mod helpers;
mod idempotency;
mod isolation;
mod ledger_model;
mod me;
mod outbox;
mod request_ids;
mod secrets;
mod sessions;
mod subscriptions;
mod time;
mod unavailable;
mod validation;
