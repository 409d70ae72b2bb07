//! A drizzle-kit migrations folder read back into the neutral [`crate::model::Schema`]: what the
//! migrations say the database is, so `check` can compare it with a live database or a Prisma
//! schema.
//!
//! Only the latest snapshot counts, and the SQL files are never replayed. drizzle-kit 0.31
//! (`meta/_journal.json`'s highest `idx`, its `meta/NNNN_snapshot.json`) keeps the whole schema
//! in every snapshot: PostgreSQL version 7, SQLite (and `turso`) version 6. drizzle-kit 1.0 has
//! one `<YYYYMMDDHHMMSS>_<name>/snapshot.json` per migration and no journal: SQLite's (version 7)
//! are whole too and the last folder wins; PostgreSQL's (version 9) are a `base` and `diff`s
//! replayed onto it along `prevIds`, up to the leaf. A 1.0 snapshot is read by mapping its rows
//! onto the 0.31 document of the same schema, so both read into the same model.
//!
//! The result holds the same physical facts our introspection and our Prisma lowering produce, so
//! the three compare field by field: types are parsed like the catalog's `format_type` spellings
//! (PostgreSQL) or declared types (SQLite), `serial` is
//! [`crate::model::DefaultValue::Autoincrement`], each snapshot default is the inverse of how our
//! writer spells a default, and identity and sequence options are all explicit, as the catalog
//! reader reports them.
//!
//! What a snapshot cannot carry is simply absent: comments and documentation, ORM names (models,
//! fields, enum values), relation fields, client-side defaults (`uuid()`, `cuid()`) and
//! `@updatedAt`, domains' definitions (a domain column is a custom type by name), extensions,
//! `DEFERRABLE`, index `INCLUDE` columns, the order and NULLS placement of PostgreSQL expression
//! index columns (an operator class of such a column stays inside its expression text), the
//! top-level `policies` of PostgreSQL snapshots (policies of tables the snapshot does not
//! declare), and on SQLite enums (their columns are `text`) and the difference between a UNIQUE
//! constraint and a unique index. A default drizzle spells like several model values reads back
//! as the typed one (`0` is a number even where the source said "expression `0`"); typed literals
//! such as `'{}'::text[]` and `now()` stay expressions, as our introspection keeps them.

mod postgres;
mod postgres_v9;
mod sqlite;
mod sqlite_v7;

use std::fmt;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::migrate::Layout;
use crate::model;

/// Why a migrations folder could not be read. One line each, naming the file.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("`{}` is not a drizzle-kit migrations folder: `{}` is missing, and there is no `<YYYYMMDDHHMMSS>_<name>/snapshot.json`", dir.display(), dir.join("meta/_journal.json").display())]
    MissingJournal { dir: PathBuf },
    #[error("`{}` has migration folders but no `<YYYYMMDDHHMMSS>_<name>/snapshot.json` in any", dir.display())]
    NoFolderSnapshots { dir: PathBuf },
    #[error("`{}` has no snapshot for migration \"{tag}\" (`{}`)", dir.display(), dir.join(tag).join("snapshot.json").display())]
    MissingFolderSnapshot { dir: PathBuf, tag: String },
    /// A 1.0 snapshot whose rows or history cannot be replayed.
    #[error("`{}`: {message}", path.display())]
    History { path: PathBuf, message: String },
    #[error("cannot read `{}`: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// serde's message carries the line and column.
    #[error("`{}` is not a valid drizzle-kit file: {source}", path.display())]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("`{}` lists no migrations (its `entries` are empty)", path.display())]
    EmptyJournal { path: PathBuf },
    #[error("`{}` has no snapshot for migration {idx} (`meta/{idx:04}_snapshot.json`) nor any other `meta/*_snapshot.json`", dir.display())]
    MissingSnapshot { dir: PathBuf, idx: u64 },
    #[error("`{}` has no snapshot for migration {idx} \"{tag}\" (`meta/{idx:04}_snapshot.json`)", dir.display())]
    MissingEntrySnapshot { dir: PathBuf, idx: u64, tag: String },
    #[error("`{}`: snapshot dialect `{dialect}` version `{version}` is not supported (postgresql 7, sqlite or turso 6; drizzle-kit 1.0's postgres 9, sqlite or turso 7)", path.display())]
    Unsupported {
        path: PathBuf,
        dialect: String,
        version: String,
    },
}

