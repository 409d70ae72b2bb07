//! PostgreSQL catalog → [`Schema`].
//!
//! Ten catalog queries (the `.sql` files beside this module), one per object kind, each for all
//! selected schemas at once: their number does not depend on the number of tables. They run
//! pipelined on one connection inside one `REPEATABLE READ READ ONLY` transaction (one consistent
//! snapshot, no statement can write) with a `statement_timeout`, and the transaction is rolled
//! back at the end. Schema names travel as a bind parameter, never pasted into SQL.
//!
//! `search_path` is set to `public` for the transaction, so `format_type`, `pg_get_expr` and
//! friends print objects of `public` unqualified and everything else qualified: exactly the
//! spelling our baseline needs when it runs with the default search path.
//!
//! Requires PostgreSQL 12 or later (`attgenerated`, `conparentid`, `pg_sequence`).

//!
//! Rooms: [`queries`] (the `.sql` files), [`rows`] (their typed rows), [`lower`] (rows → model,
//! pure); this module runs the queries on a connection it is given.

pub mod lower;
pub mod queries;
pub mod rows;

use std::time::{Duration, Instant};

use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{Client, SimpleQueryMessage};

use super::{AppliedMigration, Error, IntrospectReport};
use crate::connect::postgres::{self as pg, ConnectOptions};
use crate::model::Schema;
pub use queries::{catalog_queries, CATALOG_QUERIES};
use rows::{CatalogRow, CatalogRows};

/// What to read and how long to wait.
#[derive(Debug, Clone)]
pub struct PgIntrospectOptions {
    /// Schemas to read (`--schemas a,b`); objects of `public` get no schema in the model.
    pub schemas: Vec<String>,
    /// `statement_timeout` of every catalog query.
    pub statement_timeout: Duration,
    /// Connect timeout of [`introspect_postgres_url`] when the URL has no `connect_timeout`.
    pub connect_timeout: Duration,
    /// Keep Prisma's `_prisma_migrations` and Drizzle's `__drizzle_migrations` history tables
    /// (left out and reported by default).
    pub include_history_tables: bool,
    /// Test hook: one statement run (simple protocol) inside the introspection transaction,
    /// after the catalog queries; its rows or error land in [`IntrospectReport::probe`]. Used to
    /// prove the transaction is read-only. `None` in normal use.
    #[doc(hidden)]
    pub probe: Option<String>,
}

impl Default for PgIntrospectOptions {
    fn default() -> Self {
        PgIntrospectOptions {
            schemas: vec!["public".to_string()],
            statement_timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            include_history_tables: false,
            probe: None,
        }
    }
}

/// Reads the selected schemas of the database behind `client` into the model.
pub async fn introspect_postgres(
    client: &Client,
    opts: &PgIntrospectOptions,
) -> Result<Schema, Error> {
    Ok(introspect_postgres_with_report(client, opts).await?.0)
}

/// [`introspect_postgres`] for a connection string (TLS, timeouts and error messages of
/// [`crate::connect::postgres::connect`]), on a current-thread runtime of its own. Errors never contain the
/// password; the schema's `source` is the redacted URL.
pub fn introspect_postgres_url(url: &str, opts: &PgIntrospectOptions) -> Result<Schema, Error> {
    Ok(introspect_postgres_url_with_report(url, opts)?.0)
}

/// Runs `work` on a connection to `url` (TLS, timeouts and error messages of
/// [`crate::connect::postgres::connect`]), on a current-thread runtime of its own.
fn on_connection<T, F, Fut>(url: &str, opts: &PgIntrospectOptions, work: F) -> Result<T, Error>
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = Result<T, Error>>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Runtime(e.to_string()))?;
    runtime.block_on(async {
        let connect = ConnectOptions {
            connect_timeout: opts.connect_timeout,
            ..ConnectOptions::default()
        };
        let client = pg::connect(url, connect).await?;
        work(client).await
    })
}

/// [`introspect_postgres_url`] with the report of what was left out and how many queries ran.
pub fn introspect_postgres_url_with_report(
    url: &str,
    opts: &PgIntrospectOptions,
) -> Result<(Schema, IntrospectReport), Error> {
    on_connection(url, opts, |client| async move {
        let (mut schema, report) = introspect_postgres_with_report(&client, opts).await?;
        schema.source = Some(pg::redact_url(url));
        Ok((schema, report))
    })
}

