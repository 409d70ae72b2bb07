//! The Prisma → Drizzle workflow end to end on a real PostgreSQL database built by Prisma's own
//! DDL: convert, `baseline`, `drizzle-kit migrate` applies nothing, a later schema change migrates
//! exactly once, and drizzle-orm's relational queries work over the output (implicit many-to-many
//! and a self relation).

mod common;

use std::path::Path;
use std::process::Command;

use common::cases::extensions_prelude;
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

    node::run_baseline(&out, &db, "baseline");
    Some((db, dir, out))
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
