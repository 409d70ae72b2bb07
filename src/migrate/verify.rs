//! Which journal entries a live database already reflects, so that `baseline` marks only those.
//!
//! drizzle-kit keeps the whole schema in every entry's snapshot (`meta/NNNN_snapshot.json`), so
//! entries `0..=n` have been applied exactly when the database equals snapshot `n`. The longest
//! such prefix may be marked; the entries after it are left for `drizzle-kit migrate`. Marking an
//! entry the database does not reflect would make the migrator skip it for good.
//!
//! The comparison is `check`'s for a migrations folder against a database
//! ([`DiffOptions::for_sides`]): what a snapshot cannot record (comments, extensions, DEFERRABLE,
//! index INCLUDE …) is not compared, and on PostgreSQL literal defaults the server spells its
//! own way are read through it. [`compare`] is the pure part; [`verify_postgres`] and
//! [`verify_sqlite`] read the database on the connection the baseline then writes with.

use std::borrow::Cow;
use std::collections::BTreeSet;

use crate::compare::{diff, Diff, DiffOptions};
use crate::introspect::migrations::{read_entry_snapshot, read_folder_snapshot};
use crate::model::SourceKind;
use crate::model::{Dialect, Schema, View};

use super::history::{BaselinePlan, ExistingRow, HistoryTarget};
use super::journal::{Migration, MigrationsFolder};
use super::Error;

/// One journal entry's snapshot, read into the model.
#[derive(Debug, Clone)]
pub struct EntrySnapshot {
    pub tag: String,
    /// The snapshot file, for messages.
    pub path: String,
    pub schema: Schema,
}

/// Every entry's snapshot, in journal order; a missing or unreadable one is an error naming it.
pub fn read_snapshots(folder: &MigrationsFolder) -> Result<Vec<EntrySnapshot>, Error> {
    folder
        .migrations
        .iter()
        .map(|m| {
            let schema = match folder.layout {
                super::Layout::Journal => {
                    read_entry_snapshot(&folder.root, u64::from(m.entry.idx), &m.entry.tag)?
                }
                super::Layout::Folders => read_folder_snapshot(&folder.root, &m.entry.tag)?,
            };
            Ok(EntrySnapshot {
                tag: m.entry.tag.clone(),
                path: schema.source.clone().unwrap_or_default(),
                schema,
            })
        })
        .collect()
}

/// The database schemas to read: `public` and every schema a snapshot names (a schema that only
/// a later entry creates must be read too, or its tables could not count against that entry).
pub fn schemas_to_read(snapshots: &[EntrySnapshot]) -> Vec<String> {
    let mut named: BTreeSet<&str> = BTreeSet::new();
    for s in snapshots {
        named.extend(s.schema.namespaces.iter().map(String::as_str));
        named.extend(s.schema.tables.iter().filter_map(|t| t.schema.as_deref()));
        named.extend(s.schema.enums.iter().filter_map(|e| e.schema.as_deref()));
    }
    std::iter::once("public".to_string())
        .chain(
            named
                .into_iter()
                .filter(|n| *n != "public")
                .map(str::to_string),
        )
        .collect()
}

/// One entry compared with the database.
#[derive(Debug, Clone)]
pub struct EntryDiff {
    /// Position in the journal (0-based).
    pub index: usize,
    pub tag: String,
    /// The snapshot file.
    pub snapshot: String,
    /// Empty when the database equals the snapshot.
    pub diff: Diff,
}

/// The outcome of comparing a database with a folder's snapshots.
#[derive(Debug, Clone)]
pub struct Verification {
    /// How many leading journal entries the database reflects: their last snapshot equals it.
    /// 0 when no snapshot does.
    pub matched: usize,
    /// The entries compared, latest first; the comparison stops at the first match.
    pub compared: Vec<EntryDiff>,
}

impl Verification {
    /// The matching entry, if any.
    pub fn matching(&self) -> Option<&EntryDiff> {
        self.compared.iter().find(|e| e.diff.is_empty())
    }

    /// `plan` cut to the entries the database reflects (the rest stay for `drizzle-kit
    /// migrate`); `None` when it reflects none, and nothing may be marked.
    pub fn restrict(&self, mut plan: BaselinePlan) -> Option<BaselinePlan> {
        if self.matched == 0 {
            return None;
        }
        plan.rows.truncate(self.matched);
        Some(plan)
    }

    /// The entry the database is closest to (fewest differences, the later one on a tie): what a
    /// refusal shows, since its differences are the ones most likely made by hand.
    pub fn closest(&self) -> Option<&EntryDiff> {
        // `compared` is latest first, so the first minimum is the latest.
        self.compared
            .iter()
            .min_by_key(|e| e.diff.differences.len())
    }
}

