//! `relations.ts` for drizzle-orm 1.0 (`defineRelations`, `--drizzle 1`), checked with the real
//! drizzle-orm / TypeScript pinned in `tests/conformance-1`:
//! * every PostgreSQL and SQLite case, from its Prisma schema, read back from the database its
//!   `expected.sql` builds, and merged (hybrid), plus the feature database: `tsc --strict`
//!   compiles `schema.ts` + `relations.ts`, and importing `relations.ts` (where `defineRelations`
//!   resolves every relation, and throws on one it cannot) succeeds and `drizzle()` accepts it;
//! * `optional: false` makes a required relation non-null in the types `db.query` returns;
//! * `samples/pg_bookclub` on real rows: `db.query.<t>.findMany({ with })` over an implicit
//!   many-to-many, an implicit self many-to-many, a self one-to-many, two relations between the
//!   same tables and a one-to-one (both sides) returns what Prisma's `include` returns, and so
//!   does `samples/sqlite_relations` on SQLite; relations inferred from a database query too;
//! * the readable `relations.ts` of every sample, as insta snapshots beside the sample.

use crate::common;
// This suite's own harness (task rel-v2), kept out of `common` so other suites do not build it.
#[path = "common/relations_v2.rs"]
mod relations_v2_harness;

use std::path::{Path, PathBuf};

use common::cases::{cases, extensions_prelude, for_every_case, shortened, Case};
use common::node::{self, run_tsx_script, use_kit, Kit, TempDb, WorkDir};
use common::sqlite::{self as sqlite_db, TempSqlite};
use drizzle_port::introspect::{introspect_postgres_url_with_report, PgIntrospectOptions};
use drizzle_port::model::Schema;
use drizzle_port::render::{render, Flavour, RenderOptions, Rendered};
use relations_v2_harness::Outputs;
use serde_json::{json, Value};

fn options() -> RenderOptions {
    RenderOptions {
        name: "baseline".into(),
        when_ms: 1_700_000_000_000,
        snapshot_id: "5d7b1c1e-0000-4000-8000-000000000001".into(),
        flavour: Flavour::Drizzle1,
    }
}

fn load_prisma(schema: &Path) -> Result<Schema, String> {
    drizzle_port::prisma::load(schema).map_err(|e| match e {
        drizzle_port::prisma::LoadError::Invalid(errors) => errors.render_plain(),
        other => other.to_string(),
    })
}

fn render_case(schema: &Path) -> Result<Rendered, String> {
    render(&load_prisma(schema)?, &options()).map_err(|e| e.to_string())
}

/// The model a database built from `case`'s `expected.sql` reads back as (relations inferred
/// from its foreign keys, as `pull` does).
fn database_model(case: &Case) -> Result<Schema, String> {
    if case.provider == "sqlite" {
        let (sql, _) = sqlite_db::corrected_prisma_sql(&case.expected_sql)?;
        let db = TempSqlite::new()?;
        sqlite_db::exec(&db.path, &sql)?;
        return drizzle_port::introspect::sqlite::introspect_sqlite_with_report(
            &db.path.to_string_lossy(),
            &Default::default(),
        )
        .map(|(schema, _)| schema)
        .map_err(|e| format!("introspection failed: {e}"));
    }
    let db = TempDb::create()?;
    db.exec_sql(&extensions_prelude(&case.schema)?)?;
    db.exec_sql(&std::fs::read_to_string(&case.expected_sql).map_err(|e| e.to_string())?)?;
    postgres_model(&db)
}

/// Every user schema of `db`, public first.
fn postgres_model(db: &TempDb) -> Result<Schema, String> {
    let schemas = db
        .query(
            "SELECT nspname FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' \
             ORDER BY nspname <> 'public', nspname",
        )?
        .lines()
        .map(str::to_string)
        .collect();
    let options = PgIntrospectOptions {
        schemas,
        ..PgIntrospectOptions::default()
    };
    introspect_postgres_url_with_report(&db.url(), &options)
        .map(|(schema, _)| schema)
        .map_err(|e| format!("introspection failed: {e}"))
}

/// Where a case's model comes from.
#[derive(Clone, Copy)]
enum Source {
    Prisma,
    /// The database `expected.sql` builds, alone and merged with the Prisma schema (hybrid).
    Database,
}