/// A directory containing `meta/_journal.json` (drizzle-kit 0.31), or timestamped migration
/// folders (1.0).
pub fn is_migrations_folder(path: &Path) -> bool {
    Layout::detect(path).is_some()
}

#[derive(Deserialize)]
struct Journal {
    #[serde(default)]
    entries: Vec<JournalEntry>,
}

#[derive(Deserialize)]
struct JournalEntry {
    idx: u64,
}

/// Just enough of a snapshot to pick its reader.
#[derive(Deserialize)]
struct Header {
    #[serde(default)]
    dialect: String,
    #[serde(default)]
    version: String,
}

/// The `<tag>/snapshot.json` of a 1.0 folder, sorted by tag (drizzle-kit sorts them as strings).
fn folder_snapshots(dir: &Path) -> Result<Vec<(String, PathBuf)>, SnapshotError> {
    let tags = Layout::snapshot_tags(dir).map_err(|source| SnapshotError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    Ok(tags
        .into_iter()
        .map(|tag| {
            let path = dir.join(Layout::Folders.snapshot_of(0, &tag));
            (tag, path)
        })
        .collect())
}

/// Every snapshot of a 1.0 PostgreSQL folder, in folder order.
fn load_v9_folder(dir: &Path) -> Result<Vec<postgres_v9::Loaded>, SnapshotError> {
    folder_snapshots(dir)?
        .iter()
        .map(|(_, path)| postgres_v9::Loaded::read(path, &read_text(path)?))
        .collect()
}

/// The latest state of a drizzle-kit 1.0 folder: SQLite's last snapshot, PostgreSQL's
/// snapshots replayed up to their leaf (all leaves merged, as `generate` merges branches).
fn read_folders(dir: &Path) -> Result<model::Schema, SnapshotError> {
    let snapshots = folder_snapshots(dir)?;
    let Some((_, last)) = snapshots.last() else {
        return Err(SnapshotError::NoFolderSnapshots {
            dir: dir.to_path_buf(),
        });
    };
    let text = read_text(last)?;
    let header: Header = parse(last, &text)?;
    if (header.dialect.as_str(), header.version.as_str()) != ("postgres", "9") {
        return read_snapshot_text(last, &text);
    }
    let loaded = load_v9_folder(dir)?;
    let history = postgres_v9::History { snapshots: &loaded };
    match history.latest()? {
        Some(state) => postgres_v9::to_model(&state, last),
        None => Err(SnapshotError::History {
            path: last.clone(),
            message: "every snapshot names another as its parent: there is no latest one".into(),
        }),
    }
}

fn read_text(path: &Path) -> Result<String, SnapshotError> {
    std::fs::read_to_string(path).map_err(|source| SnapshotError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// What both 1.0 readers map rows with: a row is a JSON object, mapped onto the 0.x document
/// their 0.x readers already read.
mod rows {
    use serde_json::{Map, Value};

    pub(super) type Row = Map<String, Value>;

    /// The string field `k` of `row` (empty when absent).
    pub(super) fn text<'r>(row: &'r Row, k: &str) -> &'r str {
        row.get(k).and_then(Value::as_str).unwrap_or_default()
    }

    /// The field `k` of `row` (`null` when absent).
    pub(super) fn get(row: &Row, k: &str) -> Value {
        row.get(k).cloned().unwrap_or(Value::Null)
    }

    /// 0.x objects keyed by the rows' names, in row order.
    pub(super) fn named<'r>(
        rows: impl Iterator<Item = &'r Row>,
        object: impl Fn(&'r Row) -> Value,
    ) -> Value {
        Value::Object(
            rows.map(|r| (text(r, "name").to_string(), object(r)))
                .collect(),
        )
    }

    /// A 0.x table's keyed parts, which both dialects' documents hold alike: its columns,
    /// indexes, foreign keys, composite primary keys, unique and check constraints, in that order.
    pub(super) fn table_document(parts: [Value; 6]) -> Row {
        let keys = [
            "columns",
            "indexes",
            "foreignKeys",
            "compositePrimaryKeys",
            "uniqueConstraints",
            "checkConstraints",
        ];
        keys.iter().map(|k| k.to_string()).zip(parts).collect()
    }
}

/// A 1.0 snapshot's rows, mapped onto the 0.x document (`mapped`), read as that document.
fn from_mapped<T: serde::de::DeserializeOwned>(
    path: &Path,
    mapped: serde_json::Value,
) -> Result<T, SnapshotError> {
    serde_json::from_value(mapped).map_err(|e| SnapshotError::History {
        path: path.to_path_buf(),
        message: format!("a row has a field of the wrong kind: {e}"),
    })
}

fn parse<'a, T: Deserialize<'a>>(path: &Path, text: &'a str) -> Result<T, SnapshotError> {
    serde_json::from_str(text).map_err(|source| SnapshotError::Json {
        path: path.to_path_buf(),
        source,
    })
}

/// `meta/NNNN_snapshot.json` with the highest number, for folders whose journal and snapshot
/// numbers disagree (hand-edited or squashed histories).
fn highest_snapshot(meta: &Path) -> Option<PathBuf> {
    std::fs::read_dir(meta)
        .ok()?
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            let number: u64 = name.strip_suffix("_snapshot.json")?.parse().ok()?;
            Some((number, e.path()))
        })
        .max_by_key(|(n, _)| *n)
        .map(|(_, p)| p)
}