/// Compares `database` with the snapshots, latest first, and stops at the first that equals it.
pub fn compare(snapshots: &[EntrySnapshot], database: &Schema) -> Verification {
    let options = DiffOptions::for_sides(SourceKind::Migrations, SourceKind::Database);
    let mut compared = Vec::new();
    for (index, s) in snapshots.iter().enumerate().rev() {
        let d = diff(
            &without_unmanaged_views(&s.schema, database),
            database,
            &options,
        );
        let found = d.is_empty();
        compared.push(EntryDiff {
            index,
            tag: s.tag.clone(),
            snapshot: s.path.clone(),
            diff: d,
        });
        if found {
            return Verification {
                matched: index + 1,
                compared,
            };
        }
    }
    Verification {
        matched: 0,
        compared,
    }
}

/// A snapshot view without a definition is declared `.existing()` (drizzle-kit writes
/// `isExisting: true` and no SQL): no migration creates it, so its absence from the database says
/// nothing about which migrations ran. Where the database has it, it is still compared.
fn without_unmanaged_views<'s>(snapshot: &'s Schema, database: &Schema) -> Cow<'s, Schema> {
    let in_database = |v: &View| {
        database.views.iter().any(|d| {
            crate::compare::key(&d.schema, &d.name) == crate::compare::key(&v.schema, &v.name)
        })
    };
    let unmanaged = |v: &View| v.definition.is_none() && !in_database(v);
    if !snapshot.views.iter().any(unmanaged) {
        return Cow::Borrowed(snapshot);
    }
    let mut snapshot = snapshot.clone();
    snapshot.views.retain(|v| !unmanaged(v));
    Cow::Owned(snapshot)
}

/// The history table is not part of any snapshot: leave it out of the database's model when it
/// lives where the database was read (a custom `--migrations-table` in `public`, or on SQLite;
/// introspection drops only the default name).
fn without_history_table(database: &mut Schema, target: &HistoryTarget) {
    // SQLite has no schemas: its history table is found by name alone.
    let schema = (database.dialect == Dialect::Postgresql && target.schema != "public")
        .then_some(target.schema.as_str());
    database
        .tables
        .retain(|t| !(t.name == target.table && t.schema.as_deref() == schema));
}

/// Reads the PostgreSQL database behind `client` (one read-only transaction, the schemas the
/// snapshots name) and compares it with every entry of `folder`.
pub async fn verify_postgres(
    client: &tokio_postgres::Client,
    folder: &MigrationsFolder,
    target: &HistoryTarget,
) -> Result<Verification, Error> {
    let mut snapshots = read_snapshots(folder)?;
    let options = crate::introspect::PgIntrospectOptions {
        schemas: schemas_to_read(&snapshots),
        ..Default::default()
    };
    let (mut database, _) =
        crate::introspect::introspect_postgres_with_report(client, &options).await?;
    without_history_table(&mut database, target);
    let mut sides: Vec<&mut Schema> = snapshots.iter_mut().map(|s| &mut s.schema).collect();
    crate::live::align_literals(&mut sides, &database, client).await?;
    Ok(compare(&snapshots, &database))
}

/// Reads the SQLite / libSQL database behind `conn` and compares it with every entry of
/// `folder`; `display` names the database in messages.
pub async fn verify_sqlite(
    conn: &libsql::Connection,
    display: &str,
    folder: &MigrationsFolder,
    target: &HistoryTarget,
) -> Result<Verification, Error> {
    let mut snapshots = read_snapshots(folder)?;
    let (mut database, _) =
        crate::introspect::sqlite::introspect_sqlite_conn(conn, display).await?;
    without_history_table(&mut database, target);
    if folder.layout == crate::migrate::layout::Layout::Folders {
        for s in &mut snapshots {
            crate::compare::adopt_declared_types(&mut s.schema, &database);
        }
    }
    Ok(compare(&snapshots, &database))
}

