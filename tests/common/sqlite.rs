//! SQLite helpers for integration tests, through python3's `sqlite3` module (on every machine that
//! runs the suite; no SQLite crate or CLI needed): apply SQL to a fresh database file, read its
//! normalized catalog, and run drizzle queries with `tests/conformance/query.mjs`.
//!
//! The catalog is `shared/tools/sqlite-catalog.py`'s normalization, made stricter: columns come from
//! `pragma table_xinfo` (with `hidden`, which tells generated columns apart), and index columns
//! from `pragma index_xinfo` with their sort order and collation (so `DESC` counts), plus views.
//!
//! Skipping: without python3 the helpers return `Err`; [`require_python`] prints a notice and
//! returns false locally but panics when `CI` is set.

#![allow(dead_code)]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use super::node::{self, node_required};

/// argv[1] is the database file (`-`: a fresh in-memory one), argv[2] the mode: `apply` (the SQL
/// on stdin, breakpoint markers stripped, then print the catalog), `apply-only`, `catalog-only`,
/// or `select` (run the query on stdin, print its rows as JSON).
const CATALOG_PY: &str = r#"
import sqlite3, sys
db, mode = sys.argv[1], sys.argv[2]
con = sqlite3.connect(':memory:' if db == '-' else db)
if mode not in ('catalog-only', 'select'):
    sql = sys.stdin.read().replace('--> statement-breakpoint', '')
    try:
        con.executescript(sql)
        con.commit()
    except Exception as e:
        print(f'apply failed: {e}', file=sys.stderr)
        sys.exit(3)
if mode == 'apply-only':
    sys.exit(0)
if mode == 'select':
    import json
    rows = con.execute(sys.stdin.read()).fetchall()
    print(json.dumps([[v.hex() if isinstance(v, bytes) else v for v in r] for r in rows]))
    sys.exit(0)
out = []
tables = con.execute("select name, sql from sqlite_schema where type = 'table' and name not like 'sqlite_%' and name not in ('__drizzle_migrations', '_prisma_migrations') order by name").fetchall()
for t, sql in tables:
    out.append(f'table {t} autoincrement={"AUTOINCREMENT" in (sql or "").upper()}')
    for cid, name, typ, notnull, dflt, pk, hidden in con.execute('select * from pragma_table_xinfo(?)', (t,)):
        out.append(f'col {t}.{name} {typ.upper()} notnull={notnull} default={dflt} pk={pk} hidden={hidden}')
    for seq, iname, uniq, origin, partial in con.execute('select * from pragma_index_list(?)', (t,)):
        cols = [(r[2], 'desc' if r[3] else 'asc', r[4]) for r in con.execute('select * from pragma_index_xinfo(?)', (iname,)) if r[5]]
        label = iname if origin == 'c' else f'<{origin}>'
        out.append(f'idx {t} {label} unique={uniq} origin={origin} partial={partial} cols={cols}')
    fks = {}
    for r in con.execute('select * from pragma_foreign_key_list(?)', (t,)):
        fks.setdefault(r[0], []).append(r)
    for rows in fks.values():
        rows.sort(key=lambda r: r[1])
        out.append(f'fk {t} ({",".join(r[3] for r in rows)}) -> {rows[0][2]}({",".join(str(r[4]) for r in rows)}) upd={rows[0][5]} del={rows[0][6]}')
for (v,) in con.execute("select name from sqlite_schema where type = 'view' order by name"):
    out.append(f'view {v}')
print('\n'.join(sorted(out)))
"#;

static PYTHON: OnceLock<Result<(), String>> = OnceLock::new();

/// Ok when `python3` with its `sqlite3` module runs.
pub fn python_available() -> Result<(), String> {
    PYTHON
        .get_or_init(|| {
            match Command::new("python3")
                .args(["-c", "import sqlite3; print(sqlite3.sqlite_version)"])
                .output()
            {
                Ok(o) if o.status.success() => Ok(()),
                Ok(o) => Err(format!(
                    "python3 cannot import sqlite3: {}",
                    String::from_utf8_lossy(&o.stderr)
                )),
                Err(e) => Err(format!("python3 is not usable: {e}")),
            }
        })
        .clone()
}

