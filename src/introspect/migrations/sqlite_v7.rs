//! SQLite snapshots of drizzle-kit 1.0 (version 7, dialect `sqlite` or `turso`) into the model.
//!
//! Every version-7 snapshot holds the whole schema as flat `ddl` rows. They are written as the
//! version-6 document drizzle-kit 0.31 would have written and read by [`super::sqlite`], so both
//! versions share every type and default rule.

use std::path::Path;

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::{parse, SnapshotError};
use crate::model::Schema;

#[derive(Deserialize, Default)]
#[serde(default)]
struct SnapshotV7 {
    ddl: Vec<Map<String, Value>>,
}

use super::rows::{get, named, table_document, text};

fn of<'s>(
    rows: &'s [Map<String, Value>],
    kind: &'s str,
) -> impl Iterator<Item = &'s Map<String, Value>> + 's {
    rows.iter().filter(move |r| text(r, "entityType") == kind)
}

/// The version-6 document of `rows`.
fn to_v6(rows: &[Map<String, Value>]) -> Value {
    // Which index columns are SQL text: version 6 kept that aside, in `internal`.
    let mut internal = Map::new();
    let tables: Map<String, Value> = of(rows, "tables")
        .map(|t| {
            let name = text(t, "name");
            let in_table =
                |kind: &'static str| of(rows, kind).filter(move |r| text(r, "table") == name);
            let pk: Vec<&Map<String, Value>> = in_table("pks").collect();
            let columns = named(in_table("columns"), |c| {
                let autoincrement = c.get("autoincrement").and_then(Value::as_bool) == Some(true);
                // 1.0 writes no NOT NULL on a column `.primaryKey()` and says `notNull:
                // false`; an AUTOINCREMENT key is never NULL (and reads back as such).
                let not_null =
                    c.get("notNull").and_then(Value::as_bool) == Some(true) || autoincrement;
                json!({
                    "name": get(c, "name"),
                    "type": get(c, "type"),
                    "notNull": not_null,
                    "autoincrement": autoincrement,
                    "default": get(c, "default"),
                    "generated": get(c, "generated"),
                })
            });
            let indexes: Map<String, Value> = in_table("indexes")
                .map(|i| {
                    let list = i
                        .get("columns")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    let mut flags = Map::new();
                    let columns: Vec<Value> = list
                        .iter()
                        .map(|c| {
                            let value = c.get("value").cloned().unwrap_or(Value::Null);
                            if c.get("isExpression").and_then(Value::as_bool) == Some(true) {
                                if let Some(v) = value.as_str() {
                                    flags.insert(v.to_string(), json!({ "isExpression": true }));
                                }
                            }
                            value
                        })
                        .collect();
                    if !flags.is_empty() {
                        internal.insert(text(i, "name").to_string(), json!({ "columns": flags }));
                    }
                    let index = json!({
                        "name": get(i, "name"),
                        "columns": columns,
                        "isUnique": get(i, "isUnique"),
                        "where": get(i, "where"),
                    });
                    (text(i, "name").to_string(), index)
                })
                .collect();
            let fks = named(in_table("fks"), |f| {
                json!({
                    "name": get(f, "name"),
                    "tableTo": get(f, "tableTo"),
                    "columnsFrom": get(f, "columns"),
                    "columnsTo": get(f, "columnsTo"),
                    "onDelete": get(f, "onDelete"),
                    "onUpdate": get(f, "onUpdate"),
                })
            });
            // SQLite keeps no key name: every key reads as one list of columns.
            let key = |k: &Map<String, Value>| json!({ "name": get(k, "name"), "columns": get(k, "columns") });
            let pks = named(pk.iter().copied(), key);
            let uniques = named(in_table("uniques"), key);
            let checks = named(in_table("checks"), |c| {
                json!({ "name": get(c, "name"), "value": get(c, "value") })
            });
            let indexes = Value::Object(indexes);
            let mut table = table_document([columns, indexes, fks, pks, uniques, checks]);
            table.insert("name".into(), json!(name));
            let table = Value::Object(table);
            (name.to_string(), table)
        })
        .collect();
    let views = named(
        of(rows, "views"),
        |v| json!({ "name": get(v, "name"), "definition": get(v, "definition") }),
    );
    json!({
        "tables": tables,
        "views": views,
        "internal": { "indexes": internal },
    })
}

/// One version-7 snapshot into the model.
pub(super) fn read(path: &Path, text: &str) -> Result<Schema, SnapshotError> {
    let snapshot: SnapshotV7 = parse(path, text)?;
    let v6: super::sqlite::Snapshot = super::from_mapped(path, to_v6(&snapshot.ddl))?;
    Ok(super::sqlite::to_model(v6))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DefaultValue;

    #[test]
    fn rows_read_like_version_6() {
        let doc = json!({"version": "7", "dialect": "sqlite", "id": "x", "prevIds": [], "renames": [], "ddl": [
            {"entityType": "tables", "name": "users"},
            {"entityType": "columns", "table": "users", "name": "id", "type": "integer",
             "notNull": false, "autoincrement": true, "default": null, "generated": null},
            {"entityType": "columns", "table": "users", "name": "email", "type": "text(256)",
             "notNull": true, "autoincrement": false, "default": "'a''b'", "generated": null},
            {"entityType": "indexes", "table": "users", "name": "users_lower", "isUnique": true,
             "where": null, "origin": "manual",
             "columns": [{"value": "lower(email)", "isExpression": true}]},
            {"entityType": "pks", "table": "users", "name": "users_pk", "columns": ["id"], "nameExplicit": false},
        ]});
        let s = read(Path::new("s.json"), &doc.to_string()).unwrap();
        let t = &s.tables[0];
        assert_eq!(t.primary_key.as_ref().unwrap().columns, ["id"]);
        assert_eq!(t.primary_key.as_ref().unwrap().name, None);
        assert!(!t.columns[0].nullable);
        assert_eq!(t.columns[0].default, Some(DefaultValue::Autoincrement));
        assert_eq!(
            t.columns[1].default,
            Some(DefaultValue::String("a'b".into()))
        );
        assert!(t.indexes[0].columns[0].is_expression);
    }
}
