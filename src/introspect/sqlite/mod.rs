//! Live SQLite / libSQL introspection through the `libsql` crate: a local file (opened read-only,
//! never written) or a remote libSQL server over Hrana-over-HTTP (`libsql://`, `https://`).
//!
//! A local file is read without leaving a file beside it ([`read`]): a rollback-journal database
//! with `mode=ro` (readers create nothing); a WAL database nobody has open (no `-wal`, no `-shm`)
//! with `immutable=1`, so SQLite creates no `-shm`/`-wal` it could not remove again, and read again
//! with locks if the file changed meanwhile; a WAL database in use with `mode=ro` and locks, its
//! `-wal`/`-shm` being there already. Every connection waits up to the busy timeout for a writer's
//! lock instead of failing with "database is locked" at once.
//!
//! A constant number of catalog queries, whatever the number of tables: `sqlite_schema` joined
//! with the `pragma_*` table-valued functions (`objects.sql`, `columns.sql`, `indexes.sql`,
//! `index_columns.sql`, `foreign_keys.sql`); no identifier is ever pasted into SQL. What the
//! pragmas do not say (AUTOINCREMENT, constraint names, CHECKs, generated expressions, index
//! expressions and predicates, view bodies) is read from the stored `CREATE` text with a real
//! tokenizer ([`ddl`]). The model matches what `src/prisma/lower.rs` produces for the sqlite
//! provider: the declared type survives in `raw_type`, `INTEGER PRIMARY KEY AUTOINCREMENT` is
//! [`DefaultValue::Autoincrement`], primary keys have no name.

pub mod ddl;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::model::{
    Check, Column, ColumnType, DefaultValue, Dialect, ForeignKey, Index, IndexColumn, ObjectName,
    PrimaryKey, ReferentialAction, Schema, SortOrder, Table, UniqueConstraint, View,
};

use super::{Error, IntrospectReport};

const OBJECTS_SQL: &str = include_str!("objects.sql");
const COLUMNS_SQL: &str = include_str!("columns.sql");
const INDEXES_SQL: &str = include_str!("indexes.sql");
const INDEX_COLUMNS_SQL: &str = include_str!("index_columns.sql");
const FOREIGN_KEYS_SQL: &str = include_str!("foreign_keys.sql");

/// Tables that belong to tools, not to the application: left out, with a note.
const TOOL_TABLES: &[(&str, &str)] = &[
    ("_prisma_migrations", "Prisma's migration history"),
    ("__drizzle_migrations", "drizzle's migration history"),
    ("_litestream_seq", "Litestream's bookkeeping"),
    ("_litestream_lock", "Litestream's bookkeeping"),
    ("_cf_KV", "Cloudflare's bookkeeping"),
    ("libsql_wasm_func_table", "libSQL's function table"),
];

/// Where a SQLite database lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqliteTarget {
    /// A local database file.
    File(PathBuf),
    /// A remote libSQL server (`libsql://` is spoken as `https://`).
    Remote { url: String },
}

/// How to reach a SQLite / libSQL database.
#[derive(Debug, Clone)]
pub struct SqliteIntrospectOptions {
    /// Token for a remote server (`--auth-token`, `LIBSQL_AUTH_TOKEN`, `TURSO_AUTH_TOKEN`).
    pub auth_token: Option<String>,
    /// Limit for connecting and reading, remote or local.
    pub timeout: Duration,
    /// How long a local file waits for another connection's lock (SQLite's busy timeout).
    pub busy_timeout: Duration,
}

/// The busy timeout when none is given: long enough for a writer's transaction to finish.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

impl Default for SqliteIntrospectOptions {
    fn default() -> Self {
        SqliteIntrospectOptions {
            auth_token: None,
            timeout: Duration::from_secs(30),
            busy_timeout: DEFAULT_BUSY_TIMEOUT,
        }
    }
}

/// Is `source` a SQLite / libSQL source: `file:` URL, `libsql://` / `https://` / `http://` URL,
/// or a path ending in `.db`, `.sqlite`, `.sqlite3`, `.db3`?
pub fn is_sqlite_source(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    if lower.starts_with("file:")
        || lower.starts_with("libsql://")
        || lower.starts_with("https://")
        || lower.starts_with("http://")
    {
        return true;
    }
    Path::new(source).extension().is_some_and(|e| {
        let e = e.to_string_lossy().to_ascii_lowercase();
        matches!(e.as_str(), "db" | "sqlite" | "sqlite3" | "db3")
    })
}

