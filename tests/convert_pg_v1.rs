//! Prisma (PostgreSQL) → Drizzle 1.0 (`--drizzle 1`) over every sample, probe and corpus schema,
//! checked with the real drizzle-kit and drizzle-orm `1.0.0-rc.5` (`tests/conformance-1`): the
//! folder is 1.0's (one timestamped folder, no journal), drizzle-kit 1.0 `generate` finds nothing
//! to change, tsc compiles the output against drizzle-orm 1.0, and an empty database migrated
//! from the folder alone by drizzle-orm 1.0's migrator equals the database Prisma built.

use crate::common;

use std::path::{Path, PathBuf};

use common::cases::{cases, extensions_prelude, for_every_case, line_diff, Case};
use common::node::{self, use_kit, Kit, TempDb};
use drizzle_port::migrate::{render_project, Layout};
use drizzle_port::render::{Flavour, RenderOptions};

/// 2023-11-14 22:13:20 UTC: the baseline folder is `20231114221320_baseline`.
fn options() -> RenderOptions {
    RenderOptions {
        name: "baseline".into(),
        when_ms: 1_700_000_000_000,
        snapshot_id: "5d7b1c1e-0000-4000-8000-000000000001".into(),
        flavour: Flavour::Drizzle1,
    }
}

const FOLDER: &str = "20231114221320_baseline";

/// Converts a case into a fresh 1.0 output folder.
fn convert(case: &Case) -> Result<(tempfile::TempDir, PathBuf), String> {
    let schema = drizzle_port::prisma::load(&case.schema).map_err(|e| match e {
        drizzle_port::prisma::LoadError::Invalid(errors) => errors.render_plain(),
        other => other.to_string(),
    })?;
    let project = render_project(&schema, &options()).map_err(|e| e.to_string())?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let out = dir.path().join("drizzle");
    drizzle_port::migrate::output::write_project(&out, &project, false)
        .map_err(|e| e.to_string())?;
    Ok((dir, out))
}

/// The database Prisma's DDL builds for `case`, with the extensions it needs created first.
fn source_db(case: &Case) -> Result<TempDb, String> {
    let db = TempDb::create()?;
    db.exec_sql(&extensions_prelude(&case.schema)?)?;
    db.exec_sql(&std::fs::read_to_string(&case.expected_sql).map_err(|e| e.to_string())?)?;
    Ok(db)
}

/// The first `ERROR:` line of a failure, or the start of the text.
fn short(e: &str) -> String {
    e.lines()
        .find(|l| l.contains("ERROR"))
        .map(str::to_string)
        .unwrap_or_else(|| e.chars().take(6000).collect())
}

#[test]
fn the_folder_is_drizzle_kit_1s() {
    let case = &cases("postgresql")[0];
    let (_dir, out) = convert(case).expect("converts");
    assert_eq!(Layout::detect(&out), Some(Layout::Folders));
    assert!(!out.join("meta").exists(), "1.0 folders have no journal");
    let sql = out.join(FOLDER).join("migration.sql");
    let snapshot = std::fs::read_to_string(out.join(FOLDER).join("snapshot.json")).unwrap();
    assert!(sql.is_file());
    let doc: serde_json::Value = serde_json::from_str(&snapshot).unwrap();
    assert_eq!(doc["type"], "base");
    assert_eq!(doc["version"], "9");
    assert_eq!(doc["dialect"], "postgres");
    assert_eq!(
        doc["prevIds"],
        serde_json::json!(["00000000-0000-0000-0000-000000000000"])
    );
    assert!(
        !snapshot.ends_with('\n'),
        "JSON.stringify writes no final newline"
    );
}

#[test]
fn drizzle_kit_1_generate_finds_nothing_to_change() {
    if !node::require_node() {
        return;
    }
    let _kit = use_kit(Kit::V1);
    let all = cases("postgresql");
    for_every_case(&all, short, |case| -> Result<(), String> {
        let (_dir, out) = convert(case)?;
        if let Err(e) = node::generate_reports_no_changes(&out, "postgresql") {
            let ours = std::fs::read_to_string(out.join(FOLDER).join("snapshot.json"))
                .map_err(|e| e.to_string())?;
            return Err(format!(
                "{e}\n{}",
                common::v1::snapshot_rows_diff(&out, &ours, "postgresql")
            ));
        }
        Ok(())
    });
}

#[test]
fn tsc_compiles_the_output_against_drizzle_orm_1() {
    if !node::require_node() {
        return;
    }
    let _kit = use_kit(Kit::V1);
    let all = cases("postgresql");
    for_every_case(&all, short, |case| -> Result<(), String> {
        let (_dir, out) = convert(case)?;
        node::tsc_check(&[&out.join("schema.ts"), &out.join("relations.ts")])
    });
}

#[test]
fn an_empty_database_migrated_from_the_folder_equals_prismas() {
    if !node::require_node() || TempDb::create_or_skip().is_none() {
        return;
    }
    let _kit = use_kit(Kit::V1);
    let all = cases("postgresql");
    for_every_case(&all, short, |case| -> Result<(), String> {
        let (_dir, out) = convert(case)?;
        let expected = source_db(case)?.catalog()?;
        let fresh = TempDb::create()?;
        let report = node::migrate_pg(&out, &fresh.url())?;
        if report.applied.len() != 1 {
            return Err(format!(
                "drizzle-orm 1.0 applied {} migrations, not the baseline alone",
                report.applied.len()
            ));
        }
        let ours = fresh.catalog_without_history()?;
        if expected != ours {
            return Err(format!(
                "catalogs differ (- Prisma, + migrated by drizzle-orm 1.0):\n{}",
                line_diff(&expected, &ours).join("\n")
            ));
        }
        Ok(())
    });
}

