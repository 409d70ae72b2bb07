//! Prisma (SQLite) → Drizzle 1.0 (`Flavour::Drizzle1`) over every SQLite sample, probe and corpus
//! schema (issue 12, SQLite part), with the real drizzle-kit / drizzle-orm `1.0.0-rc.5` pinned in
//! `tests/conformance-1`: the folder is 1.0's layout (one `<YYYYMMDDHHMMSS>_baseline/` with
//! `migration.sql` and a version 7 `snapshot.json`); drizzle-kit 1.0 `generate` finds no changes
//! (dialects `sqlite` and `turso`) and `check` passes; our snapshot's `ddl` is row for row what
//! drizzle-kit 1.0 derives from our `schema.ts`; drizzle-orm 1.0's migrator builds Prisma's
//! catalog in an empty file from the folder alone; `tsc --strict` compiles `schema.ts`.

use crate::common;

use std::path::{Path, PathBuf};

use common::cases::{cases, for_every_case, line_diff, shortened as short, Case};
use common::kit1_sqlite as kit1;
use common::node::{self, use_kit, Kit};
use common::sqlite::{self, TempSqlite};
use drizzle_port::migrate::{render_project, Project};
use drizzle_port::render::{Flavour, RenderOptions};
use serde_json::Value;

fn options() -> RenderOptions {
    RenderOptions {
        name: "baseline".into(),
        when_ms: 1_700_000_000_000,
        snapshot_id: "5d7b1c1e-0000-4000-8000-000000000007".into(),
        flavour: Flavour::Drizzle1,
    }
}

/// The folder 1.0 gets for `when_ms` 1_700_000_000_000 (UTC).
const FOLDER: &str = "20231114221320_baseline";

fn render(schema: &Path) -> Result<Project, String> {
    let schema = drizzle_port::prisma::load(schema).map_err(|e| match e {
        drizzle_port::prisma::LoadError::Invalid(errors) => errors.render_plain(),
        other => other.to_string(),
    })?;
    render_project(&schema, &options()).map_err(|e| e.to_string())
}

/// Converts a case into a fresh output folder (written the way `convert` writes it).
fn convert(case: &Case) -> Result<(tempfile::TempDir, PathBuf), String> {
    let project = render(&case.schema)?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let out = dir.path().join("drizzle");
    drizzle_port::migrate::output::write_project(&out, &project, false)
        .map_err(|e| e.to_string())?;
    Ok((dir, out))
}

/// Every SQLite sample, probe and corpus schema, and the inline edge case.
fn all_cases() -> Vec<Case> {
    let mut all = cases("sqlite");
    // `DRIZZLE_PORT_CASES` narrows the set as in `cases()`.
    let edge = sqlite::edge_case();
    let wanted = std::env::var("DRIZZLE_PORT_CASES").unwrap_or_default();
    let filters: Vec<&str> = wanted
        .split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .collect();
    assert!(
        !filters.is_empty() || all.len() >= 3,
        "expected the SQLite samples at least, found {}",
        all.len()
    );
    if filters.is_empty() || filters.iter().any(|f| edge.name.contains(f)) {
        all.push(edge);
    }
    all
}