/// The target a source names (see [`is_sqlite_source`]).
pub fn target_of(source: &str) -> SqliteTarget {
    let lower = source.to_ascii_lowercase();
    if lower.starts_with("libsql://")
        || lower.starts_with("https://")
        || lower.starts_with("http://")
    {
        return SqliteTarget::Remote {
            url: source.to_string(),
        };
    }
    if lower.starts_with("file:") {
        let rest = &source[5..];
        let rest = rest.strip_prefix("//").unwrap_or(rest);
        let path = rest.split('?').next().unwrap_or(rest);
        return SqliteTarget::File(PathBuf::from(path));
    }
    SqliteTarget::File(PathBuf::from(source))
}

/// A URL without its query string (which may carry `authToken=`) for messages.
pub fn redact(source: &str) -> String {
    match source.split_once('?') {
        Some((base, _)) => base.to_string(),
        None => source.to_string(),
    }
}

fn fail(message: impl Into<String>) -> Error {
    Error::Sqlite(message.into().replace('\n', " "))
}

/// How a local file is opened for reading (module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReadMode {
    /// `mode=ro` with SQLite's locks.
    Locked,
    /// `immutable=1`: no locks, no `-shm`/`-wal`; only for a WAL file no connection has open.
    Immutable,
}

/// What a file looked like before an unlocked read, to tell whether it changed during it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileStamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl FileStamp {
    fn of(path: &Path) -> Option<FileStamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(FileStamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// `path` with `suffix` appended to its file name (`app.db` → `app.db-wal`).
fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Checks a local file (missing, not a file, not SQLite) and says whether it is in WAL mode.
fn check_file(path: &Path) -> Result<bool, Error> {
    let meta = std::fs::metadata(path).map_err(|e| {
        fail(format!(
            "cannot open SQLite database {}: {}",
            path.display(),
            if e.kind() == std::io::ErrorKind::NotFound {
                "no such file".to_string()
            } else {
                e.to_string()
            }
        ))
    })?;
    if !meta.is_file() {
        return Err(fail(format!(
            "cannot open SQLite database {}: not a file",
            path.display()
        )));
    }
    check_header(path)
}

/// A `file:` URI for `path` (SQLite is built with URI filenames on), percent-encoded so that
/// `?`, `#` and `%` in a file name stay part of the name.
fn file_uri(path: &Path, mode: ReadMode) -> Result<String, Error> {
    // Absolute, so a name starting with `//` is never read as a URI authority.
    let path = std::fs::canonicalize(path).map_err(|e| {
        fail(format!(
            "cannot open SQLite database {}: {e}",
            path.display()
        ))
    })?;
    let mut uri = String::from("file:");
    for &b in path.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str(match mode {
        ReadMode::Locked => "?mode=ro",
        ReadMode::Immutable => "?mode=ro&immutable=1",
    });
    Ok(uri)
}

async fn open_local_read(
    path: &Path,
    mode: ReadMode,
    options: &SqliteIntrospectOptions,
) -> Result<libsql::Connection, Error> {
    let open = |e: libsql::Error| {
        fail(format!(
            "cannot open SQLite database {}: {e}",
            path.display()
        ))
    };
    let db = libsql::Builder::new_local(file_uri(path, mode)?)
        .flags(libsql::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .build()
        .await
        .map_err(open)?;
    let conn = db.connect().map_err(open)?;
    conn.busy_timeout(options.busy_timeout).map_err(open)?;
    Ok(conn)
}

/// Opens the database read-only with locks: a file (missing, non-SQLite and corrupt files are
/// caught here, before anything else happens), a remote server with its token. [`read`] is the
/// way to read a file without leaving `-shm`/`-wal` files behind.
pub async fn connect(
    target: &SqliteTarget,
    options: &SqliteIntrospectOptions,
) -> Result<libsql::Connection, Error> {
    match target {
        SqliteTarget::File(path) => {
            check_file(path)?;
            open_local_read(path, ReadMode::Locked, options).await
        }
        SqliteTarget::Remote { url } => {
            let (base, query_token) = split_token(url);
            let token = options
                .auth_token
                .clone()
                .or(query_token)
                .unwrap_or_default();
            let db = libsql::Builder::new_remote(base.clone(), token)
                .build()
                .await
                .map_err(|e| fail(format!("cannot connect to libSQL at {base}: {e}")))?;
            db.connect()
                .map_err(|e| fail(format!("cannot connect to libSQL at {base}: {e}")))
        }
    }
}

/// Runs `work` on a read-only connection to `target`, leaving no file beside a local database
/// (module doc). An unlocked read of a WAL file is repeated with locks when the file changed
/// while it ran (a writer checkpointed), so what `work` returns is always one consistent state.
pub async fn read<T>(
    target: &SqliteTarget,
    options: &SqliteIntrospectOptions,
    work: impl AsyncFn(&libsql::Connection) -> Result<T, Error>,
) -> Result<T, Error> {
    let SqliteTarget::File(path) = target else {
        let conn = connect(target, options).await?;
        return work(&conn).await;
    };
    let wal = check_file(path)?;
    // No -wal and no -shm: no connection has the database open, and the main file holds every
    // committed transaction. `immutable=1` then reads it without creating either file. With a
    // writer around those files exist already, and a locked read adds nothing.
    let unused = !sidecar(path, "-wal").exists() && !sidecar(path, "-shm").exists();
    if wal && unused {
        let before = FileStamp::of(path);
        let conn = open_local_read(path, ReadMode::Immutable, options).await?;
        let result = work(&conn).await;
        drop(conn);
        if before.is_some() && FileStamp::of(path) == before {
            return result;
        }
    }
    let conn = open_local_read(path, ReadMode::Locked, options).await?;
    work(&conn).await
}

/// Opens the database for writing (`baseline`): a file must exist already and be a SQLite
/// database; a remote server is reached as in [`connect`].
pub async fn connect_writable(
    target: &SqliteTarget,
    options: &SqliteIntrospectOptions,
) -> Result<libsql::Connection, Error> {
    let SqliteTarget::File(path) = target else {
        return connect(target, options).await;
    };
    if !path.is_file() {
        return Err(fail(format!(
            "cannot open SQLite database {}: no such file",
            path.display()
        )));
    }
    check_file(path)?;
    let open = |e: libsql::Error| {
        fail(format!(
            "cannot open SQLite database {}: {e}",
            path.display()
        ))
    };
    let db = libsql::Builder::new_local(path)
        .flags(libsql::OpenFlags::SQLITE_OPEN_READ_WRITE)
        .build()
        .await
        .map_err(open)?;
    let conn = db.connect().map_err(open)?;
    // Concurrent baselines queue on the write lock (BEGIN IMMEDIATE) instead of failing.
    conn.busy_timeout(options.busy_timeout).map_err(open)?;
    Ok(conn)
}

/// The auth token from the environment: `LIBSQL_AUTH_TOKEN`, then `TURSO_AUTH_TOKEN`, each from
/// the process environment or the env-file chain (`.env.local`, `.env`, … in the current
/// directory). Empty values count as unset.
pub fn auth_token_from_env() -> Option<String> {
    let env = crate::config::env::Env::load(&crate::config::env::EnvOptions::default()).ok();
    ["LIBSQL_AUTH_TOKEN", "TURSO_AUTH_TOKEN"]
        .iter()
        .find_map(|key| {
            match &env {
                Some(env) => env.get(key),
                None => std::env::var(key).ok(),
            }
            .filter(|t| !t.trim().is_empty())
        })
}

/// `authToken=` in the query string, as @libsql/client accepts it.
fn split_token(url: &str) -> (String, Option<String>) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_string(), None);
    };
    let token = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("authToken="))
        .map(str::to_string);
    (base.to_string(), token)
}