/// Every case of `provider` rendered for drizzle-orm 1.0 from `source`: one tsc run and one
/// import run over all of them, then each case's own result.
fn compiles_and_loads(provider: &str, source: Source) {
    let _k = use_kit(Kit::V1);
    if !node::require_node() {
        return;
    }
    if let Source::Database = source {
        let ready = match provider {
            "sqlite" => sqlite_db::require_python(),
            _ => TempDb::create_or_skip().is_some(),
        };
        if !ready {
            return;
        }
    }
    let all = cases(provider);
    assert!(!all.is_empty(), "no {provider} cases");
    let mut outputs = Outputs::new().expect("scratch dir");
    let mut render_errors = std::collections::BTreeMap::new();
    // Each case's outputs, labelled: a database source also gives the hybrid model (Prisma's
    // relations over the database's facts).
    let labels: &[&str] = match source {
        Source::Prisma => &["prisma"],
        Source::Database => &["database", "hybrid"],
    };
    let key = |case: &Case, label: &str| format!("{} ({label})", case.name);
    for case in &all {
        let models: Result<Vec<Schema>, String> = match source {
            Source::Prisma => load_prisma(&case.schema).map(|m| vec![m]),
            Source::Database => database_model(case).and_then(|db| {
                let prisma = load_prisma(&case.schema)?;
                let merged = drizzle_port::compare::hybrid::merge(&prisma, &db)
                    .map_err(|e| e.to_string())?;
                Ok(vec![db, merged.schema])
            }),
        };
        let rendered = models.and_then(|models| {
            models
                .iter()
                .map(|m| render(m, &options()).map_err(|e| e.to_string()))
                .collect::<Result<Vec<_>, _>>()
        });
        match rendered {
            Ok(all_rendered) => {
                for (label, r) in labels.iter().zip(&all_rendered) {
                    outputs
                        .add(
                            &key(case, label),
                            &[
                                ("schema.ts", &r.schema_ts),
                                ("relations.ts", &r.relations_ts),
                            ],
                        )
                        .expect("write case");
                }
            }
            Err(e) => {
                render_errors.insert(case.name.clone(), e);
            }
        }
    }
    let tsc = outputs.tsc().expect("tsc ran");
    let loaded = outputs.import_relations(provider).expect("tsx ran");
    if let Some(stray) = tsc.get("(no case)") {
        panic!("tsc failed outside any case:\n{stray}");
    }
    for_every_case(&all, shortened, |case: &Case| {
        if let Some(e) = render_errors.get(&case.name) {
            return Err(format!("render: {e}"));
        }
        let mut problems = Vec::new();
        for label in labels {
            if let Some(e) = tsc.get(&key(case, label)) {
                problems.push(format!("{label}: tsc --strict:\n{e}"));
            }
            if let Some(e) = loaded.get(&key(case, label)) {
                problems.push(format!("{label}: importing relations.ts:\n{e}"));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n"))
        }
    });
}

#[test]
fn postgres_cases_compile_and_load_under_drizzle_1() {
    compiles_and_loads("postgresql", Source::Prisma);
}

#[test]
fn sqlite_cases_compile_and_load_under_drizzle_1() {
    compiles_and_loads("sqlite", Source::Prisma);
}

#[test]
fn postgres_databases_compile_and_load_under_drizzle_1() {
    compiles_and_loads("postgresql", Source::Database);
}

#[test]
fn sqlite_databases_compile_and_load_under_drizzle_1() {
    compiles_and_loads("sqlite", Source::Database);
}

#[test]
fn relations_v2_snapshots_of_every_sample() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&samples)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("expected.sql").exists())
        .collect();
    dirs.sort();
    for dir in dirs {
        let schema = if dir.join("schema").is_dir() {
            dir.join("schema")
        } else {
            dir.join("schema.prisma")
        };
        let rendered = render_case(&schema).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(dir.join("snapshots"));
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| {
            insta::assert_snapshot!("drizzle1_relations.ts", rendered.relations_ts);
        });
    }
}

// ---------------------------------------------------------------------------------------------
// A relational query on real rows (samples/pg_bookclub)

/// Rows every query below reads. Ids are explicit so the expected results can name them.
/// `_Friends` is an implicit self m-n: Prisma reads its first field (`friendOf`, column A's
/// relation) through column B, so row (A 3, B 1) puts Cy in Ann's `friendOf` and Ann in Cy's
/// `friends`.
const ROWS: &str = r#"
INSERT INTO "Member" ("id", "name", "invitedById") VALUES
  (1, 'Ann', NULL), (2, 'Ben', 1), (3, 'Cy', 1), (4, 'Dee', 2);
