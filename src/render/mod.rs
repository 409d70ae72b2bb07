//! Renderers: they only consume [`crate::model::Schema`].
//!
//! One folder per dialect with the same files: `plan` (one decision per column), `schema_ts`,
//! `snapshot` (drizzle-kit's) and `sql` (the baseline migration). What both dialects share sits
//! beside them under the same names, with naming, JSDoc, `relations.ts`, the loss report and
//! `drizzle.config.ts`. [`render_project`] puts the files of one output folder together for the
//! [`Flavour`] asked for.

pub mod drizzle_config;
pub mod extensions;
pub mod flavour;
pub mod jsdoc;
pub mod losses;
pub mod names;
pub mod pg;
pub mod plan;
pub mod relations;
pub mod schema_ts;
pub mod snapshot;
pub mod sql;
pub mod sqlite;

use serde_json::json;

pub use self::flavour::Flavour;
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
    /// Which drizzle-orm / drizzle-kit the files are for.
    pub flavour: Flavour,
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
            flavour: Flavour::default(),
        }
    }
}

/// The files of an output folder, relative paths, in writing order.
#[derive(Debug, Clone)]
pub struct Project {
    pub files: Vec<(String, String)>,
    /// Migration tag (`0000_baseline`).
    pub tag: String,
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

/// `schema.ts`, `relations.ts`, `0000_<name>.sql`, `meta/_journal.json`, `meta/0000_snapshot.json`.
pub fn render_project(schema: &Schema, options: &RenderOptions) -> Result<Project, RenderError> {
    if options.name.is_empty()
        || !options
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(RenderError::BadName(options.name.clone()));
    }
    let files = match schema.dialect {
        Dialect::Postgresql => pg::render(schema, options),
        Dialect::Sqlite => sqlite::render(schema, options),
    };
    let tag = format!("0000_{}", options.name);
    // drizzle-kit writes `sqlite` for `dialect: 'turso'` too.
    let dialect = match schema.dialect {
        Dialect::Postgresql => "postgresql",
        Dialect::Sqlite => "sqlite",
    };
    let journal = json!({
        "version": options.flavour.journal_version(),
        "dialect": dialect,
        "entries": [{
            "idx": 0,
            "version": options.flavour.snapshot_version(schema.dialect),
            "when": options.when_ms,
            "tag": tag,
            "breakpoints": true,
        }],
    });
    Ok(Project {
        files: vec![
            ("schema.ts".into(), files.schema_ts.text),
            ("relations.ts".into(), files.relations_ts),
            (format!("{tag}.sql"), files.migration),
            ("meta/_journal.json".into(), snapshot::to_js_json(&journal)),
            ("meta/0000_snapshot.json".into(), files.snapshot),
        ],
        tag,
        packages: files.schema_ts.packages,
        losses: losses::losses(schema),
    })
}

/// What a dialect's renderer writes; [`render_project`] adds the journal.
struct DialectFiles {
    schema_ts: schema_ts::SchemaTsOutput,
    relations_ts: String,
    migration: String,
    snapshot: String,
}
