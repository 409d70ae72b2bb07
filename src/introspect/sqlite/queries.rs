//! The catalog queries: `sqlite_schema` joined with the `pragma_*` table-valued functions, one
//! `.sql` file per object kind, so their number does not depend on the number of tables and no
//! identifier is ever pasted into SQL. [`super::rows`] decodes their rows.

/// One catalog query.
#[derive(Debug, Clone, Copy)]
pub struct Query {
    /// The object kind, as messages name it (`reading the columns of app.db failed`).
    pub what: &'static str,
    pub sql: &'static str,
}

const fn query(what: &'static str, sql: &'static str) -> Query {
    Query { what, sql }
}

pub const OBJECTS: Query = query("schema objects", include_str!("objects.sql"));
pub const COLUMNS: Query = query("columns", include_str!("columns.sql"));
pub const INDEXES: Query = query("indexes", include_str!("indexes.sql"));
pub const INDEX_COLUMNS: Query = query("index columns", include_str!("index_columns.sql"));
pub const FOREIGN_KEYS: Query = query("foreign keys", include_str!("foreign_keys.sql"));

/// Number of catalog queries one introspection runs, whatever the size of the database.
pub const CATALOG_QUERIES: usize = 5;

/// Whether Prisma Migrate's history table exists (a count).
pub const PRISMA_MIGRATIONS_EXIST: &str =
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'";

/// Prisma Migrate's history, asked only when the table exists.
pub const PRISMA_MIGRATIONS: &str =
    "SELECT migration_name, finished_at IS NOT NULL, rolled_back_at IS NOT NULL \
     FROM _prisma_migrations ORDER BY started_at, migration_name";
