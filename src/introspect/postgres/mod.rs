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

pub(crate) mod map;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::time::{Duration, Instant};

use heck::ToLowerCamelCase;
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{Client, Row, SimpleQueryMessage};

use super::{relations, AppliedMigration, Error, IntrospectReport};
use crate::connect::postgres::{self as pg, ConnectOptions};
use crate::model::{
    Check, Column, ColumnType, DefaultValue, Deferrable, Dialect, Domain, Enum, EnumValue,
    Extension, ForeignKey, Identity, Index, IndexColumn, NullsOrder, ObjectName, Policy,
    PrimaryKey, ReferentialAction, Schema, Sequence, SortOrder, Table, TableOrigin,
    UniqueConstraint, View,
};

const NAMESPACES: &str = include_str!("namespaces.sql");
const RELATIONS: &str = include_str!("relations.sql");
const COLUMNS: &str = include_str!("columns.sql");
const PRISMA_MIGRATIONS: &str = include_str!("prisma_migrations.sql");
const CONSTRAINTS: &str = include_str!("constraints.sql");
const INDEXES: &str = include_str!("indexes.sql");
const ENUMS: &str = include_str!("enums.sql");
const SEQUENCES: &str = include_str!("sequences.sql");
const EXTENSIONS: &str = include_str!("extensions.sql");
const POLICIES: &str = include_str!("policies.sql");
const DOMAINS: &str = include_str!("domains.sql");

/// Number of catalog queries one introspection runs, whatever the size of the database.
pub const CATALOG_QUERIES: usize = 10;

/// The catalog queries as `(object kind, SQL, takes the schema list as $1 text[])`, for
/// benchmarks that time them without the rest of the tool.
pub fn catalog_queries() -> [(&'static str, &'static str, bool); CATALOG_QUERIES] {
    [
        ("schemas", NAMESPACES, true),
        ("tables", RELATIONS, true),
        ("columns", COLUMNS, true),
        ("constraints", CONSTRAINTS, true),
        ("indexes", INDEXES, true),
        ("enums", ENUMS, true),
        ("sequences", SEQUENCES, true),
        ("extensions", EXTENSIONS, false),
        ("policies", POLICIES, true),
        ("domains", DOMAINS, true),
    ]
}

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
    let schema = build(rows, opts, &mut report);
    report.elapsed = started.elapsed();
    Ok((schema, report))
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

/// Raw rows of every catalog query.
struct CatalogRows {
    namespaces: Vec<Row>,
    relations: Vec<Row>,
    columns: Vec<Row>,
    constraints: Vec<Row>,
    indexes: Vec<Row>,
    enums: Vec<Row>,
    sequences: Vec<Row>,
    extensions: Vec<Row>,
    policies: Vec<Row>,
    domains: Vec<Row>,
}

async fn query(
    client: &Client,
    what: &'static str,
    sql: &str,
    params: &[(&(dyn ToSql + Sync), Type)],
) -> Result<Vec<Row>, Error> {
    client
        .query_typed(sql, params)
        .await
        .map_err(|e| query_error(what, &e))
}

/// All catalog queries, pipelined: `query_typed` needs no prepare round trip, and polling the
/// futures together sends them back to back on the one connection.
async fn read_catalog(client: &Client, schemas: &[String]) -> Result<CatalogRows, Error> {
    let schemas: Vec<&str> = schemas.iter().map(String::as_str).collect();
    let p: &[(&(dyn ToSql + Sync), Type)] = &[(&schemas, Type::TEXT_ARRAY)];
    let (
        namespaces,
        relations,
        columns,
        constraints,
        indexes,
        enums,
        sequences,
        extensions,
        policies,
        domains,
    ) = tokio::try_join!(
        query(client, "schemas", NAMESPACES, p),
        query(client, "tables", RELATIONS, p),
        query(client, "columns", COLUMNS, p),
        query(client, "constraints", CONSTRAINTS, p),
        query(client, "indexes", INDEXES, p),
        query(client, "enums", ENUMS, p),
        query(client, "sequences", SEQUENCES, p),
        query(client, "extensions", EXTENSIONS, &[]),
        query(client, "policies", POLICIES, p),
        query(client, "domains", DOMAINS, p),
    )?;
    Ok(CatalogRows {
        namespaces,
        relations,
        columns,
        constraints,
        indexes,
        enums,
        sequences,
        extensions,
        policies,
        domains,
    })
}

