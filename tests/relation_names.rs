//! Relation names read from a live database (issue 9): a relation is never named after a table it
//! does not return. On the feature database, two corpus databases (when the shared folder is
//! there) and our own samples: every inferred relation's name reads as the table it returns (or as
//! the role its key column names), and drizzle's relational query with every relation of the
//! busiest table runs against the database.

use crate::common;

use std::collections::HashSet;
use std::path::Path;

use common::cases::{cases, extensions_prelude, for_every_case, shortened, Case};
use common::node::{self, TempDb};
use drizzle_port::introspect::relations::singular;
use drizzle_port::introspect::{introspect_postgres_url_with_report, PgIntrospectOptions};
use drizzle_port::migrate::render_project;
use drizzle_port::model::Schema;
use drizzle_port::render::RenderOptions;
use heck::ToLowerCamelCase;

/// The entity a table's rows are (`blog_posts` → `blogpost`), lower-cased for comparison.
fn entity(table: &str) -> String {
    singular(&table.to_lower_camel_case())
        .to_lower_camel_case()
        .to_lowercase()
}

/// Every relation whose name reads as another table than the one it returns.
fn misnamed(schema: &Schema) -> Vec<String> {
    let entities: HashSet<String> = schema.tables.iter().map(|t| entity(&t.name)).collect();
    let mut out = Vec::new();
    for table in &schema.tables {
        for r in &table.relations {
            let name = r.name.to_lowercase();
            let target = entity(&r.target.name);
            let role = r.fields.len() == 1
                && r.fields[0]
                    .to_lower_camel_case()
                    .to_lowercase()
                    .starts_with(&name);
            let reads_as_target =
                name.contains(&target) || singular(&name).contains(&target) || role;
            let names_other_table =
                entities.contains(&singular(&name)) && singular(&name) != target;
            if !reads_as_target || names_other_table {
                out.push(format!(
                    "{}.{} returns {}",
                    table.name, r.name, r.target.name
                ));
            }
        }
    }
    out
}

/// `export const <name> = …Table("<table>"` / `….table("<table>"`: the export name of each table.
fn export_names(schema_ts: &str) -> Vec<(String, String)> {
    schema_ts
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("export const ")?;
            let (name, rest) = rest.split_once(" = ")?;
            if !(rest.contains("Table(") || rest.contains(".table(")) {
                return None;
            }
            let table = rest.split('"').nth(1)?;
            Some((name.to_string(), table.to_string()))
        })
        .collect()
}

/// Introspects `db` (`schemas`), checks the names, and runs a relational query with every
/// relation of the table that has the most.
fn names_return_their_tables(db: &TempDb, schemas: &[&str]) -> Result<(), String> {
    let options = PgIntrospectOptions {
        schemas: schemas.iter().map(|s| s.to_string()).collect(),
        ..PgIntrospectOptions::default()
    };
    let (schema, _) = introspect_postgres_url_with_report(&db.url(), &options)
        .map_err(|e| format!("introspection failed: {e}"))?;
    let wrong = misnamed(&schema);
    if !wrong.is_empty() {
        return Err(format!("misnamed relations:\n{}", wrong.join("\n")));
    }
    let Some(busiest) = schema
        .tables
        .iter()
        .filter(|t| !t.relations.is_empty())
        .max_by_key(|t| t.relations.len())
    else {
        return Ok(());
    };
    let project = render_project(
        &schema,
        &RenderOptions {
            name: "baseline".into(),
            when_ms: 1_700_000_000_000,
            snapshot_id: "00000000-0000-4000-8000-000000000009".into(),
            flavour: drizzle_port::render::Flavour::default(),
        },
    )
    .map_err(|e| e.to_string())?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let out = dir.path().join("drizzle");
    drizzle_port::migrate::output::write_project(&out, &project, false)
        .map_err(|e| e.to_string())?;
    let schema_ts = std::fs::read_to_string(out.join("schema.ts")).map_err(|e| e.to_string())?;
    let export = export_names(&schema_ts)
        .into_iter()
        .find(|(_, table)| *table == busiest.name)
        .map(|(name, _)| name)
        .ok_or_else(|| format!("no export for {} in schema.ts", busiest.name))?;
    let with: serde_json::Map<String, serde_json::Value> = busiest
        .relations
        .iter()
        .map(|r| (r.name.clone(), serde_json::Value::Bool(true)))
        .collect();
    node::relational_query_pg_plan(
        &out,
        &db.url(),
        &serde_json::json!({ "table": export, "with": with, "limit": 5 }),
    )
    .map(|_| ())
    .map_err(|e| format!("relational query on {export} failed: {e}"))
}

#[test]
fn relation_names_read_from_a_database_return_their_tables() {
    if !node::require_node() || TempDb::create_or_skip().is_none() {
        return;
    }
    let picked: Vec<Case> = cases("postgresql")
        .into_iter()
        .filter(|c| {
            [
                "samples/saas",
                "samples/pg_blog",
                "corpus/umami",
                "corpus/hoppscotch",
            ]
            .contains(&c.name.as_str())
        })
        .collect();
    for_every_case(&picked, shortened, |case| {
        let db = TempDb::create()?;
        db.exec_sql(&extensions_prelude(&case.schema)?)?;
        let sql = std::fs::read_to_string(&case.expected_sql).map_err(|e| e.to_string())?;
        db.exec_sql(&sql)?;
        names_return_their_tables(&db, &["public"])
    });
}

#[test]
fn relation_names_on_the_feature_database_return_their_tables() {
    if !node::require_node() {
        return;
    }
    let Some(db) = TempDb::create_or_skip() else {
        return;
    };
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pg/features.sql");
    db.exec_sql(&std::fs::read_to_string(fixture).unwrap())
        .expect("fixture builds");
    names_return_their_tables(&db, &["public", "app", "billing"]).unwrap();
}

#[test]
fn a_join_table_is_named_for_its_rows() {
    let mut schema: Schema = Schema::from_yaml(
        r#"
dialect: postgresql
tables:
  - name: organisation
    columns: [{ name: id, type: { kind: integer }, raw_type: integer, nullable: false }]
    primary_key: { name: organisation_pkey, columns: [id] }
  - name: user
    columns: [{ name: id, type: { kind: integer }, raw_type: integer, nullable: false }]
    primary_key: { name: user_pkey, columns: [id] }
  - name: organisation_member
    columns:
      - { name: organisation_id, type: { kind: integer }, raw_type: integer, nullable: false }
      - { name: user_id, type: { kind: integer }, raw_type: integer, nullable: false }
    primary_key: { name: organisation_member_pkey, columns: [organisation_id, user_id] }
    foreign_keys:
      - { name: om_org_fkey, columns: [organisation_id], referenced_table: { name: organisation }, referenced_columns: [id] }
      - { name: om_user_fkey, columns: [user_id], referenced_table: { name: user }, referenced_columns: [id] }
"#,
    )
    .expect("model");
    drizzle_port::introspect::relations::infer_relations(&mut schema);
    let names = |table: &str| -> Vec<String> {
        schema
            .tables
            .iter()
            .find(|t| t.name == table)
            .unwrap()
            .relations
            .iter()
            .map(|r| format!("{}->{}", r.name, r.target.name))
            .collect()
    };
    assert_eq!(
        names("organisation"),
        ["organisationMembers->organisation_member"]
    );
    assert_eq!(
        names("organisation_member"),
        ["organisation->organisation", "user->user"]
    );
    assert!(misnamed(&schema).is_empty());
}
