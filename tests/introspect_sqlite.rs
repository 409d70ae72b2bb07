//! Live SQLite introspection (issue 4, acceptance 3–5): a SQLite file built from each SQLite
//! case's expected.sql (Prisma's invalid `DEFAULT {}` corrected, as in tests/convert_sqlite.rs) is
//! introspected through the `libsql` crate and rendered; our baseline rebuilds the identical
//! catalog, drizzle-kit reports no changes and rebuilds it from schema.ts alone, tsc compiles;
//! `baseline` on the file makes drizzle's migrator apply nothing and is idempotent; broken
//! sources fail with one clear line, exit 1, write nothing and leave the file untouched.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::cases::{cases, for_every_case, line_diff, shortened as short, Case};
use common::node;
use common::sqlite::{self, TempSqlite};
use drizzle_port::compare::{diff, DiffOptions};
use drizzle_port::introspect::migrations::read_migrations_folder;
use drizzle_port::migrate::render_project;
use drizzle_port::render::RenderOptions;
use drizzle_port::source::SourceKind;
use sha2::{Digest, Sha256};

fn options() -> RenderOptions {
    RenderOptions {
        name: "baseline".into(),
        when_ms: 1_700_000_000_000,
        snapshot_id: "5d7b1c1e-0000-4000-8000-000000000003".into(),
        flavour: drizzle_port::render::Flavour::default(),
    }
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_drizzle-port"))
}

fn sha(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("readable file");
    format!("{:x}", Sha256::digest(bytes))
}

/// A SQLite file built from the case's (corrected) expected.sql.
fn database_of(case: &Case) -> Result<(TempSqlite, String), String> {
    let (sql, _) = sqlite::corrected_prisma_sql(&case.expected_sql)?;
    let db = TempSqlite::new()?;
    sqlite::exec(&db.path, &sql).map_err(|e| format!("building the database: {e}"))?;
    Ok((db, sql))
}

/// Introspects the file (as `drizzle-port convert FILE` does) and writes the project.
fn introspect_and_render(db: &Path) -> Result<(tempfile::TempDir, PathBuf), String> {
    let before = sha(db);
    let loaded = drizzle_port::source::load_with(
        &db.to_string_lossy(),
        &drizzle_port::source::LoadOptions::default(),
    )
    .map_err(|e| format!("introspection failed: {e}"))?;
    if sha(db) != before {
        return Err("introspection modified the database file".into());
    }
    let project = render_project(&loaded.schema, &options()).map_err(|e| e.to_string())?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let out = dir.path().join("drizzle");
    drizzle_port::migrate::output::write_project(&out, &project, false)
        .map_err(|e| e.to_string())?;
    Ok((dir, out))
}

fn migration_sql(out: &Path) -> Result<String, String> {
    std::fs::read_to_string(out.join("0000_baseline.sql")).map_err(|e| e.to_string())
}

fn all_cases() -> Vec<Case> {
    let all = cases("sqlite");
    assert!(
        all.len() >= 3,
        "expected the SQLite samples at least, found {}",
        all.len()
    );
    all
}

/// Acceptance 3 (with 1): the live round trip rebuilds the identical catalog. On the way, the
/// drift check finds nothing between the Prisma schema and the database it built, nor between
/// our written migrations folder and that database; and the hybrid model (Prisma merged into
/// the database) renders a baseline that rebuilds the same catalog.
#[test]
fn live_round_trip_rebuilds_the_catalog() {
    if !sqlite::require_python() {
        return;
    }
    let all = all_cases();
    for_every_case(&all, short, |case| -> Result<(), String> {
        let (db, _) = database_of(case)?;
        let expected = sqlite::catalog_of_db(&db.path)?;
        let (_dir, out) = introspect_and_render(&db.path)?;
        let ours = sqlite::catalog_of_sql(&migration_sql(&out)?)
            .map_err(|e| format!("our baseline: {e}"))?;
        if expected != ours {
            return Err(format!(
                "catalogs differ (- database, + our baseline):\n{}",
                line_diff(&expected, &ours).join("\n")
            ));
        }

        let live =
            drizzle_port::source::load(&db.path.to_string_lossy()).map_err(|e| e.to_string())?;
        let prisma = drizzle_port::prisma::load(&case.schema).map_err(|e| e.to_string())?;

        // (a) `check schema.prisma db`: no drift.
        let drift = diff(
            &prisma,
            &live,
            &DiffOptions::for_sides(SourceKind::Prisma, SourceKind::Database),
        );
        if !drift.is_empty() {
            return Err(format!(
                "the Prisma schema and its database differ:\n{}",
                drift.render("the schema", "the database")
            ));
        }

        // (b) `check OUT db`: our migrations folder says what the database is.
        let migrations = read_migrations_folder(&out)
            .map_err(|e| format!("reading our migrations folder: {e}"))?;
        let drift = diff(
            &migrations,
            &live,
            &DiffOptions::for_sides(SourceKind::Migrations, SourceKind::Database),
        );
        if !drift.is_empty() {
            return Err(format!(
                "our migrations folder and the database differ:\n{}",
                drift.render("the migrations", "the database")
            ));
        }

        // (c) Hybrid: the merged model's baseline builds the database's catalog.
        let merged =
            drizzle_port::compare::hybrid::merge(&prisma, &live).map_err(|e| e.to_string())?;
        if !merged.disagreements.is_empty() {
            return Err(format!(
                "hybrid disagreements on an unaltered database:\n{}",
                merged.disagreements.render("the schema", "the database")
            ));
        }
        let project = render_project(&merged.schema, &options()).map_err(|e| e.to_string())?;
        let hybrid_sql = project
            .files
            .iter()
            .find(|(path, _)| path.ends_with("0000_baseline.sql"))
            .map(|(_, sql)| sql.clone())
            .ok_or("the hybrid project has no 0000_baseline.sql")?;
        let hybrid =
            sqlite::catalog_of_sql(&hybrid_sql).map_err(|e| format!("the hybrid baseline: {e}"))?;
        if expected != hybrid {
            return Err(format!(
                "catalogs differ (- database, + hybrid baseline):\n{}",
                line_diff(&expected, &hybrid).join("\n")
            ));
        }
        Ok(())
    });
}