/// `schema: None` for the default schema.
fn model_schema(schema: &str) -> Option<String> {
    (schema != "public").then(|| schema.to_string())
}

fn qualified(schema: &str, name: &str) -> String {
    format!("{schema}.{name}")
}

struct SequenceRow {
    schema: String,
    name: String,
    regclass: String,
    type_sql: String,
    start: i64,
    increment: i64,
    min_value: i64,
    max_value: i64,
    cache: i64,
    cycle: bool,
    owner: Option<(u32, i32, String)>,
}

impl SequenceRow {
    fn from_row(r: &Row) -> SequenceRow {
        let owner_table: Option<u32> = r.get("owner_table");
        let owner_column: Option<i32> = r.get("owner_column");
        let owner_kind: Option<String> = r.get("owner_kind");
        SequenceRow {
            schema: r.get("schema"),
            name: r.get("name"),
            regclass: r.get("regclass"),
            type_sql: r.get("type_sql"),
            start: r.get("start"),
            increment: r.get("increment"),
            min_value: r.get("min_value"),
            max_value: r.get("max_value"),
            cache: r.get("cache"),
            cycle: r.get("cycle"),
            owner: match (owner_table, owner_column, owner_kind) {
                (Some(t), Some(c), Some(k)) => Some((t, c, k)),
                _ => None,
            },
        }
    }

    /// Options `serial` gives the sequence it creates for a column of type `type_sql`.
    fn has_serial_defaults(&self) -> bool {
        let max = match self.type_sql.as_str() {
            "smallint" => i64::from(i16::MAX),
            "integer" => i64::from(i32::MAX),
            _ => i64::MAX,
        };
        self.start == 1
            && self.increment == 1
            && self.min_value == 1
            && self.max_value == max
            && self.cache == 1
            && !self.cycle
    }
}

/// A relation of the catalog that is kept, and where it went.
enum Kept {
    Table(usize),
    View(usize),
}

fn action(code: &str) -> ReferentialAction {
    match code {
        "r" => ReferentialAction::Restrict,
        "c" => ReferentialAction::Cascade,
        "n" => ReferentialAction::SetNull,
        "d" => ReferentialAction::SetDefault,
        _ => ReferentialAction::NoAction,
    }
}

fn deferrable(r: &Row) -> Option<Deferrable> {
    let deferrable: bool = r.get("deferrable");
    let deferred: bool = r.get("deferred");
    match (deferrable, deferred) {
        (false, _) => None,
        (true, false) => Some(Deferrable::InitiallyImmediate),
        (true, true) => Some(Deferrable::InitiallyDeferred),
    }
}

