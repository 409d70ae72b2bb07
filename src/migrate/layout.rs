//! The file names of a migrations folder, and a rendering laid out as one.
//!
//! Every name of a drizzle-kit folder is spelled here and nowhere else: the migrations, the
//! journal and the snapshots. [`Layout`] has one variant per folder format drizzle-kit writes.

use std::path::{Path, PathBuf};

use super::journal::{Journal, JournalDialect, JournalEntry};
use crate::model::Dialect;
use crate::render::{losses::Loss, render, RenderError, RenderOptions, Rendered};

/// How a migrations folder arranges its files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// drizzle-kit 0.31: `NNNN_<name>.sql` at the top, `meta/_journal.json` listing them, and
    /// `meta/NNNN_snapshot.json` after each.
    Journal,
}

/// The files of an output folder, relative paths, in writing order.
#[derive(Debug, Clone)]
pub struct Project {
    pub files: Vec<(String, String)>,
    /// Migration tag (`0000_baseline`).
    pub tag: String,
    /// npm packages `schema.ts` imports besides drizzle-orm.
    pub packages: Vec<String>,
    /// What drizzle cannot express.
    pub losses: Vec<Loss>,
}

impl Layout {
    /// The journal, relative to the folder.
    pub fn journal(self) -> &'static str {
        match self {
            Layout::Journal => "meta/_journal.json",
        }
    }

    /// The journal of the folder `root`.
    pub fn journal_path(self, root: &Path) -> PathBuf {
        root.join(self.journal())
    }

    /// Is `path` a folder of this layout (it has a journal)?
    pub fn is_folder(self, path: &Path) -> bool {
        path.is_dir() && self.journal_path(path).is_file()
    }

    /// The tag of migration `idx` named `name` (`0000_baseline`).
    pub fn tag(self, idx: u32, name: &str) -> String {
        format!("{idx:04}_{name}")
    }

    /// The SQL file of the migration tagged `tag`, relative to the folder.
    pub fn migration(self, tag: &str) -> String {
        format!("{tag}.sql")
    }

    /// The snapshot after the migration whose tag starts with `prefix` (`0003`, or a timestamp
    /// with drizzle-kit's `migrations.prefix: "timestamp"`), relative to the folder.
    pub fn snapshot(self, prefix: &str) -> String {
        format!("meta/{prefix}_snapshot.json")
    }

    /// The snapshot of journal entry `idx`.
    pub fn snapshot_of(self, idx: u32) -> String {
        self.snapshot(&format!("{idx:04}"))
    }

    /// Is `rel` (relative to the folder) a migration's SQL file?
    pub fn is_migration(self, rel: &str) -> bool {
        numbered(rel) && rel.ends_with(".sql") && !rel.contains('/')
    }

    /// Is `rel` (relative to the folder) a snapshot?
    pub fn is_snapshot(self, rel: &str) -> bool {
        rel.strip_prefix("meta/")
            .is_some_and(|meta| numbered(meta) && meta.ends_with("_snapshot.json"))
    }

    /// Is `rel` (relative to the folder) part of the migration history: a migration, a snapshot
    /// or the journal?
    pub fn is_history(self, rel: &str) -> bool {
        self.is_migration(rel) || self.is_snapshot(rel) || rel == self.journal()
    }

    /// `rendered` as the files of a new folder holding one baseline migration named
    /// `options.name`: `schema.ts`, `relations.ts`, the migration, the journal, the snapshot.
    pub fn project(self, rendered: Rendered, options: &RenderOptions) -> Project {
        let tag = self.tag(0, &options.name);
        let dialect = match rendered.dialect {
            Dialect::Postgresql => JournalDialect::Postgresql,
            Dialect::Sqlite => JournalDialect::Sqlite,
        };
        let journal = Journal {
            version: options.flavour.journal_version().into(),
            dialect,
            entries: vec![JournalEntry {
                idx: 0,
                version: options.flavour.snapshot_version(rendered.dialect).into(),
                when: i64::try_from(options.when_ms).unwrap_or(i64::MAX),
                tag: tag.clone(),
                breakpoints: true,
            }],
        };
        Project {
            files: vec![
                ("schema.ts".into(), rendered.schema_ts),
                ("relations.ts".into(), rendered.relations_ts),
                (self.migration(&tag), rendered.migration),
                (self.journal().into(), journal.to_text()),
                (self.snapshot_of(0), rendered.snapshot),
            ],
            tag,
            packages: rendered.packages,
            losses: rendered.losses,
        }
    }
}

/// Renders `schema` as the files of a new drizzle-kit 0.31 output folder (see
/// [`Layout::project`]).
pub fn render_project(
    schema: &crate::model::Schema,
    options: &RenderOptions,
) -> Result<Project, RenderError> {
    Ok(Layout::Journal.project(render(schema, options)?, options))
}

/// Starts with a four-digit migration number and has a name after it.
fn numbered(name: &str) -> bool {
    name.len() > 5 && name.as_bytes()[..4].iter().all(u8::is_ascii_digit)
}
