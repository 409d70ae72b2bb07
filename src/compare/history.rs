//! Prisma Migrate's history as an explanation of a comparison: the last migration that names an
//! object is usually the hand-edited one, and the database's `_prisma_migrations` says which
//! migrations it has. Reading the folder is [`crate::prisma::history`]'s, reading the table the
//! caller's ([`crate::introspect::prisma_migrations`]).

use super::{Change, Diff, Difference};
use crate::introspect::AppliedMigration;
use crate::prisma::history::History;

/// Adds to each difference the migration that last touched the object, where one did.
pub fn explain(history: &History, diff: &mut Diff) {
    for d in &mut diff.differences {
        if let Some(origin) = origin_of(history, d) {
            d.origin = Some(origin);
        }
    }
}

fn origin_of(history: &History, d: &Difference) -> Option<String> {
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
        Some(l) => history.migrations.iter().rev().find_map(|m| {
            m.sql
                .lines()
                .position(|x| x.contains("ADD VALUE") && x.contains(&l))
                .map(|i| (m, i + 1))
        })?,
        None => names.iter().find_map(|n| history.last_mention(n))?,
    };
    Some(format!("{}:{line} ({})", m.path.display(), m.name))
}

/// Notes on the database's record of `history` (`applied`: its `_prisma_migrations` as read,
/// `None` when it has no such table, or why it could not be read).
pub fn applied_notes<E: std::fmt::Display>(
    history: &History,
    applied: Result<Option<Vec<AppliedMigration>>, E>,
) -> Vec<String> {
    match applied {
        Ok(Some(applied)) => compare_applied(history, &applied),
        Ok(None) => vec![
            "the database has no _prisma_migrations table: it was not built by prisma migrate (or was baselined by hand)".into(),
        ],
        Err(e) => vec![format!("cannot read _prisma_migrations: {e}")],
    }
}

/// Where the local migrations and the database's `_prisma_migrations` disagree, one line
/// each: migrations not applied, applied ones missing locally, and failed ones.
fn compare_applied(history: &History, applied: &[AppliedMigration]) -> Vec<String> {
    let mut notes = Vec::new();
    let live: Vec<&AppliedMigration> = applied.iter().filter(|m| !m.rolled_back).collect();
    for m in &history.migrations {
        if !live.iter().any(|a| a.name == m.name) {
            notes.push(format!(
                "migration {} is in {} but not applied to the database",
                m.name,
                history.folder().display()
            ));
        }
    }
    for a in &live {
        if !history.migrations.iter().any(|m| m.name == a.name) {
            notes.push(format!(
                "migration {} is applied to the database but not in {}",
                a.name,
                history.folder().display()
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
