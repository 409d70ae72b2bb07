//! A drizzle-kit migrations folder, read: 0.31's journal (`meta/_journal.json` plus one
//! `<tag>.sql` per entry), or 1.0's folders (`<YYYYMMDDHHMMSS>_<name>/migration.sql`, in name
//! order, the time read from the name), each migration with the hash drizzle's migrator would
//! record for it. The journal is also written here; the file names are [`super::layout`]'s.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::layout::Layout;
use sha2::{Digest, Sha256};

use super::Error;

/// The journal's `dialect` field. drizzle-kit writes `"sqlite"` for Turso/libSQL as well.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JournalDialect {
    Postgresql,
    Sqlite,
    /// drizzle-kit's `dialect: 'turso'` (libSQL): the history table is SQLite's.
    Turso,
    Mysql,
    Singlestore,
    /// Older drizzle-kit releases wrote `"pg"`; treated as PostgreSQL by the migrator.
    #[serde(rename = "pg")]
    Pg,
}

impl JournalDialect {
    /// The spelling used in `_journal.json`.
    pub fn as_str(self) -> &'static str {
        match self {
            JournalDialect::Postgresql => "postgresql",
            JournalDialect::Sqlite => "sqlite",
            JournalDialect::Turso => "turso",
            JournalDialect::Mysql => "mysql",
            JournalDialect::Singlestore => "singlestore",
            JournalDialect::Pg => "pg",
        }
    }

    /// Whether the history table lives in SQLite / libSQL.
    pub fn is_sqlite(self) -> bool {
        matches!(self, JournalDialect::Sqlite | JournalDialect::Turso)
    }

    /// Whether the history table lives in PostgreSQL.
    pub fn is_postgres(self) -> bool {
        matches!(self, JournalDialect::Postgresql | JournalDialect::Pg)
    }
}

/// `meta/_journal.json` as drizzle-kit writes it (fields in its order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    /// Always `"7"` for drizzle-kit 0.31.
    pub version: String,
    pub dialect: JournalDialect,
    pub entries: Vec<JournalEntry>,
}

/// One `entries[]` element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    pub idx: u32,
    /// Snapshot version (`"7"` PostgreSQL, `"6"` SQLite).
    pub version: String,
    /// Generation time in epoch milliseconds; the migrator stores it as `created_at` and uses it
    /// as the high-water mark.
    pub when: i64,
    /// File name of the migration without `.sql`.
    pub tag: String,
    pub breakpoints: bool,
}

impl Journal {
    /// The journal text as drizzle-kit writes it (two-space indented JSON, no final newline).
    pub fn to_text(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// A journal entry together with its SQL file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    pub entry: JournalEntry,
    pub path: PathBuf,
    /// Lowercase hex SHA-256 of the file, as drizzle's `readMigrationFiles` computes it.
    pub hash: String,
}

/// A migrations folder whose journal and SQL files have all been read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationsFolder {
    pub root: PathBuf,
    /// 0.31's journal, or 1.0's folders.
    pub layout: Layout,
    /// For 1.0 folders: made up from them (the dialect from the newest snapshot; an entry per
    /// folder, `when` from its name), so the rest reads one shape.
    pub journal: Journal,
    /// One per journal entry, in journal order.
    pub migrations: Vec<Migration>,
}

impl MigrationsFolder {
    /// Reads `<root>/meta/_journal.json` and hashes every `<root>/<tag>.sql` it lists, or for a
    /// drizzle-kit 1.0 folder every `<root>/<folder>/migration.sql`.
    pub fn read(root: &Path) -> Result<MigrationsFolder, Error> {
        if !root.is_dir() {
            return Err(Error::FolderMissing {
                path: root.to_path_buf(),
            });
        }
        if Layout::detect(root) == Some(Layout::Folders) {
            return Self::read_folders(root);
        }
        let journal_path = Layout::Journal.journal_path(root);
        let text = match std::fs::read_to_string(&journal_path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::JournalMissing { path: journal_path });
            }
            Err(source) => {
                return Err(Error::Read {
                    path: journal_path,
                    source,
                })
            }
        };
        let journal: Journal = serde_json::from_str(&text).map_err(|e| Error::JournalInvalid {
            path: journal_path.clone(),
            reason: e.to_string(),
        })?;

        let mut migrations = Vec::with_capacity(journal.entries.len());
        for entry in &journal.entries {
            // The tag becomes a file name: a separator or an empty tag would point outside the folder.
            if entry.tag.is_empty() || entry.tag.contains(['/', '\\']) || entry.tag == ".." {
                return Err(Error::JournalInvalid {
                    path: journal_path.clone(),
                    reason: format!("entry {} has an invalid tag \"{}\"", entry.idx, entry.tag),
                });
            }
            let path = root.join(Layout::Journal.migration(&entry.tag));
            let bytes = match std::fs::read(&path) {
                Ok(bytes) => bytes,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(Error::SqlFileMissing {
                        tag: entry.tag.clone(),
                        path,
                        journal: journal_path,
                    });
                }
                Err(source) => return Err(Error::Read { path, source }),
            };
            migrations.push(Migration {
                entry: entry.clone(),
                path,
                hash: migration_hash(&bytes),
            });
        }
        Ok(MigrationsFolder {
            root: root.to_path_buf(),
            layout: Layout::Journal,
            journal,
            migrations,
        })
    }

    /// A drizzle-kit 1.0 folder: the sub-folders holding a `migration.sql`, sorted by name as
    /// drizzle's migrator sorts them.
    fn read_folders(root: &Path) -> Result<MigrationsFolder, Error> {
        let layout = Layout::Folders;
        let read_error = |path: &Path| {
            let path = path.to_path_buf();
            move |source| Error::Read { path, source }
        };
        let tags = Layout::migration_tags(root).map_err(read_error(root))?;
        let mut migrations = Vec::with_capacity(tags.len());
        for (idx, tag) in tags.iter().enumerate() {
            let path = root.join(layout.migration(tag));
            let bytes = std::fs::read(&path).map_err(read_error(&path))?;
            let entry = JournalEntry {
                idx: u32::try_from(idx).unwrap_or(u32::MAX),
                version: String::new(),
                when: folder_millis(tag).ok_or_else(|| Error::JournalInvalid {
                    path: root.join(tag),
                    reason:
                        "a migration folder's name must start with its UTC time, YYYYMMDDHHMMSS"
                            .into(),
                })?,
                tag: tag.clone(),
                breakpoints: true,
            };
            migrations.push(Migration {
                entry,
                path,
                hash: migration_hash(&bytes),
            });
        }
        // The newest snapshot that names one (only its header is needed).
        let dialect = tags
            .iter()
            .rev()
            .find_map(|tag| snapshot_dialect(&root.join(layout.snapshot_of(0, tag))));
        let dialect = dialect.ok_or_else(|| Error::JournalMissing {
            path: root.join(layout.snapshot_of(0, tags.last().map_or("<migration>", |t| t))),
        })?;
        Ok(MigrationsFolder {
            root: root.to_path_buf(),
            layout,
            journal: Journal {
                version: String::new(),
                dialect,
                entries: migrations.iter().map(|m| m.entry.clone()).collect(),
            },
            migrations,
        })
    }
}