/// Tags of the entries after the marked prefix that `drizzle-kit migrate` will nevertheless skip,
/// because the history already holds a row at least as new as the entry (`created_at >= when`):
/// recorded as applied while the database does not reflect them.
pub fn skipped_by_history(left: &[Migration], existing: &[ExistingRow]) -> Vec<String> {
    let newest = existing.iter().filter_map(|r| r.created_at).max();
    left.iter()
        .filter(|m| newest.is_some_and(|n| n >= m.entry.when))
        .map(|m| m.entry.tag.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::JournalEntry;
    use crate::model::{Column, ColumnType, Dialect, Table};

    fn table(name: &str, columns: &[&str]) -> Table {
        Table {
            schema: None,
            name: name.into(),
            orm_name: None,
            origin: Default::default(),
            documentation: None,
            comment: None,
            columns: columns
                .iter()
                .map(|c| Column::new(c, "text", ColumnType::Text, true))
                .collect(),
            primary_key: None,
            indexes: Vec::new(),
            unique_constraints: Vec::new(),
            foreign_keys: Vec::new(),
            checks: Vec::new(),
            relations: Vec::new(),
            rls_enabled: false,
            policies: Vec::new(),
        }
    }

    fn schema(tables: Vec<Table>) -> Schema {
        Schema {
            dialect: Dialect::Postgresql,
            source: None,
            namespaces: Vec::new(),
            extensions: Vec::new(),
            enums: Vec::new(),
            sequences: Vec::new(),
            tables,
            views: Vec::new(),
            domains: Vec::new(),
            roles: Vec::new(),
        }
    }

    fn entries(schemas: Vec<Schema>) -> Vec<EntrySnapshot> {
        schemas
            .into_iter()
            .enumerate()
            .map(|(i, schema)| EntrySnapshot {
                tag: format!("{i:04}_m"),
                path: format!("meta/{i:04}_snapshot.json"),
                schema,
            })
            .collect()
    }

    #[test]
    fn longest_matching_prefix_wins() {
        let s0 = schema(vec![table("a", &["id"])]);
        let s1 = schema(vec![table("a", &["id", "name"])]);
        let s2 = schema(vec![table("a", &["id", "name"]), table("b", &["id"])]);
        let snaps = entries(vec![s0.clone(), s1.clone(), s2.clone()]);

        let v = compare(&snaps, &s1);
        assert_eq!(v.matched, 2);
        assert_eq!(v.matching().unwrap().tag, "0001_m");
        // Compared latest first, stopped at the match.
        assert_eq!(v.compared.len(), 2);

        assert_eq!(compare(&snaps, &s2).matched, 3);
        assert_eq!(compare(&snaps, &s0).matched, 1);

        let plan = BaselinePlan {
            target: HistoryTarget::default(),
            shape: crate::migrate::HistoryShape::V0,
            rows: snaps
                .iter()
                .map(|s| crate::migrate::PlannedRow {
                    tag: s.tag.clone(),
                    hash: String::new(),
                    created_at: 0,
                })
                .collect(),
        };
        let cut = v.restrict(plan.clone()).unwrap();
        assert_eq!(cut.rows.len(), 2);
        let none = compare(&snaps, &schema(vec![table("z", &["id"])]));
        assert!(none.restrict(plan).is_none());
    }

    #[test]
    fn no_match_shows_the_closest_entry() {
        let snaps = entries(vec![
            schema(vec![table("a", &["id", "email"])]),
            schema(vec![table("a", &["id", "email", "nick"])]),
        ]);
        // `email` dropped by hand, `nick` never added.
        let v = compare(&snaps, &schema(vec![table("a", &["id"])]));
        assert_eq!(v.matched, 0);
        assert_eq!(v.compared.len(), 2);
        let closest = v.closest().unwrap();
        assert_eq!(closest.tag, "0000_m");
        let text = closest.diff.render("0000_m", "the database");
        assert!(text.contains("column email: only in 0000_m"), "{text}");
    }

    #[test]
    fn schemas_named_by_any_snapshot_are_read() {
        let mut later = table("invoice", &["id"]);
        later.schema = Some("billing".into());
        let snaps = entries(vec![schema(vec![table("a", &["id"])]), schema(vec![later])]);
        assert_eq!(schemas_to_read(&snaps), ["public", "billing"]);
    }

    #[test]
    fn custom_history_table_is_not_compared() {
        let mut db = schema(vec![table("a", &["id"]), table("hist", &["hash"])]);
        let target = HistoryTarget {
            schema: "public".into(),
            table: "hist".into(),
        };
        without_history_table(&mut db, &target);
        assert_eq!(db.tables.len(), 1);
        let mut db = schema(vec![table("hist", &["hash"])]);
        without_history_table(&mut db, &HistoryTarget::default());
        assert_eq!(db.tables.len(), 1, "drizzle.hist is not public.hist");
    }

    #[test]
    fn entries_the_history_already_passed_are_named() {
        let m = |tag: &str, when: i64| Migration {
            entry: JournalEntry {
                idx: 0,
                version: "7".into(),
                when,
                tag: tag.into(),
                breakpoints: true,
            },
            path: Default::default(),
            hash: String::new(),
        };
        let left = [m("0001_b", 200), m("0002_c", 300)];
        let rows = |c: i64| {
            vec![ExistingRow {
                hash: "h".into(),
                created_at: Some(c),
                name: None,
            }]
        };
        assert!(skipped_by_history(&left, &rows(100)).is_empty());
        assert_eq!(skipped_by_history(&left, &rows(200)), ["0001_b"]);
        assert!(skipped_by_history(&left, &[]).is_empty());
    }
}