/// [`introspect_postgres`] with the report of what was left out and how many queries ran.
pub async fn introspect_postgres_with_report(
    client: &Client,
    opts: &PgIntrospectOptions,
) -> Result<(Schema, IntrospectReport), Error> {
    let started = Instant::now();
    let (rows, mut report) = read_rows(client, opts).await?;
    let (schema, notes) = lower::lower(&rows, &opts.schemas, opts.include_history_tables);
    report.notes = notes;
    report.elapsed = started.elapsed();
    Ok((schema, report))
}

/// The rows of every catalog query for the selected schemas, read in one read-only transaction
/// with the output settings introspection needs; the report counts the statements sent.
pub async fn read_rows(
    client: &Client,
    opts: &PgIntrospectOptions,
) -> Result<(CatalogRows, IntrospectReport), Error> {
    let mut report = IntrospectReport::default();
    let timeout_ms = opts.statement_timeout.as_millis().max(1);
    // Integers only: nothing user-supplied is pasted into SQL.
    // The output settings make every printed literal re-parse to the same value under any
    // server defaults: ISO dates, postgres intervals, exact floats, standard strings.
    let begin = format!(
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; \
         SET LOCAL statement_timeout = {timeout_ms}; \
         SET LOCAL search_path = public; \
         SET LOCAL DateStyle = 'ISO, YMD'; \
         SET LOCAL IntervalStyle = 'postgres'; \
         SET LOCAL extra_float_digits = 3; \
         SET LOCAL standard_conforming_strings = on"
    );
    report.queries += 1;
    client
        .batch_execute(&begin)
        .await
        .map_err(|e| query_error("transaction", &e))?;
    let rows = read_catalog(client, &opts.schemas).await;
    report.queries += CATALOG_QUERIES;
    report.catalog_queries = CATALOG_QUERIES;
    if let (Ok(_), Some(probe)) = (&rows, &opts.probe) {
        report.queries += 1;
        report.probe = Some(run_probe(client, probe).await);
    }
    report.queries += 1;
    let rollback = client.batch_execute("ROLLBACK").await;
    let rows = rows?;
    rollback.map_err(|e| query_error("transaction", &e))?;
    Ok((rows, report))
}

fn query_error(what: &'static str, err: &tokio_postgres::Error) -> Error {
    Error::Query {
        what,
        reason: pg::describe(err),
    }
}

async fn run_probe(client: &Client, sql: &str) -> Result<Vec<String>, String> {
    match client.simple_query(sql).await {
        Ok(messages) => Ok(messages
            .into_iter()
            .filter_map(|m| match m {
                SimpleQueryMessage::Row(row) => Some(
                    (0..row.len())
                        .map(|i| row.get(i).unwrap_or("").to_string())
                        .collect::<Vec<_>>()
                        .join("|"),
                ),
                _ => None,
            })
            .collect()),
        Err(e) => Err(pg::describe(&e)),
    }
}

/// The rows of one catalog query, decoded.
async fn fetch<T: CatalogRow>(
    client: &Client,
    schemas: &[(&(dyn ToSql + Sync), Type)],
) -> Result<Vec<T>, Error> {
    let params = if T::QUERY.takes_schemas { schemas } else { &[] };
    let rows = client
        .query_typed(T::QUERY.sql, params)
        .await
        .map_err(|e| query_error(T::QUERY.what, &e))?;
    Ok(rows.iter().map(T::decode).collect::<Result<_, _>>()?)
}

/// All catalog queries, pipelined: `query_typed` needs no prepare round trip, and polling the
/// futures together sends them back to back on the one connection.
async fn read_catalog(client: &Client, schemas: &[String]) -> Result<CatalogRows, Error> {
    let schemas: Vec<&str> = schemas.iter().map(String::as_str).collect();
    let p: &[(&(dyn ToSql + Sync), Type)] = &[(&schemas, Type::TEXT_ARRAY)];
    // One future per row type, in the order of `queries::CATALOG`.
    let rows = tokio::try_join!(
        fetch(client, p),
        fetch(client, p),
        fetch(client, p),
        fetch(client, p),
        fetch(client, p),
        fetch(client, p),
        fetch(client, p),
        fetch(client, p),
        fetch(client, p),
        fetch(client, p),
    )?;
    Ok(CatalogRows {
        namespaces: rows.0,
        relations: rows.1,
        columns: rows.2,
        constraints: rows.3,
        indexes: rows.4,
        enums: rows.5,
        sequences: rows.6,
        extensions: rows.7,
        policies: rows.8,
        domains: rows.9,
    })
}