/// Reads the latest snapshot of a drizzle-kit migrations folder (0.31's or 1.0's) into the model.
pub fn read_migrations_folder(dir: &Path) -> Result<model::Schema, SnapshotError> {
    if Layout::detect(dir) == Some(Layout::Folders) {
        let mut schema = read_folders(dir)?;
        schema.source = Some(dir.display().to_string());
        return Ok(schema);
    }
    let meta = dir.join("meta");
    let journal_path = meta.join("_journal.json");
    if !journal_path.is_file() {
        return Err(SnapshotError::MissingJournal {
            dir: dir.to_path_buf(),
        });
    }
    let journal: Journal = parse(&journal_path, &read_text(&journal_path)?)?;
    let idx =
        journal
            .entries
            .iter()
            .map(|e| e.idx)
            .max()
            .ok_or_else(|| SnapshotError::EmptyJournal {
                path: journal_path.clone(),
            })?;
    let expected = meta.join(format!("{idx:04}_snapshot.json"));
    let path = if expected.is_file() {
        expected
    } else {
        highest_snapshot(&meta).ok_or_else(|| SnapshotError::MissingSnapshot {
            dir: dir.to_path_buf(),
            idx,
        })?
    };
    let mut schema = read_snapshot_file(&path)?;
    schema.source = Some(dir.display().to_string());
    Ok(schema)
}

/// Reads the snapshot drizzle-kit wrote together with one journal entry (`idx`, `tag`) into the
/// model; its `source` is the snapshot's path.
///
/// drizzle-kit names it `meta/<prefix>_snapshot.json` after the tag's prefix (`0003` by default,
/// a timestamp with `migrations.prefix: "timestamp"`); `meta/NNNN_snapshot.json` by `idx` is the
/// fallback. Unlike [`read_migrations_folder`] there is no "highest snapshot" stand-in: another
/// entry's snapshot would describe another schema.
pub fn read_entry_snapshot(
    dir: &Path,
    idx: u64,
    tag: &str,
) -> Result<model::Schema, SnapshotError> {
    let meta = dir.join("meta");
    let by_idx = meta.join(format!("{idx:04}_snapshot.json"));
    let by_tag = tag
        .split_once('_')
        .map(|(prefix, _)| prefix)
        .filter(|p| !p.is_empty() && !p.contains(['/', '\\', '.']))
        .map(|p| meta.join(format!("{p}_snapshot.json")));
    let path = by_tag
        .into_iter()
        .chain(std::iter::once(by_idx))
        .find(|p| p.is_file())
        .ok_or_else(|| SnapshotError::MissingEntrySnapshot {
            dir: dir.to_path_buf(),
            idx,
            tag: tag.to_string(),
        })?;
    let mut schema = read_snapshot_file(&path)?;
    schema.source = Some(path.display().to_string());
    Ok(schema)
}

/// Reads the snapshot of the drizzle-kit 1.0 migration folder `tag` (`20261127092422_init`) of
/// `dir` into the model: the schema right after that migration (a PostgreSQL `diff` snapshot is
/// replayed onto its base along `prevIds`); its `source` is the snapshot's path. The 1.0
/// sibling of [`read_entry_snapshot`].
pub fn read_folder_snapshot(dir: &Path, tag: &str) -> Result<model::Schema, SnapshotError> {
    let missing = || SnapshotError::MissingFolderSnapshot {
        dir: dir.to_path_buf(),
        tag: tag.to_string(),
    };
    let rel = Layout::Folders.snapshot_of(0, tag);
    if !Layout::Folders.is_snapshot(&rel) {
        return Err(missing());
    }
    let path = dir.join(rel);
    if !path.is_file() {
        return Err(missing());
    }
    let mut schema = read_snapshot_file(&path)?;
    schema.source = Some(path.display().to_string());
    Ok(schema)
}

