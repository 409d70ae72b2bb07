//! Live SQLite / libSQL introspection on a connection [`crate::connect::sqlite`] opened: a local
//! file (read-only, never written) or a remote libSQL server.
//!
//! A constant number of catalog queries, whatever the number of tables ([`queries`]); their typed
//! rows ([`rows`]) are lowered into the model without further I/O ([`lower`]).

pub mod lower;
pub mod queries;
pub mod rows;

use std::time::Instant;

use libsql::Value;

use super::{AppliedMigration, Error, IntrospectReport};
use crate::connect::sqlite::{self as connect, ConnectOptions};
use crate::model::Schema;
use queries::CATALOG_QUERIES;
use rows::{CatalogRow, CatalogRows};

fn fail(message: impl Into<String>) -> Error {
    Error::Sqlite(message.into().replace('\n', " "))
}

/// The raw rows of one query.
async fn query(
    conn: &libsql::Connection,
    what: &'static str,
    sql: &str,
    display: &str,
) -> Result<Vec<Vec<Value>>, Error> {
    let describe = |e: libsql::Error| fail(connect::describe_error(what, display, &e.to_string()));
    let mut rows = conn.query(sql, ()).await.map_err(describe)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().await.map_err(describe)? {
        let n = row.column_count();
        let mut values = Vec::with_capacity(n as usize);
        for i in 0..n {
            values.push(row.get_value(i).map_err(describe)?);
        }
        out.push(values);
    }
    Ok(out)
}

/// The rows of one catalog query, decoded.
async fn fetch<T: CatalogRow>(conn: &libsql::Connection, display: &str) -> Result<Vec<T>, Error> {
    let rows = query(conn, T::QUERY.what, T::QUERY.sql, display).await?;
    Ok(rows
        .iter()
        .map(|row| T::decode(row))
        .collect::<Result<_, _>>()?)
}

/// Every catalog query, one after the other on the one connection.
pub async fn read_catalog(conn: &libsql::Connection, display: &str) -> Result<CatalogRows, Error> {
    Ok(CatalogRows {
        objects: fetch(conn, display).await?,
        columns: fetch(conn, display).await?,
        indexes: fetch(conn, display).await?,
        index_columns: fetch(conn, display).await?,
        foreign_keys: fetch(conn, display).await?,
    })
}

/// Introspects a SQLite / libSQL source (see [`connect::is_sqlite_source`]) on a current-thread
/// runtime of its own.
pub fn introspect_sqlite_with_report(
    source: &str,
    options: &ConnectOptions,
) -> Result<(Schema, IntrospectReport), Error> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Runtime(e.to_string()))?;
    rt.block_on(introspect_sqlite_async(source, options))
}

/// The async form of [`introspect_sqlite_with_report`]: opens the source read-only and reads it
/// within `options.timeout`.
pub async fn introspect_sqlite_async(
    source: &str,
    options: &ConnectOptions,
) -> Result<(Schema, IntrospectReport), Error> {
    let target = connect::target_of(source);
    let display = connect::display_of(&target);
    let work = connect::read(&target, options, async |conn: &libsql::Connection| {
        introspect_sqlite_conn(conn, &display).await
    });
    tokio::time::timeout(options.timeout, work)
        .await
        .map_err(|_| {
            fail(format!(
                "reading {display} timed out after {}s",
                options.timeout.as_secs()
            ))
        })?
}

/// Introspects through a connection opened already (`baseline` reads and then writes on one
/// connection); `display` names the database in messages. No timeout of its own.
pub async fn introspect_sqlite_conn(
    conn: &libsql::Connection,
    display: &str,
) -> Result<(Schema, IntrospectReport), Error> {
    let started = Instant::now();
    let rows = read_catalog(conn, display).await?;
    let elapsed = started.elapsed();
    let (mut schema, notes) = lower::lower(&rows);
    schema.source = Some(display.to_string());
    Ok((
        schema,
        IntrospectReport {
            queries: CATALOG_QUERIES,
            catalog_queries: CATALOG_QUERIES,
            elapsed,
            notes,
            probe: None,
        },
    ))
}

/// Prisma's migration history in a SQLite / libSQL database (`None`: no `_prisma_migrations`).
pub fn prisma_migrations_sqlite(
    source: &str,
    options: &ConnectOptions,
) -> Result<Option<Vec<AppliedMigration>>, Error> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Runtime(e.to_string()))?;
    let target = connect::target_of(source);
    let display = connect::display_of(&target);
    rt.block_on(connect::read(
        &target,
        options,
        async |conn: &libsql::Connection| {
            let what = "Prisma migration history";
            let found = query(conn, what, queries::PRISMA_MIGRATIONS_EXIST, &display).await?;
            if !matches!(found.first().and_then(|r| r.first()), Some(Value::Integer(n)) if *n > 0) {
                return Ok(None);
            }
            let rows = query(conn, what, queries::PRISMA_MIGRATIONS, &display).await?;
            let flag = |v: Option<&Value>| matches!(v, Some(Value::Integer(n)) if *n != 0);
            Ok(Some(
                rows.iter()
                    .map(|r| AppliedMigration {
                        name: match r.first() {
                            Some(Value::Text(t)) => t.clone(),
                            _ => String::new(),
                        },
                        finished: flag(r.get(1)),
                        rolled_back: flag(r.get(2)),
                    })
                    .collect(),
            ))
        },
    ))
}