/// Prisma's migration history as the database records it, read in a read-only transaction;
/// `None` when the database has no `_prisma_migrations` table.
pub fn prisma_migrations_url(
    url: &str,
    opts: &PgIntrospectOptions,
) -> Result<Option<Vec<AppliedMigration>>, Error> {
    on_connection(url, opts, |client| async move {
        prisma_migrations_with(&client).await
    })
}

/// [`prisma_migrations_url`] on a connection the caller keeps using.
pub async fn prisma_migrations_with(
    client: &Client,
) -> Result<Option<Vec<AppliedMigration>>, Error> {
    let what = "Prisma migration history";
    client
        .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .await
        .map_err(|e| query_error(what, &e))?;
    let exists = client
        .query_one(
            "SELECT to_regclass('public._prisma_migrations') IS NOT NULL",
            &[],
        )
        .await
        .map_err(|e| query_error(what, &e))?;
    let exists: bool = cell(&exists, "Prisma migration history", 0, "exists")?;
    let rows = if exists {
        Some(
            client
                .query(queries::PRISMA_MIGRATIONS, &[])
                .await
                .map_err(|e| query_error(what, &e))?,
        )
    } else {
        None
    };
    client
        .batch_execute("ROLLBACK")
        .await
        .map_err(|e| query_error(what, &e))?;
    let query = "Prisma migration history";
    rows.map(|rows| {
        rows.iter()
            .map(|r| {
                Ok(AppliedMigration {
                    name: cell(r, query, 0, "migration_name")?,
                    finished: cell(r, query, 1, "finished")?,
                    rolled_back: cell(r, query, 2, "rolled_back")?,
                })
            })
            .collect()
    })
    .transpose()
}

/// Column `index` (called `column`) of a row of `query`, or the error naming both.
fn cell<'a, T: tokio_postgres::types::FromSql<'a>>(
    row: &'a tokio_postgres::Row,
    query: &'static str,
    index: usize,
    column: &'static str,
) -> Result<T, Error> {
    row.try_get(index).map_err(|e| {
        Error::Row(super::RowError {
            query,
            column,
            reason: e.to_string(),
        })
    })
}

/// Each `(text, type)` read as a value of that type and printed back (`'((0,0),(1,1))'` as a
/// `box` is `(1,1),(0,0)`), with the same output settings as introspection; `None` where the type
/// or the value is not valid. Read-only: nothing but type input and output functions runs.
pub fn canonical_literals(
    url: &str,
    opts: &PgIntrospectOptions,
    literals: &[(String, String)],
) -> Result<Vec<Option<String>>, Error> {
    on_connection(url, opts, |client| async move {
        canonical_literals_with(&client, literals).await
    })
}

/// [`canonical_literals`] on a connection the caller keeps using (`baseline` writes on it
/// afterwards): the session settings it needs are reset before it returns.
pub async fn canonical_literals_with(
    client: &Client,
    literals: &[(String, String)],
) -> Result<Vec<Option<String>>, Error> {
    let what = "literal spellings";
    // Session settings rather than one transaction: an invalid literal fails its statement, which
    // would abort a transaction and every question after it.
    client
        .batch_execute(
            "SET default_transaction_read_only = on; \
             SET DateStyle = 'ISO, YMD'; \
             SET IntervalStyle = 'postgres'; \
             SET extra_float_digits = 3",
        )
        .await
        .map_err(|e| query_error(what, &e))?;
    let mut out = Vec::with_capacity(literals.len());
    for (text, sql_type) in literals {
        // The type name goes through regtype, so only a real type's own spelling is pasted.
        let Ok(row) = client
            .query_one("SELECT ($1::text)::regtype::text", &[sql_type])
            .await
        else {
            out.push(None);
            continue;
        };
        let ty: String = cell(&row, "literal spellings", 0, "regtype")?;
        // format('%s') prints with the type's output function, as a stored default does
        // (a cast to text may differ: `inet` keeps its `/32` there).
        let cast = format!("SELECT format('%s', CAST($1::text AS {ty}))");
        out.push(
            client
                .query_one(cast.as_str(), &[text])
                .await
                .ok()
                .and_then(|r| r.try_get::<_, Option<String>>(0).ok().flatten()),
        );
    }
    client
        .batch_execute(
            "RESET default_transaction_read_only; RESET DateStyle; \
             RESET IntervalStyle; RESET extra_float_digits",
        )
        .await
        .map_err(|e| query_error(what, &e))?;
    Ok(out)
}
