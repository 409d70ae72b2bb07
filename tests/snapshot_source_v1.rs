//! drizzle-kit 1.0 migrations folders as a source: `read_migrations_folder` on folders the real
//! drizzle-kit `1.0.0-rc.5` wrote (`tests/conformance-1`) gives the model the 0.31 reader gives
//! for the same schema, replays PostgreSQL `diff` snapshots onto their base, and `check` finds a
//! database migrated from such a folder equal to it.
//!
//! Fields that legitimately differ between the two readings, and are normalised below:
//! * `raw_type`: 1.0 spells types without inner spaces (`numeric(10,2)`, `timestamp(3)`); the
//!   parsed `type` and `dimensions` are compared.
//! * PostgreSQL defaults: 1.0 trims trailing casts (`'{}'::text[]` → `'{}'`, `'{"a":1}'::jsonb`
//!   → `'{"a":1}'`); defaults are compared in `check`'s canonical form, which ignores casts.
//! * PostgreSQL views: version 9 has no row for a view drizzle-kit does not create (`.existing()`,
//!   no definition) and keeps no view columns.
//! * SQLite single-column primary keys: 1.0 writes no `NOT NULL` on a `.primaryKey()` column
//!   and its snapshot says `notNull: false`, so unless it is AUTOINCREMENT (never NULL) the column
//!   reads as nullable, as SQLite itself reports it.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::cases::{cases, for_every_case, line_diff, shortened, Case};
use common::node::{self, use_kit, Kit, TempDb};
use drizzle_port::compare::{self, sql::default_key, DiffOptions};
use drizzle_port::introspect::migrations::{
    is_migrations_folder, read_folder_snapshot, read_migrations_folder,
};
use drizzle_port::migrate::{output::write_project, render_project, Layout};
use drizzle_port::model::{DefaultValue, Dialect, Schema, SourceKind};
use drizzle_port::render::{Flavour, RenderOptions};

fn options(flavour: Flavour) -> RenderOptions {
    RenderOptions {
        name: "baseline".into(),
        when_ms: 1_700_000_000_000,
        snapshot_id: "5d7b1c1e-0000-4000-8000-000000000001".into(),
        flavour,
    }
}

fn load(case: &Case) -> Result<Schema, String> {
    drizzle_port::prisma::load(&case.schema).map_err(|e| match e {
        drizzle_port::prisma::LoadError::Invalid(errors) => errors.render_plain(),
        other => other.to_string(),
    })
}

/// Our rendering of `schema` in `flavour`, written to `<dir>/<name>`.
fn write(schema: &Schema, flavour: Flavour, dir: &Path, name: &str) -> Result<PathBuf, String> {
    let project = render_project(schema, &options(flavour)).map_err(|e| e.to_string())?;
    let out = dir.join(name);
    write_project(&out, &project, false).map_err(|e| e.to_string())?;
    Ok(out)
}

fn dialect_arg(d: Dialect) -> &'static str {
    match d {
        Dialect::Postgresql => "postgresql",
        Dialect::Sqlite => "sqlite",
    }
}

/// An empty folder below the conformance package holding only `schema_ts`, then drizzle-kit
/// 1.0's `generate` in it (under [`Kit::V1`]).
fn kit_generate(out: &Path, schema_ts: &str, dialect: Dialect, name: &str) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    std::fs::write(out.join("schema.ts"), schema_ts).map_err(|e| e.to_string())?;
    let r = node::drizzle_kit_generate_with(out, dialect_arg(dialect), &["--name", name]);
    if !r.status {
        return Err(r.describe());
    }
    Ok(())
}

/// The migration folders of a 1.0 folder, sorted.
fn tags(out: &Path) -> Vec<String> {
    let mut tags: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|t| Layout::Folders.is_snapshot(&format!("{t}/snapshot.json")))
        .collect();
    tags.sort();
    tags
}

