//! `cargo bench --bench introspect`: live PostgreSQL pull on a synthetic database (not a test).
//!
//! Builds (once, then reuses) a database of N tables from [`synthetic_ddl`] (15 columns, indexes, a foreign key, a check and an enum column per table), then prints in one
//! run: our pull time (introspect + render), the time of the same catalog queries run alone on
//! one connection, their ratio, the number of queries issued, and peak RSS. Targets: ≤ 1 s,
//! ratio ≤ 2, query count independent of table count, RSS ≤ 60 MB; 10,000 tables ≤ 10 s.
//! `BENCH_TABLES=1000,10000` chooses the sizes (default 1000); each size runs in its own child
//! process so its peak RSS is its own.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use drizzle_port::compare::{diff, DiffOptions};
use drizzle_port::introspect::migrations::read_migrations_folder;
use drizzle_port::introspect::postgres::catalog_queries;
use drizzle_port::introspect::{introspect_postgres_url_with_report, PgIntrospectOptions};
use drizzle_port::migrate::render_project;
use drizzle_port::render::RenderOptions;
use drizzle_port::source::SourceKind;
use tokio_postgres::types::{ToSql, Type};

/// DDL for a synthetic schema of `n` tables: each has a serial primary key, 13 typed columns, an
/// enum column, a foreign key to the previous table, a unique constraint, a check, a multi-column
/// index and a partial index.
fn synthetic_ddl(n: usize) -> String {
    let mut out = String::from("CREATE TYPE status AS ENUM ('draft', 'active', 'archived');\n");
    for i in 0..n {
        let t = format!("t{i:05}");
        let mut columns = vec![
            "id serial PRIMARY KEY".to_string(),
            "name text NOT NULL".into(),
            "email varchar(255) NOT NULL".into(),
            "price numeric(12,2) DEFAULT 0".into(),
            "qty integer NOT NULL DEFAULT 1".into(),
            "big bigint".into(),
            "ratio double precision".into(),
            "flag boolean NOT NULL DEFAULT false".into(),
            "created_at timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP".into(),
            "updated_at timestamptz".into(),
            "payload jsonb".into(),
            "tags text[]".into(),
            "ext_id uuid DEFAULT gen_random_uuid()".into(),
            "state status NOT NULL DEFAULT 'draft'".into(),
        ];
        if i > 0 {
            columns.push(format!(
                "parent_id integer REFERENCES t{:05}(id) ON DELETE CASCADE",
                i - 1
            ));
        }
        columns.push(format!("CONSTRAINT {t}_email_key UNIQUE (email)"));
        columns.push(format!("CONSTRAINT {t}_qty_check CHECK (qty >= 0)"));
        out.push_str(&format!("CREATE TABLE {t} ({});\n", columns.join(", ")));
        out.push_str(&format!(
            "CREATE INDEX {t}_name_idx ON {t} (name, created_at DESC);\n"
        ));
        out.push_str(&format!(
            "CREATE INDEX {t}_active_idx ON {t} (state) WHERE flag;\n"
        ));
    }
    out
}

fn psql(db: &str) -> Command {
    let mut c = Command::new("psql");
    c.args([
        "-X",
        "-q",
        "-h",
        "127.0.0.1",
        "-U",
        "postgres",
        "-d",
        db,
        "-v",
        "ON_ERROR_STOP=1",
    ]);
    c
}

fn url(db: &str) -> String {
    format!("postgres://postgres@127.0.0.1:5432/{db}")
}

/// Creates `drizzle_port_bench_<n>` unless it already holds n tables.
fn ensure_database(n: usize) -> Result<String, String> {
    let db = format!("drizzle_port_bench_{n}");
    let count = psql("postgres")
        .args([
            "-At",
            "-c",
            &format!("select count(*) from pg_database where datname = '{db}'"),
        ])
        .output()
        .map_err(|e| format!("psql: {e}"))?;
    if String::from_utf8_lossy(&count.stdout).trim() == "1" {
        let tables = psql(&db)
            .args([
                "-At",
                "-c",
                "select count(*) from pg_tables where schemaname = 'public'",
            ])
            .output()
            .map_err(|e| e.to_string())?;
        if String::from_utf8_lossy(&tables.stdout).trim() == n.to_string() {
            return Ok(db);
        }
        psql("postgres")
            .args(["-c", &format!("drop database {db}")])
            .status()
            .map_err(|e| e.to_string())?;
    }
    eprintln!("building a {n}-table database (once)…");
    psql("postgres")
        .args(["-c", &format!("create database {db}")])
        .status()
        .map_err(|e| e.to_string())?;
    let mut child = psql(&db)
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(synthetic_ddl(n).as_bytes())
        .map_err(|e| e.to_string())?;
    if !child.wait().map_err(|e| e.to_string())?.success() {
        return Err("applying the synthetic schema failed".into());
    }
    Ok(db)
}