fn build(rows: CatalogRows, opts: &PgIntrospectOptions, report: &mut IntrospectReport) -> Schema {
    let notes = &mut report.notes;
    let existing: HashSet<String> = rows.namespaces.iter().map(|r| r.get("name")).collect();
    for s in &opts.schemas {
        if !existing.contains(s) {
            notes.push(format!("schema {s}: does not exist, nothing read from it"));
        }
    }
    // Installed extensions are part of what the schema needs: the baseline creates them (with
    // their schema and version) so a fresh database migrated from the output alone is complete.
    // plpgsql comes with every database.
    let extensions: Vec<Extension> = rows
        .extensions
        .iter()
        .map(|r| Extension {
            name: r.get("name"),
            schema: Some(r.get("schema")),
            version: Some(r.get("version")),
        })
        .filter(|e| e.name != "plpgsql")
        .collect();

    let mut tables: Vec<Table> = Vec::new();
    let mut views: Vec<View> = Vec::new();
    let mut kept: HashMap<u32, Kept> = HashMap::new();
    let mut left_out_names: HashSet<(String, String)> = HashSet::new();
    for r in &rows.relations {
        let oid: u32 = r.get("oid");
        let schema: String = r.get("schema");
        let name: String = r.get("name");
        let kind: String = r.get("kind");
        let what = qualified(&schema, &name);
        let from_extension: bool = r.get("from_extension");
        let is_partition: bool = r.get("is_partition");
        let history = name == "_prisma_migrations" || name == "__drizzle_migrations";
        let skip = if from_extension {
            Some("belongs to an extension, left out".to_string())
        } else if history && !opts.include_history_tables {
            Some(if name == "_prisma_migrations" {
                "Prisma's migration history, left out".to_string()
            } else {
                "Drizzle's migration history, left out".to_string()
            })
        } else if is_partition {
            Some("a partition: left out (Drizzle cannot express partitioning)".to_string())
        } else if kind == "f" {
            Some("a foreign table: left out (Drizzle cannot express it)".to_string())
        } else {
            None
        };
        if let Some(why) = skip {
            notes.push(format!("table {what}: {why}"));
            left_out_names.insert((schema, name));
            continue;
        }
        if kind == "p" {
            notes.push(format!(
                "table {what}: partitioned; its partitioning is not kept (Drizzle cannot express it)"
            ));
        }
        let inherits: bool = r.get("inherits");
        if inherits && !is_partition {
            notes.push(format!(
                "table {what}: inherits from another table; the inheritance is not kept"
            ));
        }
        let row_security: bool = r.get("row_security");
        let force_row_security: bool = r.get("force_row_security");
        if force_row_security {
            notes.push(format!(
                "table {what}: FORCE ROW LEVEL SECURITY not kept (Drizzle cannot express it)"
            ));
        }
        if row_security && matches!(kind.as_str(), "v" | "m") {
            notes.push(format!(
                "view {what}: row level security flag not kept (Drizzle views have none)"
            ));
        }
        let triggers: i64 = r.get("triggers");
        if triggers > 0 {
            notes.push(format!(
                "table {what}: {triggers} triggers not read (Drizzle cannot express triggers)"
            ));
        }
        let comment: Option<String> = r.get("comment");
        match kind.as_str() {
            "v" | "m" => {
                kept.insert(oid, Kept::View(views.len()));
                views.push(View {
                    schema: model_schema(&schema),
                    name,
                    orm_name: None,
                    columns: Vec::new(),
                    // pg_get_viewdef ends with `;`, which drizzle-kit would paste inside its
                    // `AS (…)`.
                    definition: r
                        .get::<_, Option<String>>("definition")
                        .map(|d| d.trim().trim_end_matches(';').trim_end().to_string()),
                    materialized: kind == "m",
                    documentation: comment,
                });
            }
            _ => {
                kept.insert(oid, Kept::Table(tables.len()));
                tables.push(Table {
                    schema: model_schema(&schema),
                    name,
                    orm_name: None,
                    origin: TableOrigin::Model,
                    documentation: None,
                    comment,
                    columns: Vec::new(),
                    primary_key: None,
                    indexes: Vec::new(),
                    unique_constraints: Vec::new(),
                    foreign_keys: Vec::new(),
                    checks: Vec::new(),
                    relations: Vec::new(),
                    rls_enabled: row_security,
                    policies: Vec::new(),
                });
            }
        }
    }
    let table_oid: HashMap<usize, u32> = kept
        .iter()
        .filter_map(|(oid, k)| match k {
            Kept::Table(i) => Some((*i, *oid)),
            Kept::View(_) => None,
        })
        .collect();

    // Sequences: those a column owns are found by (table oid, attnum).
    let sequences: Vec<SequenceRow> = rows.sequences.iter().map(SequenceRow::from_row).collect();
    let mut owned: HashMap<(u32, i32), usize> = HashMap::new();
    for (i, s) in sequences.iter().enumerate() {
        if let Some((t, c, _)) = &s.owner {
            owned.insert((*t, *c), i);
        }
    }
    let mut consumed: HashSet<usize> = HashSet::new();
    let mut column_names: HashMap<(u32, i32), String> = HashMap::new();

    for r in &rows.columns {
        let oid: u32 = r.get("table_oid");
        let Some(target) = kept.get(&oid) else {
            continue;
        };
        let attnum: i32 = r.get("attnum");
        let name: String = r.get("name");
        if owned.contains_key(&(oid, attnum)) {
            column_names.insert((oid, attnum), name.clone());
        }
        let type_sql: String = r.get("type_sql");
        let base_sql: String = r.get("base_sql");
        let base_cast: String = r.get("base_cast");
        let base_schema: String = r.get("base_schema");
        let base_name: String = r.get("base_name");
        let base_kind: String = r.get("base_kind");
        let facts = map::TypeFacts {
            base_sql: &base_sql,
            base_schema: &base_schema,
            base_name: &base_name,
            base_kind: &base_kind,
        };
        let column_type = map::column_type(&facts);
        let is_array: bool = r.get("is_array");
        let dims: i32 = r.get("dims");
        let dimensions = if is_array {
            u32::try_from(dims).unwrap_or(1).max(1)
        } else {
            0
        };
        let not_null: bool = r.get("not_null");
        let default_sql: Option<String> = r.get("default_sql");
        let identity_kind: String = r.get("identity");
        let generated_kind: String = r.get("generated");
        let comment: Option<String> = r.get("comment");
        let collation: Option<String> = r.get("collation");
        let (table_schema, table_name) = match target {
            Kept::Table(i) => (&tables[*i].schema, &tables[*i].name),
            Kept::View(i) => (&views[*i].schema, &views[*i].name),
        };
        let what = format!(
            "column {}.{name}",
            qualified(table_schema.as_deref().unwrap_or("public"), table_name)
        );
        if let Some(c) = &collation {
            notes.push(format!(
                "{what}: COLLATE \"{c}\" not kept (the model has no collations)"
            ));
        }
        // Domains of the selected schemas are read (and created by the baseline); one of
        // another schema is only named.
        let foreign_domain = base_kind == "d" && !opts.schemas.contains(&base_schema);
        if base_schema != "pg_catalog"
            && (foreign_domain || matches!(base_kind.as_str(), "r" | "c" | "m"))
        {
            let kind = match base_kind.as_str() {
                "d" => "domain of a schema not read",
                "r" => "range type",
                "m" => "multirange type",
                _ => "composite type",
            };
            notes.push(format!(
                "{what}: {kind} {base_sql} kept as a custom type; its definition is not emitted"
            ));
        }
        let mut identity = None;
        let mut generated = None;
        let mut default = None;
        if identity_kind == "a" || identity_kind == "d" {
            let seq = owned.get(&(oid, attnum)).copied();
            if let Some(i) = seq {
                consumed.insert(i);
            }
            let seq = seq.map(|i| &sequences[i]);
            identity = Some(Identity {
                always: identity_kind == "a",
                sequence_name: seq.map(|s| s.name.clone()),
                increment: seq.map(|s| s.increment),
                min_value: seq.map(|s| s.min_value),
                max_value: seq.map(|s| s.max_value),
                start: seq.map(|s| s.start),
                cache: seq.map(|s| s.cache),
                cycle: seq.is_some_and(|s| s.cycle),
            });
        } else if generated_kind == "s" {
            generated = default_sql;
        } else if let Some(expr) = default_sql {
            let serial = owned.get(&(oid, attnum)).copied().filter(|&i| {
                let s = &sequences[i];
                matches!(
                    column_type,
                    ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt
                ) && dimensions == 0
                    && not_null
                    && s.owner.as_ref().is_some_and(|(_, _, k)| k == "a")
                    && expr == format!("nextval('{}'::regclass)", s.regclass)
                    && s.schema == table_schema.as_deref().unwrap_or("public")
                    && s.name == map::make_object_name(table_name, &name, "seq")
            });
            default = Some(match serial {
                Some(i) => {
                    consumed.insert(i);
                    let s = &sequences[i];
                    if !s.has_serial_defaults() || s.type_sql != base_sql {
                        notes.push(format!(
                            "{what}: serial sequence {} has non-default options (start {}, increment {}, min {}, max {}, cache {}, cycle {}); the baseline's serial re-creates the defaults",
                            s.name, s.start, s.increment, s.min_value, s.max_value, s.cache, s.cycle
                        ));
                    }
                    DefaultValue::Autoincrement
                }
                None => map::default_value(&expr, &column_type, &base_cast, dimensions),
            });
        }
        let column = Column {
            name,
            orm_name: None,
            raw_type: type_sql,
            column_type,
            dimensions,
            nullable: !not_null,
            default,
            client_default: None,
            updated_at: false,
            identity,
            generated,
            documentation: None,
            comment,
        };
        match target {
            Kept::Table(i) => tables[*i].columns.push(column),
            Kept::View(i) => views[*i].columns.push(column),
        }
    }

    let kept_tables: HashSet<ObjectName> = tables.iter().map(Table::object_name).collect();
    let index_of: HashMap<u32, usize> = table_oid.iter().map(|(i, oid)| (*oid, *i)).collect();
    for r in &rows.constraints {
        let oid: u32 = r.get("table_oid");
        let Some(&ti) = index_of.get(&oid) else {
            continue;
        };
        let name: String = r.get("name");
        let kind: String = r.get("kind");
        let columns: Vec<String> = r.get("columns");
        let definition: String = r.get::<_, Option<String>>("definition").unwrap_or_default();
        let t = &tables[ti];
        let what = format!(
            "constraint {} on {}",
            name,
            qualified(t.schema.as_deref().unwrap_or("public"), &t.name)
        );
        let validated: bool = r.get("validated");
        if !validated {
            notes.push(format!(
                "{what}: NOT VALID; the baseline creates it validated"
            ));
        }
        let t = &mut tables[ti];
        match kind.as_str() {
            "p" => {
                t.primary_key = Some(PrimaryKey {
                    name: Some(name),
                    columns,
                })
            }
            "u" => t.unique_constraints.push(UniqueConstraint {
                name,
                columns,
                nulls_not_distinct: r.get("nulls_not_distinct"),
                deferrable: deferrable(r),
            }),
            "f" => {
                let ref_schema: String = r.get("ref_schema");
                let ref_table: String = r.get("ref_table");
                let referenced_table = ObjectName::new(model_schema(&ref_schema), ref_table);
                if !kept_tables.contains(&referenced_table) {
                    let why = if left_out_names
                        .contains(&(ref_schema.clone(), referenced_table.name.clone()))
                    {
                        "its table was left out"
                    } else {
                        "its table is not in the selected schemas"
                    };
                    notes.push(format!(
                        "{what}: foreign key to {ref_schema}.{} left out: {why}",
                        referenced_table.name
                    ));
                    continue;
                }
                let match_type: String = r.get("match_type");
                if match_type == "f" {
                    notes.push(format!("{what}: MATCH FULL not kept"));
                }
                let on_delete: String = r.get("on_delete");
                let on_update: String = r.get("on_update");
                if definition.contains("SET NULL (") || definition.contains("SET DEFAULT (") {
                    notes.push(format!(
                        "{what}: the column list of ON DELETE SET NULL/DEFAULT is not kept"
                    ));
                }
                t.foreign_keys.push(ForeignKey {
                    name,
                    columns,
                    referenced_table,
                    referenced_columns: r.get("ref_columns"),
                    on_delete: action(&on_delete),
                    on_update: action(&on_update),
                    deferrable: deferrable(r),
                });
            }
            "c" => {
                let no_inherit: bool = r.get("no_inherit");
                if no_inherit {
                    notes.push(format!("{what}: NO INHERIT not kept"));
                }
                let expression: Option<String> = r.get("check_sql");
                t.checks.push(Check {
                    name,
                    expression: expression.unwrap_or_default(),
                });
            }
            _ => notes.push(format!(
                "{what}: exclusion constraint left out (Drizzle cannot express it): {definition}"
            )),
        }
    }

    for r in &rows.indexes {
        let oid: u32 = r.get("table_oid");
        let name: String = r.get("name");
        let Some(&ti) = index_of.get(&oid) else {
            if let Some(Kept::View(v)) = kept.get(&oid) {
                let v = &views[*v];
                notes.push(format!(
                    "index {name} on materialized view {}: not kept (the model has no view indexes)",
                    qualified(v.schema.as_deref().unwrap_or("public"), &v.name)
                ));
            }
            continue;
        };
        let t = &mut tables[ti];
        let what = format!(
            "index {name} on {}",
            qualified(t.schema.as_deref().unwrap_or("public"), &t.name)
        );
        let valid: bool = r.get("valid");
        if !valid {
            notes.push(format!(
                "{what}: invalid (a failed CREATE INDEX CONCURRENTLY?), left out"
            ));
            continue;
        }
        let nulls_not_distinct: bool = r.get("nulls_not_distinct");
        if nulls_not_distinct {
            notes.push(format!(
                "{what}: NULLS NOT DISTINCT not kept (the model's indexes have no such flag)"
            ));
        }
        let key_count = usize::try_from(r.get::<_, i32>("key_count")).unwrap_or(0);
        let columns: Vec<String> = r.get("columns");
        let is_expression: Vec<bool> = r.get("is_expression");
        let options: Vec<i32> = r.get("options");
        let opclasses: Vec<Option<String>> = r.get("opclasses");
        let key_columns = (0..key_count.min(columns.len()))
            .map(|k| {
                let option = options.get(k).copied().unwrap_or(0);
                let desc = option & 1 != 0;
                let nulls_first = option & 2 != 0;
                IndexColumn {
                    expression: columns[k].clone(),
                    is_expression: is_expression.get(k).copied().unwrap_or(false),
                    order: if desc {
                        SortOrder::Desc
                    } else {
                        SortOrder::Asc
                    },
                    nulls: match (desc, nulls_first) {
                        (false, true) => Some(NullsOrder::First),
                        (true, false) => Some(NullsOrder::Last),
                        _ => None,
                    },
                    opclass: opclasses.get(k).cloned().flatten(),
                }
            })
            .collect();
        t.indexes.push(Index {
            name,
            unique: r.get("is_unique"),
            method: r.get("method"),
            columns: key_columns,
            predicate: r.get("predicate"),
            include: columns.get(key_count..).unwrap_or_default().to_vec(),
        });
    }

    let mut roles: Vec<String> = Vec::new();
    for r in &rows.policies {
        let oid: u32 = r.get("table_oid");
        let Some(&ti) = index_of.get(&oid) else {
            continue;
        };
        let policy_roles: Vec<String> = r.get("roles");
        for role in &policy_roles {
            if role != "public" && !roles.contains(role) {
                roles.push(role.clone());
            }
        }
        tables[ti].policies.push(Policy {
            name: r.get("name"),
            permissive: r.get("permissive"),
            command: r.get("command"),
            roles: policy_roles,
            using: r.get("using_sql"),
            with_check: r.get("check_sql"),
        });
    }
    roles.sort();

    let domains: Vec<Domain> = rows
        .domains
        .iter()
        .map(|r| {
            let schema: String = r.get("schema");
            let names: Vec<String> = r.get("check_names");
            let checks: Vec<String> = r.get("check_sql");
            Domain {
                schema: model_schema(&schema),
                name: r.get("name"),
                base_type: r.get("base_type"),
                not_null: r.get("not_null"),
                default: r.get("default_sql"),
                checks: names
                    .into_iter()
                    .zip(checks)
                    .map(|(name, expression)| Check { name, expression })
                    .collect(),
                comment: r.get("comment"),
            }
        })
        .collect();

    let enums: Vec<Enum> = rows
        .enums
        .iter()
        .map(|r| {
            let schema: String = r.get("schema");
            let labels: Vec<String> = r.get("labels");
            Enum {
                schema: model_schema(&schema),
                name: r.get("name"),
                orm_name: None,
                values: labels
                    .into_iter()
                    .map(|label| EnumValue {
                        label,
                        orm_name: None,
                        documentation: None,
                    })
                    .collect(),
                documentation: r.get("comment"),
            }
        })
        .collect();

    let mut standalone = Vec::new();
    for (i, s) in sequences.iter().enumerate() {
        if consumed.contains(&i) {
            continue;
        }
        if let Some((table, column, kind)) = &s.owner {
            if kind == "i" {
                continue;
            }
            if let Some(Kept::Table(t)) = kept.get(table) {
                let t = &tables[*t];
                let column = column_names
                    .get(&(*table, *column))
                    .cloned()
                    .unwrap_or_default();
                notes.push(format!(
                    "sequence {}: OWNED BY {}.{column} not kept (the column is no serial)",
                    qualified(&s.schema, &s.name),
                    qualified(t.schema.as_deref().unwrap_or("public"), &t.name),
                ));
            }
        }
        standalone.push(Sequence {
            schema: model_schema(&s.schema),
            name: s.name.clone(),
            increment: Some(s.increment),
            min_value: Some(s.min_value),
            max_value: Some(s.max_value),
            start: Some(s.start),
            cache: Some(s.cache),
            cycle: s.cycle,
        });
    }

    // Schemas: in the order asked for, then any other one an object lives in.
    let mut used: BTreeSet<String> = BTreeSet::new();
    for s in tables
        .iter()
        .map(|t| &t.schema)
        .chain(views.iter().map(|v| &v.schema))
        .chain(enums.iter().map(|e| &e.schema))
        .chain(standalone.iter().map(|s| &s.schema))
        .chain(domains.iter().map(|d| &d.schema))
        .flatten()
    {
        used.insert(s.clone());
    }
    let mut namespaces: Vec<String> = opts
        .schemas
        .iter()
        .filter(|s| used.contains(*s))
        .cloned()
        .collect();
    let mut seen: HashSet<String> = namespaces.iter().cloned().collect();
    for s in used {
        if seen.insert(s.clone()) {
            namespaces.push(s);
        }
    }
    let rank = |schema: &Option<String>| {
        let s = schema.as_deref().unwrap_or("public");
        opts.schemas
            .iter()
            .position(|x| x == s)
            .unwrap_or(usize::MAX)
    };
    tables.sort_by(|a, b| (rank(&a.schema), &a.name).cmp(&(rank(&b.schema), &b.name)));
    views.sort_by(|a, b| (rank(&a.schema), &a.name).cmp(&(rank(&b.schema), &b.name)));

    for t in &mut tables {
        camel_keys(&mut t.columns);
    }
    for v in &mut views {
        camel_keys(&mut v.columns);
    }
    let mut schema = Schema {
        dialect: Dialect::Postgresql,
        source: None,
        namespaces,
        extensions,
        enums,
        sequences: standalone,
        tables,
        views,
        domains,
        roles,
    };
    relations::infer_relations(&mut schema);
    schema
}