INSERT INTO "_Friends" ("A", "B") VALUES (1, 2), (3, 1);
INSERT INTO "Meeting" ("id", "title", "hostId", "scribeId") VALUES
  (1, 'Spring', 1, 2), (2, 'Summer', 1, NULL), (3, 'Autumn', 3, 1);
INSERT INTO "Book" ("id", "title") VALUES (1, 'Dune'), (2, 'Emma'), (3, 'Ubik');
INSERT INTO "Genre" ("id", "label") VALUES (1, 'SF'), (2, 'Classic');
INSERT INTO "_BookToGenre" ("A", "B") VALUES (1, 1), (3, 1), (2, 2);
INSERT INTO "_BookToMeeting" ("A", "B") VALUES (1, 1), (2, 1), (3, 3);
INSERT INTO "LibraryCard" ("id", "number", "memberId") VALUES (1, 'C-001', 2), (2, 'C-002', 4);
"#;

/// `key` of `row`: a list (a `many` relation) as the `field` of each element.
fn list(row: &Value, key: &str, field: &str) -> Value {
    let items = row[key]
        .as_array()
        .unwrap_or_else(|| panic!("`{key}` is not a list in {row}"));
    Value::Array(items.iter().map(|i| i[field].clone()).collect())
}

/// `key` of `row`: an object or null (a `one` relation) as its `field`, or null.
fn one(row: &Value, key: &str, field: &str) -> Value {
    match row.get(key) {
        Some(Value::Null) => Value::Null,
        Some(v @ Value::Object(_)) => v[field].clone(),
        other => panic!("`{key}` is neither an object nor null in {row}: {other:?}"),
    }
}