/// `drizzle-port baseline` on `db` for the folder `out`; Err with its output when it fails.
fn baseline(out: &Path, db: &TempDb, extra: &[&str]) -> Result<String, String> {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_drizzle-port"))
        .args(["baseline", "--migrations"])
        .arg(out)
        .args(["--url", &db.url()])
        .args(extra)
        .env_remove("DATABASE_URL")
        .output()
        .map_err(|e| e.to_string())?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    if o.status.success() {
        Ok(text)
    } else {
        Err(format!("baseline exited {:?}:\n{text}", o.status.code()))
    }
}

#[test]
fn baseline_seeds_the_1_0_history_and_drizzle_1_takes_over() {
    if !node::require_node() || TempDb::create_or_skip().is_none() {
        return;
    }
    let _kit = use_kit(Kit::V1);
    let all = cases("postgresql");
    for_every_case(&all, short, |case| -> Result<(), String> {
        let (_dir, out) = convert(case)?;
        let db = source_db(case)?;
        let before = db.catalog()?;
        baseline(&out, &db, &[])?;
        let rows = db.query(
            "select hash || ' ' || created_at || ' ' || name from drizzle.__drizzle_migrations",
        )?;
        let sql =
            std::fs::read(out.join(FOLDER).join("migration.sql")).map_err(|e| e.to_string())?;
        let expected = format!(
            "{} 1700000000000 {FOLDER}",
            drizzle_port::migrate::migration_hash(&sql)
        );
        if rows.trim() != expected {
            return Err(format!("history rows: {rows}, expected {expected}"));
        }
        // Running it again changes nothing.
        baseline(&out, &db, &[])?;
        let report = node::migrate_pg(&out, &db.url())?;
        if !report.applied.is_empty() {
            return Err(format!(
                "drizzle-orm 1.0 applied {:?} after baseline",
                report.applied
            ));
        }
        if db.catalog_without_history()? != before {
            return Err("the migrator changed the catalog".into());
        }
        let push = common::v1::push_v1(&out, "postgresql", &db.url())?;
        let unexplained: Vec<&String> = push
            .statements
            .iter()
            .filter(|s| common::v1::known_push_v1_defect(s).is_none())
            .collect();
        if !unexplained.is_empty() || (push.statements.is_empty() && !push.no_changes) {
            return Err(format!(
                "drizzle-kit 1.0 push planned changes:\n{}",
                push.output
            ));
        }
        if !push.statements.is_empty() {
            eprintln!(
                "{}: drizzle-kit 1.0 push re-sets {} default(s) (a known 1.0 misreading):\n{}",
                case.name,
                push.statements.len(),
                push.statements.join("\n")
            );
        }
        Ok(())
    });
}

/// A column added to `schema.ts` after the baseline: drizzle-kit 1.0 generates a second folder
/// holding just that, sorted after the baseline, and drizzle-orm 1.0 applies it once.
#[test]
fn the_next_migration_applies_once_after_baseline() {
    if !node::require_node() || TempDb::create_or_skip().is_none() {
        return;
    }
    let _kit = use_kit(Kit::V1);
    let samples: Vec<Case> = cases("postgresql")
        .into_iter()
        .filter(|c| c.name.starts_with("samples/"))
        .collect();
    for_every_case(&samples, short, |case| -> Result<(), String> {
        let (_dir, out) = convert(case)?;
        let db = source_db(case)?;
        baseline(&out, &db, &[])?;
        let (table, sql) = common::v1::generate_added_column(&out, "postgresql", FOLDER)?;
        let expected = format!("ALTER TABLE \"{table}\" ADD COLUMN \"added_later\" text;");
        if sql.trim() != expected {
            return Err(format!("the new migration is not just the column:\n{sql}"));
        }
        let report = node::migrate_pg(&out, &db.url())?;
        if report.applied.len() != 1 {
            return Err(format!(
                "applied {:?}, expected the new migration alone",
                report.applied
            ));
        }
        let again = node::migrate_pg(&out, &db.url())?;
        if !again.applied.is_empty() {
            return Err(format!("applied {:?} a second time", again.applied));
        }
        Ok(())
    });
}

/// The hybrid mode under `--drizzle 1` (Prisma schema + the database it was migrated into): the
/// database's own spelling of every default, so drizzle-kit 1.0 `push` finds nothing even where
/// a Prisma schema alone cannot say how PostgreSQL re-spells a `dbgenerated` call
/// (`upper('tba')` is stored as `upper('tba'::text)`; `samples/pg_defaults`).
#[test]
fn hybrid_output_leaves_drizzle_kit_1_push_nothing_to_do() {
    if !node::require_node() || TempDb::create_or_skip().is_none() {
        return;
    }
    let _kit = use_kit(Kit::V1);
    let case = cases("postgresql")
        .into_iter()
        .find(|c| c.name == "samples/pg_defaults")
        .expect("samples/pg_defaults");
    let db = source_db(&case).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("drizzle");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_drizzle-port"))
        .arg("convert")
        .arg(&case.schema)
        .args(["--url", &db.url(), "--drizzle", "1", "-o"])
        .arg(&out)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "{said}");
    let schema_ts = std::fs::read_to_string(out.join("schema.ts")).unwrap();
    assert!(schema_ts.contains("sql`upper('tba'::text)`"), "{schema_ts}");
    node::generate_reports_no_changes(&out, "postgresql").expect("1.0 generate finds nothing");
    baseline(&out, &db, &[]).expect("verified baseline");
    let push = common::v1::push_v1(&out, "postgresql", &db.url()).unwrap();
    assert!(
        push.statements.is_empty() && push.no_changes,
        "drizzle-kit 1.0 push planned {:#?}\n{}",
        push.statements,
        push.output
    );
}