/// A model with the fields the two versions legitimately spell apart made equal (see the module
/// doc), and `source` cleared.
fn normalised(mut s: Schema, v1: bool) -> Schema {
    s.source = None;
    let dialect = s.dialect;
    if dialect == Dialect::Postgresql {
        // A version-9 snapshot has no row for a view drizzle-kit does not create (`.existing()`),
        // and no view columns.
        s.views.retain(|v| v.definition.is_some());
        for v in &mut s.views {
            v.columns.clear();
        }
    }
    for t in &mut s.tables {
        let single_pk: Option<String> = t
            .primary_key
            .as_ref()
            .filter(|pk| pk.columns.len() == 1)
            .map(|pk| pk.columns[0].clone());
        for c in &mut t.columns {
            let sqlite_inline_key = dialect == Dialect::Sqlite
                && single_pk.as_deref() == Some(c.name.as_str())
                && c.default != Some(DefaultValue::Autoincrement);
            // Defaults by their canonical form (1.0 writes a SQLite BOOLEAN's as 1 / 0).
            c.default = default_key(c, dialect).map(DefaultValue::Expression);
            c.raw_type.clear();
            if sqlite_inline_key && !v1 {
                // What the 1.0 reading says for the same column.
                c.nullable = true;
            }
        }
    }
    s
}

/// Table by table, the lines of the two models' debug forms that differ.
fn model_diff(v0: &Schema, v1: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    let names = |s: &Schema| {
        s.tables
            .iter()
            .map(|t| t.object_name().to_string())
            .collect::<std::collections::BTreeSet<_>>()
    };
    // Table order is no fact (drizzle-kit 1.0 lists tables sorted by name).
    if names(v0) != names(v1) {
        out.push(format!("tables: 0.31 {:?}, 1.0 {:?}", names(v0), names(v1)));
    }
    for t in &v0.tables {
        let Some(u) = v1.table(&t.object_name()) else {
            continue;
        };
        let lines = line_diff(&format!("{t:#?}"), &format!("{u:#?}"));
        if !lines.is_empty() {
            out.push(format!("table {}:\n{}", t.name, lines.join("\n")));
        }
    }
    let rest = |s: &Schema| {
        format!(
            "{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}",
            s.enums, s.sequences, s.namespaces, s.roles, s.views
        )
    };
    let lines = line_diff(&rest(v0), &rest(v1));
    if !lines.is_empty() {
        out.push(format!(
            "enums/sequences/namespaces/roles/views:\n{}",
            lines.join("\n")
        ));
    }
    out
}

/// Test 1 for one case: drizzle-kit 1.0's own snapshot of our `schema.ts`, read back, equals the
/// 0.31 reading of our 0.31 folder for the same schema.
fn same_model_as_0x(case: &Case) -> Result<(), String> {
    let schema = load(case)?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let v0_out = write(&schema, Flavour::Drizzle045Kit031, dir.path(), "v0")?;
    let v0 = read_migrations_folder(&v0_out).map_err(|e| e.to_string())?;
    let ours = write(&schema, Flavour::Drizzle1, dir.path(), "ours")?;
    let schema_ts = std::fs::read_to_string(ours.join("schema.ts")).map_err(|e| e.to_string())?;
    let kit_out = dir.path().join("kit");
    kit_generate(&kit_out, &schema_ts, schema.dialect, "init")?;
    if !is_migrations_folder(&kit_out) || Layout::detect(&kit_out) != Some(Layout::Folders) {
        return Err("drizzle-kit 1.0's folder is not recognised as a 1.0 migrations folder".into());
    }
    let mut v1 = read_migrations_folder(&kit_out).map_err(|e| e.to_string())?;
    // 1.0 names SQLite declared types by affinity (`DATETIME` is `numeric`).
    drizzle_port::compare::adopt_declared_types(&mut v1, &v0);
    if v1.source.as_deref() != Some(kit_out.display().to_string().as_str()) {
        return Err(format!("source is {:?}", v1.source));
    }
    if v1.tables.is_empty() {
        return Err("the 1.0 reading has no tables".into());
    }
    let lines = model_diff(
        &normalised(v0.clone(), false),
        &normalised(v1.clone(), true),
    );
    if !lines.is_empty() {
        return Err(format!(
            "models differ (- 0.31 reading, + 1.0 reading):\n{}",
            lines.join("\n")
        ));
    }
    // And `check` (whose comparison this is for) finds nothing between the two folders, but the
    // views 1.0 does not record (see the module doc).
    let mut v0 = v0;
    v0.views.retain(|v| v.definition.is_some());
    let diff = compare::diff(
        &v0,
        &v1,
        &DiffOptions::for_sides(SourceKind::Migrations, SourceKind::Migrations),
    );
    if !diff.is_empty() {
        return Err(format!(
            "check finds differences:\n{}",
            diff.render("0.31", "1.0")
        ));
    }
    Ok(())
}