/// drizzle-orm 1.0's `created_at` for a migration folder: the UTC time its name starts with, in
/// milliseconds.
pub fn folder_millis(tag: &str) -> Option<i64> {
    let stamp = tag.get(..14)?;
    chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%d%H%M%S")
        .ok()
        .map(|t| t.and_utc().timestamp_millis())
}

/// The dialect a 1.0 `snapshot.json` names (`postgres`, `sqlite`, `turso`).
fn snapshot_dialect(path: &Path) -> Option<JournalDialect> {
    #[derive(Deserialize)]
    struct Header {
        dialect: String,
    }
    let text = std::fs::read_to_string(path).ok()?;
    let header: Header = serde_json::from_str(&text).ok()?;
    match header.dialect.as_str() {
        "postgres" | "postgresql" => Some(JournalDialect::Postgresql),
        "sqlite" => Some(JournalDialect::Sqlite),
        "turso" => Some(JournalDialect::Turso),
        _ => None,
    }
}

/// The hash drizzle records for a migration file.
///
/// drizzle reads the file as a UTF-8 string and hashes that string, so for valid UTF-8 this is
/// the SHA-256 of the raw bytes; invalid sequences become U+FFFD first, exactly as Node's decoder
/// does (`from_utf8_lossy` follows the same WHATWG replacement rule).
pub fn migration_hash(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, contents: &[u8]) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }

    const JOURNAL: &str = r#"{
  "version": "7",
  "dialect": "postgresql",
  "entries": [
    {
      "idx": 0,
      "version": "7",
      "when": 1795768885602,
      "tag": "0000_baseline",
      "breakpoints": true
    }
  ]
}"#;

    #[test]
    fn hash_matches_sha256sum_of_file_bytes() {
        // `printf 'SELECT 1;' | sha256sum`
        assert_eq!(
            migration_hash(b"SELECT 1;"),
            "17db4fd369edb9244b9f91d9aeed145c3d04ad8ba6e95d06247f07a63527d11a"
        );
        // Invalid UTF-8 is hashed as Node would after decoding: `printf 'a\xef\xbf\xbdb' | sha256sum`.
        assert_eq!(
            migration_hash(b"a\xffb"),
            "05087813392efc16fe8ff448920c6328e53af865df39419436659d9ffda90f7b"
        );
    }

    #[test]
    fn reads_folder_and_hashes_each_file() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "meta/_journal.json", JOURNAL.as_bytes());
        write(
            dir.path(),
            "0000_baseline.sql",
            b"CREATE TABLE \"t\" (\"id\" serial PRIMARY KEY NOT NULL);\n",
        );
        let folder = MigrationsFolder::read(dir.path()).unwrap();
        assert_eq!(folder.journal.dialect, JournalDialect::Postgresql);
        assert_eq!(folder.migrations.len(), 1);
        let m = &folder.migrations[0];
        assert_eq!(m.entry.when, 1_795_768_885_602);
        assert_eq!(m.entry.tag, "0000_baseline");
        assert_eq!(m.hash.len(), 64);
        assert_eq!(m.hash, migration_hash(&std::fs::read(&m.path).unwrap()));
    }

    #[test]
    fn missing_pieces_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let err = MigrationsFolder::read(&dir.path().join("nope")).unwrap_err();
        assert!(matches!(err, Error::FolderMissing { .. }), "{err}");

        let err = MigrationsFolder::read(dir.path()).unwrap_err();
        assert!(err.to_string().contains("_journal.json"), "{err}");

        write(dir.path(), "meta/_journal.json", JOURNAL.as_bytes());
        let err = MigrationsFolder::read(dir.path()).unwrap_err();
        assert!(matches!(err, Error::SqlFileMissing { .. }), "{err}");
        assert!(err.to_string().contains("0000_baseline.sql"), "{err}");

        write(
            dir.path(),
            "meta/_journal.json",
            br#"{"version":"7","dialect":"postgresql","entries":[{"idx":0}]}"#,
        );
        let err = MigrationsFolder::read(dir.path()).unwrap_err();
        assert!(matches!(err, Error::JournalInvalid { .. }), "{err}");
        assert!(err.to_string().contains("missing field"), "{err}");
    }
}