#[test]
fn every_sqlite_schema_renders_a_1_0_folder() {
    for_every_case(&all_cases(), short, |case| {
        let (_dir, out) = convert(case)?;
        let folders = kit1::migration_folders(&out);
        if folders != [out.join(FOLDER)] {
            return Err(format!("expected only {FOLDER}/, found {folders:?}"));
        }
        if out.join("meta").exists() {
            return Err("a 1.0 folder has no meta/ (1.0 refuses a journal)".into());
        }
        let snapshot: Value = serde_json::from_str(
            &std::fs::read_to_string(out.join(FOLDER).join("snapshot.json"))
                .map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
        let keys: Vec<&str> = snapshot
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        if keys != ["version", "dialect", "id", "prevIds", "ddl", "renames"]
            || snapshot["version"] != "7"
        {
            return Err(format!("not a version 7 SQLite snapshot: {keys:?}"));
        }
        Ok(())
    });
}

#[test]
fn drizzle_kit_1_generate_finds_no_changes_and_check_passes() {
    let _k = use_kit(Kit::V1);
    if !node::require_node() {
        return;
    }
    for_every_case(&all_cases(), short, |case| {
        let (_dir, out) = convert(case)?;
        for dialect in ["sqlite", "turso"] {
            kit1::generate_finds_nothing(&out, dialect)?;
        }
        kit1::check_passes(&out, "sqlite")
    });
}

/// The `ddl` rows as drizzle-kit 1.0 writes them for our `schema.ts` into an empty folder, in its
/// order and key order: equal to ours (only the `id` differs).
#[test]
fn snapshot_is_what_drizzle_kit_1_derives() {
    let _k = use_kit(Kit::V1);
    if !node::require_node() {
        return;
    }
    for_every_case(&all_cases(), short, |case| {
        let (_dir, out) = convert(case)?;
        snapshot_is_kits(&out)
    });
}

/// OUT's `snapshot.json` is byte for byte what drizzle-kit 1.0 writes for OUT's `schema.ts`
/// (with our `id`).
fn snapshot_is_kits(out: &Path) -> Result<(), String> {
    let ours = std::fs::read_to_string(out.join(FOLDER).join("snapshot.json"))
        .map_err(|e| e.to_string())?;
    let (_, mut theirs) = kit1::generate_fresh(out, "sqlite")?;
    theirs["id"] = Value::String(options().snapshot_id);
    let theirs = serde_json::to_string_pretty(&theirs).unwrap();
    if ours != theirs {
        return Err(format!(
            "our snapshot.json is not drizzle-kit 1.0's (- ours, + drizzle-kit):\n{}",
            ordered_diff(&ours, &theirs)
        ));
    }
    Ok(())
}

/// Everything drizzle-kit 1.0 says about OUT: `generate` finds nothing (`sqlite` and `turso`),
/// `check` passes, the snapshot is its own.
fn kit_agrees(out: &Path) -> Result<(), String> {
    for dialect in ["sqlite", "turso"] {
        kit1::generate_finds_nothing(out, dialect)?;
    }
    kit1::check_passes(out, "sqlite")?;
    snapshot_is_kits(out)
}

/// The lines of `a` and `b` that differ, in order, with a little context.
fn ordered_diff(a: &str, b: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let first = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let from = first.saturating_sub(8);
    let mut out: Vec<String> = a[from..first].iter().map(|l| format!("  {l}")).collect();
    out.extend(a[first..].iter().take(30).map(|l| format!("- {l}")));
    out.extend(b[first..].iter().take(30).map(|l| format!("+ {l}")));
    out.join("\n")
}

#[test]
fn fresh_database_migrates_from_the_folder_alone() {
    let _k = use_kit(Kit::V1);
    if !node::require_node() || !sqlite::require_python() {
        return;
    }
    for_every_case(&all_cases(), short, |case| {
        let (_dir, out) = convert(case)?;
        let (expected_sql, _) = sqlite::corrected_prisma_sql(&case.expected_sql)?;
        let want = sqlite::catalog_of_sql(&expected_sql)?;
        let fresh = TempSqlite::new()?;
        let report = node::migrate_sqlite(&out, &fresh.url())?;
        if report.applied != [FOLDER] {
            return Err(format!("the baseline must apply once, by name: {report:?}"));
        }
        let got = sqlite::catalog_of_db(&fresh.path)?;
        if want != got {
            return Err(format!(
                "catalogs differ (- Prisma, + migrated by drizzle-orm 1.0):\n{}",
                line_diff(&want, &got).join("\n")
            ));
        }
        let again = node::migrate_sqlite(&out, &fresh.url())?;
        if again.applied_count() != 0 {
            return Err(format!("a second run must apply nothing: {again:?}"));
        }
        Ok(())
    });
}

#[test]
fn schema_ts_compiles_strict_against_drizzle_orm_1() {
    let _k = use_kit(Kit::V1);
    if !node::require_node() {
        return;
    }
    for_every_case(&all_cases(), short, |case| {
        let (_dir, out) = convert(case)?;
        node::tsc_check(&[&out.join("schema.ts")])
    });
}

/// A small schema with one of each row kind drizzle-kit 1.0 writes for SQLite.
const SMALL: &str = r#"datasource db {
  provider = "sqlite"
}

model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique
  role      String   @default("it's")
  active    Boolean  @default(true)
  score     Float    @default(1.5)
  createdAt DateTime @default(now())
  posts     Post[]
}

model Post {
  id       String @id
  authorId Int
  author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade)
  tags     PostTag[]

  @@index([authorId])
}