#[test]
fn drizzle_kit_1_snapshots_read_like_0_31_postgresql() {
    if !node::require_node() {
        return;
    }
    let _kit = use_kit(Kit::V1);
    for_every_case(&cases("postgresql"), shortened, same_model_as_0x);
}

#[test]
fn drizzle_kit_1_snapshots_read_like_0_31_sqlite() {
    if !node::require_node() {
        return;
    }
    let _kit = use_kit(Kit::V1);
    for_every_case(&cases("sqlite"), shortened, same_model_as_0x);
}

const SCHEMA_V1: &str = r#"import { pgTable, serial, text, integer, index, uniqueIndex } from 'drizzle-orm/pg-core';

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
}, (t) => [uniqueIndex('users_name_key').on(t.name)]);

export const posts = pgTable('posts', {
  id: serial('id').primaryKey(),
  authorId: integer('author_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  title: text('title').notNull().default('untitled'),
});

export const legacy = pgTable('legacy', {
  id: integer('id').notNull(),
  note: text('note'),
}, (t) => [index('legacy_note_idx').on(t.note)]);
"#;

const SCHEMA_V2: &str = r#"import { pgTable, serial, text, integer, index, uniqueIndex } from 'drizzle-orm/pg-core';

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  bio: text('bio').default(BIO),
}, (t) => [uniqueIndex('users_name_key').on(t.name)]);