/// [`python_available`] with the skip policy: panics when `CI` is set, else prints a notice.
pub fn require_python() -> bool {
    match python_available() {
        Ok(()) => true,
        Err(e) if node_required() => panic!("python3 required (CI is set): {e}"),
        Err(e) => {
            eprintln!(
                "SKIPPED: python3 with sqlite3 unavailable (set CI=1 to make this fatal): {e}"
            );
            false
        }
    }
}

fn python(db: &str, mode: &str, stdin: &str) -> Result<String, String> {
    python_available()?;
    let mut child = Command::new("python3")
        .args(["-c", CATALOG_PY, db, mode])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start python3: {e}"))?;
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(stdin.as_bytes())
        .map_err(|e| format!("cannot feed python3: {e}"))?;
    let out = child
        .wait_with_output()
        .map_err(|e| format!("python3 failed: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&out.stderr).trim_end(),
            if out.stdout.is_empty() {
                String::new()
            } else {
                format!("\n{}", String::from_utf8_lossy(&out.stdout))
            }
        ))
    }
}

/// The normalized catalog of a fresh database after `sql` (breakpoints allowed).
pub fn catalog_of_sql(sql: &str) -> Result<String, String> {
    python("-", "apply", sql)
}

/// Applies `sql` to the database file `db` (created if missing).
pub fn exec(db: &Path, sql: &str) -> Result<(), String> {
    python(&db.to_string_lossy(), "apply-only", sql).map(|_| ())
}

/// The normalized catalog of the database file `db` (without drizzle's history table).
pub fn catalog_of_db(db: &Path) -> Result<String, String> {
    python(&db.to_string_lossy(), "catalog-only", "")
}

/// Rows of one query on the database file `db`, as JSON (blobs as hex strings).
pub fn select(db: &Path, query: &str) -> Result<serde_json::Value, String> {
    let text = python(&db.to_string_lossy(), "select", query)?;
    serde_json::from_str(text.trim()).map_err(|e| format!("unparsable rows ({e}): {text}"))
}