model PostTag {
  postId String
  tag    String
  note   String? @default("C:\\temp")
  post   Post    @relation(fields: [postId], references: [id])

  @@id([postId, tag])
}
"#;

#[test]
fn v7_snapshot_of_a_small_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("schema.prisma");
    std::fs::write(&path, SMALL).unwrap();
    let project = render(&path).unwrap();
    let file = |name: &str| {
        project
            .files
            .iter()
            .find(|(f, _)| f == name)
            .map(|(_, text)| text.clone())
            .unwrap_or_else(|| panic!("no {name} in {:?}", project.files))
    };
    insta::assert_snapshot!(
        "small_snapshot_json",
        file(&format!("{FOLDER}/snapshot.json"))
    );
    insta::assert_snapshot!("small_schema_ts", file("schema.ts"));
    insta::assert_snapshot!(
        "small_migration_sql",
        file(&format!("{FOLDER}/migration.sql"))
    );

    let _k = use_kit(Kit::V1);
    if !node::require_node() {
        return;
    }
    let out = dir.path().join("drizzle");
    drizzle_port::migrate::output::write_project(&out, &project, false).unwrap();
    kit_agrees(&out).unwrap();
    node::tsc_check(&[&out.join("schema.ts")]).unwrap();
}

/// What a live SQLite file holds beyond Prisma's DDL (tests/introspect_sqlite.rs's features, plus
/// what only 1.0 can say): UNIQUE table constraints (named and not), CHECKs (one qualified, which
/// drizzle-kit 1.0 unqualifies in its snapshot), a STORED generated
/// column, expression defaults, a text default with a backslash, an expression index with DESC, a
/// partial index, a composite key, a view.
const FEATURES_SQL: &str = r#"
CREATE TABLE "org" (
  id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  slug TEXT NOT NULL,
  path TEXT NOT NULL DEFAULT 'C:\tmp',
  created_at TEXT NOT NULL DEFAULT (datetime('now')),
  score REAL DEFAULT 0.5 CHECK (score >= 0),
  name_len INTEGER GENERATED ALWAYS AS (length(name)) STORED,
  CONSTRAINT org_name_ok CHECK (name <> ')'),
  CONSTRAINT org_score_max CHECK ("org"."score" < 100),
  CONSTRAINT org_name_path_key UNIQUE (name, path)
);
CREATE UNIQUE INDEX org_slug_key ON org (slug);
CREATE TABLE member (
  org_id INTEGER NOT NULL,
  email TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT 'user',
  handle TEXT UNIQUE,
  data BLOB,
  PRIMARY KEY (org_id, email),
  CONSTRAINT member_org_fkey FOREIGN KEY (org_id) REFERENCES org (id) ON DELETE CASCADE ON UPDATE SET NULL
);
CREATE INDEX member_email_lower ON member (lower(email) DESC);
CREATE INDEX member_admins ON member (org_id) WHERE role = 'admin';
CREATE VIEW org_names AS SELECT id, name FROM org;
"#;