/// One snapshot file, by its dialect and version. A 1.0 PostgreSQL `diff` snapshot is
/// reconstructed from the other snapshots of its migrations folder (the parent of its folder).
fn read_snapshot_file(path: &Path) -> Result<model::Schema, SnapshotError> {
    let text = read_text(path)?;
    read_snapshot_text(path, &text)
}

fn read_snapshot_text(path: &Path, text: &str) -> Result<model::Schema, SnapshotError> {
    let header: Header = parse(path, text)?;
    match (header.dialect.as_str(), header.version.as_str()) {
        ("postgresql", "7") => Ok(postgres::to_model(parse(path, text)?)),
        ("sqlite" | "turso", "6") => Ok(sqlite::to_model(parse(path, text)?)),
        ("sqlite" | "turso", "7") => sqlite_v7::read(path, text),
        ("postgres", "9") => read_v9_snapshot(path, text),
        _ => Err(SnapshotError::Unsupported {
            path: path.to_path_buf(),
            dialect: header.dialect,
            version: header.version,
        }),
    }
}

/// The state right after the version-9 snapshot at `path`: a base alone, a diff replayed from
/// the other snapshots of its migrations folder.
fn read_v9_snapshot(path: &Path, text: &str) -> Result<model::Schema, SnapshotError> {
    let this = postgres_v9::Loaded::read(path, text)?;
    let folder = path.parent().and_then(Path::parent);
    let mut all = match folder {
        Some(dir) if Layout::detect(dir) == Some(Layout::Folders) => load_v9_folder(dir)?,
        _ => vec![],
    };
    let at = match all.iter().position(|s| s.path() == this.path()) {
        Some(at) => at,
        None => {
            all.push(this);
            all.len() - 1
        }
    };
    let history = postgres_v9::History { snapshots: &all };
    postgres_v9::to_model(&history.state_at(at)?, path)
}

/// A JSON object kept as its entries in document order (drizzle-kit keys objects by name).
pub(crate) struct Ordered<T>(pub Vec<(String, T)>);

impl<T> Default for Ordered<T> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<T> Ordered<T> {
    fn values(&self) -> impl Iterator<Item = &T> {
        self.0.iter().map(|(_, v)| v)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Entries<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, T>()? {
                    out.push((k, v));
                }
                Ok(Ordered(out))
            }
        }
        deserializer.deserialize_map(Entries(PhantomData))
    }
}

/// The content of `'…'` when the whole text is one SQL string literal (`''` escapes a quote).
fn quoted_literal(text: &str) -> Option<String> {
    let body = text.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::new();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            // Inside the literal a quote must be doubled; a lone one ends it early.
            if chars.next() != Some('\'') {
                return None;
            }
        }
        out.push(c);
    }
    Some(out)
}

/// A decimal literal as our writer prints [`model::DefaultValue::Number`]: sign, digits, fraction.
fn is_number_literal(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// `"public"` and `""` are the default namespace, which the model spells `None`.
/// A foreign key as both snapshot versions write it (SQLite's has no `schemaTo`).
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct ForeignKeySnap {
    name: String,
    table_to: String,
    schema_to: Option<String>,
    columns_from: Vec<String>,
    columns_to: Vec<String>,
    on_delete: Option<String>,
    on_update: Option<String>,
}

impl ForeignKeySnap {
    /// DEFERRABLE is not in a snapshot.
    fn to_model(&self) -> model::ForeignKey {
        model::ForeignKey {
            name: self.name.clone(),
            columns: self.columns_from.clone(),
            referenced_table: model::ObjectName::new(
                namespace(self.schema_to.as_deref()),
                self.table_to.clone(),
            ),
            referenced_columns: self.columns_to.clone(),
            on_delete: action(self.on_delete.as_deref()),
            on_update: action(self.on_update.as_deref()),
            deferrable: None,
        }
    }
}

/// A generated column's expression, as both snapshot versions write it.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Generated {
    #[serde(rename = "as")]
    expression: String,
}

