//! PostgreSQL connections: URL handling, TLS, and connection errors a user can act on.
//!
//! Owns turning a user-supplied connection string (libpq URL or `key=value` form, Prisma-style
//! extra parameters included) into a connected [`tokio_postgres::Client`]. It does not run any
//! schema or migration queries; [`crate::migrate`] and the introspector do that with the client.
//!
//! Every error message produced here is one line and never contains the password: messages name
//! the host, port, user and database, never the connection string itself (use [`redact_url`] when a
//! string has to be shown).

mod connect;
mod tls;

pub use connect::{
    connect, connect_parsed, is_key_value_string, key_values, parse_url, redact_url,
    ConnectOptions, ParsedUrl, SslMode,
};
pub use tls::{CertRejected, RootCerts};

use std::time::Duration;

/// Why a connection could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The connection string could not be parsed.
    #[error("invalid connection string: {reason}")]
    InvalidUrl { reason: String },

    /// TCP connect (or DNS lookup) failed.
    #[error("could not reach PostgreSQL at {endpoint}: {reason}")]
    Unreachable { endpoint: String, reason: String },

    /// Nothing answered within the connect timeout.
    #[error("timed out after {}s connecting to PostgreSQL at {endpoint}", .after.as_secs())]
    Timeout { endpoint: String, after: Duration },

    /// The server rejected the credentials (or `pg_hba.conf` has no matching entry).
    #[error("authentication failed for user \"{user}\" at {endpoint}: {reason}")]
    Authentication {
        user: String,
        endpoint: String,
        reason: String,
    },

    /// The server is reachable but the database named in the URL is not there.
    #[error("database \"{database}\" does not exist at {endpoint}")]
    DatabaseNotFound { database: String, endpoint: String },

    /// `sslmode=require` (or stricter) but the server answered that it has TLS turned off.
    #[error("TLS required (sslmode={mode}) but the server at {endpoint} does not support it")]
    TlsNotSupported { mode: SslMode, endpoint: String },

    /// The TLS handshake failed (certificate not trusted, wrong host name, …).
    #[error("TLS handshake with {endpoint} failed (sslmode={mode}): {reason}")]
    Tls {
        mode: SslMode,
        endpoint: String,
        reason: String,
    },

    /// TLS could not be configured locally (for example an unreadable `sslrootcert` file).
    #[error("TLS setup failed: {reason}")]
    TlsConfig { reason: String },

    /// Anything else the server or the protocol reported while connecting or preparing the session.
    #[error("PostgreSQL at {endpoint}: {reason}")]
    Server { endpoint: String, reason: String },
}

/// One-line description of a `tokio_postgres` error, including the server's message for database
/// errors (`tokio_postgres::Error`'s own `Display` only says "db error").
///
/// Never contains a password: neither the server nor tokio-postgres echo it back.
pub fn describe(err: &tokio_postgres::Error) -> String {
    if let Some(db) = err.as_db_error() {
        let mut out = format!(
            "{}: {} (SQLSTATE {})",
            db.severity(),
            db.message(),
            db.code().code()
        );
        if let Some(detail) = db.detail() {
            out.push_str(" — ");
            out.push_str(&one_line(detail));
        }
        if let Some(hint) = db.hint() {
            out.push_str(" — hint: ");
            out.push_str(&one_line(hint));
        }
        return one_line(&out);
    }
    let mut out = err.to_string();
    // Walk the source chain: tokio-postgres puts the useful part ("Connection refused") there.
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !text.is_empty() && !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = cause.source();
    }
    one_line(&out)
}

/// Collapses newlines so every message stays one line.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