/// The physical facts of a model (what a database can hold): ORM-only facts dropped, enum
/// columns as the TEXT they are stored as.
fn physical(mut schema: drizzle_port::model::Schema) -> String {
    use drizzle_port::model::{ColumnType, DefaultValue};
    schema.source = None;
    schema.enums.clear();
    schema.views.clear();
    // Prisma's migration may create tables in another order than its model lists them.
    schema.tables.sort_by(|a, b| a.name.cmp(&b.name));
    for t in &mut schema.tables {
        t.orm_name = None;
        t.documentation = None;
        t.origin = Default::default();
        t.relations.clear();
        for c in &mut t.columns {
            c.orm_name = None;
            c.documentation = None;
            c.client_default = None;
            c.updated_at = false;
            if matches!(c.column_type, ColumnType::Enum { .. }) {
                c.column_type = ColumnType::Text;
            }
            if let Some(DefaultValue::EnumValue(v)) = &c.default {
                c.default = Some(DefaultValue::String(v.clone()));
            }
        }
    }
    schema.to_yaml().expect("yaml")
}

/// The live model holds the same physical facts as Prisma's sqlite lowering of the schema that
/// built the database (declared types in `raw_type`, AUTOINCREMENT, index, FK and PK details).
#[test]
fn live_model_matches_prismas_lowering() {
    if !sqlite::require_python() {
        return;
    }
    let all = all_cases();
    for_every_case(&all, short, |case| -> Result<(), String> {
        let (db, _) = database_of(case)?;
        let live =
            drizzle_port::source::load(&db.path.to_string_lossy()).map_err(|e| e.to_string())?;
        let prisma = drizzle_port::prisma::load(&case.schema).map_err(|e| e.to_string())?;
        let (a, b) = (physical(prisma), physical(live));
        if a != b {
            let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
                .join("introspect-sqlite")
                .join(case.name.replace('/', "_"));
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(dir.join("prisma.yaml"), &a);
            let _ = std::fs::write(dir.join("live.yaml"), &b);
            return Err(format!(
                "models differ (- Prisma, + live; both in {}):\n{}",
                dir.display(),
                line_diff(&a, &b).join("\n")
            ));
        }
        Ok(())
    });
}

/// Acceptance 3 (with 2): drizzle-kit agrees with our snapshot and rebuilds the catalog from
/// schema.ts alone; tsc compiles the output.
#[test]
fn live_round_trip_drizzle_kit_and_tsc() {
    if !node::require_node() || !sqlite::require_python() {
        return;
    }
    let all = all_cases();
    for_every_case(&all, short, |case| -> Result<(), String> {
        let (db, _) = database_of(case)?;
        let expected = sqlite::catalog_of_db(&db.path)?;
        let (_dir, out) = introspect_and_render(&db.path)?;
        node::generate_reports_no_changes(&out, "sqlite")
            .map_err(|e| format!("generate found changes: {e}"))?;
        let fresh = node::generate_fresh(
            &out.join("schema.ts"),
            Some(&out.join("relations.ts")),
            "sqlite",
        )?;
        let kit_sql = std::fs::read_to_string(&fresh).map_err(|e| e.to_string())?;
        let rebuilt =
            sqlite::catalog_of_sql(&kit_sql).map_err(|e| format!("drizzle-kit's SQL: {e}"))?;
        if expected != rebuilt {
            return Err(format!(
                "drizzle-kit's own SQL builds another catalog (- database, + drizzle-kit):\n{}",
                line_diff(&expected, &rebuilt).join("\n")
            ));
        }
        node::tsc_check(&[&out.join("schema.ts"), &out.join("relations.ts")])
    });
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run drizzle-port")
}