/// TypeScript keys in camelCase (`created_at` → `createdAt`) where that changes the name and
/// collides with no other column; the database name stays the builder's argument.
fn camel_keys(columns: &mut [Column]) {
    let names: HashSet<String> = columns.iter().map(|c| c.name.clone()).collect();
    let mut taken = names.clone();
    for c in columns.iter_mut() {
        let camel = c.name.to_lower_camel_case();
        let valid = camel
            .chars()
            .next()
            .is_some_and(|ch| ch.is_alphabetic() || ch == '_')
            && camel.chars().all(|ch| ch.is_alphanumeric() || ch == '_');
        if camel != c.name && valid && !taken.contains(&camel) {
            taken.insert(camel.clone());
            c.orm_name = Some(camel);
        }
    }
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
        .map_err(|e| query_error(what, &e))?
        .get::<_, bool>(0);
    let rows = if exists {
        Some(
            client
                .query(PRISMA_MIGRATIONS, &[])
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
    Ok(rows.map(|rows| {
        rows.iter()
            .map(|r| AppliedMigration {
                name: r.get(0),
                finished: r.get(1),
                rolled_back: r.get(2),
            })
            .collect()
    }))
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
        let ty: String = row.get(0);
        // format('%s') prints with the type's output function, as a stored default does
        // (a cast to text may differ: `inet` keeps its `/32` there).
        let cast = format!("SELECT format('%s', CAST($1::text AS {ty}))");
        out.push(
            client
                .query_one(cast.as_str(), &[text])
                .await
                .ok()
                .and_then(|r| r.get::<_, Option<String>>(0)),
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
