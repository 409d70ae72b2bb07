//! The SQLite / libSQL (Turso) renderer: `schema.ts` for drizzle-orm 0.45's sqlite-core, the shared
//! `relations.ts`, and the drizzle-kit 0.31 baseline in its SQLite flavour (snapshot version "6",
//! journal dialect `sqlite`, which drizzle-kit also writes for `dialect: 'turso'`).
//!
//! Like the PostgreSQL renderer it only reads the [`Schema`]: a Prisma schema and (later) a live
//! libSQL database both arrive here as the same model. [`plan`] makes the one decision per column
//! the three outputs share.

pub mod plan;
pub mod schema_ts;
pub mod snapshot;
pub mod sql;

use serde_json::json;

use super::losses::{self, Loss};
use super::{drizzle, Project, RenderOptions};
use crate::model::Schema;

/// `schema.ts`, `relations.ts`, `0000_<name>.sql`, `meta/_journal.json`, `meta/0000_snapshot.json`
/// for a SQLite schema. The migration name is already validated.
pub fn render_project(schema: &Schema, options: &RenderOptions) -> Project {
    let plans = plan::plan_tables(schema);
    let view_plans = plan::plan_views(schema);
    let custom_types = plan::custom_types(&plans, &view_plans);
    let naming = drizzle::Naming::with_reserved(schema, schema_ts::CORE_NAMES, &custom_types);
    let tag = format!("0000_{}", options.name);
    let schema_ts = schema_ts::render_schema_ts(schema, &naming, &plans, &view_plans);
    let relations_ts = drizzle::render_relations_ts(schema, &naming, "./schema")
        .unwrap_or_else(|| format!("{}\nexport {{}};\n", drizzle::HEADER));
    let migration = sql::migration_sql(schema, &plans);
    let snapshot = super::snapshot::to_js_json(&snapshot::sqlite_snapshot(
        schema,
        &plans,
        &view_plans,
        &options.snapshot_id,
    ));
    let journal = json!({
        "version": "7",
        "dialect": "sqlite",
        "entries": [{
            "idx": 0,
            "version": "6",
            "when": options.when_ms,
            "tag": tag,
            "breakpoints": true,
        }],
    });
    let mut all_losses = losses::losses(schema);
    all_losses.extend(sqlite_losses(schema));
    Project {
        files: vec![
            ("schema.ts".into(), schema_ts.text),
            ("relations.ts".into(), relations_ts),
            (format!("{tag}.sql"), migration),
            (
                "meta/_journal.json".into(),
                super::snapshot::to_js_json(&journal),
            ),
            ("meta/0000_snapshot.json".into(), snapshot),
        ],
        tag,
        packages: schema_ts.packages,
        losses: all_losses,
    }
}

/// What sqlite-core cannot say about a SQLite schema (nothing a Prisma schema produces).
fn sqlite_losses(schema: &Schema) -> Vec<Loss> {
    let mut out = Vec::new();
    for t in &schema.tables {
        for u in &t.unique_constraints {
            out.push(Loss {
                object: format!("{}.{}", t.name, u.name),
                kind: "sqlite_unique_constraint",
                detail: "table-level UNIQUE constraint: drizzle's SQLite unique() is a unique index (same rule, another catalog entry)".into(),
                in_baseline: false,
            });
        }
        if let Some(pk) = &t.primary_key {
            if let [one] = pk.columns.as_slice() {
                if t.column(one).is_some_and(|c| c.nullable) {
                    out.push(Loss {
                        object: format!("{}.{one}", t.name),
                        kind: "sqlite_nullable_primary_key",
                        detail: "nullable single-column primary key: drizzle's primaryKey() implies NOT NULL".into(),
                        in_baseline: false,
                    });
                }
            }
        }
    }
    out
}