fn describe(o: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn history_rows(db: &Path) -> Result<serde_json::Value, String> {
    sqlite::select(
        db,
        "SELECT \"hash\", \"created_at\" FROM \"__drizzle_migrations\" ORDER BY \"created_at\"",
    )
}

/// Acceptance 4: `baseline` on the file, then drizzle's migrator applies nothing; a second
/// baseline changes nothing; the catalog is untouched.
#[test]
fn baseline_then_migrate_applies_nothing() {
    if !node::require_node() || !sqlite::require_python() {
        return;
    }
    let all = all_cases();
    for_every_case(&all, short, |case| -> Result<(), String> {
        let (db, _) = database_of(case)?;
        let catalog = sqlite::catalog_of_db(&db.path)?;
        let (_dir, out) = introspect_and_render(&db.path)?;
        let migrations = out.to_string_lossy().into_owned();
        let path = db.path.to_string_lossy().into_owned();
        let first = run(&["baseline", "--migrations", &migrations, "--url", &path]);
        if !first.status.success() {
            return Err(format!("first baseline failed: {}", describe(&first)));
        }
        let rows = history_rows(&db.path)?;
        if rows.as_array().map(Vec::len) != Some(1) {
            return Err(format!("expected one history row, got {rows}"));
        }
        if rows[0][1] != 1_700_000_000_000i64 {
            return Err(format!("created_at is not the journal's when: {rows}"));
        }
        let migrate = node::migrate_sqlite(&out, &db.url())?;
        if migrate.applied_count() != 0 {
            return Err(format!("drizzle's migrator applied {migrate:?}"));
        }
        let url = db.url();
        let second = run(&["baseline", "--migrations", &migrations, "--url", &url]);
        if !second.status.success()
            || !String::from_utf8_lossy(&second.stderr).contains("Already baselined")
        {
            return Err(format!("second baseline: {}", describe(&second)));
        }
        if history_rows(&db.path)? != rows {
            return Err("the second baseline changed the history".into());
        }
        if sqlite::catalog_of_db(&db.path)? != catalog {
            return Err("baseline changed the catalog".into());
        }
        // drizzle-kit push finds nothing to change: on the file (`sqlite`), and through libSQL's
        // remote protocol (`turso`, the in-test Hrana server on the same file).
        let server = hrana::start(db.path.clone(), TOKEN);
        let pushed = || -> Result<(), String> {
            for (dialect, url, token) in [
                ("sqlite", db.url(), None),
                ("turso", server.url.clone(), Some(TOKEN)),
            ] {
                for k in node::push_finds_nothing(&out, dialect, &url, token, &[])
                    .map_err(|e| format!("{dialect}: {e}"))?
                {
                    eprintln!(
                        "{} ({dialect}): known drizzle-kit push defect: {k}",
                        case.name
                    );
                }
                if sqlite::catalog_of_db(&db.path)? != catalog {
                    return Err(format!("push ({dialect}) changed the catalog"));
                }
            }
            Ok(())
        };
        node::with_known_push_damage(&case.name, pushed())?;
        // The real `drizzle-kit migrate` builds the same catalog in an empty file from the
        // output alone.
        let fresh = TempSqlite::new()?;
        let r = node::drizzle_kit_migrate(&out, "sqlite", &fresh.url());
        if !r.status {
            return Err(format!("drizzle-kit migrate failed:\n{}", r.describe()));
        }
        let got = sqlite::catalog_of_db(&fresh.path)?;
        if got != catalog {
            return Err(format!(
                "drizzle-kit migrate builds another catalog (- database, + migrated):\n{}",
                line_diff(&catalog, &got).join("\n")
            ));
        }
        Ok(())
    });
}

/// Acceptance 5: corrupt, non-SQLite and missing files: one clear line, exit 1, no output, the
/// file unchanged.
#[test]
fn broken_sources_fail_cleanly() {
    if !sqlite::require_python() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // A real database whose first page (sqlite_schema) is overwritten after the header.
    let corrupt = dir.path().join("corrupt.db");
    sqlite::exec(
        &corrupt,
        "CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT); CREATE INDEX a_name ON a(name);",
    )
    .unwrap();
    let mut bytes = std::fs::read(&corrupt).unwrap();
    for b in bytes.iter_mut().skip(100).take(3000) {
        *b = 0xA5;
    }
    std::fs::write(&corrupt, &bytes).unwrap();
    let not_sqlite = dir.path().join("notes.sqlite");
    std::fs::write(&not_sqlite, "this is a text file, not a database\n").unwrap();
    let missing = dir.path().join("missing.db");

    let cases: [(&Path, &[&str]); 3] = [
        (&corrupt, &["malformed", "not a database", "corrupt"]),
        (&not_sqlite, &["not a SQLite database"]),
        (&missing, &["no such file"]),
    ];
    for (path, words) in cases {
        let before = path.exists().then(|| sha(path));
        let out = dir.path().join("out");
        let o = run(&[
            "convert",
            &path.to_string_lossy(),
            "-o",
            &out.to_string_lossy(),
        ]);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{}: {}",
            path.display(),
            describe(&o)
        );
        let stderr = String::from_utf8_lossy(&o.stderr);
        let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(
            lines.len(),
            1,
            "{}: one line expected: {stderr}",
            path.display()
        );
        assert!(
            words.iter().any(|w| lines[0].contains(w))
                && lines[0].contains(&*path.to_string_lossy()),
            "{}: unclear error: {stderr}",
            path.display()
        );
        assert!(!out.exists(), "{}: output was written", path.display());
        assert_eq!(
            path.exists().then(|| sha(path)),
            before,
            "{}: the source file changed",
            path.display()
        );
    }
    assert!(!missing.exists(), "the missing file was created");

    // `baseline` against the missing and the non-SQLite file fails too, creating nothing.
    let db = TempSqlite::new().unwrap();
    sqlite::exec(&db.path, "CREATE TABLE a (id INTEGER PRIMARY KEY);").unwrap();
    let (_d, out) = introspect_and_render(&db.path).unwrap();
    for path in [&missing, &not_sqlite] {
        let before = path.exists().then(|| sha(path));
        let o = run(&[
            "baseline",
            "--migrations",
            &out.to_string_lossy(),
            "--url",
            &path.to_string_lossy(),
        ]);
        assert_eq!(o.status.code(), Some(1), "{}", describe(&o));
        assert_eq!(path.exists().then(|| sha(path)), before);
    }
}

