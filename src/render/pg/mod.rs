//! The PostgreSQL renderer: `schema.ts` for drizzle-orm's pg-core, `relations.ts`, and the
//! drizzle-kit baseline in its PostgreSQL form (snapshot and SQL). [`plan`] makes the one decision
//! per column the three outputs share.

pub mod plan;
pub mod schema_ts;
pub mod snapshot;
pub mod snapshot_v9;
pub mod sql;

use crate::model::Schema;
use crate::render::names::Naming;
use crate::render::plan::custom_types;
use crate::render::snapshot::to_js_json;
use crate::render::{relations, DialectFiles, Flavour, RenderOptions};

/// The files of a PostgreSQL schema. The migration name is already validated.
pub(super) fn render(schema: &Schema, options: &RenderOptions) -> DialectFiles {
    let mut plans = plan::plan_tables(schema);
    let mut view_plans = plan::plan_views(schema);
    if options.flavour == Flavour::Drizzle1 {
        let columns = schema.tables.iter().map(|t| &t.columns);
        let view_columns = schema.views.iter().map(|v| &v.columns);
        let planned = plans.iter_mut().chain(view_plans.iter_mut());
        for (plans, columns) in planned.zip(columns.chain(view_columns)) {
            for (p, column) in plans.iter_mut().zip(columns) {
                plan::fit_drizzle_1(column, p);
            }
        }
    }
    let sequence_plans: Vec<_> = schema.sequences.iter().map(plan::sequence_plan).collect();
    // The three outputs are independent: render them side by side (large schemas are dominated
    // by the snapshot).
    std::thread::scope(|scope| {
        let ts = scope.spawn(|| {
            let builders = plans
                .iter()
                .chain(&view_plans)
                .flatten()
                .map(|p| &p.builder);
            let naming = Naming::new(schema, schema_ts::CORE_NAMES, &custom_types(builders));
            let schema_ts =
                schema_ts::render_schema_ts(schema, &naming, &plans, &view_plans, options.flavour);
            let relations_ts = relations::render_relations_ts(schema, &naming, options.flavour);
            (schema_ts, relations_ts)
        });
        let snapshot = scope.spawn(|| match options.flavour {
            Flavour::Drizzle045Kit031 => to_js_json(&snapshot::pg_snapshot(
                schema,
                &plans,
                &view_plans,
                &sequence_plans,
                &options.snapshot_id,
                options.flavour,
            )),
            Flavour::Drizzle1 => to_js_json(&snapshot_v9::pg_snapshot_v9(
                schema,
                &plans,
                &sequence_plans,
                &options.snapshot_id,
                options.flavour,
            )),
        });
        let migration = sql::migration_sql(schema, &plans, &sequence_plans);
        let (schema_ts, relations_ts) = ts.join().expect("schema.ts renderer panicked");
        let snapshot = snapshot.join().expect("snapshot renderer panicked");
        DialectFiles {
            schema_ts,
            relations_ts,
            migration,
            snapshot,
        }
    })
}