/// A unique constraint as both snapshot versions write it (SQLite's has no `nullsNotDistinct`).
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct UniqueSnap {
    name: String,
    nulls_not_distinct: bool,
    columns: Vec<String>,
}

/// The parts of a table both snapshot versions write alike, borrowed from either dialect's
/// `TableSnap` by `table_keys!`.
struct TableKeys<'a> {
    name: &'a str,
    composite_primary_keys: &'a Ordered<NamedColumns>,
    /// The columns marked `primaryKey`, how drizzle-kit writes a one-column key.
    inline_primary_key: Vec<&'a str>,
    unique_constraints: &'a Ordered<UniqueSnap>,
    foreign_keys: &'a Ordered<ForeignKeySnap>,
    checks: &'a Ordered<CheckSnap>,
}

/// The dialects' `TableSnap`s spell these fields alike but are separate types (each read with its
/// own serde derive, so malformed snapshots keep their exact error positions).
macro_rules! table_keys {
    ($t:expr) => {
        $crate::introspect::migrations::TableKeys {
            name: &$t.name,
            composite_primary_keys: &$t.composite_primary_keys,
            inline_primary_key: $t
                .columns
                .values()
                .filter(|c| c.primary_key)
                .map(|c| c.name.as_str())
                .collect(),
            unique_constraints: &$t.unique_constraints,
            foreign_keys: &$t.foreign_keys,
            checks: &$t.check_constraints,
        }
    };
}
use table_keys;

impl TableKeys<'_> {
    /// The composite key if there is one, else the inline one; `name` gets the composite key's
    /// name (`None` for an inline key) and says what the model calls the key.
    fn primary_key(
        &self,
        name: impl FnOnce(Option<&str>) -> Option<String>,
    ) -> Option<model::PrimaryKey> {
        let (composite, columns) = match self.composite_primary_keys.values().next() {
            Some(pk) => (Some(pk.name.as_str()), pk.columns.clone()),
            None if self.inline_primary_key.is_empty() => return None,
            None => (
                None,
                self.inline_primary_key
                    .iter()
                    .map(|c| c.to_string())
                    .collect(),
            ),
        };
        Some(model::PrimaryKey {
            name: name(composite),
            columns,
        })
    }

    /// A table with unique constraints, foreign keys and checks; the caller adds the rest.
    fn to_table(&self, schema: Option<String>) -> model::Table {
        model::Table {
            unique_constraints: self
                .unique_constraints
                .values()
                .map(|u| model::UniqueConstraint {
                    name: u.name.clone(),
                    columns: u.columns.clone(),
                    nulls_not_distinct: u.nulls_not_distinct,
                    deferrable: None,
                })
                .collect(),
            foreign_keys: self
                .foreign_keys
                .values()
                .map(ForeignKeySnap::to_model)
                .collect(),
            checks: self.checks.values().map(CheckSnap::to_model).collect(),
            ..model::Table::new(schema, self.name)
        }
    }
}

/// A composite primary key.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct NamedColumns {
    pub(super) name: String,
    pub(super) columns: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CheckSnap {
    name: String,
    value: String,
}

impl CheckSnap {
    fn to_model(&self) -> model::Check {
        model::Check {
            name: self.name.clone(),
            expression: self.value.clone(),
        }
    }
}

fn action(text: Option<&str>) -> model::ReferentialAction {
    use model::ReferentialAction as A;
    match text.unwrap_or("").to_ascii_lowercase().as_str() {
        "cascade" => A::Cascade,
        "restrict" => A::Restrict,
        "set null" => A::SetNull,
        "set default" => A::SetDefault,
        _ => A::NoAction,
    }
}