fn peak_rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.to_string())
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|v| v.parse::<u64>().ok())
        })
        .unwrap_or(0)
        / 1024
}

/// The catalog queries alone, pipelined on one connection inside a read-only transaction, as the
/// tool runs them (best of 3).
fn queries_alone(db: &str) -> Duration {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let (client, conn) = tokio_postgres::connect(&url(db), tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        let schemas: Vec<&str> = vec!["public"];
        let p: &[(&(dyn ToSql + Sync), Type)] = &[(&schemas, Type::TEXT_ARRAY)];
        let mut best = Duration::MAX;
        for _ in 0..3 {
            client
                .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .await
                .unwrap();
            let start = Instant::now();
            let futures = catalog_queries().into_iter().map(|(_, sql, with_schemas)| {
                client.query_typed(sql, if with_schemas { p } else { &[] })
            });
            // Polled together they pipeline on the connection, as the tool runs them.
            let results = futures_util::future::join_all(futures).await;
            for r in results {
                r.unwrap();
            }
            best = best.min(start.elapsed());
            client.batch_execute("ROLLBACK").await.unwrap();
        }
        best
    })
}

fn run_size(n: usize) {
    let db = match ensure_database(n) {
        Ok(db) => db,
        Err(e) => {
            println!("{n} tables: skipped ({e})");
            return;
        }
    };
    let options = RenderOptions {
        name: "baseline".into(),
        when_ms: 0,
        snapshot_id: "bench".into(),
        flavour: drizzle_port::render::Flavour::default(),
    };
    let mut best: Option<(Duration, Duration, usize, usize)> = None;
    for _ in 0..3 {
        let start = Instant::now();
        let (schema, report) =
            introspect_postgres_url_with_report(&url(&db), &PgIntrospectOptions::default())
                .expect("introspection");
        let introspected = start.elapsed();
        let project = render_project(&schema, &options).expect("render");
        let total = start.elapsed();
        std::hint::black_box(project);
        if best.is_none_or(|b| total < b.0) {
            best = Some((total, introspected, report.queries, schema.tables.len()));
        }
    }
    let (pull, introspected, queries, tables) = best.unwrap();
    let alone = queries_alone(&db);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{n} tables: pull {:.0} ms (introspect {:.0} ms + render {:.0} ms), catalog queries alone {:.0} ms, ratio {:.2}, {queries} statements issued ({} catalog queries), {tables} tables read, peak RSS {} MiB",
        ms(pull),
        ms(introspected),
        ms(pull - introspected),
        ms(alone),
        pull.as_secs_f64() / alone.as_secs_f64(),
        catalog_queries().len(),
        peak_rss_mib()
    );
    // After the pull figures, so the peak RSS above is the pull's own.
    println!("{n} tables: {}", time_check(&db, &options));
}

/// `check MIGRATIONS DB` on a migrations folder pulled from the database: read the snapshot,
/// introspect, compare (best of 3).
fn time_check(db: &str, options: &RenderOptions) -> String {
    let (schema, _) =
        introspect_postgres_url_with_report(&url(db), &PgIntrospectOptions::default())
            .expect("introspection");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("drizzle");
    let project = render_project(&schema, options).expect("render");
    drizzle_port::migrate::output::write_project(&out, &project, false).expect("write");
    let mut best: Option<(Duration, Duration, Duration, usize)> = None;
    for _ in 0..3 {
        let start = Instant::now();
        let migrations = read_migrations_folder(&out).expect("snapshot");
        let read = start.elapsed();
        let (live, _) =
            introspect_postgres_url_with_report(&url(db), &PgIntrospectOptions::default())
                .expect("introspection");
        let introspected = start.elapsed() - read;
        let found = diff(
            &migrations,
            &live,
            &DiffOptions::for_sides(SourceKind::Migrations, SourceKind::Database),
        );
        let total = start.elapsed();
        if best.is_none_or(|b| total < b.0) {
            best = Some((total, read, introspected, found.differences.len()));
        }
    }
    let (total, read, introspected, differences) = best.unwrap();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "check migrations vs database {:.0} ms (read snapshot {:.0} ms + introspect {:.0} ms + compare {:.0} ms), {differences} differences",
        ms(total),
        ms(read),
        ms(introspected),
        ms(total - read - introspected)
    )
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--size") {
        run_size(args[pos + 1].parse().expect("size"));
        return;
    }
    let sizes = std::env::var("BENCH_TABLES").unwrap_or_else(|_| "1000".into());
    let exe = std::env::current_exe().unwrap();
    for size in sizes.split(',').filter(|s| !s.is_empty()) {
        let status = Command::new(&exe)
            .args(["--size", size.trim()])
            .status()
            .expect("child");
        assert!(status.success(), "size {size} failed");
    }
}
