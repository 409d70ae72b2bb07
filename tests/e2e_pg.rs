//! The Prisma → Drizzle workflow end to end on a real PostgreSQL database built by Prisma's own
//! DDL: convert, `baseline`, `drizzle-kit migrate` applies nothing, a later schema change migrates
//! exactly once, and drizzle-orm's relational queries work over the output (implicit many-to-many
//! and a self relation). `baseline` verifies before it marks (issue 9): a generated migration the
//! database lacks is left for the migrator, and a database matching no snapshot is refused.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::cases::{cases, extensions_prelude, for_every_case, shortened};
use common::node::{self, TempDb};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_drizzle-port")
}

fn sample(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

fn run(args: &[&str]) -> std::process::Output {
    Command::new(bin())
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .expect("run drizzle-port")
}

fn history_rows(db: &TempDb) -> String {
    db.query("select hash, created_at from drizzle.__drizzle_migrations order by id")
        .unwrap_or_default()
}

/// A database built by Prisma's DDL for `sample`, converted and baselined.
fn baselined(sample_name: &str) -> Option<(TempDb, tempfile::TempDir, std::path::PathBuf)> {
    let (db, dir, out) = converted(sample_name)?;
    node::run_baseline(&out, &db, "baseline");
    Some((db, dir, out))
}

/// A database built by Prisma's DDL for `sample` and its converted output (not baselined).
fn converted(sample_name: &str) -> Option<(TempDb, tempfile::TempDir, std::path::PathBuf)> {
    if !node::require_node() {
        return None;
    }
    let db = TempDb::create_or_skip()?;
    let schema = sample(sample_name).join("schema.prisma");
    db.exec_sql(&extensions_prelude(&schema).unwrap()).unwrap();
    let expected = std::fs::read_to_string(sample(sample_name).join("expected.sql")).unwrap();
    db.exec_sql(&expected).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("drizzle");
    let convert = run(&[
        "convert",
        sample(sample_name).to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        convert.status.success(),
        "convert failed: {}",
        String::from_utf8_lossy(&convert.stderr)
    );
    Some((db, dir, out))
}

/// `baseline --json` on `out` against `db`: the exit code and the envelope.
fn baseline_json(out: &Path, db: &TempDb) -> (Option<i32>, serde_json::Value) {
    let o = run(&[
        "baseline",
        "--migrations",
        out.to_str().unwrap(),
        "--url",
        &db.url(),
        "--json",
    ]);
    let envelope = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "one JSON envelope expected ({e}):\n{}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    (o.status.code(), envelope)
}

/// The `when` of every journal entry, in order.
fn journal_whens(out: &Path) -> Vec<i64> {
    let text = std::fs::read_to_string(out.join("meta/_journal.json")).unwrap();
    let journal: serde_json::Value = serde_json::from_str(&text).unwrap();
    journal["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["when"].as_i64().unwrap())
        .collect()
}

#[test]
fn baseline_then_migrate_applies_nothing_and_later_migrations_apply_once() {
    let Some((db, _dir, out)) = baselined("saas") else {
        return;
    };
    let rows_after_baseline = history_rows(&db);
    assert_eq!(
        rows_after_baseline.lines().count(),
        1,
        "one history row expected"
    );

    // A second baseline changes nothing.
    node::run_baseline(&out, &db, "second baseline");
    assert_eq!(
        history_rows(&db),
        rows_after_baseline,
        "second baseline must not change the history"
    );

    // drizzle's migrator sees the baseline as applied.
    node::migrate_applies_nothing(&out, &db, "baseline must not be re-applied");

    // Add a column to schema.ts, let drizzle-kit generate the migration, and apply it.
    node::add_column_migrates_once(
        &out,
        &db,
        "export const organization = pgTable(\"organizations\", {\n",
        "organizations",
        "nickname",
    );
}

#[test]
fn relational_queries_over_many_to_many_and_self_relations() {
    let Some((db, _dir, out)) = baselined("pg_blog") else {
        return;
    };
    db.exec_sql(
        r#"
        INSERT INTO "Journalist" ("id", "email", "displayName") VALUES (1, 'ada@example.org', 'Ada');
        INSERT INTO "Section" ("id", "slug", "title", "parentId") VALUES (1, 'news', 'News', NULL), (2, 'world', 'World', 1), (3, 'europe', 'Europe', 2);
        INSERT INTO "Article" ("id", "headline", "body", "authorId", "sectionId") VALUES (1, 'Hello', 'First', 1, 3);
        INSERT INTO "Keyword" ("id", "label") VALUES (1, 'rust'), (2, 'drizzle');
        INSERT INTO "_ArticleToKeyword" ("A", "B") VALUES (1, 1), (1, 2);
        "#,
    )
    .unwrap();

    // Implicit many-to-many: article → join rows → keyword.
    let rows = node::relational_query_pg_plan(
        &out,
        &db.url(),
        &serde_json::json!({ "table": "article", "with": { "keywords": { "with": { "keyword": true } } } }),
    )
    .expect("many-to-many query");
    let labels: Vec<String> = rows[0]["keywords"]
        .as_array()
        .expect("keywords")
        .iter()
        .map(|k| k["keyword"]["label"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(labels.len(), 2, "{rows}");
    assert!(
        labels.contains(&"rust".to_string()) && labels.contains(&"drizzle".to_string()),
        "{rows}"
    );

    // Self relation both ways: parent and children of the section tree.
    let rows = node::relational_query_pg_plan(
        &out,
        &db.url(),
        &serde_json::json!({ "table": "section", "with": { "parent": true, "children": true }, "orderBy": ["id"] }),
    )
    .expect("self-relation query");
    let world = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["slug"] == "world")
        .expect("world")
        .clone();
    assert_eq!(world["parent"]["slug"], "news", "{rows}");
    assert_eq!(world["children"][0]["slug"], "europe", "{rows}");
}

/// Issue 9, acceptance 1 and 3: `0001` generated by drizzle-kit but not deployed. `baseline`
/// records only `0000` (the database equals its snapshot, not `0001`'s), says `0001` is left, and
/// drizzle's migrator then applies `0001` exactly once. Every further run is a no-op: before the
/// migrator (0000 recorded, 0001 still left) and after it (both recorded, the database now
/// equals `0001`'s snapshot).
#[test]
fn baseline_leaves_an_undeployed_migration_for_the_migrator() {
    let Some((db, _dir, out)) = converted("saas") else {
        return;
    };
    node::add_column_and_generate(
        &out,
        "export const organization = pgTable(\"organizations\", {\n",
        "organizations",
        "nickname",
    );
    let whens = journal_whens(&out);
    assert_eq!(whens.len(), 2);

    let (code, v) = baseline_json(&out, &db);
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(v["status"], "ok", "{v}");
    assert_eq!(v["verified"], true, "{v}");
    assert_eq!(v["marked"], serde_json::json!(["0000_baseline"]), "{v}");
    let left = v["left"].as_array().unwrap();
    assert_eq!(left.len(), 1, "{v}");
    assert!(left[0].as_str().unwrap().starts_with("0001_"), "{v}");
    assert_eq!(
        v["history"]["migrations"],
        serde_json::json!(["0000_baseline"])
    );
    let rows = history_rows(&db);
    assert_eq!(rows.lines().count(), 1, "only 0000 recorded: {rows}");
    assert!(rows.ends_with(&whens[0].to_string()), "{rows}");

    // Twice: nothing changes, 0001 is still left.
    let o = run(&[
        "baseline",
        "--migrations",
        out.to_str().unwrap(),
        "--url",
        &db.url(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("Already baselined"), "{stderr}");
    assert!(
        stderr.contains("left for `drizzle-kit migrate`"),
        "{stderr}"
    );
    assert!(!stderr.contains("Marked 0001"), "{stderr}");
    assert_eq!(history_rows(&db), rows);

    // The migrator applies 0001 once (the column appears), then nothing.
    node::migrate_adds_column_once(&out, &db, "organizations", "nickname");

    // Now the database equals 0001's snapshot and the history records both: still a no-op.
    let after_migrate = history_rows(&db);
    assert_eq!(after_migrate.lines().count(), 2, "{after_migrate}");
    let (code, v) = baseline_json(&out, &db);
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(v["status"], "no_changes", "{v}");
    assert_eq!(v["marked"].as_array().unwrap().len(), 2, "{v}");
    assert_eq!(v["left"], serde_json::json!([]), "{v}");
    assert_eq!(history_rows(&db), after_migrate);
}

/// Issue 9, acceptance 2: a column dropped by hand matches no snapshot. `baseline` exits 2, names
/// the column (text and `--json`), and writes nothing: not even the history table is created.
/// `--no-verify` is the explicit way to mark anyway.
#[test]
fn baseline_refuses_a_database_that_matches_no_snapshot() {
    let Some((db, _dir, out)) = converted("saas") else {
        return;
    };
    db.exec_sql("ALTER TABLE \"organizations\" DROP COLUMN \"logo\";")
        .unwrap();
    let history_table = || {
        db.query("select coalesce(to_regclass('drizzle.__drizzle_migrations')::text, 'none')")
            .unwrap()
    };

    let o = run(&[
        "baseline",
        "--migrations",
        out.to_str().unwrap(),
        "--url",
        &db.url(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("table organizations:"), "{stderr}");
    assert!(
        stderr.contains("column logo: only in 0000_baseline (bytea)"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(
        o.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert_eq!(history_table(), "none", "no history table may be created");

    let (code, v) = baseline_json(&out, &db);
    assert_eq!(code, Some(2), "{v}");
    assert_eq!(v["status"], "refused", "{v}");
    assert_eq!(v["marked"], serde_json::json!([]), "{v}");
    assert_eq!(v["left"], serde_json::json!(["0000_baseline"]), "{v}");
    assert_eq!(v["closest"]["migration"], "0000_baseline", "{v}");
    let differences = v["differences"].as_array().unwrap();
    assert_eq!(differences.len(), 1, "{v}");
    assert_eq!(differences[0]["object"], "organizations");
    assert_eq!(differences[0]["item"], "column logo");
    assert_eq!(history_table(), "none");

    // The escape hatch: today's behaviour, said on stderr.
    let o = run(&[
        "baseline",
        "--migrations",
        out.to_str().unwrap(),
        "--url",
        &db.url(),
        "--no-verify",
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("--no-verify"), "{stderr}");
    assert_eq!(history_rows(&db).lines().count(), 1);
}

/// The workflow README describes, on every PostgreSQL case: the folder `convert` writes from the
/// Prisma schema verifies against the database Prisma's DDL built (no false refusal: views Prisma
/// only declares, DEFERRABLE, comments … are not held against it), and `baseline` marks it.
#[test]
fn every_converted_case_verifies_against_its_prisma_built_database() {
    let all = cases("postgresql");
    for_every_case(&all, shortened, |case| -> Result<(), String> {
        let Some(db) = TempDb::create_or_skip() else {
            return Ok(());
        };
        db.exec_sql(&extensions_prelude(&case.schema)?)?;
        db.exec_sql(&std::fs::read_to_string(&case.expected_sql).map_err(|e| e.to_string())?)?;
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let out = dir.path().join("drizzle");
        let convert = run(&[
            "convert",
            case.schema.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        if !convert.status.success() {
            return Err(format!(
                "convert failed: {}",
                String::from_utf8_lossy(&convert.stderr)
            ));
        }
        let (code, v) = baseline_json(&out, &db);
        if code != Some(0)
            || v["verified"] != true
            || v["marked"] != serde_json::json!(["0000_baseline"])
        {
            return Err(format!("baseline exit {code:?}: {v}"));
        }
        Ok(())
    });
}