/// A SQLite file starts with `SQLite format 3\0` (an empty file is an empty database). Returns
/// whether the header says WAL mode (read and write format version 2).
fn check_header(path: &Path) -> Result<bool, Error> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(|e| {
        fail(format!(
            "cannot open SQLite database {}: {e}",
            path.display()
        ))
    })?;
    let mut head = [0u8; 20];
    let mut read = 0;
    while read < head.len() {
        match file.read(&mut head[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) => {
                return Err(fail(format!(
                    "cannot read SQLite database {}: {e}",
                    path.display()
                )))
            }
        }
    }
    if read == 0 {
        return Ok(false);
    }
    if read < 16 || &head[..16] != b"SQLite format 3\0" {
        return Err(fail(format!(
            "{} is not a SQLite database (no SQLite header)",
            path.display()
        )));
    }
    Ok(read == 20 && head[18] == 2 && head[19] == 2)
}

type Row = Vec<libsql::Value>;

async fn query(
    conn: &libsql::Connection,
    what: &'static str,
    sql: &str,
    display: &str,
) -> Result<Vec<Row>, Error> {
    let describe = |e: libsql::Error| fail(describe_error(what, display, &e.to_string()));
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

/// One line for a failed read: a refused token and an unreachable server said plainly.
pub fn describe_error(what: &str, display: &str, raw: &str) -> String {
    let clean = raw.replace('`', "");
    if clean.contains("401") || clean.contains("Unauthorized") || clean.contains("403") {
        return format!(
            "{display} refused the auth token (HTTP 401/403): pass a valid one with --auth-token or LIBSQL_AUTH_TOKEN / TURSO_AUTH_TOKEN"
        );
    }
    if let Some(at) = clean.find("error trying to connect: ") {
        let reason = clean[at + "error trying to connect: ".len()..].trim();
        return format!("cannot reach {display}: {reason}");
    }
    format!("reading the {what} of {display} failed: {clean}")
}

fn text(row: &Row, i: usize) -> Option<String> {
    match row.get(i)? {
        libsql::Value::Text(s) => Some(s.clone()),
        libsql::Value::Integer(n) => Some(n.to_string()),
        libsql::Value::Real(f) => Some(f.to_string()),
        libsql::Value::Blob(b) => Some(String::from_utf8_lossy(b).into_owned()),
        libsql::Value::Null => None,
    }
}

fn int(row: &Row, i: usize) -> i64 {
    match row.get(i) {
        Some(libsql::Value::Integer(n)) => *n,
        Some(libsql::Value::Text(s)) => s.parse().unwrap_or(0),
        _ => 0,
    }
}

/// Everything the catalog queries returned.
struct Catalog {
    objects: Vec<Row>,
    columns: Vec<Row>,
    indexes: Vec<Row>,
    index_columns: Vec<Row>,
    foreign_keys: Vec<Row>,
}

async fn read_catalog(conn: &libsql::Connection, display: &str) -> Result<Catalog, Error> {
    Ok(Catalog {
        objects: query(conn, "schema objects", OBJECTS_SQL, display).await?,
        columns: query(conn, "columns", COLUMNS_SQL, display).await?,
        indexes: query(conn, "indexes", INDEXES_SQL, display).await?,
        index_columns: query(conn, "index columns", INDEX_COLUMNS_SQL, display).await?,
        foreign_keys: query(conn, "foreign keys", FOREIGN_KEYS_SQL, display).await?,
    })
}

/// Introspects a SQLite / libSQL source (see [`is_sqlite_source`]).
pub fn introspect_sqlite_with_report(
    source: &str,
    options: &SqliteIntrospectOptions,
) -> Result<(Schema, IntrospectReport), Error> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Runtime(e.to_string()))?;
    rt.block_on(introspect_sqlite_async(source, options))
}

