//! Prisma Migrate's history (`prisma/migrations/<timestamp>_<name>/migration.sql`), read from the
//! files beside a schema. Explaining a comparison with it is [`crate::compare::history`]'s.

use std::path::{Path, PathBuf};

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

    /// The history for `schema`: in `migrations` (prisma.config's `migrations.path`) when one is
    /// named, else looked for beside the schema.
    pub fn locate(schema: &Path, migrations: Option<&Path>) -> Option<History> {
        match migrations {
            Some(folder) => History::read(folder),
            None => History::find(schema),
        }
    }

    /// The migrations folder.
    pub fn folder(&self) -> PathBuf {
        self.migrations
            .first()
            .and_then(|m| m.path.parent()?.parent().map(Path::to_path_buf))
            .unwrap_or_default()
    }
}