/// What SQLite holds beyond Prisma's DDL: CHECKs (named, unnamed, with a `)` inside a string),
/// a STORED generated column, an expression default, an expression index with DESC, a partial
/// index, a composite key, a view. The round trip rebuilds the same catalog; drizzle-kit agrees.
const FEATURES_SQL: &str = r#"
CREATE TABLE "org" (
  id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, -- a comment, with a ( in it
  name TEXT NOT NULL,
  slug TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (datetime('now')),
  score REAL DEFAULT 0.5 CHECK (score >= 0),
  name_len INTEGER GENERATED ALWAYS AS (length(name)) STORED,
  CONSTRAINT org_name_ok CHECK (name <> ')')
);
CREATE UNIQUE INDEX org_slug_key ON org (slug);
CREATE TABLE member (
  org_id INTEGER NOT NULL,
  email TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT 'user',
  data BLOB,
  PRIMARY KEY (org_id, email),
  CONSTRAINT member_org_fkey FOREIGN KEY (org_id) REFERENCES org (id) ON DELETE CASCADE ON UPDATE SET NULL
);
CREATE INDEX member_email_lower ON member (lower(email) DESC);
CREATE INDEX member_admins ON member (org_id) WHERE role = 'admin';
CREATE VIEW org_names AS SELECT id, name FROM org;
"#;

#[test]
fn sqlite_features_round_trip() {
    if !sqlite::require_python() {
        return;
    }
    let db = TempSqlite::new().unwrap();
    sqlite::exec(&db.path, FEATURES_SQL).unwrap();
    let loaded = drizzle_port::source::load_with(
        &db.path.to_string_lossy(),
        &drizzle_port::source::LoadOptions::default(),
    )
    .unwrap();
    let org = &loaded.schema.tables[0];
    let checks: Vec<(&str, &str)> = org
        .checks
        .iter()
        .map(|c| (c.name.as_str(), c.expression.as_str()))
        .collect();
    assert_eq!(
        checks,
        vec![
            ("org_score_check", "score >= 0"),
            ("org_name_ok", "name <> ')'")
        ]
    );
    assert_eq!(
        org.column("name_len").unwrap().generated.as_deref(),
        Some("length(name)")
    );
    assert_eq!(
        org.column("id").unwrap().default,
        Some(drizzle_port::model::DefaultValue::Autoincrement)
    );
    let member = &loaded.schema.tables[1];
    assert_eq!(member.foreign_keys[0].name, "member_org_fkey");
    assert_eq!(
        member.foreign_keys[0].on_update,
        drizzle_port::model::ReferentialAction::SetNull
    );
    assert!(member.indexes[0].columns[0].is_expression);
    assert_eq!(
        member.indexes[1].predicate.as_deref(),
        Some("role = 'admin'")
    );
    assert_eq!(
        loaded.schema.views[0].definition.as_deref(),
        Some("SELECT id, name FROM org")
    );

    let expected = sqlite::catalog_of_db(&db.path).unwrap();
    let (_dir, out) = introspect_and_render(&db.path).unwrap();
    let ours = sqlite::catalog_of_sql(&migration_sql(&out).unwrap()).unwrap();
    assert_eq!(expected, ours, "{}", line_diff(&expected, &ours).join("\n"));
    if node::require_node() {
        node::generate_reports_no_changes(&out, "sqlite").unwrap();
        node::tsc_check(&[&out.join("schema.ts"), &out.join("relations.ts")]).unwrap();
    }
}

/// Tables drizzle cannot declare as they are: a UNIQUE table constraint (drizzle-kit makes a
/// unique index of it), WITHOUT ROWID and STRICT: read, with a note each.
#[test]
fn what_drizzle_cannot_say_is_noted() {
    if !sqlite::require_python() {
        return;
    }
    let db = TempSqlite::new().unwrap();
    sqlite::exec(
        &db.path,
        "CREATE TABLE kv (k TEXT NOT NULL PRIMARY KEY, v TEXT UNIQUE) WITHOUT ROWID, STRICT;",
    )
    .unwrap();
    let loaded = drizzle_port::source::load_with(
        &db.path.to_string_lossy(),
        &drizzle_port::source::LoadOptions::default(),
    )
    .unwrap();
    let kv = &loaded.schema.tables[0];
    assert_eq!(kv.unique_constraints[0].columns, vec!["v".to_string()]);
    let notes = loaded.notes.join("\n");
    for word in ["UNIQUE (v)", "WITHOUT ROWID", "STRICT"] {
        assert!(notes.contains(word), "{word}: {notes}");
    }
}

/// A tiny Hrana-over-HTTP (v3) server for the remote code path: `/v3/pipeline` and `/v3/cursor`
/// requests executed on a real SQLite file through one libsql connection (one stream: enough
/// for one client at a time), bearer-token checked, one request per TCP connection.
mod hrana {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::path::PathBuf;

    use serde_json::{json, Value};

    pub struct Server {
        pub url: String,
    }

    pub fn start(db: PathBuf, token: &'static str) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            let conn = rt.block_on(async {
                libsql::Builder::new_local(&db)
                    .build()
                    .await
                    .unwrap()
                    .connect()
                    .unwrap()
            });
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let _ = rt.block_on(handle(stream, &conn, token));
            }
        });
        Server { url }
    }

    fn read_request(stream: &mut TcpStream) -> std::io::Result<(String, String, Vec<u8>)> {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 8192];
        let head_end = loop {
            let n = stream.read(&mut chunk)?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            buf.extend_from_slice(&chunk[..n]);
            if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break p + 4;
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        let len: usize = head
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse().ok())?
            })
            .unwrap_or(0);
        while buf.len() < head_end + len {
            let n = stream.read(&mut chunk)?;
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        let path = head
            .split_whitespace()
            .nth(1)
            .unwrap_or_default()
            .to_string();
        Ok((head, path, buf[head_end..].to_vec()))
    }

    fn respond(stream: &mut TcpStream, status: &str, body: &str) -> std::io::Result<()> {
        write!(
            stream,
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )?;
        stream.flush()
    }

    async fn handle(
        mut stream: TcpStream,
        conn: &libsql::Connection,
        token: &str,
    ) -> std::io::Result<()> {
        let (head, path, body) = read_request(&mut stream)?;
        let authorized = head.lines().any(|l| {
            l.split_once(':').is_some_and(|(k, v)| {
                k.eq_ignore_ascii_case("authorization") && v.trim() == format!("Bearer {token}")
            })
        });
        if !authorized {
            return respond(
                &mut stream,
                "401 Unauthorized",
                "{\"error\":\"Unauthorized\"}",
            );
        }
        let req: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        if std::env::var_os("HRANA_DEBUG").is_some() {
            eprintln!("hrana {path}: {req}");
        }
        let path = path.split('?').next().unwrap_or_default();
        match path {
            "/v3/pipeline" | "/v2/pipeline" => {
                let mut results = Vec::new();
                for r in req["requests"].as_array().cloned().unwrap_or_default() {
                    results.push(match r["type"].as_str().unwrap_or_default() {
                        "execute" => match execute(conn, &r["stmt"]).await {
                            Ok(result) => json!({"type": "ok", "response": {"type": "execute", "result": result}}),
                            Err(e) => error(&e),
                        },
                        "batch" => {
                            let (results, errors) = batch(conn, &r["batch"]).await;
                            json!({"type": "ok", "response": {"type": "batch", "result": {"step_results": results, "step_errors": errors}}})
                        }
                        "describe" => match describe(conn, r["sql"].as_str().unwrap_or_default()).await {
                            Ok(result) => json!({"type": "ok", "response": {"type": "describe", "result": result}}),
                            Err(e) => error(&e),
                        },
                        "get_autocommit" => {
                            json!({"type": "ok", "response": {"type": "get_autocommit", "is_autocommit": conn.is_autocommit()}})
                        }
                        other => json!({"type": "ok", "response": {"type": other}}),
                    });
                }
                let body = json!({"baton": "b", "base_url": null, "results": results});
                respond(&mut stream, "200 OK", &body.to_string())
            }
            "/v3/cursor" => {
                let mut lines = vec![json!({"baton": "b", "base_url": null}).to_string()];
                let steps = req["batch"]["steps"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                let mut ok: Vec<Option<bool>> = vec![None; steps.len()];
                for (i, step) in steps.iter().enumerate() {
                    if !condition(conn, &step["condition"], &ok) {
                        continue;
                    }
                    match execute(conn, &step["stmt"]).await {
                        Ok(result) => {
                            ok[i] = Some(true);
                            lines.push(
                                json!({"type": "step_begin", "step": i, "cols": result["cols"]})
                                    .to_string(),
                            );
                            for row in result["rows"].as_array().cloned().unwrap_or_default() {
                                lines.push(json!({"type": "row", "row": row}).to_string());
                            }
                            lines.push(json!({"type": "step_end", "affected_row_count": result["affected_row_count"], "last_insert_rowid": result["last_insert_rowid"]}).to_string());
                        }
                        Err(e) => {
                            ok[i] = Some(false);
                            lines.push(json!({"type": "step_error", "step": i, "error": {"message": e, "code": "SQLITE_ERROR"}}).to_string());
                        }
                    }
                }
                let mut body = lines.join("\n");
                body.push('\n');
                respond(&mut stream, "200 OK", &body)
            }
            _ => respond(&mut stream, "404 Not Found", "{\"error\":\"not found\"}"),
        }
    }

    fn error(message: &str) -> Value {
        json!({"type": "error", "error": {"message": message, "code": "SQLITE_ERROR"}})
    }

    fn condition(conn: &libsql::Connection, cond: &Value, ok: &[Option<bool>]) -> bool {
        let step = |c: &Value| {
            ok.get(c["step"].as_u64().unwrap_or(0) as usize)
                .copied()
                .flatten()
        };
        match cond["type"].as_str() {
            None => true,
            Some("ok") => step(cond) == Some(true),
            Some("error") => step(cond) == Some(false),
            Some("not") => !condition(conn, &cond["cond"], ok),
            Some("and") => cond["conds"]
                .as_array()
                .into_iter()
                .flatten()
                .all(|c| condition(conn, c, ok)),
            Some("or") => cond["conds"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|c| condition(conn, c, ok)),
            Some("is_autocommit") => conn.is_autocommit(),
            Some(_) => false,
        }
    }

    async fn batch(conn: &libsql::Connection, batch: &Value) -> (Vec<Value>, Vec<Value>) {
        let steps = batch["steps"].as_array().cloned().unwrap_or_default();
        let mut ok: Vec<Option<bool>> = vec![None; steps.len()];
        let (mut results, mut errors) = (Vec::new(), Vec::new());
        for (i, step) in steps.iter().enumerate() {
            if !condition(conn, &step["condition"], &ok) {
                results.push(Value::Null);
                errors.push(Value::Null);
                continue;
            }
            match execute(conn, &step["stmt"]).await {
                Ok(r) => {
                    ok[i] = Some(true);
                    results.push(r);
                    errors.push(Value::Null);
                }
                Err(e) => {
                    ok[i] = Some(false);
                    results.push(Value::Null);
                    errors.push(json!({"message": e, "code": "SQLITE_ERROR"}));
                }
            }
        }
        (results, errors)
    }

    fn to_param(v: &Value) -> libsql::Value {
        match v["type"].as_str() {
            Some("integer") => libsql::Value::Integer(
                v["value"]
                    .as_str()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0),
            ),
            Some("float") => libsql::Value::Real(v["value"].as_f64().unwrap_or(0.0)),
            Some("text") => libsql::Value::Text(v["value"].as_str().unwrap_or_default().into()),
            _ => libsql::Value::Null,
        }
    }

    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    fn base64(bytes: &[u8]) -> String {
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, b)| n | (*b as u32) << (16 - 8 * i));
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    fn to_json(v: libsql::Value) -> Value {
        match v {
            libsql::Value::Null => json!({"type": "null"}),
            libsql::Value::Integer(n) => json!({"type": "integer", "value": n.to_string()}),
            libsql::Value::Real(f) => json!({"type": "float", "value": f}),
            libsql::Value::Text(s) => json!({"type": "text", "value": s}),
            libsql::Value::Blob(b) => json!({"type": "blob", "base64": base64(&b)}),
        }
    }

    async fn describe(conn: &libsql::Connection, sql: &str) -> Result<Value, String> {
        let stmt = conn.prepare(sql).await.map_err(|e| e.to_string())?;
        let cols: Vec<Value> = stmt
            .columns()
            .iter()
            .map(|c| json!({"name": c.name(), "decltype": c.decl_type()}))
            .collect();
        let params: Vec<Value> = (1..=stmt.parameter_count())
            .map(|i| json!({"name": stmt.parameter_name(i as i32)}))
            .collect();
        let readonly = sql.trim_start().to_ascii_uppercase().starts_with("SELECT")
            || sql.trim_start().starts_with("--");
        Ok(json!({"params": params, "cols": cols, "is_explain": false, "is_readonly": readonly}))
    }

    async fn execute(conn: &libsql::Connection, stmt: &Value) -> Result<Value, String> {
        let sql = stmt["sql"].as_str().ok_or("no sql")?;
        let params: Vec<libsql::Value> = stmt["args"]
            .as_array()
            .into_iter()
            .flatten()
            .map(to_param)
            .collect();
        let mut rows = conn.query(sql, params).await.map_err(|e| e.to_string())?;
        let n = rows.column_count();
        let cols: Vec<Value> = (0..n)
            .map(|i| json!({"name": rows.column_name(i), "decltype": null}))
            .collect();
        let mut out = Vec::new();
        while let Some(row) = rows.next().await.map_err(|e| e.to_string())? {
            out.push(Value::Array(
                (0..n)
                    .map(|i| to_json(row.get_value(i).unwrap_or(libsql::Value::Null)))
                    .collect(),
            ));
        }
        Ok(json!({
            "cols": cols,
            "rows": out,
            "affected_row_count": conn.changes(),
            "last_insert_rowid": conn.last_insert_rowid().to_string(),
        }))
    }
}