/// A live database introspected and rendered for 1.0: drizzle-kit 1.0 agrees, and drizzle-orm
/// 1.0's migrator rebuilds the database's catalog from the folder alone.
#[test]
fn live_features_database_under_1_0() {
    if !sqlite::require_python() {
        return;
    }
    let source = TempSqlite::new().unwrap();
    sqlite::exec(&source.path, FEATURES_SQL).unwrap();
    let loaded = drizzle_port::source::load_with(
        &source.path.to_string_lossy(),
        &drizzle_port::source::LoadOptions::default(),
    )
    .unwrap();
    let project = render_project(&loaded.schema, &options()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("drizzle");
    drizzle_port::migrate::output::write_project(&out, &project, false).unwrap();
    let want = sqlite::catalog_of_db(&source.path).unwrap();
    let sql = std::fs::read_to_string(out.join(FOLDER).join("migration.sql")).unwrap();
    let ours = sqlite::catalog_of_sql(&sql).unwrap();
    assert_eq!(want, ours, "{}", line_diff(&want, &ours).join("\n"));

    let _k = use_kit(Kit::V1);
    if !node::require_node() {
        return;
    }
    kit_agrees(&out).unwrap();
    node::tsc_check(&[&out.join("schema.ts")]).unwrap();
    let fresh = TempSqlite::new().unwrap();
    let report = node::migrate_sqlite(&out, &fresh.url()).unwrap();
    assert_eq!(report.applied, [FOLDER]);
    let got = sqlite::catalog_of_db(&fresh.path).unwrap();
    assert_eq!(want, got, "{}", line_diff(&want, &got).join("\n"));
}

/// `baseline` on a SQLite database Prisma built: verified against the 1.0 snapshot, it records
/// the folder by name in drizzle-orm 1.0's table shape, twice changes nothing, and drizzle-orm
/// 1.0's migrator then applies nothing and leaves the catalog alone; drizzle-kit 1.0 `push` finds
/// nothing; a column added later becomes one new folder, applied once.
#[test]
fn baseline_seeds_the_1_0_history_on_sqlite() {
    let _k = use_kit(Kit::V1);
    if !node::require_node() || !sqlite::require_python() {
        return;
    }
    for_every_case(&all_cases(), short, |case| {
        let (_dir, out) = convert(case)?;
        let (expected_sql, _) = sqlite::corrected_prisma_sql(&case.expected_sql)?;
        let db = TempSqlite::new()?;
        sqlite::exec(&db.path, &expected_sql)?;
        let before = sqlite::catalog_of_db(&db.path)?;
        for _ in 0..2 {
            let o = std::process::Command::new(env!("CARGO_BIN_EXE_drizzle-port"))
                .args(["baseline", "--migrations"])
                .arg(&out)
                .arg("--url")
                .arg(&db.path)
                .env_remove("DATABASE_URL")
                .output()
                .map_err(|e| e.to_string())?;
            if !o.status.success() {
                return Err(format!(
                    "baseline exited {:?}:\n{}",
                    o.status.code(),
                    String::from_utf8_lossy(&o.stderr)
                ));
            }
        }
        let rows = sqlite::select(
            &db.path,
            "select name, created_at, length(applied_at) > 0 as applied from __drizzle_migrations",
        )?;
        let expected = serde_json::json!([[FOLDER, 1_700_000_000_000_i64, 1]]);
        if rows != expected {
            return Err(format!("history rows {rows}, expected {expected}"));
        }
        let report = node::migrate_sqlite(&out, &db.url())?;
        if report.applied_count() != 0 {
            return Err(format!("drizzle-orm 1.0 applied {report:?} after baseline"));
        }
        let after = sqlite::catalog_of_db(&db.path)?;
        if before != after {
            return Err(format!(
                "the catalog changed (- before, + after):\n{}",
                line_diff(&before, &after).join("\n")
            ));
        }
        // drizzle-kit 1.0 push (`sqlite`, then `turso` on the same file) finds nothing to change
        // (the declared types are named as 1.0 reads them back) and leaves the catalog alone.
        for dialect in ["sqlite", "turso"] {
            let push = common::v1::push_v1(&out, dialect, &db.url())?;
            if !push.statements.is_empty() || !push.no_changes {
                return Err(format!(
                    "drizzle-kit 1.0 push ({dialect}) planned changes:\n{:#?}\n{}",
                    push.statements, push.output
                ));
            }
            let pushed = sqlite::catalog_of_db(&db.path)?;
            if pushed != before {
                return Err(format!(
                    "drizzle-kit 1.0 push ({dialect}) changed the catalog (- before, + after):\n{}",
                    line_diff(&before, &pushed).join("\n")
                ));
            }
        }
        next_migration_applies_once(&out, &db)
    });
}

/// A column added to `schema.ts` after the baseline: drizzle-kit 1.0 generates a second folder
/// holding just that, and drizzle-orm 1.0's migrator applies it once.
fn next_migration_applies_once(out: &Path, db: &TempSqlite) -> Result<(), String> {
    let (table, sql) = common::v1::generate_added_column(out, "sqlite", FOLDER)?;
    let expected = format!("ALTER TABLE `{table}` ADD `added_later` text;");
    if sql.trim() != expected {
        return Err(format!("the new migration is not just the column:\n{sql}"));
    }
    let report = node::migrate_sqlite(out, &db.url())?;
    if report.applied_count() != 1 {
        return Err(format!(
            "applied {report:?}, expected the new migration alone"
        ));
    }
    let again = node::migrate_sqlite(out, &db.url())?;
    if again.applied_count() != 0 {
        return Err(format!("applied {again:?} a second time"));
    }
    Ok(())
}
