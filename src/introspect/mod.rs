//! Live database introspection into the neutral [`crate::model::Schema`].
//!
//! [`postgres`] and [`sqlite`] hold the same rooms: `queries` (the `.sql` files, one batched query
//! per object kind, never one per table), `rows` (a typed struct per query, decoded with
//! `try_get`: a bad row is a [`RowError`], never a panic) and `lower` (rows → model, pure, so it
//! is tested on recorded rows without a database); each `mod.rs` runs the queries on a connection
//! it is given. What the model or Drizzle cannot hold is not silently dropped: it is listed in the
//! [`IntrospectReport`] returned beside the schema. [`migrations`] reads a drizzle-kit folder's
//! latest snapshot instead of a database; [`relations`] infers ORM relation fields from foreign
//! keys, for any dialect.

pub mod migrations;
pub mod postgres;
pub mod relations;
mod rows;
pub mod sqlite;

pub use postgres::{
    introspect_postgres, introspect_postgres_url, introspect_postgres_url_with_report,
    introspect_postgres_with_report, PgIntrospectOptions,
};

use std::time::Duration;

/// Why introspection failed. Every message is one line and never contains a password.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The connection could not be opened (unreachable, timeout, authentication, missing
    /// database, TLS, invalid URL).
    #[error(transparent)]
    Connect(#[from] crate::connect::postgres::Error),
    /// A catalog query failed (its name says which object kind).
    #[error("reading the {what} from PostgreSQL failed: {reason}")]
    Query { what: &'static str, reason: String },
    /// A catalog row had a column missing or of an unexpected type.
    #[error(transparent)]
    Row(#[from] RowError),
    /// Opening a SQLite / libSQL database failed (one line, never the token).
    #[error(transparent)]
    OpenSqlite(#[from] crate::connect::sqlite::Error),
    /// Reading a SQLite / libSQL database failed (one line, never the token).
    #[error("{0}")]
    Sqlite(String),
    /// The tokio runtime for the blocking API could not be started.
    #[error("could not start the async runtime: {0}")]
    Runtime(String),
}

/// An enum's values as a database or a snapshot knows them: labels, no ORM names or docs.
fn enum_values(labels: &[String]) -> Vec<crate::model::EnumValue> {
    labels
        .iter()
        .map(|label| crate::model::EnumValue {
            label: label.clone(),
            orm_name: None,
            documentation: None,
        })
        .collect()
}

/// A catalog row that does not have the shape its query promises: a server or catalog this
/// reader does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the {query} query returned an unexpected row: column `{column}`: {reason}")]
pub struct RowError {
    /// The query, by the object kind it reads (`columns`).
    pub query: &'static str,
    pub column: &'static str,
    pub reason: String,
}

/// One row of Prisma Migrate's `_prisma_migrations`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AppliedMigration {
    pub name: String,
    pub finished: bool,
    pub rolled_back: bool,
}

/// Prisma's migration history as a live database records it (PostgreSQL URL, SQLite file or
/// libSQL URL), read-only; `None` when it has no `_prisma_migrations` table. A SQLite file waits
/// up to `busy_timeout` for a writer's lock.
pub fn prisma_migrations(
    source: &str,
    auth_token: Option<String>,
    busy_timeout: Duration,
) -> Result<Option<Vec<AppliedMigration>>, Error> {
    if crate::connect::sqlite::is_sqlite_source(source) {
        let options = crate::connect::sqlite::ConnectOptions {
            auth_token,
            busy_timeout,
            ..Default::default()
        };
        return sqlite::prisma_migrations_sqlite(source, &options);
    }
    postgres::prisma_migrations_url(source, &PgIntrospectOptions::default())
}

/// What one introspection did and what it left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IntrospectReport {
    /// Statements sent to the server: transaction control, settings and catalog queries. It does
    /// not grow with the number of tables.
    pub queries: usize,
    /// Of those, catalog queries (one per object kind).
    pub catalog_queries: usize,
    /// Wall time of the transaction (connecting excluded).
    pub elapsed: Duration,
    /// Objects left out or read with a loss, one line each (`table public._prisma_migrations:
    /// Prisma's migration history, left out`).
    pub notes: Vec<String>,
    /// Result of [`PgIntrospectOptions::probe`], when one was given: the text rows it returned,
    /// or the server's error (with its SQLSTATE).
    pub probe: Option<Result<Vec<String>, String>>,
}