export const posts = pgTable('posts', {
  id: serial('id').primaryKey(),
  authorId: integer('author_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  title: text('title').notNull().default('untitled'),
}, (t) => [index('posts_author_idx').on(t.authorId.desc())]);
"#;

/// A text default with a quote and a backslash (TypeScript), which 1.0 stores escaped.
const BACKSLASH_BIO: &str = r#""it's a \\ me""#;

/// A 1.0 PostgreSQL folder: `SCHEMA_V1` generated, then `SCHEMA_V2` (a column added, an index
/// added, a table dropped) generated on top, as a user's two `generate` runs.
/// `bio`'s default is the TypeScript expression `bio`.
fn two_migrations(dir: &Path, bio: &str) -> Result<PathBuf, String> {
    let out = dir.join("drizzle");
    kit_generate(&out, SCHEMA_V1, Dialect::Postgresql, "init")?;
    // drizzle-kit names the second folder at least one second after the first.
    std::fs::write(out.join("schema.ts"), SCHEMA_V2.replace("BIO", bio))
        .map_err(|e| e.to_string())?;
    let r = node::drizzle_kit_generate_with(&out, "postgresql", &["--name", "more"]);
    if !r.status {
        return Err(r.describe());
    }
    Ok(out)
}

#[test]
fn postgres_diff_snapshots_are_replayed_onto_the_base() {
    if !node::require_node() {
        return;
    }
    let _kit = use_kit(Kit::V1);
    let dir = tempfile::tempdir().unwrap();
    let out = two_migrations(dir.path(), BACKSLASH_BIO).unwrap_or_else(|e| panic!("{e}"));
    let tags = tags(&out);
    assert_eq!(tags.len(), 2, "{tags:?}");
    let second: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join(&tags[1]).join("snapshot.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(second["type"], "diff", "the second snapshot is a diff");

    let latest = read_migrations_folder(&out).unwrap();
    let names = |s: &Schema| s.tables.iter().map(|t| t.name.clone()).collect::<Vec<_>>();
    assert!(
        latest.table(&named("legacy")).is_none(),
        "{:?}",
        names(&latest)
    );
    let users = latest.table(&named("users")).expect("users");
    let bio = users.column("bio").expect("the added column");
    assert!(bio.nullable);
    assert_eq!(
        bio.default,
        Some(DefaultValue::String("it's a \\ me".into()))
    );
    let posts = latest.table(&named("posts")).expect("posts");
    let index = posts
        .indexes
        .iter()
        .find(|i| i.name == "posts_author_idx")
        .expect("the added index");
    assert_eq!(index.columns[0].expression, "author_id");
    assert_eq!(index.columns[0].order, drizzle_port::model::SortOrder::Desc);
    assert_eq!(posts.foreign_keys.len(), 1);

    // Each migration's own state, for baseline's per-migration verification.
    let first = read_folder_snapshot(&out, &tags[0]).unwrap();
    assert!(first.table(&named("legacy")).is_some());
    assert!(first
        .table(&named("users"))
        .unwrap()
        .column("bio")
        .is_none());
    assert!(first
        .source
        .as_deref()
        .is_some_and(|s| s.ends_with("snapshot.json")));
    let again = read_folder_snapshot(&out, &tags[1]).unwrap();
    assert_eq!(
        normalised(again, true),
        normalised(latest.clone(), true),
        "the leaf's own state is the latest"
    );
    let e = read_folder_snapshot(&out, "20990101000000_nope")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("20990101000000_nope") && !e.contains('\n'),
        "{e}"
    );

    // The replayed state equals the base drizzle-kit writes for the final schema in one go.
    let fresh = dir.path().join("fresh");
    let v2 = SCHEMA_V2.replace("BIO", BACKSLASH_BIO);
    kit_generate(&fresh, &v2, Dialect::Postgresql, "all").unwrap();
    let direct = read_migrations_folder(&fresh).unwrap();
    assert_eq!(
        model_diff(&normalised(direct, true), &normalised(latest, true)),
        Vec::<String>::new()
    );
}

fn named(name: &str) -> drizzle_port::model::ObjectName {
    drizzle_port::model::ObjectName::new(None, name.to_string())
}

fn check(left: &str, right: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_drizzle-port"))
        .args(["check", left, right])
        .env("NO_COLOR", "1")
        .output()
        .expect("run drizzle-port")
}

fn describe(o: &std::process::Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn check_finds_a_database_migrated_from_a_1_0_folder_equal_to_it() {
    if !node::require_node() {
        return;
    }
    let Some(db) = TempDb::create_or_skip() else {
        return;
    };
    let _kit = use_kit(Kit::V1);
    let dir = tempfile::tempdir().unwrap();
    // No backslash here: drizzle-kit 1.0 doubles it in the snapshot *and* in `migration.sql`, so
    // the database holds two where schema.ts (and the snapshot, read as drizzle-kit reads it)
    // says one, and `check` rightly reports that.
    let out = two_migrations(dir.path(), "\"it's me\"").unwrap_or_else(|e| panic!("{e}"));
    let report = node::migrate_pg(&out, &db.url()).unwrap();
    assert_eq!(report.applied_count(), 2, "both migrations applied");
    let folder = out.display().to_string();
    let o = check(&folder, &db.url());
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    // And the drift gate still bites: a column no migration describes.
    db.exec_sql("ALTER TABLE users ADD COLUMN extra integer;")
        .unwrap();
    let o = check(&folder, &db.url());
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("extra"),
        "{}",
        describe(&o)
    );
}

#[test]
fn check_finds_every_postgresql_case_equal_to_its_1_0_folder() {
    if !node::require_node() || TempDb::create_or_skip().is_none() {
        return;
    }
    let _kit = use_kit(Kit::V1);
    for_every_case(&cases("postgresql"), shortened, |case| {
        let schema = load(case)?;
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let out = write(&schema, Flavour::Drizzle1, dir.path(), "drizzle")?;
        let db = TempDb::create()?;
        node::migrate_pg(&out, &db.url())?;
        // `check`'s own comparison, called in-process: the shared build directory's binary may
        // be another branch's while this loop runs.
        let checked = drizzle_port::live::check(
            &out.display().to_string(),
            &db.url(),
            &drizzle_port::source::LoadOptions::default(),
            None,
        )
        .map_err(|e| e.to_string())?;
        if checked.left.kind != SourceKind::Migrations {
            return Err(format!("the folder was read as {:?}", checked.left.kind));
        }
        if !checked.differences.is_empty() {
            return Err(checked.differences.render("the folder", "the database"));
        }
        Ok(())
    });
}
