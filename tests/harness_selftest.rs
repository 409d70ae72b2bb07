//! Self-test of the node/drizzle-kit/PostgreSQL harness (tests/common/node.rs) on a hand-written
//! fixture, tests/fixtures/harness/ (schema.ts, relations.ts and the migrations folder drizzle-kit
//! 0.31.11 generated from them with `--name init`).
//!
//! Tests skip with a notice when node/npm or PostgreSQL are missing, and fail instead when `CI` is set.

use crate::common;

use common::node::{self, TempDb};
use std::fs;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/harness")
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    format!("{:x}", Sha256::digest(bytes))
}

/// The fixture copied to a temp dir OUTSIDE tests/conformance (exercises the copy/relative-path logic).
fn fixture_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    node::copy_dir(&fixture(), dir.path()).expect("copy fixture");
    dir
}

fn sql_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    v.sort();
    v
}

#[test]
fn fixture_generate_reports_no_changes() {
    if !node::require_node() {
        return;
    }
    let before: Vec<_> = sql_files(&fixture());
    node::generate_reports_no_changes(&fixture(), "postgresql").unwrap();
    assert_eq!(
        sql_files(&fixture()),
        before,
        "the committed fixture must not be touched"
    );
}

#[test]
fn drift_is_reported_with_the_sql() {
    if !node::require_node() {
        return;
    }
    let copy = fixture_copy();
    let schema = copy.path().join("schema.ts");
    let text = fs::read_to_string(&schema).unwrap();
    let edited = text.replace(
        "  title: text('title').notNull(),\n",
        "  title: text('title').notNull(),\n  subtitle: text('subtitle'),\n",
    );
    assert_ne!(text, edited);
    fs::write(&schema, edited).unwrap();
    let err = node::generate_reports_no_changes(copy.path(), "postgresql").unwrap_err();
    assert!(
        err.contains(r#"ALTER TABLE "Post" ADD COLUMN "subtitle" text;"#),
        "{err}"
    );
    // generate_reports_no_changes works on a copy: nothing new in the folder.
    assert_eq!(sql_files(copy.path()).len(), 1);
}

#[test]
fn schema_import_failure_is_an_error() {
    if !node::require_node() {
        return;
    }
    let copy = fixture_copy();
    fs::write(
        copy.path().join("schema.ts"),
        "import { nope } from 'drizzle-orm/does-not-exist';\nexport const x = nope;\n",
    )
    .unwrap();
    let r = node::drizzle_kit_generate(copy.path(), "postgresql");
    assert!(
        !r.status,
        "drizzle-kit exits 0 here; the harness must still see the failure:\n{}",
        r.describe()
    );
    assert!(node::generate_reports_no_changes(copy.path(), "postgresql").is_err());
}

#[test]
fn fixture_typechecks() {
    if !node::require_node() {
        return;
    }
    let f = fixture();
    node::tsc_check(&[&f.join("schema.ts"), &f.join("relations.ts")]).unwrap();
}

#[test]
fn tsc_reports_type_errors() {
    if !node::require_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("schema.ts");
    fs::write(
        &bad,
        "import { integer } from 'drizzle-orm/pg-core';\nexport const n: string = integer('n');\n",
    )
    .unwrap();
    let err = node::tsc_check(&[&bad]).unwrap_err();
    assert!(err.contains("error TS2322"), "{err}");
}

#[test]
fn fresh_generate_reproduces_the_fixture_sql() {
    if !node::require_node() {
        return;
    }
    let f = fixture();
    let sql = node::generate_fresh(
        &f.join("schema.ts"),
        Some(&f.join("relations.ts")),
        "postgresql",
    )
    .unwrap();
    let fresh = fs::read_to_string(&sql).unwrap();
    let committed = fs::read_to_string(f.join("0000_init.sql")).unwrap();
    assert_eq!(fresh, committed, "fresh generate at {}", sql.display());
    let meta = sql.parent().unwrap().join("meta");
    assert!(meta.join("_journal.json").is_file() && meta.join("0000_snapshot.json").is_file());
}

#[test]
fn migrate_applies_baseline_then_nothing_then_the_new_migration() {
    if !node::require_node() {
        return;
    }
    let Some(db) = TempDb::create_or_skip() else {
        return;
    };
    let copy = fixture_copy();

    let first = node::migrate_pg(copy.path(), &db.url()).unwrap();
    let baseline_hash = sha256_hex(&fs::read(copy.path().join("0000_init.sql")).unwrap());
    assert_eq!(
        first,
        node::MigrateReport {
            before: 0,
            after: 1,
            applied: vec![baseline_hash]
        }
    );

    let second = node::migrate_pg(copy.path(), &db.url()).unwrap();
    assert_eq!(
        (second.before, second.after, second.applied_count()),
        (1, 1, 0)
    );

    // Add a column, generate, migrate: exactly that migration is applied.
    let schema = copy.path().join("schema.ts");
    let text = fs::read_to_string(&schema).unwrap();
    fs::write(
        &schema,
        text.replace(
            "  name: text('name').notNull(),\n",
            "  name: text('name').notNull(),\n  color: text('color'),\n",
        ),
    )
    .unwrap();
    let r = node::drizzle_kit_generate_with(copy.path(), "postgresql", &["--name", "add_color"]);
    assert!(r.status, "{}", r.describe());
    let new_sql = copy.path().join("0001_add_color.sql");
    let new_text = fs::read_to_string(&new_sql).unwrap_or_else(|e| panic!("{e}\n{}", r.describe()));
    assert_eq!(new_text, r#"ALTER TABLE "Tag" ADD COLUMN "color" text;"#);
    node::generate_reports_no_changes(copy.path(), "postgresql").unwrap();

    let third = node::migrate_pg(copy.path(), &db.url()).unwrap();
    assert_eq!(
        third,
        node::MigrateReport {
            before: 1,
            after: 2,
            applied: vec![sha256_hex(new_text.as_bytes())]
        }
    );
    let catalog = db.catalog_without_history().unwrap();
    assert!(
        catalog.contains("col public.Tag.color text YES default="),
        "{catalog}"
    );
    assert!(!catalog.contains("__drizzle_migrations"), "{catalog}");
    assert!(db
        .catalog()
        .unwrap()
        .contains("drizzle.__drizzle_migrations"));
}

#[test]
fn drizzle_kit_migrate_cli_applies_the_fixture() {
    if !node::require_node() {
        return;
    }
    let Some(db) = TempDb::create_or_skip() else {
        return;
    };
    let r = node::drizzle_kit_migrate(&fixture(), "postgresql", &db.url());
    assert!(r.status, "{}", r.describe());
    assert_eq!(
        db.query(r#"select count(*) from drizzle.__drizzle_migrations"#)
            .unwrap(),
        "1"
    );
    assert_eq!(db.query(r#"select count(*) from "User""#).unwrap(), "0");
}

#[test]
fn relational_query_returns_nested_rows() {
    if !node::require_node() {
        return;
    }
    let Some(db) = TempDb::create_or_skip() else {
        return;
    };
    node::migrate_pg(&fixture(), &db.url()).unwrap();
    db.exec_sql(
        r#"
        INSERT INTO "User" (id, email, role) VALUES (1, 'ada@example.com', 'ADMIN');
        INSERT INTO "User" (id, email, "invitedById") VALUES (2, 'bob@example.com', 1);
        INSERT INTO "Post" (id, title, "authorId") VALUES (10, 'Hello', 2), (11, 'World', 1);
        INSERT INTO "Tag" (id, name) VALUES (100, 'rust'), (101, 'sql');
        INSERT INTO "_PostToTag" ("A", "B") VALUES (10, 100), (10, 101), (11, 101);
        "#,
    )
    .unwrap();

    let posts = node::relational_query_pg_plan(
        &fixture(),
        &db.url(),
        &serde_json::json!({
            "table": "post",
            "orderBy": ["id"],
            "with": { "author": true, "tags": { "with": { "tag": true } } }
        }),
    )
    .unwrap();
    let posts = posts.as_array().expect("array of rows");
    assert_eq!(posts.len(), 2, "{posts:?}");
    assert_eq!(posts[0]["title"], "Hello");
    assert_eq!(posts[0]["author"]["email"], "bob@example.com");
    let mut tags: Vec<&str> = posts[0]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["tag"]["name"].as_str().unwrap())
        .collect();
    tags.sort();
    assert_eq!(tags, ["rust", "sql"]);

    // Self relation both ways, via the simple signature.
    let users = node::relational_query_pg(
        &fixture(),
        &db.url(),
        "user",
        r#"{"invitedBy": true, "invitees": true}"#,
    )
    .unwrap();
    let users = users.as_array().unwrap();
    let ada = users.iter().find(|u| u["id"] == 1).expect("ada");
    let bob = users.iter().find(|u| u["id"] == 2).expect("bob");
    assert_eq!(ada["role"], "ADMIN");
    assert_eq!(bob["role"], "USER");
    assert!(ada["invitedBy"].is_null());
    assert_eq!(bob["invitedBy"]["email"], "ada@example.com");
    assert_eq!(ada["invitees"][0]["email"], "bob@example.com");
    assert!(ada["createdAt"].is_string());

    let err = node::relational_query_pg(&fixture(), &db.url(), "nope", "{}").unwrap_err();
    assert!(err.contains("no table export \"nope\""), "{err}");
}

#[test]
fn temp_db_reports_sql_errors_with_psql_output() {
    let Some(db) = TempDb::create_or_skip() else {
        return;
    };
    let err = db
        .exec_sql("CREATE TABLE t (id int);\nSELECT * FROM missing_table;\n")
        .unwrap_err();
    assert!(err.contains("missing_table"), "{err}");
    assert!(db.url().ends_with(db.name()));
}

#[test]
fn sqlite_generate_and_migrate() {
    if !node::require_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("schema.ts");
    fs::write(
        &schema,
        r#"import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const user = sqliteTable('User', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  email: text('email').notNull(),
  createdAt: integer('createdAt', { mode: 'timestamp_ms' }).default(sql`(unixepoch() * 1000)`).notNull(),
}, (t) => [uniqueIndex('User_email_key').on(t.email)]);
"#,
    )
    .unwrap();
    let sql = node::generate_fresh(&schema, None, "sqlite").unwrap();
    let text = fs::read_to_string(&sql).unwrap();
    assert!(
        text.starts_with(
            "CREATE TABLE `User` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,"
        ),
        "{text}"
    );
    let out = sql.parent().unwrap();
    node::tsc_check(&[&schema]).unwrap();

    let url = node::sqlite_url_for(&dir.path().join("test.db"));
    let first = node::migrate_sqlite(out, &url).unwrap();
    assert_eq!((first.before, first.after), (0, 1));
    assert_eq!(first.applied, [sha256_hex(text.as_bytes())]);
    let second = node::migrate_sqlite(out, &url).unwrap();
    assert_eq!(second.applied_count(), 0);
}

/// The suite owns every tool it needs: no source or test reads a path outside the repository
/// except the shared cases folder, through `DRIZZLE_PORT_SHARED` or its default.
#[test]
fn nothing_reads_outside_the_repository_but_the_shared_folder() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    let mut stack = vec![root.join("src"), root.join("tests")];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().to_string();
            if path.is_dir() {
                if !matches!(name.as_str(), "node_modules" | "target" | ".work") {
                    stack.push(path);
                }
            } else if ["rs", "sql", "mjs", "sh", "py"]
                .iter()
                .any(|x| name.ends_with(&format!(".{x}")))
            {
                files.push(path);
            }
        }
    }
    let outward = ["\"../shared", "join(\"..\")", "\"/work/", "\"/home/"];
    let mut offenders = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).unwrap();
        let reads_env = text.contains("DRIZZLE_PORT_SHARED");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            let hit = outward.iter().find(|p| code.contains(**p));
            if let Some(p) = hit {
                let default_of_shared = reads_env && *p == "join(\"..\")";
                // This test's own list of patterns is not a read.
                if !default_of_shared && !file.ends_with("harness_selftest.rs") {
                    offenders.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(files.len() > 50, "found only {} files", files.len());
    assert!(
        offenders.is_empty(),
        "paths outside the repository:\n{}",
        offenders.join("\n")
    );
}
