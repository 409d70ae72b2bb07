//! `baseline` against a real PostgreSQL: history seeding rules, the `--print` script, connection
//! errors, TLS modes, the CLI's exit codes and output streams, and the verification before
//! marking (on folders `pull` writes, so without node).
//!
//! The hand-made folders here have no snapshots: the CLI tests on them are about seeding and
//! output, not verification, and pass `--no-verify`.
//!
//! Server: `TEST_POSTGRES_URL` (an admin URL), default `postgres://postgres@127.0.0.1:5432/postgres`.
//! Each test makes its own database and drops it afterwards (also when the test fails). When the
//! server is unreachable the tests print a notice and pass, except under `CI`, where they fail.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use drizzle_port::connect::postgres::{self as pg, ConnectOptions};
use drizzle_port::migrate::{self, Conflict, HistoryTarget, MigrationsFolder};
use sha2::{Digest, Sha256};
use tokio_postgres::Client;

const WHEN: i64 = 1_795_768_885_602;
const SQL: &str = "CREATE TABLE \"t\" (\"id\" serial PRIMARY KEY NOT NULL);\n";

fn admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

fn quick() -> ConnectOptions {
    ConnectOptions {
        connect_timeout: Duration::from_secs(3),
        ..ConnectOptions::default()
    }
}

/// `url` with its database replaced (admin URLs are plain `postgres://…/db` URLs).
fn url_for(db: &str) -> String {
    let admin = admin_url();
    let (base, query) = match admin.split_once('?') {
        Some((b, q)) => (b.to_owned(), format!("?{q}")),
        None => (admin.clone(), String::new()),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    format!("{}/{db}{query}", &base[..path_start])
}

/// A database created for one test and dropped when this guard goes out of scope.
struct TestDb {
    name: String,
}

impl TestDb {
    /// `None` when PostgreSQL is unreachable outside CI (after printing a notice).
    fn create(test: &str) -> Option<TestDb> {
        let name = format!(
            "dp_test_{test}_{}",
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        // The client's connection task lives on the runtime that connected, so keep using that one.
        let rt = runtime();
        let admin = match rt.block_on(pg::connect(&admin_url(), quick())) {
            Ok(client) => client,
            Err(err) if std::env::var_os("CI").is_some() => {
                panic!(
                    "PostgreSQL is required in CI ({}): {err}",
                    pg::redact_url(&admin_url())
                )
            }
            Err(err) => {
                eprintln!("notice: skipping {test}: PostgreSQL not reachable ({err})");
                return None;
            }
        };
        rt.block_on(admin.batch_execute(&format!("CREATE DATABASE \"{name}\"")))
            .expect("create test database");
        Some(TestDb { name })
    }

    fn url(&self) -> String {
        url_for(&self.name)
    }

    fn client(&self, rt: &tokio::runtime::Runtime) -> Client {
        rt.block_on(pg::connect(&self.url(), quick()))
            .expect("connect to test database")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let rt = runtime();
        if let Ok(admin) = rt.block_on(pg::connect(&admin_url(), quick())) {
            let _ = rt.block_on(admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            )));
        }
    }
}

