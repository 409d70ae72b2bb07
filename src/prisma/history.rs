//! Prisma Migrate's history (`prisma/migrations/<timestamp>_<name>/migration.sql`), read to explain
//! where a difference between the schema and a database came from: the last migration that names
//! the object is usually the hand-edited one.

use std::path::{Path, PathBuf};

use crate::diff::{Change, Diff, Difference};
use crate::introspect::AppliedMigration;

/// One applied-in-order migration.
#[derive(Debug, Clone)]
pub struct Migration {
    /// Folder name (`20240105120000_add_cards`), which sorts in application order.
    pub name: String,
    pub path: PathBuf,
    pub sql: String,
}

/// The migrations next to a schema, oldest first.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub migrations: Vec<Migration>,
}

impl History {
    /// The `migrations` folder Prisma uses for `schema` (a file or a schema folder): beside the
    /// file, inside the folder, or beside the folder. `None` when there is none.
    pub fn find(schema: &Path) -> Option<History> {
        let dir = if schema.is_dir() {
            schema.to_path_buf()
        } else {
            schema.parent()?.to_path_buf()
        };
        let candidates = [dir.join("migrations"), dir.parent()?.join("migrations")];
        let folder = candidates.into_iter().find(|c| c.is_dir())?;
        History::read(&folder)
    }

    /// The migrations in `folder` (prisma.config's `migrations.path`).
    pub fn read(folder: &Path) -> Option<History> {
        let mut migrations: Vec<Migration> = std::fs::read_dir(folder)
            .ok()?
            .flatten()
            .filter_map(|e| {
                let path = e.path().join("migration.sql");
                let sql = std::fs::read_to_string(&path).ok()?;
                Some(Migration {
                    name: e.file_name().to_string_lossy().into_owned(),
                    path,
                    sql,
                })
            })
            .collect();
        if migrations.is_empty() {
            return None;
        }
        migrations.sort_by(|a, b| a.name.cmp(&b.name));
        Some(History { migrations })
    }

    /// The last migration that mentions `"name"` (quoted, as Prisma writes identifiers), with the
    /// 1-based line of that mention.
    pub fn last_mention(&self, name: &str) -> Option<(&Migration, usize)> {
        let quoted = format!("\"{name}\"");
        self.migrations.iter().rev().find_map(|m| {
            m.sql
                .lines()
                .enumerate()
                .filter(|(_, l)| l.contains(&quoted) && !l.trim_start().starts_with("--"))
                .last()
                .map(|(i, _)| (m, i + 1))
        })
    }

    /// Adds to each difference the migration that last touched the object, where one did.
    pub fn explain(&self, diff: &mut Diff) {
        for d in &mut diff.differences {
            if let Some(origin) = self.origin_of(d) {
                d.origin = Some(origin);
            }
        }
    }

    fn origin_of(&self, d: &Difference) -> Option<String> {
        // The most specific name first: the item (index, constraint, column, label), then the
        // names on either side of a rename, then the object.
        let mut names: Vec<String> = Vec::new();
        if let Some(item) = &d.item {
            if let Some((_, name)) = item.split_once(' ') {
                let name = name.trim_matches('\'');
                // A column is found through `"column"` only together with its table.
                names.push(name.to_string());
            }
        }
        if d.change == Change::Differs {
            names.extend(d.right.iter().chain(d.left.iter()).cloned());
        }
        names.push(d.object.rsplit('.').next().unwrap_or(&d.object).to_string());
        // Enum labels are written as 'LABEL' in `ALTER TYPE … ADD VALUE`.
        let label = d
            .item
            .as_deref()
            .and_then(|i| i.strip_prefix("label "))
            .map(|l| l.to_string());
        let (m, line) = match label {
            Some(l) => self.migrations.iter().rev().find_map(|m| {
                m.sql
                    .lines()
                    .position(|x| x.contains("ADD VALUE") && x.contains(&l))
                    .map(|i| (m, i + 1))
            })?,
            None => names.iter().find_map(|n| self.last_mention(n))?,
        };
        Some(format!("{}:{line} ({})", m.path.display(), m.name))
    }
}

/// Explains `diff` (between the Prisma schema at `schema` and another side) with the migration
/// history beside the schema, when there is one: each difference gets the migration that last
/// touched its object, and when `database` (a live database's URL or file) is given, its
/// `_prisma_migrations` is compared with the folder (a SQLite file waits up to `busy_timeout` for
/// a writer's lock). Returns those history notes.
pub fn explain(
    schema: &Path,
    database: Option<&str>,
    auth_token: Option<String>,
    busy_timeout: std::time::Duration,
    diff: &mut Diff,
) -> Vec<String> {
    explain_in(schema, None, database, auth_token, busy_timeout, diff)
}

/// [`explain`] with the migrations folder named (prisma.config's `migrations.path`) instead of
/// looked for beside the schema.
pub fn explain_in(
    schema: &Path,
    migrations: Option<&Path>,
    database: Option<&str>,
    auth_token: Option<String>,
    busy_timeout: std::time::Duration,
    diff: &mut Diff,
) -> Vec<String> {
    let history = match migrations {
        Some(folder) => History::read(folder),
        None => History::find(schema),
    };
    let Some(history) = history else {
        return Vec::new();
    };
    history.explain(diff);
    let Some(database) = database else {
        return Vec::new();
    };
    match crate::introspect::prisma_migrations(database, auth_token, busy_timeout) {
        Ok(Some(applied)) => history.compare_applied(&applied),
        Ok(None) => vec![
            "the database has no _prisma_migrations table: it was not built by prisma migrate (or was baselined by hand)".into(),
        ],
        Err(e) => vec![format!("cannot read _prisma_migrations: {e}")],
    }
}

impl History {
    /// Where the local migrations and the database's `_prisma_migrations` disagree, one line
    /// each: migrations not applied, applied ones missing locally, and failed ones.
    pub fn compare_applied(&self, applied: &[AppliedMigration]) -> Vec<String> {
        let mut notes = Vec::new();
        let live: Vec<&AppliedMigration> = applied.iter().filter(|m| !m.rolled_back).collect();
        for m in &self.migrations {
            if !live.iter().any(|a| a.name == m.name) {
                notes.push(format!(
                    "migration {} is in {} but not applied to the database",
                    m.name,
                    self.folder().display()
                ));
            }
        }
        for a in &live {
            if !self.migrations.iter().any(|m| m.name == a.name) {
                notes.push(format!(
                    "migration {} is applied to the database but not in {}",
                    a.name,
                    self.folder().display()
                ));
            }
            if !a.finished {
                notes.push(format!(
                    "migration {} started in the database and never finished (failed)",
                    a.name
                ));
            }
        }
        notes
    }

    /// The migrations folder.
    pub fn folder(&self) -> PathBuf {
        self.migrations
            .first()
            .and_then(|m| m.path.parent()?.parent().map(Path::to_path_buf))
            .unwrap_or_default()
    }
}