#[test]
fn relational_queries_return_prismas_shape() {
    let _k = use_kit(Kit::V1);
    if !node::require_node() {
        return;
    }
    let Some(db) = TempDb::create_or_skip() else {
        return;
    };
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/pg_bookclub/schema.prisma");
    let rendered = render_case(&schema).expect("render");
    // A fresh database from the rendered migration alone, then the rows.
    db.exec_sql(&rendered.migration.replace("--> statement-breakpoint", ""))
        .expect("baseline migration applies");
    db.exec_sql(ROWS).expect("rows");

    let work = WorkDir::new().expect("scratch dir");
    std::fs::write(work.path().join("schema.ts"), &rendered.schema_ts).unwrap();
    std::fs::write(work.path().join("relations.ts"), &rendered.relations_ts).unwrap();
    let by_id = json!({ "id": "asc" });
    let plan = json!({ "queries": [
        { "table": "member", "orderBy": by_id, "with": {
            "invitedBy": true,
            "invited": { "orderBy": by_id },
            "hosted": { "orderBy": by_id },
            "minuted": { "orderBy": by_id },
            "card": true,
            "friends": { "orderBy": by_id },
            "friendOf": { "orderBy": by_id },
        } },
        { "table": "meeting", "orderBy": by_id, "with": {
            "host": true, "scribe": true, "books": { "orderBy": by_id },
        } },
        { "table": "book", "orderBy": by_id, "with": {
            "genres": { "orderBy": by_id }, "meetings": { "orderBy": by_id },
        } },
        { "table": "genre", "orderBy": by_id, "with": { "books": { "orderBy": by_id } } },
        { "table": "libraryCard", "orderBy": by_id, "with": { "member": true } },
    ] });
    let dir = work.path().to_string_lossy().into_owned();
    let r = run_tsx_script(
        "query.mjs",
        &["postgresql", &dir, &db.url(), &plan.to_string()],
        &[],
    );
    assert!(r.status, "query failed:\n{}", r.describe());
    let results: Value = serde_json::from_str(r.stdout.trim())
        .unwrap_or_else(|e| panic!("unparsable output ({e}):\n{}", r.describe()));
    let [members, meetings, books, genres, cards] = [0, 1, 2, 3, 4].map(|i| {
        results[i]
            .as_array()
            .unwrap_or_else(|| panic!("query {i} returned no list: {results}"))
            .clone()
    });

    let got: Vec<Value> = members
        .iter()
        .map(|m| {
            json!({
                "name": m["name"],
                "invitedBy": one(m, "invitedBy", "name"),
                "invited": list(m, "invited", "name"),
                "hosted": list(m, "hosted", "title"),
                "minuted": list(m, "minuted", "title"),
                "card": one(m, "card", "number"),
                "friends": list(m, "friends", "name"),
                "friendOf": list(m, "friendOf", "name"),
            })
        })
        .collect();
    assert_eq!(
        Value::Array(got),
        json!([
            { "name": "Ann", "invitedBy": null, "invited": ["Ben", "Cy"], "hosted": ["Spring", "Summer"],
              "minuted": ["Autumn"], "card": null, "friends": ["Ben"], "friendOf": ["Cy"] },
            { "name": "Ben", "invitedBy": "Ann", "invited": ["Dee"], "hosted": [],
              "minuted": ["Spring"], "card": "C-001", "friends": [], "friendOf": ["Ann"] },
            { "name": "Cy", "invitedBy": "Ann", "invited": [], "hosted": ["Autumn"],
              "minuted": [], "card": null, "friends": ["Ann"], "friendOf": [] },
            { "name": "Dee", "invitedBy": "Ben", "invited": [], "hosted": [],
              "minuted": [], "card": "C-002", "friends": [], "friendOf": [] },
        ]),
        "members with their relations"
    );

    let got: Vec<Value> = meetings
        .iter()
        .map(|m| {
            json!({
                "title": m["title"],
                "host": one(m, "host", "name"),
                "scribe": one(m, "scribe", "name"),
                "books": list(m, "books", "title"),
            })
        })
        .collect();
    assert_eq!(
        Value::Array(got),
        json!([
            { "title": "Spring", "host": "Ann", "scribe": "Ben", "books": ["Dune", "Emma"] },
            { "title": "Summer", "host": "Ann", "scribe": null, "books": [] },
            { "title": "Autumn", "host": "Cy", "scribe": "Ann", "books": ["Ubik"] },
        ]),
        "meetings with host, scribe and books"
    );

    let got: Vec<Value> = books
        .iter()
        .map(|b| {
            json!({
                "title": b["title"],
                "genres": list(b, "genres", "label"),
                "meetings": list(b, "meetings", "title"),
            })
        })
        .collect();
    assert_eq!(
        Value::Array(got),
        json!([
            { "title": "Dune", "genres": ["SF"], "meetings": ["Spring"] },
            { "title": "Emma", "genres": ["Classic"], "meetings": ["Spring"] },
            { "title": "Ubik", "genres": ["SF"], "meetings": ["Autumn"] },
        ]),
        "books through both join tables"
    );

    let got: Vec<Value> = genres
        .iter()
        .map(|g| json!({ "label": g["label"], "books": list(g, "books", "title") }))
        .collect();
    assert_eq!(
        Value::Array(got),
        json!([
            { "label": "SF", "books": ["Dune", "Ubik"] },
            { "label": "Classic", "books": ["Emma"] },
        ]),
        "genres, the other side of the implicit many-to-many"
    );

    // A related row comes whole, with no join-table columns.
    let got: Vec<Value> = cards
        .iter()
        .map(|c| json!({ "number": c["number"], "member": c["member"] }))
        .collect();
    assert_eq!(
        Value::Array(got),
        json!([
            { "number": "C-001", "member": { "id": 2, "name": "Ben", "invitedById": 1 } },
            { "number": "C-002", "member": { "id": 4, "name": "Dee", "invitedById": 2 } },
        ]),
        "library cards with their member"
    );
    assert_eq!(
        books[0]["genres"],
        json!([{ "id": 1, "label": "SF" }]),
        "a many-to-many returns the far rows, as Prisma does"
    );
}

/// The feature database of issue 3 (several schemas, views, RLS, partitions …), read back and
/// rendered for drizzle-orm 1.0.
#[test]
fn feature_database_compiles_and_loads_under_drizzle_1() {
    let _k = use_kit(Kit::V1);
    if !node::require_node() {
        return;
    }
    let Some(db) = TempDb::create_or_skip() else {
        return;
    };
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pg/features.sql");
    db.exec_sql(&std::fs::read_to_string(fixture).unwrap())
        .expect("fixture builds");
    let model = postgres_model(&db).expect("introspection");
    assert!(
        model.tables.iter().any(|t| !t.relations.is_empty()),
        "the feature database has relations"
    );
    let rendered = render(&model, &options()).expect("render");
    let mut outputs = Outputs::new().expect("scratch dir");
    outputs
        .add(
            "features",
            &[
                ("schema.ts", &rendered.schema_ts),
                ("relations.ts", &rendered.relations_ts),
            ],
        )
        .unwrap();
    let tsc = outputs.tsc().expect("tsc ran");
    assert!(tsc.is_empty(), "tsc --strict: {tsc:#?}");
    let loaded = outputs.import_relations("postgresql").expect("tsx ran");
    assert!(loaded.is_empty(), "importing relations.ts: {loaded:#?}");
}

