//! Renderers: they only consume [`crate::model::Schema`].
//!
//! One folder per dialect with the same files: `plan` (one decision per column), `schema_ts`,
//! `snapshot` (drizzle-kit's) and `sql` (the baseline migration). What both dialects share sits
//! beside them under the same names, with naming, JSDoc, `relations.ts`, the loss report and
//! `drizzle.config.ts`. [`render`] renders them all for the [`Flavour`] asked for;
//! naming them as the files of a migrations folder is [`crate::migrate::layout`]'s.

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

/// `schema.ts`, `relations.ts`, the baseline migration and its snapshot. Naming them as the
/// files of a migrations folder (and writing its journal) is [`crate::migrate::layout`]'s.
pub fn render(schema: &Schema, options: &RenderOptions) -> Result<Rendered, RenderError> {
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
    Ok(Rendered {
        dialect: schema.dialect,
        schema_ts: files.schema_ts.text,
        relations_ts: files.relations_ts,
        migration: files.migration,
        snapshot: files.snapshot,
        packages: files.schema_ts.packages,
        losses: losses::losses(schema, options.flavour),
    })
}

/// What a dialect's renderer writes.
struct DialectFiles {
    schema_ts: schema_ts::SchemaTsOutput,
    relations_ts: String,
    migration: String,
    snapshot: String,
}
