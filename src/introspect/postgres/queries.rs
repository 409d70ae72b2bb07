//! The catalog queries: one `.sql` file per object kind, each for all selected schemas at once,
//! so their number does not depend on the number of tables. Each file's header comment says what
//! it reads; [`super::rows`] decodes their rows.

/// One catalog query.
#[derive(Debug, Clone, Copy)]
pub struct Query {
    /// The object kind, as messages name it (`reading the columns from PostgreSQL failed`).
    pub what: &'static str,
    pub sql: &'static str,
    /// Takes the selected schema names as `$1 text[]`.
    pub takes_schemas: bool,
}

const fn query(what: &'static str, sql: &'static str) -> Query {
    Query {
        what,
        sql,
        takes_schemas: true,
    }
}

pub const NAMESPACES: Query = query("schemas", include_str!("namespaces.sql"));
pub const RELATIONS: Query = query("tables", include_str!("relations.sql"));
pub const COLUMNS: Query = query("columns", include_str!("columns.sql"));
pub const CONSTRAINTS: Query = query("constraints", include_str!("constraints.sql"));
pub const INDEXES: Query = query("indexes", include_str!("indexes.sql"));
pub const ENUMS: Query = query("enums", include_str!("enums.sql"));
pub const SEQUENCES: Query = query("sequences", include_str!("sequences.sql"));
pub const EXTENSIONS: Query = Query {
    takes_schemas: false,
    ..query("extensions", include_str!("extensions.sql"))
};
pub const POLICIES: Query = query("policies", include_str!("policies.sql"));
pub const DOMAINS: Query = query("domains", include_str!("domains.sql"));

/// Prisma Migrate's history table; not part of introspection (asked only when it exists).
pub const PRISMA_MIGRATIONS: &str = include_str!("prisma_migrations.sql");

/// Number of catalog queries one introspection runs, whatever the size of the database.
pub const CATALOG_QUERIES: usize = 10;

/// Every catalog query, in the order introspection sends them.
pub const CATALOG: [Query; CATALOG_QUERIES] = [
    NAMESPACES,
    RELATIONS,
    COLUMNS,
    CONSTRAINTS,
    INDEXES,
    ENUMS,
    SEQUENCES,
    EXTENSIONS,
    POLICIES,
    DOMAINS,
];

/// The catalog queries as `(object kind, SQL, takes the schema list as $1 text[])`, for
/// benchmarks that time them without the rest of the tool.
pub fn catalog_queries() -> [(&'static str, &'static str, bool); CATALOG_QUERIES] {
    CATALOG.map(|q| (q.what, q.sql, q.takes_schemas))
}
