//! What a live database can hold beyond Prisma's DDL (identity and generated columns, sequences,
//! checks, unique constraints, views, a materialized view, a second schema, comments, a
//! DEFERRABLE constraint) renders so that drizzle-kit agrees and rebuilds the same catalog; the
//! only difference allowed is what Drizzle 0.45 cannot express (DEFERRABLE).

use crate::common;

use std::path::Path;

use common::node::{self, TempDb};
use drizzle_port::migrate::render_project;
use drizzle_port::model::Schema;
use drizzle_port::render::RenderOptions;

fn catalog_of(sql: &str) -> Result<String, String> {
    let db = TempDb::create()?;
    db.exec_sql(&sql.replace("--> statement-breakpoint", ""))?;
    db.catalog()
}

#[test]
fn features_fixture_round_trips_through_drizzle_kit() {
    if !node::require_node() || TempDb::create_or_skip().is_none() {
        return;
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/model/features.yaml");
    let schema = Schema::from_yaml(&std::fs::read_to_string(path).unwrap()).expect("fixture model");
    let options = RenderOptions {
        name: "baseline".into(),
        when_ms: 1_700_000_000_000,
        snapshot_id: "00000000-0000-4000-8000-000000000002".into(),
        flavour: drizzle_port::render::Flavour::default(),
    };
    let project = render_project(&schema, &options).expect("renders");
    let mut kinds: Vec<(&str, &str)> = project
        .losses
        .iter()
        .map(|l| (l.kind, l.object.as_str()))
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        vec![
            ("comment", "customers"),
            (
                "deferrable_constraint",
                "billing.invoices.invoices_number_key"
            )
        ],
        "the loss report names exactly what drizzle cannot express"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("drizzle");
    drizzle_port::migrate::output::write_project(&out, &project, false).unwrap();

    let ours = catalog_of(&std::fs::read_to_string(out.join("0000_baseline.sql")).unwrap())
        .expect("our baseline applies");
    assert!(
        ours.contains("DEFERRABLE INITIALLY DEFERRED"),
        "the baseline keeps what drizzle cannot express:\n{ours}"
    );

    node::generate_reports_no_changes(&out, "postgresql").expect("drizzle-kit finds no changes");
    node::tsc_check(&[&out.join("schema.ts"), &out.join("relations.ts")]).expect("tsc --strict");

    let fresh = node::generate_fresh(&out.join("schema.ts"), None, "postgresql")
        .expect("drizzle-kit generate");
    let rebuilt =
        catalog_of(&std::fs::read_to_string(fresh).unwrap()).expect("drizzle-kit's SQL applies");
    let differing: Vec<String> = ours
        .lines()
        .filter(|l| !rebuilt.lines().any(|r| r == *l))
        .chain(rebuilt.lines().filter(|l| !ours.lines().any(|o| o == *l)))
        .map(str::to_string)
        .collect();
    let unexpected: Vec<&String> = differing
        .iter()
        .filter(|l| !l.contains("invoices_number_key"))
        .collect();
    assert!(
        unexpected.is_empty(),
        "only the DEFERRABLE constraint may differ, also differing:\n{}",
        differing.join("\n")
    );
    assert_eq!(
        differing.len(),
        2,
        "the DEFERRABLE constraint differs (ours DEFERRABLE, drizzle-kit's not):\n{}",
        differing.join("\n")
    );
}
