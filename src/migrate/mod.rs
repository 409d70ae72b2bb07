//! The drizzle-kit migrations folder as input, and the migration history table as output.
//!
//! [`journal`] reads a folder drizzle-kit (or our renderer) wrote; [`verify`] finds which of its
//! migrations a live database already reflects (its snapshots against the database); [`history`]
//! marks them as applied in drizzle's `__drizzle_migrations` table so that `drizzle-kit migrate`
//! skips them; [`layout`] names every file of such a folder; [`output`] writes an output folder atomically, never losing anything of the user's.

pub mod history;
pub mod journal;
pub mod layout;
pub mod output;
pub mod verify;

pub use history::{
    apply_postgres, apply_sqlite, decide, plan, plan_sql, plan_sql_sqlite, BaselineOutcome,
    BaselinePlan, Conflict, Decision, ExistingRow, HistoryShape, HistoryTarget, PlannedRow,
};
pub use journal::{
    migration_hash, Journal, JournalDialect, JournalEntry, Migration, MigrationsFolder,
};
pub use layout::{render_project, Layout, Project};
pub use verify::{
    skipped_by_history, verify_postgres, verify_sqlite, EntryDiff, EntrySnapshot, Verification,
};

use std::path::PathBuf;

/// Errors reading a migrations folder or recording it in the history table.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("migrations folder {} does not exist", .path.display())]
    FolderMissing { path: PathBuf },

    #[error("{} not found: not a drizzle-kit migrations folder (neither drizzle-kit 0.x's meta/_journal.json nor 1.0's <time>_<name>/snapshot.json)", .path.display())]
    JournalMissing { path: PathBuf },

    #[error("{} is not a valid drizzle-kit journal: {reason}", .path.display())]
    JournalInvalid { path: PathBuf, reason: String },

    #[error("{} is listed in {} (tag \"{tag}\") but the file does not exist", .path.display(), .journal.display())]
    SqlFileMissing {
        tag: String,
        path: PathBuf,
        journal: PathBuf,
    },

    #[error("could not read {}: {source}", .path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The history table already says something that contradicts the folder; nothing was written.
    #[error("refusing to baseline {table}: {conflict}")]
    HistoryConflict { table: String, conflict: Conflict },

    /// An entry's snapshot is missing or unreadable (verifying a baseline needs each of them).
    #[error(transparent)]
    Snapshot(#[from] crate::introspect::migrations::SnapshotError),

    /// Reading the live database to verify a baseline failed.
    #[error(transparent)]
    Introspect(#[from] crate::introspect::Error),

    /// A SQLite / libSQL statement failed.
    #[error("{context}: {message}")]
    Sqlite { context: String, message: String },

    #[error("{context}: {}", crate::connect::postgres::describe(.source))]
    Database {
        context: String,
        #[source]
        source: tokio_postgres::Error,
    },
}