/// Ok when `shared/tools/sqlite-catalog.py` (the reference normalization, a second opinion beside
/// our own) finds the catalogs of the two scripts equal, or when the shared folder is not there.
pub fn shared_catalog_tool_agrees(a_sql: &str, b_sql: &str) -> Result<(), String> {
    let Some(shared) = super::shared::shared_dir() else {
        return Ok(());
    };
    let tool = shared.join("tools").join("sqlite-catalog.py");
    if !tool.exists() {
        return Ok(());
    }
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let (a, b) = (dir.path().join("a.sql"), dir.path().join("b.sql"));
    fs::write(&a, a_sql).map_err(|e| e.to_string())?;
    fs::write(&b, b_sql).map_err(|e| e.to_string())?;
    let out = Command::new("python3")
        .arg(&tool)
        .arg(&a)
        .arg(&b)
        .env("SHOW", "1")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", tool.display()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

/// A fresh, empty database file in a temporary directory (removed on drop).
pub struct TempSqlite {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl TempSqlite {
    pub fn new() -> Result<TempSqlite, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let path = dir.path().join("test.db");
        Ok(TempSqlite { _dir: dir, path })
    }

    /// `file:<absolute path>` for @libsql/client.
    pub fn url(&self) -> String {
        node::sqlite_url_for(&self.path)
    }
}

/// Runs `tests/conformance/query.mjs` for SQLite (drizzle-orm's libsql driver) with OUT's schema.ts
/// and relations.ts against `url`: optional inserts through drizzle, then
/// `db.query[plan.table].findMany({ with, orderBy, limit })`; returns the rows.
pub fn query(out: &Path, url: &str, plan: &serde_json::Value) -> Result<serde_json::Value, String> {
    node::relational_query("sqlite", out, url, plan)
}

/// Rows for `samples/sqlite_relations`: Ada mentors Brian (a self relation), Ada plays cello and oboe,
/// Brian the harp (the implicit many-to-many `_InstrumentToTeacher`).
pub const TEACHER_ROWS_SQL: &str = r#"
        INSERT INTO "Teacher" ("id", "name", "mentorId") VALUES (1, 'Ada', NULL), (2, 'Brian', 1);
        INSERT INTO "Instrument" ("id", "name") VALUES (1, 'cello'), (2, 'oboe'), (3, 'harp');
        INSERT INTO "_InstrumentToTeacher" ("A", "B") VALUES (1, 1), (2, 1), (3, 2);
        "#;

/// The relational query over [`TEACHER_ROWS_SQL`] that the converted and the introspected output
/// must both answer (shared so the two paths are held to the same assertions): each teacher's
/// instruments through the join table (whose rows `join_rows` returns: Prisma's `instruments`, or
/// `instrumentToTeachers` read from a database, named after the join table), and the `mentor`
/// self relation. Returns the rows; a wrong answer panics with them (assertions at the caller's
/// line).
#[track_caller]
pub fn assert_teacher_query(out: &Path, url: &str, join_rows: &str) -> serde_json::Value {
    let rows = query(
        out,
        url,
        &serde_json::json!({
            "table": "teacher",
            "orderBy": ["id"],
            "with": {
                join_rows: { "with": { "instrument": { "columns": { "name": true } } } },
                "mentor": { "columns": { "name": true } },
            },
        }),
    )
    .unwrap_or_else(|e| panic!("teacher query failed: {e}"));
    let mut names: Vec<Vec<String>> = Vec::new();
    for teacher in rows
        .as_array()
        .unwrap_or_else(|| panic!("not rows: {rows}"))
    {
        let mut n: Vec<String> = teacher[join_rows]
            .as_array()
            .unwrap_or_else(|| panic!("no {join_rows} in {rows}"))
            .iter()
            .map(|j| {
                j["instrument"]["name"]
                    .as_str()
                    .unwrap_or_else(|| panic!("no instrument name in {rows}"))
                    .to_string()
            })
            .collect();
        n.sort();
        names.push(n);
    }
    assert_eq!(names, vec![vec!["cello", "oboe"], vec!["harp"]], "{rows}");
    assert_eq!(rows[1]["mentor"]["name"], "Ada", "{rows}");
    assert!(rows[0]["mentor"].is_null(), "{rows}");
    rows
}

/// Prisma's expected DDL for a SQLite case, corrected where Prisma's own output is invalid SQL
/// (the same correction as tests/convert_sqlite.rs): Prisma 7.10.1 writes a `Json` default
/// unquoted (`"js" JSONB NOT NULL DEFAULT {}`), which SQLite rejects; the correct form is the
/// quoted JSON text (`DEFAULT '{}'`). Returns the SQL and whether it was corrected.
pub fn corrected_prisma_sql(expected_sql: &Path) -> Result<(String, bool), String> {
    let text = fs::read_to_string(expected_sql).map_err(|e| e.to_string())?;
    let mut corrected = false;
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let Some(at) = line.find(" JSONB ").and_then(|j| {
                line[j..]
                    .find(" DEFAULT ")
                    .map(|d| j + d + " DEFAULT ".len())
            }) else {
                return line.to_string();
            };
            let rest = line[at..].trim_end_matches(',');
            if rest.starts_with('\'') {
                return line.to_string();
            }
            corrected = true;
            let comma = if line.ends_with(',') { "," } else { "" };
            format!("{}'{}'{comma}", &line[..at], rest.replace('\'', "''"))
        })
        .collect();
    Ok((lines.join("\n"), corrected))
}

/// SQLite rules no sample or probe covers (`tests/fixtures/sqlite_edge/`): a one-field `@@id`, a
/// mapped `Int @id` without `autoincrement()`, `@unique(sort: Desc)`, partial indexes (raw and
/// object form), a Json array default, a `1.0` float default, an implicit m-n between an Int and a
/// String id, a view. Its `expected.sql` is `shared/oracle/prisma-ddl`'s (Prisma 7.10.1) verbatim,
/// with the Json default in Prisma's invalid unquoted form (see [`corrected_prisma_sql`]).
pub fn edge_case() -> super::cases::Case {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sqlite_edge");
    super::cases::Case {
        name: "inline/sqlite_edge".into(),
        schema: dir.join("schema.prisma"),
        expected_sql: dir.join("expected.sql"),
        provider: "sqlite".into(),
    }
}