const TOKEN: &str = "test-token-123";

/// The remote path (`http(s)://`, `libsql://`) against the in-test Hrana server: the same model
/// as the local file; `baseline` over it; a bad token and an unreachable host fail clearly.
#[test]
fn remote_libsql_over_hrana() {
    if !sqlite::require_python() {
        return;
    }
    let case = all_cases()
        .into_iter()
        .find(|c| c.name == "samples/sqlite_relations")
        .expect("the sqlite_relations sample");
    let (db, _) = database_of(&case).unwrap();
    let local = drizzle_port::source::load(&db.path.to_string_lossy()).unwrap();
    let server = hrana::start(db.path.clone(), TOKEN);
    let remote = drizzle_port::source::load_with(
        &server.url,
        &drizzle_port::source::LoadOptions {
            auth_token: Some(TOKEN.into()),
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("remote introspection: {e}"));
    let (mut a, mut b) = (local, remote.schema);
    a.source = None;
    b.source = None;
    assert_eq!(a.to_yaml().unwrap(), b.to_yaml().unwrap());

    // Through the CLI: output written from the remote source, token from the flag.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = run(&[
        "convert",
        &server.url,
        "--auth-token",
        TOKEN,
        "-o",
        &out.to_string_lossy(),
    ]);
    assert!(o.status.success(), "{}", describe(&o));
    let o = bin()
        .args([
            "baseline",
            "--migrations",
            &out.to_string_lossy(),
            "--url",
            &server.url,
        ])
        .env("TURSO_AUTH_TOKEN", TOKEN)
        .env_remove("LIBSQL_AUTH_TOKEN")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", describe(&o));
    assert_eq!(history_rows(&db.path).unwrap().as_array().unwrap().len(), 1);

    // The token from `.env.local` in the working directory.
    let project = tempfile::tempdir().unwrap();
    std::fs::write(
        project.path().join(".env.local"),
        format!("LIBSQL_AUTH_TOKEN={TOKEN}\n"),
    )
    .unwrap();
    let env_out = dir.path().join("from-env");
    let o = bin()
        .args(["convert", &server.url, "-o", &env_out.to_string_lossy()])
        .current_dir(project.path())
        .env_remove("LIBSQL_AUTH_TOKEN")
        .env_remove("TURSO_AUTH_TOKEN")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", describe(&o));

    // A bad token: one line, exit 1, nothing written, the file unchanged.
    let before = sha(&db.path);
    let bad_out = dir.path().join("bad");
    let o = run(&[
        "convert",
        &server.url,
        "--auth-token",
        "wrong",
        "-o",
        &bad_out.to_string_lossy(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", describe(&o));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("refused the auth token"), "{stderr}");
    assert!(!bad_out.exists());
    assert_eq!(sha(&db.path), before);

    // An unreachable host: a clear error, quickly.
    let started = std::time::Instant::now();
    let o = run(&[
        "convert",
        "http://127.0.0.1:9",
        "--auth-token",
        TOKEN,
        "-o",
        &bad_out.to_string_lossy(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", describe(&o));
    assert!(started.elapsed() < std::time::Duration::from_secs(40));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("127.0.0.1:9"), "{stderr}");
    assert!(!bad_out.exists());
}

/// Acceptance 4 through drizzle-kit itself (dialects `sqlite` and `turso`): after `baseline`,
/// `drizzle-kit migrate` applies nothing; a next migration then applies; a journal written for
/// `dialect: 'turso'` is baselined the same way.
#[test]
fn baseline_then_drizzle_kit_migrate_and_a_next_migration() {
    if !node::require_node() || !sqlite::require_python() {
        return;
    }
    let case = all_cases()
        .into_iter()
        .find(|c| c.name == "samples/sqlite_relations")
        .expect("the sqlite_relations sample");
    let (db, _) = database_of(&case).unwrap();
    let catalog = sqlite::catalog_of_db(&db.path).unwrap();
    let (_dir, out) = introspect_and_render(&db.path).unwrap();
    // The journal as drizzle-kit writes it for `dialect: 'turso'`.
    let journal_path = out.join("meta").join("_journal.json");
    let journal = std::fs::read_to_string(&journal_path).unwrap();
    std::fs::write(
        &journal_path,
        journal.replace("\"dialect\": \"sqlite\"", "\"dialect\": \"turso\""),
    )
    .unwrap();
    let o = run(&[
        "baseline",
        "--migrations",
        &out.to_string_lossy(),
        "--url",
        &db.url(),
    ]);
    assert!(o.status.success(), "{}", describe(&o));
    std::fs::write(&journal_path, &journal).unwrap();
    for dialect in ["sqlite", "turso"] {
        let r = node::drizzle_kit_migrate(&out, dialect, &db.url());
        assert!(
            r.status,
            "drizzle-kit migrate ({dialect}): {}",
            r.describe()
        );
        assert_eq!(history_rows(&db.path).unwrap().as_array().unwrap().len(), 1);
        assert_eq!(sqlite::catalog_of_db(&db.path).unwrap(), catalog);
    }
    // A next migration applies.
    std::fs::write(
        out.join("0001_next.sql"),
        "CREATE TABLE `next_one` (\n\t`id` integer PRIMARY KEY NOT NULL\n);\n",
    )
    .unwrap();
    let mut j: serde_json::Value = serde_json::from_str(&journal).unwrap();
    let mut entry = j["entries"][0].clone();
    entry["idx"] = 1.into();
    entry["when"] = (1_700_000_000_000i64 + 1000).into();
    entry["tag"] = "0001_next".into();
    j["entries"].as_array_mut().unwrap().push(entry);
    std::fs::write(&journal_path, serde_json::to_string_pretty(&j).unwrap()).unwrap();
    let report = node::migrate_sqlite(&out, &db.url()).unwrap();
    assert_eq!(report.applied_count(), 1, "{report:?}");
    assert!(sqlite::catalog_of_db(&db.path)
        .unwrap()
        .contains("table next_one"));
}

/// The catalog is read with a constant number of queries, whatever the number of tables; names
/// that need quoting (spaces, quotes, keywords) are read like any other.
#[test]
fn constant_number_of_queries_and_odd_names() {
    if !sqlite::require_python() {
        return;
    }
    let db = TempSqlite::new().unwrap();
    let mut sql = String::new();
    for i in 0..40 {
        sql.push_str(&format!(
            "CREATE TABLE \"t {i} \"\"q\"\"\" (\"select\" INTEGER NOT NULL PRIMARY KEY, 'it''s' TEXT);\nCREATE INDEX \"i {i}\" ON \"t {i} \"\"q\"\"\" ('it''s');\n"
        ));
    }
    sqlite::exec(&db.path, &sql).unwrap();
    let (schema, report) = drizzle_port::introspect::sqlite::introspect_sqlite_with_report(
        &db.path.to_string_lossy(),
        &Default::default(),
    )
    .unwrap();
    assert_eq!(report.catalog_queries, 5);
    assert_eq!(schema.tables.len(), 40);
    let t = &schema.tables[7];
    assert_eq!(t.name, "t 7 \"q\"");
    assert_eq!(t.columns[1].name, "it's");
    assert_eq!(t.indexes[0].name, "i 7");
    assert_eq!(t.indexes[0].columns[0].expression, "it's");
    let expected = sqlite::catalog_of_db(&db.path).unwrap();
    let (_dir, out) = introspect_and_render(&db.path).unwrap();
    let ours = sqlite::catalog_of_sql(&migration_sql(&out).unwrap()).unwrap();
    assert_eq!(expected, ours, "{}", line_diff(&expected, &ours).join("\n"));
}

/// `baseline --print` for a SQLite journal: a script that records the same row, idempotently.
#[test]
fn baseline_print_script_for_sqlite() {
    if !sqlite::require_python() {
        return;
    }
    let db = TempSqlite::new().unwrap();
    sqlite::exec(&db.path, "CREATE TABLE a (id INTEGER PRIMARY KEY);").unwrap();
    let (_d, out) = introspect_and_render(&db.path).unwrap();
    let o = run(&[
        "baseline",
        "--migrations",
        &out.to_string_lossy(),
        "--print",
    ]);
    assert!(o.status.success(), "{}", describe(&o));
    let script = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(script.contains("BEGIN IMMEDIATE;") && script.contains("created_at numeric"));
    sqlite::exec(&db.path, &script).unwrap();
    sqlite::exec(&db.path, &script).unwrap();
    let rows = history_rows(&db.path).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");
    // The CLI agrees that the database is baselined.
    let o = run(&[
        "baseline",
        "--migrations",
        &out.to_string_lossy(),
        "--url",
        &db.path.to_string_lossy(),
    ]);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("Already baselined"),
        "{}",
        describe(&o)
    );
}

/// A history that contradicts the folder (the migration file changed after it was recorded) is
/// refused, writing nothing, through `history::decide` as on PostgreSQL.
#[test]
fn baseline_refuses_a_contradicting_history() {
    if !sqlite::require_python() {
        return;
    }
    let db = TempSqlite::new().unwrap();
    sqlite::exec(&db.path, "CREATE TABLE a (id INTEGER PRIMARY KEY);").unwrap();
    let (_d, out) = introspect_and_render(&db.path).unwrap();
    let args = [
        "baseline".to_string(),
        "--migrations".to_string(),
        out.to_string_lossy().into_owned(),
        "--url".to_string(),
        db.path.to_string_lossy().into_owned(),
    ];
    let o = bin().args(&args).output().unwrap();
    assert!(o.status.success(), "{}", describe(&o));
    let sql = out.join("0000_baseline.sql");
    let text = std::fs::read_to_string(&sql).unwrap();
    std::fs::write(&sql, format!("{text}\n-- edited\n")).unwrap();
    let before = history_rows(&db.path).unwrap();
    let o = bin().args(&args).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", describe(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("refusing to baseline"),
        "{}",
        describe(&o)
    );
    assert_eq!(history_rows(&db.path).unwrap(), before);
}

/// Acceptance 2 on the live output: drizzle-orm with @libsql/client runs relational queries
/// (relations inferred from the foreign keys, an implicit many-to-many join table included) on
/// the introspected database itself.
#[test]
fn relational_query_on_the_introspected_database() {
    if !node::require_node() || !sqlite::require_python() {
        return;
    }
    let case = all_cases()
        .into_iter()
        .find(|c| c.name == "samples/sqlite_relations")
        .expect("the sqlite_relations sample");
    let (db, _) = database_of(&case).unwrap();
    sqlite::exec(&db.path, sqlite::TEACHER_ROWS_SQL).unwrap();
    let (_dir, out) = introspect_and_render(&db.path).unwrap();
    sqlite::assert_teacher_query(&out, &db.url(), "instrumentToTeachers");
}
