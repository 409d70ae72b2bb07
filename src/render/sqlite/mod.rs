//! The SQLite / libSQL (Turso) renderer: `schema.ts` for drizzle-orm's sqlite-core, `relations.ts`,
//! and the drizzle-kit baseline in its SQLite form (which drizzle-kit also writes for
//! `dialect: 'turso'`): snapshot version "6" for drizzle-kit 0.31 ([`snapshot`]), version "7" for
//! 1.0 ([`snapshot_v7`]).
//!
//! Like the PostgreSQL renderer it only reads the [`Schema`]: a Prisma schema and a live libSQL
//! database both arrive here as the same model. [`plan`] makes the one decision per column the
//! three outputs share.

pub mod plan;
pub mod schema_ts;
pub mod snapshot;
pub mod snapshot_v7;
pub mod sql;

use crate::model::Schema;
use crate::render::names::Naming;
use crate::render::plan::custom_types;
use crate::render::snapshot::to_js_json;
use crate::render::{relations, DialectFiles, Flavour, RenderOptions};

/// The files of a SQLite schema. The migration name is already validated.
pub(super) fn render(schema: &Schema, options: &RenderOptions) -> DialectFiles {
    let mut plans = plan::plan_tables(schema);
    let mut view_plans = plan::plan_views(schema);
    for p in plans
        .iter_mut()
        .flat_map(|t| &mut t.columns)
        .chain(view_plans.iter_mut().flatten())
    {
        plan::fit_flavour(p, options.flavour);
    }
    let builders = plans
        .iter()
        .flat_map(|t| &t.columns)
        .chain(view_plans.iter().flatten())
        .map(|p| &p.builder);
    let naming = Naming::new(schema, schema_ts::CORE_NAMES, &custom_types(builders));
    DialectFiles {
        schema_ts: schema_ts::render_schema_ts(
            schema,
            &naming,
            &plans,
            &view_plans,
            options.flavour,
        ),
        relations_ts: relations::render_relations_ts(schema, &naming, options.flavour),
        migration: sql::migration_sql(schema, &plans, options.flavour),
        snapshot: match options.flavour {
            Flavour::Drizzle045Kit031 => to_js_json(&snapshot::sqlite_snapshot(
                schema,
                &plans,
                &view_plans,
                &options.snapshot_id,
                options.flavour,
            )),
            Flavour::Drizzle1 => to_js_json(&snapshot_v7::sqlite_snapshot_v7(
                schema,
                &plans,
                &snapshot_v7::ObjectOrder::by_export(schema, &naming),
                &options.snapshot_id,
            )),
        },
    }
}