/// `samples/pg_bookclub` read back from its database: relations inferred from foreign keys (a
/// junction's back sides return its rows) query real rows, `many` as lists and `one` as an
/// object or null, with every relation of every table at once.
#[test]
fn database_relations_query_real_rows() {
    let _k = use_kit(Kit::V1);
    if !node::require_node() {
        return;
    }
    let Some(db) = TempDb::create_or_skip() else {
        return;
    };
    let case_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/pg_bookclub");
    db.exec_sql(&std::fs::read_to_string(case_dir.join("expected.sql")).unwrap())
        .expect("Prisma's DDL");
    db.exec_sql(ROWS).expect("rows");
    let model = postgres_model(&db).expect("introspection");
    let rendered = render(&model, &options()).expect("render");
    let naming_of = |table: &str| -> String {
        // `export const <name> = pgTable("<table>"`: the export name `db.query` uses.
        rendered
            .schema_ts
            .lines()
            .find_map(|l| {
                let rest = l.strip_prefix("export const ")?;
                let (name, rest) = rest.split_once(" = ")?;
                rest.contains(&format!("(\"{table}\""))
                    .then(|| name.to_string())
            })
            .unwrap_or_else(|| panic!("no export for {table}"))
    };
    let tables: Vec<_> = model
        .tables
        .iter()
        .filter(|t| !t.relations.is_empty())
        .collect();
    assert!(
        tables.len() >= 5,
        "relations inferred on {} tables",
        tables.len()
    );
    let queries: Vec<Value> = tables
        .iter()
        .map(|t| {
            let with: serde_json::Map<String, Value> = t
                .relations
                .iter()
                .map(|r| (r.name.clone(), Value::Bool(true)))
                .collect();
            json!({ "table": naming_of(&t.name), "with": with })
        })
        .collect();
    let work = WorkDir::new().expect("scratch dir");
    std::fs::write(work.path().join("schema.ts"), &rendered.schema_ts).unwrap();
    std::fs::write(work.path().join("relations.ts"), &rendered.relations_ts).unwrap();
    let dir = work.path().to_string_lossy().into_owned();
    let plan = json!({ "queries": queries });
    let r = run_tsx_script(
        "query.mjs",
        &["postgresql", &dir, &db.url(), &plan.to_string()],
        &[],
    );
    assert!(r.status, "query failed:\n{}", r.describe());
    let results: Value = serde_json::from_str(r.stdout.trim()).expect("JSON rows");
    let mut related = 0;
    for (t, rows) in tables
        .iter()
        .zip(results.as_array().expect("one result per query"))
    {
        let rows = rows.as_array().expect("rows");
        assert!(!rows.is_empty(), "{}: no rows", t.name);
        for row in rows {
            for rel in &t.relations {
                let v = &row[&rel.name];
                if rel.many {
                    related += v.as_array().map_or(0, Vec::len);
                    assert!(v.is_array(), "{}.{}: {v}", t.name, rel.name);
                } else {
                    related += usize::from(v.is_object());
                    assert!(v.is_object() || v.is_null(), "{}.{}: {v}", t.name, rel.name);
                }
            }
        }
    }
    assert!(related > 20, "only {related} related rows came back");
}