/// A migrations folder with one baseline migration, written by hand like drizzle-kit would.
fn folder_with(entries: &[(&str, i64, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("meta")).expect("meta dir");
    let mut journal =
        String::from("{\n  \"version\": \"7\",\n  \"dialect\": \"postgresql\",\n  \"entries\": [");
    for (i, (tag, when, sql)) in entries.iter().enumerate() {
        std::fs::write(dir.path().join(format!("{tag}.sql")), sql).expect("write sql");
        if i > 0 {
            journal.push(',');
        }
        journal.push_str(&format!(
            "\n    {{\n      \"idx\": {i},\n      \"version\": \"7\",\n      \"when\": {when},\n      \"tag\": \"{tag}\",\n      \"breakpoints\": true\n    }}"
        ));
    }
    journal.push_str("\n  ]\n}");
    std::fs::write(dir.path().join("meta/_journal.json"), journal).expect("write journal");
    dir
}

fn baseline_folder() -> tempfile::TempDir {
    folder_with(&[("0000_baseline", WHEN, SQL)])
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// drizzle's default history table, where most tests look.
const HISTORY: &str = "drizzle.__drizzle_migrations";

fn default_plan(dir: &Path) -> migrate::BaselinePlan {
    let folder = MigrationsFolder::read(dir).expect("read folder");
    migrate::plan(&folder, &HistoryTarget::default())
}

/// The setup every database test repeats: its own database, a runtime and a client connected on
/// it (the client's connection task lives on the runtime that connected, so the two go together).
/// Fields drop in order: the client first, the database last.
struct Setup {
    client: Client,
    rt: tokio::runtime::Runtime,
    db: TestDb,
}

impl Setup {
    /// `None` when PostgreSQL is unreachable outside CI (see [`TestDb::create`]).
    fn new(test: &str) -> Option<Setup> {
        let db = TestDb::create(test)?;
        let rt = runtime();
        let client = db.client(&rt);
        Some(Setup { client, rt, db })
    }

    fn apply(
        &mut self,
        plan: &migrate::BaselinePlan,
    ) -> Result<migrate::BaselineOutcome, migrate::Error> {
        self.rt
            .block_on(migrate::apply_postgres(&mut self.client, plan))
    }

    /// The baseline folder's default plan against a history it must refuse.
    fn refused(&mut self) -> migrate::Error {
        let dir = baseline_folder();
        self.apply(&default_plan(dir.path()))
            .expect_err("the baseline must be refused")
    }

    /// `(hash, created_at)` of every row of `table`, in insertion order.
    fn history_of(&self, table: &str) -> Vec<(String, i64)> {
        let rows = self
            .rt
            .block_on(self.client.query(
                &format!("SELECT hash, created_at FROM {table} ORDER BY id"),
                &[],
            ))
            .expect("read history");
        rows.iter().map(|r| (r.get(0), r.get(1))).collect()
    }

    fn history(&self) -> Vec<(String, i64)> {
        self.history_of(HISTORY)
    }

    /// Creates the history table by hand and records one row, as an earlier run of drizzle would.
    fn seed_row(&self, hash: &str, created_at: Option<i64>) {
        self.rt
            .block_on(self.client.batch_execute(
                "CREATE SCHEMA drizzle; CREATE TABLE drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)",
            ))
            .expect("create history table");
        self.rt
            .block_on(self.client.execute(
                "INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ($1, $2)",
                &[&hash, &created_at],
            ))
            .expect("seed row");
    }
}

#[test]
fn seeds_one_row_then_changes_nothing() {
    let Some(mut s) = Setup::new("seed") else {
        return;
    };
    let dir = baseline_folder();
    let plan = default_plan(dir.path());

    let first = s.apply(&plan).expect("first baseline");
    assert_eq!(first.table, HISTORY);
    assert_eq!(first.inserted.len(), 1);
    assert!(!first.is_noop());
    let expected = vec![(sha256_hex(SQL.as_bytes()), WHEN)];
    assert_eq!(s.history(), expected);

    let second = s.apply(&plan).expect("second baseline");
    assert!(second.is_noop());
    assert_eq!(second.already_applied.len(), 1);
    assert_eq!(s.history(), expected);
}

#[test]
fn custom_schema_and_table_names_are_quoted() {
    let Some(mut s) = Setup::new("custom") else {
        return;
    };
    let dir = baseline_folder();
    let folder = MigrationsFolder::read(dir.path()).expect("read folder");
    let target = HistoryTarget {
        schema: "My \"Schema\"".to_owned(),
        table: "hist-ory".to_owned(),
    };
    let plan = migrate::plan(&folder, &target);

    let outcome = s.apply(&plan).expect("baseline");
    assert_eq!(outcome.table, "My \"Schema\".hist-ory");
    assert_eq!(s.history_of("\"My \"\"Schema\"\"\".\"hist-ory\"").len(), 1);
    let drizzle_schema =
        s.rt.block_on(
            s.client
                .query("SELECT 1 FROM pg_namespace WHERE nspname = 'drizzle'", &[]),
        )
        .expect("catalog query");
    assert!(
        drizzle_schema.is_empty(),
        "the default schema must not be created"
    );
}

#[test]
fn refuses_a_changed_file_without_writing() {
    let Some(mut s) = Setup::new("mismatch") else {
        return;
    };
    s.seed_row("not-the-hash", Some(WHEN));
    let err = s.refused();
    match &err {
        migrate::Error::HistoryConflict {
            conflict: Conflict::HashMismatch { recorded_hash, .. },
            ..
        } => {
            assert_eq!(recorded_hash, "not-the-hash");
        }
        other => panic!("expected a hash mismatch, got {other}"),
    }
    assert!(
        err.to_string().contains("changed after it was recorded"),
        "{err}"
    );
    assert_eq!(s.history(), vec![("not-the-hash".to_owned(), WHEN)]);
}

#[test]
fn refuses_when_a_newer_migration_is_recorded() {
    let Some(mut s) = Setup::new("newer") else {
        return;
    };
    s.seed_row("later", Some(WHEN + 1));
    let err = s.refused();
    assert!(
        matches!(err, migrate::Error::HistoryConflict { conflict: Conflict::NewerRecorded { recorded_created_at, .. }, .. } if recorded_created_at == WHEN + 1),
        "{err}"
    );
    assert_eq!(s.history().len(), 1);
}

#[test]
fn refuses_a_null_created_at_row() {
    let Some(mut s) = Setup::new("nullrow") else {
        return;
    };
    s.seed_row("h", None);
    let err = s.refused();
    assert!(
        matches!(
            err,
            migrate::Error::HistoryConflict {
                conflict: Conflict::NullCreatedAt { .. },
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn older_rows_are_kept_and_later_entries_added() {
    let Some(mut s) = Setup::new("older") else {
        return;
    };
    s.seed_row("old", Some(WHEN - 1000));
    let dir = folder_with(&[
        ("0000_baseline", WHEN, SQL),
        ("0001_next", WHEN + 5, "SELECT 1;"),
    ]);
    let outcome = s.apply(&default_plan(dir.path())).expect("baseline");
    assert_eq!(
        outcome
            .inserted
            .iter()
            .map(|r| r.tag.as_str())
            .collect::<Vec<_>>(),
        ["0000_baseline", "0001_next"]
    );
    let rows = s.history();
    assert_eq!(
        rows.iter().map(|r| r.1).collect::<Vec<_>>(),
        [WHEN - 1000, WHEN, WHEN + 5]
    );
}

#[test]
fn concurrent_baselines_insert_once() {
    let Some(mut s) = Setup::new("concurrent") else {
        return;
    };
    let mut b = s.db.client(&s.rt);
    let dir = baseline_folder();
    let plan = default_plan(dir.path());
    let (ra, rb) = s.rt.block_on(async {
        tokio::join!(
            migrate::apply_postgres(&mut s.client, &plan),
            migrate::apply_postgres(&mut b, &plan)
        )
    });
    let inserted = ra.expect("first").inserted.len() + rb.expect("second").inserted.len();
    assert_eq!(inserted, 1);
    assert_eq!(s.history().len(), 1);
}

#[test]
fn printed_script_runs_in_psql_terms_and_agrees_with_apply() {
    let Some(mut s) = Setup::new("script") else {
        return;
    };
    let dir = baseline_folder();
    let plan = default_plan(dir.path());
    let sql = migrate::plan_sql(&plan);
    for needle in [
        "CREATE SCHEMA IF NOT EXISTS \"drizzle\";",
        "CREATE TABLE IF NOT EXISTS \"drizzle\".\"__drizzle_migrations\" (",
        "pg_advisory_xact_lock(",
        "INSERT INTO \"drizzle\".\"__drizzle_migrations\" (\"hash\", \"created_at\")",
        &sha256_hex(SQL.as_bytes()),
        "1795768885602",
    ] {
        assert!(sql.contains(needle), "missing {needle} in\n{sql}");
    }
    s.rt.block_on(s.client.batch_execute(&sql))
        .expect("script runs");
    s.rt.block_on(s.client.batch_execute(&sql))
        .expect("script is idempotent");
    assert_eq!(s.history(), vec![(sha256_hex(SQL.as_bytes()), WHEN)]);
    let outcome = s.apply(&plan).expect("apply after script");
    assert!(outcome.is_noop());

    // The script refuses a conflicting history too.
    let changed = folder_with(&[("0000_baseline", WHEN, "SELECT 2;")]);
    let err =
        s.rt.block_on(
            s.client
                .batch_execute(&migrate::plan_sql(&default_plan(changed.path()))),
        )
        .unwrap_err();
    assert!(
        pg::describe(&err).contains("refusing to mark 0000_baseline"),
        "{}",
        pg::describe(&err)
    );
    let _ = s.rt.block_on(s.client.batch_execute("ROLLBACK"));
    assert_eq!(s.history().len(), 1);
}

#[test]
fn connection_errors_name_what_failed() {
    let rt = runtime();
    let err = rt
        .block_on(pg::connect(
            "postgres://postgres:s3cret@127.0.0.1:1/x",
            quick(),
        ))
        .unwrap_err();
    assert!(matches!(err, pg::Error::Unreachable { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("127.0.0.1:1") && !msg.contains("s3cret"),
        "{msg}"
    );

    // A server that accepts TCP but never answers: the whole connect is bounded by connect_timeout.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = silent.local_addr().expect("addr").port();
    let started = std::time::Instant::now();
    let url = format!("postgres://u:s3cret@127.0.0.1:{port}/x?connect_timeout=1&sslmode=disable");
    let err = rt.block_on(pg::connect(&url, quick())).unwrap_err();
    assert!(matches!(err, pg::Error::Timeout { .. }), "{err}");
    assert!(err.to_string().contains("timed out after 1s"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(silent);

    let Some(_db) = TestDb::create("errors") else {
        return;
    };
    let missing = url_for("dp_test_no_such_database");
    let err = rt.block_on(pg::connect(&missing, quick())).unwrap_err();
    assert!(
        matches!(err, pg::Error::DatabaseNotFound { ref database, .. } if database == "dp_test_no_such_database"),
        "{err}"
    );
}

#[test]
fn tls_modes() {
    let Some(Setup { client, rt, db }) = Setup::new("tls") else {
        return;
    };
    let ssl_on: String = rt
        .block_on(client.query_one("SHOW ssl", &[]))
        .expect("show ssl")
        .get(0);
    let with = |params: &str| {
        format!(
            "{}{}{params}",
            db.url(),
            if db.url().contains('?') { "&" } else { "?" }
        )
    };
    let uses_tls = |client: &Client| -> bool {
        rt.block_on(client.query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        ))
        .expect("pg_stat_ssl")
        .get(0)
    };

    let plain = rt
        .block_on(pg::connect(&with("sslmode=disable"), quick()))
        .expect("sslmode=disable");
    assert!(!uses_tls(&plain));

    if ssl_on != "on" {
        let err = rt
            .block_on(pg::connect(&with("sslmode=require"), quick()))
            .unwrap_err();
        assert!(matches!(err, pg::Error::TlsNotSupported { .. }), "{err}");
        assert!(err.to_string().contains("does not support it"), "{err}");
        eprintln!("notice: server has ssl=off; only the TLS-refused path was tested");
        return;
    }
    let require = rt
        .block_on(pg::connect(&with("sslmode=require"), quick()))
        .expect("sslmode=require");
    assert!(uses_tls(&require));
    let prefer = rt
        .block_on(pg::connect(&db.url(), quick()))
        .expect("default sslmode=prefer");
    assert!(uses_tls(&prefer));
    // The Debian test server's certificate is self-signed, so the bundled roots cannot verify it.
    if db.url().contains("127.0.0.1") {
        let err = rt
            .block_on(pg::connect(&with("sslmode=verify-full"), quick()))
            .unwrap_err();
        assert!(matches!(err, pg::Error::Tls { .. }), "{err}");
        let cert_file: String = rt
            .block_on(client.query_one("SHOW ssl_cert_file", &[]))
            .expect("cert")
            .get(0);
        if std::fs::metadata(&cert_file).is_ok() {
            let ca = format!("sslrootcert={cert_file}");
            let verify_ca = rt.block_on(pg::connect(
                &with(&format!("sslmode=verify-ca&{ca}")),
                quick(),
            ));
            assert!(uses_tls(
                &verify_ca.expect("verify-ca with the server's own certificate as CA")
            ));
            // Its name is not 127.0.0.1, so verify-full must still refuse.
            let err = rt
                .block_on(pg::connect(
                    &with(&format!("sslmode=verify-full&{ca}")),
                    quick(),
                ))
                .unwrap_err();
            assert!(matches!(err, pg::Error::Tls { .. }), "{err}");
        }
    }
}

// ----- the binary -----

/// `drizzle-port baseline --migrations FOLDER EXTRA…` run in `cwd`, with no DATABASE_URL or
/// NODE_ENV from the test's own environment.
fn baseline(folder: &Path, extra: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_drizzle-port"))
        .args(["baseline", "--migrations"])
        .arg(folder)
        .args(extra)
        .current_dir(cwd)
        .env_remove("DATABASE_URL")
        .env_remove("NODE_ENV")
        .env("NO_COLOR", "1")
        .output()
        .expect("run drizzle-port")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The exit code and pieces of stderr, all checked with stderr in the failure message.
#[track_caller]
fn assert_exit(out: &Output, code: i32, stderr_has: &[&str]) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{stderr}");
    for needle in stderr_has {
        assert!(stderr.contains(needle), "missing {needle:?} in:\n{stderr}");
    }
}

/// The one JSON envelope on stdout (the output in the failure message).
#[track_caller]
fn envelope(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "one JSON envelope on stdout ({e}):\n{}\n--- stderr ---\n{}",
            text(&out.stdout),
            text(&out.stderr)
        )
    })
}

#[test]
fn cli_print_needs_no_database() {
    let dir = baseline_folder();
    let out = baseline(dir.path(), &["--print"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // Offline, so unverified, and it says so.
    assert!(
        text(&out.stderr).contains("did not verify"),
        "{}",
        text(&out.stderr)
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("CREATE TABLE IF NOT EXISTS \"drizzle\".\"__drizzle_migrations\""),
        "{stdout}"
    );
    assert!(stdout.contains(&sha256_hex(SQL.as_bytes())));
}

#[test]
fn cli_never_prints_the_password() {
    let dir = baseline_folder();
    let url = "postgres://postgres:s3cret@127.0.0.1:1/x";
    for json in [false, true] {
        let mut args = vec!["--url", url];
        if json {
            args.push("--json");
        }
        let out = baseline(dir.path(), &args, dir.path());
        assert_eq!(out.status.code(), Some(1));
        let all = text(&out.stdout) + &text(&out.stderr);
        assert!(!all.contains("s3cret"), "{all}");
        assert!(all.contains("127.0.0.1:1"), "{all}");
        if json {
            let v = envelope(&out);
            assert_eq!(v["status"], "error");
            assert_eq!(v["error"]["code"], "connection_error");
        }
    }
}

#[test]
fn cli_reports_missing_url_and_bad_folder() {
    let dir = baseline_folder();
    let out = baseline(dir.path(), &["--no-env-file", "--json"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(envelope(&out)["error"]["code"], "missing_url_error");

    let out = baseline(Path::new("does-not-exist"), &["--print"], dir.path());
    assert_exit(&out, 1, &["does-not-exist"]);
}

#[test]
fn cli_baselines_with_url_from_env_file() {
    let Some(db) = TestDb::create("cli") else {
        return;
    };
    let dir = baseline_folder();
    let project = tempfile::tempdir().expect("project dir");
    let mut env_file =
        std::fs::File::create(project.path().join(".env.local")).expect(".env.local");
    writeln!(env_file, "DATABASE_URL=\"{}\"", db.url()).expect("write .env.local");
    let migrations = dir.path();
    // About the URL, the streams and the seeding rules: the folder has no snapshots to verify.
    let baseline = |folder: &Path, extra: &[&str], cwd: &Path| {
        baseline(folder, &[extra, &["--no-verify"][..]].concat(), cwd)
    };

    let out = baseline(migrations, &[], project.path());
    assert_exit(
        &out,
        0,
        &[
            "Loaded env from .env.local",
            "✔ Marked 0000_baseline as applied in drizzle.__drizzle_migrations",
        ],
    );
    assert!(out.stdout.is_empty(), "human output belongs on stderr");

    let out = baseline(migrations, &["--json"], project.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v = envelope(&out);
    assert_eq!(v["history"]["table"], HISTORY);
    assert_eq!(v["history"]["inserted"], 0);

    let out = baseline(migrations, &[], project.path());
    assert_exit(&out, 0, &["Already baselined: nothing to do"]);

    // A changed file afterwards: refused, exit 1, nothing written.
    std::fs::write(migrations.join("0000_baseline.sql"), "SELECT 2;").expect("change file");
    let out = baseline(migrations, &["--url", &db.url()], project.path());
    assert_exit(&out, 1, &["refusing to baseline"]);
}

#[test]
fn cli_json_success_envelope() {
    let Some(db) = TestDb::create("clijson") else {
        return;
    };
    let dir = baseline_folder();
    let url = db.url();
    // The envelope of an unverified run (the folder has no snapshots).
    let out = baseline(
        dir.path(),
        &[
            "--url",
            &url,
            "--json",
            "--migrations-table",
            "hist",
            "--no-verify",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v = envelope(&out);
    assert_eq!(v["status"], "ok");
    assert_eq!(v["verified"], false);
    assert_eq!(v["marked"], serde_json::json!(["0000_baseline"]));
    assert_eq!(v["history"]["table"], "drizzle.hist");
    assert_eq!(v["history"]["inserted"], 1);
}

// ----- verification before marking -----

/// `drizzle-port pull URL -o DIR EXTRA…`: a folder whose snapshot describes the database now.
fn pull(url: &str, dir: &Path, extra: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_drizzle-port"))
        .args(["pull", url, "-o"])
        .arg(dir)
        .args(extra)
        .env_remove("DATABASE_URL")
        .output()
        .expect("run drizzle-port pull");
    assert_eq!(out.status.code(), Some(0), "pull: {}", text(&out.stderr));
}

/// Appends entry 1 (`0001_next`, `sql`) to the pulled folder `dir`, with the snapshot of a folder
/// pulled after that change (`next`), as `drizzle-kit generate` would have written it.
fn append_entry(dir: &Path, next: &Path, sql: &str) {
    let journal_path = dir.join("meta/_journal.json");
    let mut journal: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&journal_path).unwrap()).unwrap();
    let mut entry = journal["entries"][0].clone();
    entry["idx"] = 1.into();
    entry["when"] = (entry["when"].as_i64().unwrap() + 1000).into();
    entry["tag"] = "0001_next".into();
    journal["entries"].as_array_mut().unwrap().push(entry);
    std::fs::write(&journal_path, journal.to_string()).unwrap();
    std::fs::write(dir.join("0001_next.sql"), sql).unwrap();
    std::fs::copy(
        next.join("meta/0000_snapshot.json"),
        dir.join("meta/0001_snapshot.json"),
    )
    .unwrap();
}

const NEXT_SQL: &str = "ALTER TABLE \"account\" ADD COLUMN \"nick\" text;";

/// A database with `public.account` and `billing.invoice`, and a two-entry folder: `0000` is
/// the database as it is, `0001` adds `account.nick` (not applied).
fn two_entry_setup(test: &str) -> Option<(TestDb, tempfile::TempDir)> {
    let db = TestDb::create(test)?;
    let rt = runtime();
    let client = db.client(&rt);
    rt.block_on(client.batch_execute(
        "CREATE TABLE account (id serial PRIMARY KEY, email text NOT NULL);
         CREATE SCHEMA billing;
         CREATE TABLE billing.invoice (id serial PRIMARY KEY, account_id integer REFERENCES account(id));",
    ))
    .expect("create tables");
    let work = tempfile::tempdir().expect("tempdir");
    let (first, next) = (work.path().join("drizzle"), work.path().join("next"));
    pull(&db.url(), &first, &["--schemas", "public,billing"]);
    rt.block_on(client.batch_execute(NEXT_SQL))
        .expect("add column");
    pull(&db.url(), &next, &["--schemas", "public,billing"]);
    rt.block_on(client.batch_execute("ALTER TABLE account DROP COLUMN nick"))
        .expect("undo");
    append_entry(&first, &next, NEXT_SQL);
    Some((db, work))
}

/// Verification reads the schemas the snapshots name (`billing` here, with no `--schemas`),
/// marks the prefix the database reflects, and a second run is a no-op. Once the database has
/// the change, the next run marks `0001` too.
#[test]
fn verifies_multi_schema_folders_and_marks_the_reflected_prefix() {
    let Some((db, work)) = two_entry_setup("verify") else {
        return;
    };
    let folder = work.path().join("drizzle");
    let url = db.url();
    let out = baseline(&folder, &["--url", &url, "--json"], work.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v = envelope(&out);
    assert_eq!(v["verified"], true, "{v}");
    assert_eq!(v["matched"]["migration"], "0000_baseline", "{v}");
    assert_eq!(v["left"], serde_json::json!(["0001_next"]), "{v}");
    assert_eq!(v["history"]["inserted"], 1, "{v}");

    let out = baseline(&folder, &["--url", &url], work.path());
    assert_exit(
        &out,
        0,
        &[
            "Already baselined",
            "0001_next is not applied yet: left for `drizzle-kit migrate`",
        ],
    );

    // Deployed by hand (as the migrator would): now 0001 is reflected and gets marked.
    let rt = runtime();
    rt.block_on(db.client(&rt).batch_execute(NEXT_SQL))
        .expect("apply 0001");
    let out = baseline(&folder, &["--url", &url], work.path());
    assert_exit(
        &out,
        0,
        &[
            "the database matches the snapshot of 0001_next",
            "✔ Marked 0001_next as applied",
        ],
    );
    let rows = rt
        .block_on(
            db.client(&rt)
                .query(&format!("SELECT hash FROM {HISTORY}"), &[]),
        )
        .expect("read history");
    assert_eq!(rows.len(), 2);
}

/// A history that already records a migration the database does not reflect is not changed
/// (baseline never deletes rows), but it is called out: the migrator will skip that migration.
#[test]
fn warns_when_the_history_passes_an_unreflected_migration() {
    let Some((db, work)) = two_entry_setup("skipped") else {
        return;
    };
    let folder = work.path().join("drizzle");
    let url = db.url();
    let out = baseline(&folder, &["--url", &url, "--no-verify"], work.path());
    assert_exit(&out, 0, &["Marked 0001_next"]);
    let out = baseline(&folder, &["--url", &url, "--json"], work.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v = envelope(&out);
    assert_eq!(v["status"], "no_changes", "{v}");
    assert_eq!(
        v["skippedByHistory"],
        serde_json::json!(["0001_next"]),
        "{v}"
    );
    let out = baseline(&folder, &["--url", &url], work.path());
    assert_exit(&out, 0, &["drizzle-kit migrate will skip it"]);
}

/// A history table of a custom name in `public` is read with the database, but never compared
/// with the snapshots: the second run is a no-op, not drift.
#[test]
fn a_history_table_in_public_is_not_drift() {
    let Some((db, work)) = two_entry_setup("public_hist") else {
        return;
    };
    let folder = work.path().join("drizzle");
    let url = db.url();
    let args = [
        "--url",
        &url,
        "--migrations-schema",
        "public",
        "--migrations-table",
        "hist",
    ];
    let out = baseline(&folder, &args, work.path());
    assert_exit(&out, 0, &["Marked 0000_baseline as applied in public.hist"]);
    let out = baseline(&folder, &args, work.path());
    assert_exit(&out, 0, &["Already baselined"]);
}

/// A folder without snapshots cannot be verified: exit 1, the file named, `--no-verify` offered;
/// nothing is written.
#[test]
fn a_folder_without_snapshots_is_not_verified_silently() {
    let Some(db) = TestDb::create("nosnap") else {
        return;
    };
    let dir = baseline_folder();
    let out = baseline(dir.path(), &["--url", &db.url()], dir.path());
    assert_exit(&out, 1, &["0000_snapshot.json", "--no-verify"]);
    let rt = runtime();
    let exists: bool = rt
        .block_on(db.client(&rt).query_one(
            "SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL",
            &[],
        ))
        .expect("query")
        .get(0);
    assert!(!exists, "nothing may be written");
}

/// A default the snapshot spells one way and PostgreSQL stores another (`10.0.0.1/32` is kept as
/// `10.0.0.1`, `90 minutes` as `01:30:00`) is read through the database, as `check` does, on the
/// connection that then writes: the session it borrowed is read-write again afterwards. A real
/// difference is still one.
#[test]
fn literals_the_database_rewrites_are_verified_on_the_same_connection() {
    let Some(db) = TestDb::create("literals") else {
        return;
    };
    let rt = runtime();
    rt.block_on(db.client(&rt).batch_execute(
        "CREATE TABLE t (id serial PRIMARY KEY, addr inet NOT NULL DEFAULT '10.0.0.1/32', span interval DEFAULT '90 minutes')",
    ))
    .expect("create table");
    let work = tempfile::tempdir().expect("tempdir");
    let folder = work.path().join("drizzle");
    pull(&db.url(), &folder, &[]);
    let snapshot = folder.join("meta/0000_snapshot.json");
    let text = std::fs::read_to_string(&snapshot).unwrap();
    assert!(
        text.contains("'10.0.0.1'") && text.contains("'01:30:00'"),
        "{text}"
    );
    let respelled = text
        .replace("'10.0.0.1'", "'10.0.0.1/32'")
        .replace("'01:30:00'", "'90 minutes'");
    std::fs::write(&snapshot, &respelled).unwrap();
    let url = db.url();
    let out = baseline(&folder, &["--url", &url], work.path());
    assert_exit(&out, 0, &["Verified", "✔ Marked 0000_baseline"]);

    // A different value is drift.
    rt.block_on(db.client(&rt).batch_execute("DROP SCHEMA drizzle CASCADE"))
        .expect("drop history");
    std::fs::write(&snapshot, respelled.replace("'90 minutes'", "'91 minutes'")).unwrap();
    let out = baseline(&folder, &["--url", &url], work.path());
    assert_exit(&out, 2, &["column span: default differs"]);
}