fn namespace(schema: Option<&str>) -> Option<String> {
    schema
        .filter(|s| !s.is_empty() && *s != "public")
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_numbers() {
        assert_eq!(quoted_literal("'it''s'").as_deref(), Some("it's"));
        assert_eq!(quoted_literal("''").as_deref(), Some(""));
        assert_eq!(quoted_literal("'a' || 'b'"), None);
        assert_eq!(quoted_literal("'{}'::text[]"), None);
        assert_eq!(quoted_literal("upper('x')"), None);
        assert!(is_number_literal("-1234567.0001"));
        assert!(is_number_literal("0"));
        assert!(!is_number_literal("1."));
        assert!(!is_number_literal("1e5"));
        assert!(!is_number_literal("-"));
    }

    fn write(dir: &Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn broken_folders_say_which_file() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!is_migrations_folder(dir.path()));
        let e = read_migrations_folder(dir.path()).unwrap_err().to_string();
        assert!(e.contains("_journal.json") && e.contains("missing"), "{e}");

        write(
            dir.path(),
            "meta/_journal.json",
            "{\"entries\": [\n  {\"idx\": 0,}\n]}",
        );
        assert!(is_migrations_folder(dir.path()));
        let e = read_migrations_folder(dir.path()).unwrap_err().to_string();
        assert!(e.contains("_journal.json") && e.contains("line 2"), "{e}");
        assert!(!e.contains('\n'), "{e}");

        write(dir.path(), "meta/_journal.json", "{\"entries\": []}");
        let e = read_migrations_folder(dir.path()).unwrap_err().to_string();
        assert!(e.contains("no migrations"), "{e}");

        write(
            dir.path(),
            "meta/_journal.json",
            "{\"entries\": [{\"idx\": 1}]}",
        );
        let e = read_migrations_folder(dir.path()).unwrap_err().to_string();
        assert!(e.contains("0001_snapshot.json"), "{e}");

        write(
            dir.path(),
            "meta/0001_snapshot.json",
            "{\"dialect\": \"mysql\", \"version\": \"5\"}",
        );
        let e = read_migrations_folder(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("mysql") && e.contains("0001_snapshot.json"),
            "{e}"
        );

        write(
            dir.path(),
            "meta/0001_snapshot.json",
            "{\"dialect\": \"postgresql\", \"version\": \"7\", \"tables\": [1]}",
        );
        let e = read_migrations_folder(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("0001_snapshot.json") && e.contains("column"),
            "{e}"
        );
    }

    #[test]
    fn latest_snapshot_wins_with_fallback() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "meta/_journal.json",
            "{\"entries\": [{\"idx\": 0}, {\"idx\": 2}]}",
        );
        let pg = |table: &str| {
            format!(
                "{{\"dialect\": \"postgresql\", \"version\": \"7\", \"tables\": {{\"public.{table}\": \
                 {{\"name\": \"{table}\", \"schema\": \"\", \"columns\": {{}}}}}}}}"
            )
        };
        write(dir.path(), "meta/0000_snapshot.json", &pg("old"));
        // No 0002: the highest-numbered snapshot there is stands in.
        write(dir.path(), "meta/0001_snapshot.json", &pg("newer"));
        let s = read_migrations_folder(dir.path()).unwrap();
        assert_eq!(s.tables[0].name, "newer");
        assert_eq!(s.source, Some(dir.path().display().to_string()));
        write(dir.path(), "meta/0002_snapshot.json", &pg("newest"));
        let s = read_migrations_folder(dir.path()).unwrap();
        assert_eq!(s.tables[0].name, "newest");
    }

    #[test]
    fn each_entry_reads_its_own_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let pg = |table: &str| {
            format!(
                "{{\"dialect\": \"postgresql\", \"version\": \"7\", \"tables\": {{\"public.{table}\": \
                 {{\"name\": \"{table}\", \"schema\": \"\", \"columns\": {{}}}}}}}}"
            )
        };
        write(dir.path(), "meta/0000_snapshot.json", &pg("first"));
        write(dir.path(), "meta/0001_snapshot.json", &pg("second"));
        // `migrations.prefix: "timestamp"`: named after the tag's prefix, not the index.
        write(
            dir.path(),
            "meta/20250101120000_snapshot.json",
            &pg("third"),
        );
        let s = read_entry_snapshot(dir.path(), 0, "0000_init").unwrap();
        assert_eq!(s.tables[0].name, "first");
        assert!(s.source.unwrap().ends_with("0000_snapshot.json"));
        let s = read_entry_snapshot(dir.path(), 1, "0001_next").unwrap();
        assert_eq!(s.tables[0].name, "second");
        let s = read_entry_snapshot(dir.path(), 2, "20250101120000_more").unwrap();
        assert_eq!(s.tables[0].name, "third");
        // No stand-in: a missing snapshot is an error naming the entry.
        let e = read_entry_snapshot(dir.path(), 3, "0003_gone")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("0003_gone") && e.contains("0003_snapshot.json"),
            "{e}"
        );
    }
}
