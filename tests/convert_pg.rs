//! Prisma (PostgreSQL) → Drizzle conformance over every sample, probe and corpus schema:
//! conversion succeeds, our baseline builds exactly Prisma's catalog, drizzle-kit agrees with our
//! snapshot and rebuilds the same catalog from schema.ts alone, and tsc compiles the output.

use crate::common;

use std::path::{Path, PathBuf};

use common::cases::{
    cases, extensions_prelude, for_every_case, indexes_before_foreign_keys, line_diff, Case,
};
use common::node::{self, TempDb};
use drizzle_port::migrate::render_project;
use drizzle_port::render::RenderOptions;

fn options() -> RenderOptions {
    RenderOptions {
        name: "baseline".into(),
        when_ms: 1_700_000_000_000,
        snapshot_id: "5d7b1c1e-0000-4000-8000-000000000001".into(),
        flavour: drizzle_port::render::Flavour::default(),
    }
}

/// Converts a case into a fresh output folder.
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

fn migration_sql(out: &Path) -> String {
    std::fs::read_to_string(out.join("0000_baseline.sql")).expect("baseline sql")
}

/// Applies `sql` to a fresh database with nothing installed and returns its catalog.
fn catalog_of(sql: &str) -> Result<String, String> {
    let db = TempDb::create()?;
    db.exec_sql(&sql.replace("--> statement-breakpoint", ""))?;
    db.catalog()
}

/// The database Prisma's DDL builds for `case`, with the extensions it needs created first.
fn source_db(case: &Case) -> Result<TempDb, String> {
    let db = TempDb::create()?;
    db.exec_sql(&extensions_prelude(&case.schema)?)?;
    db.exec_sql(&std::fs::read_to_string(&case.expected_sql).map_err(|e| e.to_string())?)?;
    Ok(db)
}

/// Inserts the extension statements after drizzle-kit's `CREATE SCHEMA`s (an extension may live
/// in one of them).
fn with_extensions(kit_sql: &str, extensions: &str) -> String {
    let statements: Vec<&str> = kit_sql.split("--> statement-breakpoint").collect();
    let schemas = statements
        .iter()
        .take_while(|s| s.trim_start().starts_with("CREATE SCHEMA"))
        .count();
    let mut out: Vec<String> = statements.iter().map(|s| s.to_string()).collect();
    out.insert(schemas, format!("\n{extensions}\n"));
    out.join("--> statement-breakpoint")
}

/// The first `ERROR:` line of a failure, or the whole text.
fn short(e: &str) -> String {
    e.lines()
        .find(|l| l.contains("ERROR"))
        .map(str::to_string)
        .unwrap_or_else(|| e.chars().take(4000).collect())
}

#[test]
fn every_postgres_schema_converts() {
    let all = cases("postgresql");
    assert!(
        all.len() >= 10,
        "expected the samples at least, found {}",
        all.len()
    );
    for_every_case(&all, |e| e.to_string(), |case| convert(case).map(|_| ()));
}

#[test]
fn baseline_sql_builds_prismas_catalog() {
    if TempDb::create_or_skip().is_none() {
        return;
    }
    let all = cases("postgresql");
    for_every_case(&all, short, |case| -> Result<(), String> {
        let (_dir, out) = convert(case)?;
        let expected = source_db(case)?.catalog()?;
        // Our baseline alone, on an empty database: it creates the extensions it needs.
        let ours = catalog_of(&migration_sql(&out))?;
        if expected != ours {
            return Err(format!(
                "catalogs differ (- Prisma, + ours):\n{}",
                line_diff(&expected, &ours).join("\n")
            ));
        }
        Ok(())
    });
}

