//! The file names of a migrations folder, and a rendering laid out as one.
//!
//! Every name of a drizzle-kit folder is spelled here and nowhere else: the migrations, the
//! journal and the snapshots. [`Layout`] has one variant per folder format drizzle-kit writes:
//! 0.31's journal, and 1.0's folder per migration (`20261127092422_baseline/migration.sql` and
//! `snapshot.json`, no journal).

use std::path::{Path, PathBuf};

use super::journal::{Journal, JournalDialect, JournalEntry};
use crate::model::Dialect;
use crate::render::{losses::Loss, render, Flavour, RenderError, RenderOptions, Rendered};

/// How a migrations folder arranges its files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// drizzle-kit 0.31: `NNNN_<name>.sql` at the top, `meta/_journal.json` listing them, and
    /// `meta/NNNN_snapshot.json` after each.
    Journal,
    /// drizzle-kit 1.0: one folder per migration, named `<YYYYMMDDHHMMSS>_<name>` (UTC; the
    /// runtime reads the time from it), holding `migration.sql` and `snapshot.json`.
    Folders,
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
    /// The layout drizzle-kit of `flavour` writes.
    pub fn of(flavour: Flavour) -> Layout {
        match flavour {
            Flavour::Drizzle045Kit031 => Layout::Journal,
            Flavour::Drizzle1 => Layout::Folders,
        }
    }

    /// Every layout, 0.31's first.
    pub const ALL: [Layout; 2] = [Layout::Journal, Layout::Folders];

    /// The layout of the folder `path`: a journal makes it 0.31's, a migration or snapshot in a
    /// timestamped sub-folder 1.0's; `None` for anything else (empty, missing, foreign).
    pub fn detect(path: &Path) -> Option<Layout> {
        if Layout::Journal.is_folder(path) {
            return Some(Layout::Journal);
        }
        let held =
            |dir: &Path| dir.join(MIGRATION_SQL).is_file() || dir.join(SNAPSHOT_JSON).is_file();
        let tags = migration_folders(path, held).ok()?;
        (!tags.is_empty()).then_some(Layout::Folders)
    }

    /// The migrations of the 1.0 folder `root` that have a `migration.sql`: their folder names
    /// (tags), sorted as drizzle sorts them.
    pub fn migration_tags(root: &Path) -> std::io::Result<Vec<String>> {
        migration_folders(root, |dir| dir.join(MIGRATION_SQL).is_file())
    }

    /// The migrations of the 1.0 folder `root` that have a `snapshot.json`, sorted by tag.
    pub fn snapshot_tags(root: &Path) -> std::io::Result<Vec<String>> {
        migration_folders(root, |dir| dir.join(SNAPSHOT_JSON).is_file())
    }

    /// The 0.31 journal, relative to the folder.
    pub fn journal(self) -> &'static str {
        JOURNAL
    }

    /// The 0.31 journal of the folder `root`.
    pub fn journal_path(self, root: &Path) -> PathBuf {
        root.join(JOURNAL)
    }

    /// Is `path` a folder of this layout?
    pub fn is_folder(self, path: &Path) -> bool {
        match self {
            Layout::Journal => path.is_dir() && self.journal_path(path).is_file(),
            Layout::Folders => Layout::detect(path) == Some(Layout::Folders),
        }
    }

    /// The tag of migration `idx` named `name`, made at `when_ms`: `0000_baseline`, or
    /// `20261127092422_baseline` (UTC) for 1.0.
    pub fn tag(self, idx: u32, name: &str, when_ms: u64) -> String {
        match self {
            Layout::Journal => format!("{idx:04}_{name}"),
            Layout::Folders => {
                let when = i64::try_from(when_ms).unwrap_or(i64::MAX);
                let stamp = chrono::DateTime::from_timestamp_millis(when)
                    .unwrap_or_default()
                    .format("%Y%m%d%H%M%S");
                format!("{stamp}_{name}")
            }
        }
    }

    /// The SQL file of the migration tagged `tag`, relative to the folder.
    pub fn migration(self, tag: &str) -> String {
        match self {
            Layout::Journal => format!("{tag}.sql"),
            Layout::Folders => format!("{tag}/{MIGRATION_SQL}"),
        }
    }

    /// The snapshot after the migration whose tag starts with `prefix` (`0003`, or a timestamp
    /// with drizzle-kit's `migrations.prefix: "timestamp"`), relative to a 0.31 folder.
    pub fn snapshot(self, prefix: &str) -> String {
        format!("meta/{prefix}_snapshot.json")
    }

    /// The snapshot of the migration tagged `tag` (journal entry `idx`), relative to the folder.
    pub fn snapshot_of(self, idx: u32, tag: &str) -> String {
        match self {
            Layout::Journal => self.snapshot(&format!("{idx:04}")),
            Layout::Folders => format!("{tag}/{SNAPSHOT_JSON}"),
        }
    }

    /// Is `rel` (relative to the folder) a migration's SQL file?
    pub fn is_migration(self, rel: &str) -> bool {
        match self {
            Layout::Journal => numbered(rel, 4) && rel.ends_with(".sql") && !rel.contains('/'),
            Layout::Folders => rel
                .strip_suffix(MIGRATION_SQL)
                .and_then(|folder| folder.strip_suffix('/'))
                .is_some_and(|folder| numbered(folder, 14) && !folder.contains('/')),
        }
    }

    /// Is `rel` (relative to the folder) a snapshot?
    pub fn is_snapshot(self, rel: &str) -> bool {
        match self {
            Layout::Journal => rel
                .strip_prefix("meta/")
                .is_some_and(|meta| numbered(meta, 4) && meta.ends_with("_snapshot.json")),
            Layout::Folders => rel
                .strip_suffix(SNAPSHOT_JSON)
                .and_then(|folder| folder.strip_suffix('/'))
                .is_some_and(|folder| numbered(folder, 14) && !folder.contains('/')),
        }
    }

    /// Is `rel` (relative to the folder) part of the migration history: a migration, a snapshot
    /// or the journal?
    pub fn is_history(self, rel: &str) -> bool {
        self.is_migration(rel)
            || self.is_snapshot(rel)
            || (self == Layout::Journal && rel == JOURNAL)
    }

    /// Is `rel` part of a migration history of any layout?
    pub fn any_history(rel: &str) -> bool {
        Layout::ALL.iter().any(|l| l.is_history(rel))
    }

    /// Is `rel` a migration of any layout?
    pub fn any_migration(rel: &str) -> bool {
        Layout::ALL.iter().any(|l| l.is_migration(rel))
    }

    /// `rendered` as the files of a new folder holding one baseline migration named
    /// `options.name`: `schema.ts`, `relations.ts`, the migration, (the journal,) the snapshot.
    pub fn project(self, rendered: Rendered, options: &RenderOptions) -> Project {
        let tag = self.tag(0, &options.name, options.when_ms);
        let mut files = vec![
            ("schema.ts".into(), rendered.schema_ts),
            ("relations.ts".into(), rendered.relations_ts),
            (self.migration(&tag), rendered.migration),
        ];
        if self == Layout::Journal {
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
            files.push((JOURNAL.into(), journal.to_text()));
        }
        files.push((self.snapshot_of(0, &tag), rendered.snapshot));
        Project {
            files,
            tag,
            packages: rendered.packages,
            losses: rendered.losses,
        }
    }
}