/// The async form of [`introspect_sqlite_with_report`].
pub async fn introspect_sqlite_async(
    source: &str,
    options: &SqliteIntrospectOptions,
) -> Result<(Schema, IntrospectReport), Error> {
    let target = target_of(source);
    let display = display_of(&target);
    let work = read(&target, options, async |conn: &libsql::Connection| {
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

/// How a target is named in messages and in the schema's `source` (a URL without its query).
pub fn display_of(target: &SqliteTarget) -> String {
    match target {
        SqliteTarget::File(p) => p.display().to_string(),
        SqliteTarget::Remote { url } => redact(url),
    }
}

/// Introspects through a connection opened already (`baseline` reads and then writes on one
/// connection); `display` names the database in messages. No timeout of its own.
pub async fn introspect_sqlite_conn(
    conn: &libsql::Connection,
    display: &str,
) -> Result<(Schema, IntrospectReport), Error> {
    let started = Instant::now();
    let catalog = read_catalog(conn, display).await?;
    let elapsed = started.elapsed();
    let (mut schema, notes) = build(&catalog)?;
    schema.source = Some(display.to_string());
    crate::introspect::relations::infer_relations(&mut schema);
    Ok((
        schema,
        IntrospectReport {
            queries: 5,
            catalog_queries: 5,
            elapsed,
            notes,
            probe: None,
        },
    ))
}

/// Prisma's migration history in a SQLite / libSQL database (`None`: no `_prisma_migrations`).
pub fn prisma_migrations_sqlite(
    source: &str,
    options: &SqliteIntrospectOptions,
) -> Result<Option<Vec<crate::introspect::AppliedMigration>>, Error> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Runtime(e.to_string()))?;
    let target = target_of(source);
    let display = match &target {
        SqliteTarget::File(p) => p.display().to_string(),
        SqliteTarget::Remote { url } => redact(url),
    };
    rt.block_on(read(&target, options, async |conn: &libsql::Connection| {
        let what = "Prisma migration history";
        let found = query(
            conn,
            what,
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'",
            &display,
        )
        .await?;
        if !matches!(found.first().and_then(|r| r.first()), Some(libsql::Value::Integer(n)) if *n > 0)
        {
            return Ok(None);
        }
        let rows = query(
            conn,
            what,
            "SELECT migration_name, finished_at IS NOT NULL, rolled_back_at IS NOT NULL \
             FROM _prisma_migrations ORDER BY started_at, migration_name",
            &display,
        )
        .await?;
        let flag = |v: Option<&libsql::Value>| matches!(v, Some(libsql::Value::Integer(n)) if *n != 0);
        Ok(Some(
            rows.iter()
                .map(|r| crate::introspect::AppliedMigration {
                    name: match r.first() {
                        Some(libsql::Value::Text(t)) => t.clone(),
                        _ => String::new(),
                    },
                    finished: flag(r.get(1)),
                    rolled_back: flag(r.get(2)),
                })
                .collect(),
        ))
    }))
}

fn blank_schema() -> Schema {
    Schema::from_yaml("dialect: sqlite\ntables: []\n").expect("a minimal model")
}

fn blank_table(name: &str) -> Table {
    serde_json::from_value(serde_json::json!({ "name": name, "columns": [] }))
        .expect("a minimal table")
}

fn blank_view(name: &str) -> View {
    serde_json::from_value(serde_json::json!({ "name": name, "columns": [] }))
        .expect("a minimal view")
}

fn blank_column(name: &str, raw_type: &str, column_type: ColumnType, nullable: bool) -> Column {
    Column::new(name, raw_type, column_type, nullable)
}

/// The declared type as Prisma's SQLite lowering classifies it (the declared spelling stays in
/// `raw_type`, which is what the renderer keys on).
pub fn column_type(declared: &str) -> ColumnType {
    let upper = declared
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_uppercase();
    match upper.as_str() {
        "TEXT" => ColumnType::Text,
        "INTEGER" | "INT" => ColumnType::Integer,
        "BIGINT" => ColumnType::BigInt,
        "BOOLEAN" => ColumnType::Boolean,
        "REAL" => ColumnType::Real,
        "DOUBLE" | "DOUBLE PRECISION" | "FLOAT" => ColumnType::DoublePrecision,
        "DECIMAL" | "NUMERIC" => ColumnType::Numeric {
            precision: None,
            scale: None,
        },
        "DATETIME" | "TIMESTAMP" => ColumnType::Timestamp {
            precision: None,
            with_time_zone: false,
        },
        "DATE" => ColumnType::Date,
        "JSONB" => ColumnType::Jsonb,
        "JSON" => ColumnType::Json,
        "BLOB" => ColumnType::Bytes,
        _ => ColumnType::Unsupported {
            sql: declared.to_string(),
        },
    }
}

/// A `dflt_value` as the model's default.
pub fn default_value(text: &str) -> DefaultValue {
    let Some(tokens) = ddl::default_tokens(text) else {
        return DefaultValue::Expression(text.to_string());
    };
    match tokens.as_slice() {
        [t] if t.kind == ddl::Kind::String => DefaultValue::String(t.text.clone()),
        [t] if ddl::is_word(t, "CURRENT_TIMESTAMP") => DefaultValue::Now,
        [t] if ddl::is_word(t, "TRUE") => DefaultValue::Boolean(true),
        [t] if ddl::is_word(t, "FALSE") => DefaultValue::Boolean(false),
        ts if ddl::signed_number(ts) => DefaultValue::Number(text.trim().to_string()),
        // `DEFAULT NULL`, `CURRENT_DATE`, a blob literal: one token, kept as written.
        [_] => DefaultValue::Expression(text.trim().to_string()),
        // SQLite keeps `DEFAULT (expr)` as `expr`: the parentheses are needed to write it back.
        _ => DefaultValue::Expression(format!("({})", text.trim())),
    }
}

fn action(text: Option<String>) -> ReferentialAction {
    match text.unwrap_or_default().to_ascii_uppercase().as_str() {
        "CASCADE" => ReferentialAction::Cascade,
        "RESTRICT" => ReferentialAction::Restrict,
        "SET NULL" => ReferentialAction::SetNull,
        "SET DEFAULT" => ReferentialAction::SetDefault,
        _ => ReferentialAction::NoAction,
    }
}

/// Builds the model from the catalog rows.
fn build(catalog: &Catalog) -> Result<(Schema, Vec<String>), Error> {
    let mut schema = blank_schema();
    schema.dialect = Dialect::Sqlite;
    let mut notes = Vec::new();

    // Objects: tables and views in creation order; index SQL by name.
    let mut table_sql: Vec<(String, String)> = Vec::new();
    let mut view_sql: Vec<(String, String)> = Vec::new();
    let mut index_sql: HashMap<String, String> = HashMap::new();
    // Creation order of the indexes (the order Prisma's migration creates them in).
    let mut index_rank: HashMap<String, usize> = HashMap::new();
    for row in &catalog.objects {
        let kind = text(row, 0).unwrap_or_default();
        let name = text(row, 1).unwrap_or_default();
        let sql = text(row, 3).unwrap_or_default();
        match kind.as_str() {
            "table" => {
                if name.starts_with("sqlite_") {
                    continue;
                }
                if let Some((_, why)) = TOOL_TABLES.iter().find(|(t, _)| *t == name) {
                    notes.push(format!("table {name}: {why}, left out"));
                    continue;
                }
                if sql.to_ascii_uppercase().starts_with("CREATE VIRTUAL TABLE") {
                    notes.push(format!(
                        "table {name}: a virtual table, left out (drizzle cannot declare it)"
                    ));
                    continue;
                }
                table_sql.push((name, sql));
            }
            "view" => view_sql.push((name, sql)),
            "index" if !sql.is_empty() => {
                index_rank.insert(name.clone(), index_rank.len());
                index_sql.insert(name, sql);
            }
            _ => {}
        }
    }

    // Columns by table / view name, in cid order.
    let mut columns: HashMap<String, Vec<&Row>> = HashMap::new();
    for row in &catalog.columns {
        columns
            .entry(text(row, 0).unwrap_or_default())
            .or_default()
            .push(row);
    }
    let mut indexes: HashMap<String, Vec<&Row>> = HashMap::new();
    for row in &catalog.indexes {
        indexes
            .entry(text(row, 0).unwrap_or_default())
            .or_default()
            .push(row);
    }
    let mut index_columns: HashMap<String, Vec<&Row>> = HashMap::new();
    for row in &catalog.index_columns {
        index_columns
            .entry(text(row, 0).unwrap_or_default())
            .or_default()
            .push(row);
    }
    // Foreign keys: table → id → rows in seq order.
    let mut fks: HashMap<String, BTreeMap<i64, Vec<&Row>>> = HashMap::new();
    for row in &catalog.foreign_keys {
        fks.entry(text(row, 0).unwrap_or_default())
            .or_default()
            .entry(int(row, 1))
            .or_default()
            .push(row);
    }

    // Primary keys first (implicit FK targets need them).
    let mut pks: HashMap<String, Vec<String>> = HashMap::new();
    for (name, _) in &table_sql {
        let mut pk: Vec<(i64, String)> = columns
            .get(name)
            .into_iter()
            .flatten()
            .filter(|r| int(r, 6) > 0)
            .map(|r| (int(r, 6), text(r, 2).unwrap_or_default()))
            .collect();
        pk.sort();
        pks.insert(name.clone(), pk.into_iter().map(|(_, c)| c).collect());
    }

    for (name, sql) in &table_sql {
        let parsed = ddl::parse_create_table(sql).unwrap_or_else(|e| {
            notes.push(format!(
                "table {name}: its CREATE TABLE text could not be read ({e}); AUTOINCREMENT, checks and constraint names may be missing"
            ));
            ddl::TableDdl::default()
        });
        if parsed.without_rowid {
            notes.push(format!(
                "table {name}: WITHOUT ROWID is not kept (drizzle's sqliteTable cannot declare it)"
            ));
        }
        if parsed.strict {
            notes.push(format!(
                "table {name}: STRICT is not kept (drizzle's sqliteTable cannot declare it)"
            ));
        }
        let ddl_col = |col: &str| {
            parsed
                .columns
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(col))
        };
        let mut table = blank_table(name);
        let pk = pks.get(name).cloned().unwrap_or_default();
        for r in columns.get(name).into_iter().flatten() {
            let col_name = text(r, 2).unwrap_or_default();
            let declared = text(r, 3).unwrap_or_default();
            let hidden = int(r, 7);
            if hidden == 1 {
                // A hidden column of a virtual table; virtual tables are left out already.
                continue;
            }
            let mut column =
                blank_column(&col_name, &declared, column_type(&declared), int(r, 4) == 0);
            if let Some(d) = text(r, 5) {
                column.default = Some(match default_value(&d) {
                    // As Prisma's lowering keeps them: a string literal is a string only for a
                    // text column; for DATETIME, JSONB, BLOB … it is the literal as written.
                    DefaultValue::String(_)
                        if !matches!(
                            column.column_type,
                            ColumnType::Text | ColumnType::Unsupported { .. }
                        ) =>
                    {
                        DefaultValue::Expression(d.trim().to_string())
                    }
                    other => other,
                });
            }
            let d = ddl_col(&col_name);
            if pk.len() == 1 && pk[0] == col_name && d.is_some_and(|d| d.autoincrement) {
                column.default = Some(DefaultValue::Autoincrement);
                // `INTEGER PRIMARY KEY` never holds NULL; Prisma writes NOT NULL.
                column.nullable = false;
            }
            if let Some((expr, stored)) = d.and_then(|d| d.generated.clone()) {
                if !stored {
                    notes.push(format!(
                        "column {name}.{col_name}: a VIRTUAL generated column, read as STORED (drizzle-kit's SQLite flavour writes STORED only here)"
                    ));
                }
                column.generated = Some(expr);
            }
            if let Some(d) = d {
                for (i, (cname, expr)) in d.checks.iter().enumerate() {
                    table.checks.push(Check {
                        name: cname.clone().unwrap_or_else(|| {
                            format!(
                                "{name}_{col_name}_check{}",
                                if i == 0 { String::new() } else { i.to_string() }
                            )
                        }),
                        expression: expr.clone(),
                    });
                }
            }
            table.columns.push(column);
        }
        if !pk.is_empty() {
            table.primary_key = Some(PrimaryKey {
                name: None,
                columns: pk.clone(),
            });
        }
        let mut n_checks = 0;
        for c in &parsed.constraints {
            if let ddl::ConstraintDdl::Check {
                name: cname,
                expression,
            } = c
            {
                n_checks += 1;
                table.checks.push(Check {
                    name: cname
                        .clone()
                        .unwrap_or_else(|| format!("{name}_check_{n_checks}")),
                    expression: expression.clone(),
                });
            }
        }

        // Indexes: `c` ones from CREATE INDEX, `u` ones are UNIQUE constraints, `pk` is the key.
        let mut list: Vec<&Row> = indexes.get(name).cloned().unwrap_or_default();
        list.sort_by_key(|r| {
            let name = text(r, 2).unwrap_or_default();
            (index_rank.get(&name).copied().unwrap_or(usize::MAX), name)
        });
        let mut unique_n = 0;
        for r in list {
            let iname = text(r, 2).unwrap_or_default();
            let unique = int(r, 3) == 1;
            let origin = text(r, 4).unwrap_or_default();
            let cols: Vec<&Row> = index_columns.get(&iname).cloned().unwrap_or_default();
            match origin.as_str() {
                "pk" => continue,
                "u" => {
                    let columns: Vec<String> = cols.iter().filter_map(|c| text(c, 3)).collect();
                    unique_n += 1;
                    let cname = parsed.constraints.iter().find_map(|c| match c {
                        ddl::ConstraintDdl::Unique {
                            name: Some(n),
                            columns: cc,
                        } if cc.len() == columns.len()
                            && cc
                                .iter()
                                .zip(&columns)
                                .all(|(a, b)| a.eq_ignore_ascii_case(b)) =>
                        {
                            Some(n.clone())
                        }
                        _ => None,
                    });
                    table.unique_constraints.push(UniqueConstraint {
                        name: cname
                            .unwrap_or_else(|| format!("{name}_{}_unique", columns.join("_"))),
                        columns,
                        nulls_not_distinct: false,
                        deferrable: None,
                    });
                    let _ = unique_n;
                    notes.push(format!(
                        "table {name}: UNIQUE ({}) is a table constraint here; drizzle-kit's SQLite flavour creates it as a unique index",
                        table.unique_constraints.last().map(|u| u.columns.join(", ")).unwrap_or_default()
                    ));
                    continue;
                }
                _ => {}
            }
            let parsed_index = index_sql
                .get(&iname)
                .and_then(|s| ddl::parse_create_index(s).ok())
                .unwrap_or_default();
            let mut icols = Vec::new();
            for (k, c) in cols.iter().enumerate() {
                let cid = int(c, 2);
                let order = if int(c, 4) == 1 {
                    SortOrder::Desc
                } else {
                    SortOrder::Asc
                };
                let coll = text(c, 5).unwrap_or_default();
                if !coll.eq_ignore_ascii_case("BINARY") && !coll.is_empty() {
                    notes.push(format!(
                        "index {iname}: COLLATE {coll} is not kept (drizzle's sqlite index builder cannot say it)"
                    ));
                }
                let (expression, is_expression) = if cid == -2 {
                    (parsed_index.terms.get(k).cloned().unwrap_or_default(), true)
                } else {
                    (text(c, 3).unwrap_or_default(), false)
                };
                let mut ic: IndexColumn = serde_json::from_value(serde_json::json!({
                    "expression": expression,
                }))
                .expect("a minimal index column");
                ic.is_expression = is_expression;
                ic.order = order;
                icols.push(ic);
            }
            let partial = int(r, 5) == 1;
            let mut index: Index = serde_json::from_value(serde_json::json!({
                "name": iname,
                "unique": unique,
                "columns": [],
            }))
            .expect("a minimal index");
            index.columns = icols;
            index.predicate = if partial {
                parsed_index.predicate.clone()
            } else {
                None
            };
            table.indexes.push(index);
        }

        // Foreign keys, in declaration order (SQLite numbers them last to first).
        let fk_groups: Vec<Vec<&Row>> = fks
            .get(name)
            .map(|m| m.values().rev().cloned().collect())
            .unwrap_or_default();
        for group in fk_groups {
            let first = group[0];
            let target = text(first, 3).unwrap_or_default();
            let from: Vec<String> = group.iter().filter_map(|r| text(r, 4)).collect();
            let mut to: Vec<String> = group.iter().filter_map(|r| text(r, 5)).collect();
            if to.len() != from.len() {
                to = pks
                    .iter()
                    .find(|(t, _)| t.eq_ignore_ascii_case(&target))
                    .map(|(_, c)| c.clone())
                    .unwrap_or_default();
            }
            let same = |a: &[String], b: &[String]| {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.eq_ignore_ascii_case(y))
            };
            let fname = parsed
                .constraints
                .iter()
                .find_map(|c| match c {
                    ddl::ConstraintDdl::ForeignKey {
                        name: Some(n),
                        columns,
                        table: t,
                    } if same(columns, &from) && t.eq_ignore_ascii_case(&target) => Some(n.clone()),
                    _ => None,
                })
                .or_else(|| {
                    (from.len() == 1)
                        .then(|| ddl_col(&from[0]))
                        .flatten()
                        .and_then(|d| d.references.clone())
                        .filter(|(_, t)| t.eq_ignore_ascii_case(&target))
                        .and_then(|(n, _)| n)
                })
                .unwrap_or_else(|| {
                    format!("{name}_{}_{target}_{}_fk", from.join("_"), to.join("_"))
                });
            // The referenced table as SQLite resolves it (names are case-insensitive).
            let target_name = table_sql
                .iter()
                .find(|(t, _)| t.eq_ignore_ascii_case(&target))
                .map(|(t, _)| t.clone())
                .unwrap_or(target);
            table.foreign_keys.push(ForeignKey {
                name: fname,
                columns: from,
                referenced_table: ObjectName::new(None, target_name),
                referenced_columns: to,
                on_delete: action(text(first, 7)),
                on_update: action(text(first, 6)),
                deferrable: None,
            });
        }
        schema.tables.push(table);
    }

    for (name, sql) in &view_sql {
        let mut view = blank_view(name);
        view.definition = ddl::view_body(sql);
        if view.definition.is_none() {
            notes.push(format!("view {name}: its definition could not be read"));
        }
        for r in columns.get(name).into_iter().flatten() {
            let declared = text(r, 3).unwrap_or_default();
            view.columns.push(blank_column(
                &text(r, 2).unwrap_or_default(),
                &declared,
                column_type(&declared),
                int(r, 4) == 0,
            ));
        }
        schema.views.push(view);
    }
    Ok((schema, notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_keep_odd_names_as_names() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a b?c#d%e.db");
        std::fs::write(&path, b"").unwrap();
        let uri = file_uri(&path, ReadMode::Immutable).unwrap();
        assert!(
            uri.ends_with("/a%20b%3Fc%23d%25e.db?mode=ro&immutable=1"),
            "{uri}"
        );
        assert!(uri.starts_with("file:/"), "{uri}");
        assert!(file_uri(&path, ReadMode::Locked)
            .unwrap()
            .ends_with(".db?mode=ro"));
    }

    #[test]
    fn sources() {
        assert!(is_sqlite_source("dev.db"));
        assert!(is_sqlite_source("file:./dev.db"));
        assert!(is_sqlite_source("libsql://x.turso.io"));
        assert!(!is_sqlite_source("schema.prisma"));
        assert_eq!(
            target_of("file:./a.db"),
            SqliteTarget::File("./a.db".into())
        );
        assert_eq!(
            target_of("file:///tmp/a.db?mode=ro"),
            SqliteTarget::File("/tmp/a.db".into())
        );
    }

    #[test]
    fn defaults() {
        assert_eq!(
            default_value("'it''s'"),
            DefaultValue::String("it's".into())
        );
        assert_eq!(default_value("-1.5"), DefaultValue::Number("-1.5".into()));
        assert_eq!(default_value("CURRENT_TIMESTAMP"), DefaultValue::Now);
        assert_eq!(default_value("true"), DefaultValue::Boolean(true));
        assert_eq!(
            default_value("datetime('now')"),
            DefaultValue::Expression("(datetime('now'))".into())
        );
    }
}
