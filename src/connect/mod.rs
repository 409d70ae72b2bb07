//! Connections and the secrets they carry. This room grows into the one place that connects to
//! PostgreSQL and SQLite/libSQL; today it owns SQLite/libSQL connections ([`sqlite`]) and what
//! every connection string shares: finding its secrets and keeping them out of anything printed.

pub mod secrets;
pub mod sqlite;