/// `samples/sqlite_relations` on a SQLite file built from the rendered migration: an implicit
/// many-to-many returns the far rows, a self relation both ways, two relations between the same
/// tables, and a composite foreign key as a tuple.
#[test]
fn sqlite_relational_queries_return_prismas_shape() {
    let _k = use_kit(Kit::V1);
    if !node::require_node() || !sqlite_db::require_python() {
        return;
    }
    let schema =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/sqlite_relations/schema.prisma");
    let rendered = render_case(&schema).expect("render");
    let db = TempSqlite::new().unwrap();
    sqlite_db::exec(
        &db.path,
        &rendered.migration.replace("--> statement-breakpoint", ""),
    )
    .expect("baseline migration applies");
    sqlite_db::exec(&db.path, sqlite_db::TEACHER_ROWS_SQL).expect("teachers");
    sqlite_db::exec(
        &db.path,
        r#"
        INSERT INTO "Course" ("code", "term", "title", "leadId", "assistantId") VALUES
          ('VC-101', 1, 'Cello basics', 1, 2), ('HP-201', 2, 'Harp', 2, NULL);
        INSERT INTO "Lesson" ("id", "courseCode", "courseTerm", "heldAt") VALUES (1, 'VC-101', 1, 0);
        "#,
    )
    .expect("courses");
    let work = WorkDir::new().expect("scratch dir");
    std::fs::write(work.path().join("schema.ts"), &rendered.schema_ts).unwrap();
    std::fs::write(work.path().join("relations.ts"), &rendered.relations_ts).unwrap();
    let by_id = json!({ "id": "asc" });
    let by_code = json!({ "code": "asc" });
    let plan = json!({ "queries": [
        { "table": "teacher", "orderBy": by_id, "with": {
            "instruments": { "orderBy": by_id }, "mentor": true, "mentees": true,
            "leads": { "orderBy": by_code }, "assists": { "orderBy": by_code },
        } },
        { "table": "lesson", "with": { "course": true } },
    ] });
    let dir = work.path().to_string_lossy().into_owned();
    let r = run_tsx_script(
        "query.mjs",
        &["sqlite", &dir, &db.url(), &plan.to_string()],
        &[],
    );
    assert!(r.status, "query failed:\n{}", r.describe());
    let results: Value = serde_json::from_str(r.stdout.trim()).expect("JSON rows");
    let teachers: Vec<Value> = results[0]
        .as_array()
        .expect("teachers")
        .iter()
        .map(|t| {
            json!({
                "name": t["name"],
                "instruments": list(t, "instruments", "name"),
                "mentor": one(t, "mentor", "name"),
                "mentees": list(t, "mentees", "name"),
                "leads": list(t, "leads", "title"),
                "assists": list(t, "assists", "title"),
            })
        })
        .collect();
    assert_eq!(
        Value::Array(teachers),
        json!([
            { "name": "Ada", "instruments": ["cello", "oboe"], "mentor": null, "mentees": ["Brian"],
              "leads": ["Cello basics"], "assists": [] },
            { "name": "Brian", "instruments": ["harp"], "mentor": "Ada", "mentees": [],
              "leads": ["Harp"], "assists": ["Cello basics"] },
        ])
    );
    assert_eq!(
        one(&results[1][0], "course", "title"),
        "Cello basics",
        "the composite foreign key: {results}"
    );
}

/// The types `db.query` gives `samples/pg_bookclub` under `tsc --strict`: a required relation
/// (`optional: false`, every key column NOT NULL) is never null, an optional one may be, and a
/// many-to-many is a list of the far rows.
const BOOKCLUB_USAGE_TS: &str = r#"
import { drizzle } from "drizzle-orm/node-postgres";
import { relations } from "./relations";

const db = drizzle.mock({ relations });

export async function usage(): Promise<string[]> {
  const m = await db.query.meeting.findFirst({ with: { host: true, scribe: true, books: true } });
  if (!m) return [];
  const host: string = m.host.name;
  const scribe: string | undefined = m.scribe?.name;
  // @ts-expect-error an optional relation may be null
  const unchecked: string = m.scribe.name;
  const titles: string[] = m.books.map((b) => b.title);
  const card = await db.query.libraryCard.findFirst({ with: { member: { with: { card: true, friends: true } } } });
  const member: string | undefined = card?.member.name;
  const again: string | undefined = card?.member.card?.number;
  const friends: string[] = card?.member.friends.map((f) => f.name) ?? [];
  return [host, scribe ?? "", unchecked, ...titles, member ?? "", again ?? "", ...friends];
}
"#;

#[test]
fn required_relations_are_not_null_in_types() {
    let _k = use_kit(Kit::V1);
    if !node::require_node() {
        return;
    }
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/pg_bookclub/schema.prisma");
    let rendered = render_case(&schema).expect("render");
    let mut outputs = Outputs::new().expect("scratch dir");
    outputs
        .add(
            "pg_bookclub",
            &[
                ("schema.ts", &rendered.schema_ts),
                ("relations.ts", &rendered.relations_ts),
                ("usage.ts", BOOKCLUB_USAGE_TS),
            ],
        )
        .unwrap();
    let tsc = outputs.tsc().expect("tsc ran");
    assert!(tsc.is_empty(), "tsc --strict: {tsc:#?}");
}
