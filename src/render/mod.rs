//! Renderers: they only consume [`crate::model::Schema`].
//!
//! `drizzle/` writes `schema.ts` and `relations.ts`, `snapshot/` the drizzle-kit snapshot, `sql/` the
//! baseline migration; [`render`] renders them all. Naming them as the files of a migrations folder
//! (and writing its journal) is [`crate::migrate::layout`]'s.

pub mod drizzle;
pub mod extensions;
pub mod losses;
pub mod names;
pub mod plan;
pub mod snapshot;
pub mod sql;
pub mod sqlite;

use crate::model::{Dialect, Schema};

/// Options for one rendering.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// Migration name (the part after `0000_`).
    pub name: String,
    /// Journal `when` (epoch milliseconds).
    pub when_ms: u64,
    /// Snapshot id (a UUID).
    pub snapshot_id: String,
}

impl RenderOptions {
    pub fn now(name: &str) -> RenderOptions {
        let when_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0);
        RenderOptions {
            name: name.to_string(),
            when_ms,
            snapshot_id: uuid::Uuid::new_v4().to_string(),
        }
    }
}

/// Everything one rendering produces.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub dialect: Dialect,
    pub schema_ts: String,
    pub relations_ts: String,
    /// The baseline migration's SQL.
    pub migration: String,
    /// The drizzle-kit snapshot of the schema the migration creates.
    pub snapshot: String,
    /// npm packages `schema.ts` imports besides drizzle-orm.
    pub packages: Vec<String>,
    /// What drizzle cannot express (see [`losses`]).
    pub losses: Vec<losses::Loss>,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("the migration name `{0}` may only contain letters, digits, `_` and `-`")]
    BadName(String),
}

/// `schema.ts`, `relations.ts`, the baseline migration and its snapshot.
pub fn render(schema: &Schema, options: &RenderOptions) -> Result<Rendered, RenderError> {
    if options.name.is_empty()
        || !options
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(RenderError::BadName(options.name.clone()));
    }
    if schema.dialect == Dialect::Sqlite {
        return Ok(sqlite::render(schema, options));
    }
    let plans = plan::plan_tables(schema);
    let view_plans = plan::plan_views(schema);
    let sequence_plans: Vec<_> = schema.sequences.iter().map(plan::sequence_plan).collect();
    // The three outputs are independent: render them side by side (large schemas are dominated
    // by the snapshot).
    let ((schema_ts, relations_ts), (migration, snapshot)) = std::thread::scope(|scope| {
        let ts = scope.spawn(|| {
            let naming = drizzle::Naming::new(schema, &plans);
            let schema_ts = drizzle::render_schema_ts(schema, &naming, &plans);
            let relations_ts = drizzle::render_relations_ts(schema, &naming, "./schema")
                .unwrap_or_else(|| format!("{}\nexport {{}};\n", drizzle::HEADER));
            (schema_ts, relations_ts)
        });
        let snapshot = scope.spawn(|| {
            snapshot::to_js_json(&snapshot::pg_snapshot(
                schema,
                &plans,
                &view_plans,
                &sequence_plans,
                &options.snapshot_id,
            ))
        });
        let migration = sql::migration_sql(schema, &plans, &sequence_plans);
        let ts = ts.join().expect("schema.ts renderer panicked");
        let snapshot = snapshot.join().expect("snapshot renderer panicked");
        (ts, (migration, snapshot))
    });
    Ok(Rendered {
        dialect: Dialect::Postgresql,
        schema_ts: schema_ts.text,
        relations_ts,
        migration,
        snapshot,
        packages: schema_ts.packages,
        losses: losses::losses(schema),
    })
}
