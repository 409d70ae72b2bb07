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

use super::losses::{self, Loss};
use super::{drizzle, RenderOptions, Rendered};
use crate::model::{Dialect, Schema};

/// `schema.ts`, `relations.ts`, the baseline migration and its snapshot for a SQLite schema.
pub fn render(schema: &Schema, options: &RenderOptions) -> Rendered {
    let plans = plan::plan_tables(schema);
    let view_plans = plan::plan_views(schema);
    let custom_types = plan::custom_types(&plans, &view_plans);
    let naming = drizzle::Naming::with_reserved(schema, schema_ts::CORE_NAMES, &custom_types);
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
    let mut all_losses = losses::losses(schema);
    all_losses.extend(sqlite_losses(schema));
    Rendered {
        dialect: Dialect::Sqlite,
        schema_ts: schema_ts.text,
        relations_ts,
        migration,
        snapshot,
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