/// The sub-folders of `root` named like 1.0 migrations (`<14 digits>_<name>`) for which `keep`
/// holds, sorted by name.
fn migration_folders(root: &Path, keep: impl Fn(&Path) -> bool) -> std::io::Result<Vec<String>> {
    let mut tags: Vec<String> = std::fs::read_dir(root)?
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|tag| numbered(tag, 14) && keep(&root.join(tag)))
        .collect();
    tags.sort();
    Ok(tags)
}

/// drizzle-kit 0.31's journal.
const JOURNAL: &str = "meta/_journal.json";
/// A 1.0 migration's SQL, inside its folder.
const MIGRATION_SQL: &str = "migration.sql";
/// A 1.0 migration's snapshot, inside its folder.
const SNAPSHOT_JSON: &str = "snapshot.json";

/// Renders `schema` as the files of a new output folder in the layout of `options.flavour`
/// (see [`Layout::project`]).
pub fn render_project(
    schema: &crate::model::Schema,
    options: &RenderOptions,
) -> Result<Project, RenderError> {
    Ok(Layout::of(options.flavour).project(render(schema, options)?, options))
}

/// Starts with a `digits`-digit migration number (0.31 tags may carry a longer timestamp
/// prefix) and has a name after it; a 1.0 folder's 14 digits are followed by `_`.
fn numbered(name: &str, digits: usize) -> bool {
    name.len() > digits + 1
        && name.as_bytes()[..digits].iter().all(u8::is_ascii_digit)
        && (digits == 4 || name.as_bytes()[digits] == b'_')
}