#[test]
fn drizzle_kit_agrees_and_rebuilds_the_catalog() {
    if !node::require_node() || TempDb::create_or_skip().is_none() {
        return;
    }
    let all = cases("postgresql");
    for_every_case(&all, short, |case| -> Result<(), String> {
        let (_dir, out) = convert(case)?;
        node::generate_reports_no_changes(&out, "postgresql")
            .map_err(|e| format!("generate found changes: {e}"))?;
        let fresh = node::generate_fresh(
            &out.join("schema.ts"),
            Some(&out.join("relations.ts")),
            "postgresql",
        )?;
        let expected = source_db(case)?.catalog()?;
        let kit_sql = std::fs::read_to_string(&fresh).map_err(|e| e.to_string())?;
        // drizzle-kit has no notion of extensions: the user creates them, as our baseline does.
        let prelude: String = migration_sql(&out)
            .split("--> statement-breakpoint")
            .map(str::trim)
            .filter(|s| s.starts_with("CREATE EXTENSION"))
            .collect::<Vec<_>>()
            .join("\n");
        let kit_sql = with_extensions(&kit_sql, &prelude);
        let rebuilt = match catalog_of(&kit_sql) {
            Ok(c) => c,
            // drizzle-kit 0.31 adds foreign keys before indexes, so a foreign key to a column
            // that is unique through an index (what Prisma creates) fails. Known drizzle-kit
            // limitation: check the catalog with its statements in dependency order.
            Err(e) if e.contains("there is no unique constraint matching given keys") => {
                eprintln!(
                    "{}: drizzle-kit's statement order fails (FK before unique index); reordered",
                    case.name
                );
                catalog_of(&indexes_before_foreign_keys(&kit_sql))?
            }
            Err(e) => return Err(e),
        };
        if expected != rebuilt {
            return Err(format!(
                "drizzle-kit's own SQL builds another catalog (- Prisma, + drizzle-kit):\n{}",
                line_diff(&expected, &rebuilt).join("\n")
            ));
        }
        Ok(())
    });
}

#[test]
fn typescript_compiles_strict() {
    if !node::require_node() {
        return;
    }
    let all = cases("postgresql");
    for_every_case(&all, short, |case| -> Result<(), String> {
        let (_dir, out) = convert(case)?;
        node::tsc_check(&[&out.join("schema.ts"), &out.join("relations.ts")])
    });
}

/// `drizzle-port baseline --migrations OUT --url <db>`, as a Result.
fn baseline(out: &Path, db: &TempDb) -> Result<(), String> {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_drizzle-port"))
        .args(["baseline", "--migrations", &out.to_string_lossy(), "--url"])
        .arg(db.url())
        .env_remove("DATABASE_URL")
        .output()
        .map_err(|e| e.to_string())?;
    if o.status.success() {
        Ok(())
    } else {
        Err(format!(
            "baseline failed: {}",
            String::from_utf8_lossy(&o.stderr)
        ))
    }
}

#[test]
fn push_after_baseline_finds_nothing() {
    if !node::require_node() || TempDb::create_or_skip().is_none() {
        return;
    }
    let all = cases("postgresql");
    for_every_case(
        &all,
        |e| e.chars().take(3000).collect(),
        |case| {
            let (_dir, out) = convert(case)?;
            let db = source_db(case)?;
            baseline(&out, &db)?;
            let before = db.catalog_without_history()?;
            let pushed = node::push_finds_nothing(
                &out,
                "postgresql",
                &db.url(),
                None,
                &db.fk_target_indexes()?,
            );
            let after = db.catalog_without_history()?;
            for known in pushed? {
                eprintln!("{}: known drizzle-kit push defect: {known}", case.name);
            }
            if before != after {
                return Err(format!(
                    "push changed the catalog (- before, + after):\n{}",
                    line_diff(&before, &after).join("\n")
                ));
            }
            Ok(())
        },
    );
}

#[test]
fn fresh_database_migrates_from_the_output_alone() {
    if !node::require_node() || TempDb::create_or_skip().is_none() {
        return;
    }
    let all = cases("postgresql");
    for_every_case(&all, short, |case| {
        let (_dir, out) = convert(case)?;
        let want = source_db(case)?.catalog()?;
        // Nothing pre-installed: the real `drizzle-kit migrate` on the output folder alone.
        let fresh = TempDb::create()?;
        let r = node::drizzle_kit_migrate(&out, "postgresql", &fresh.url());
        if !r.status {
            return Err(format!("drizzle-kit migrate failed:\n{}", r.describe()));
        }
        let got = fresh.catalog_without_history()?;
        if want != got {
            return Err(format!(
                "catalogs differ (- Prisma, + migrated from the output):\n{}",
                line_diff(&want, &got).join("\n")
            ));
        }
        Ok(())
    });
}
