//! `meta/0000_snapshot.json` (PostgreSQL snapshot version 7): exactly what drizzle-kit 0.31's
//! serializer computes from the `schema.ts` we emit, so `drizzle-kit generate` finds nothing to do.

use serde_json::{json, Map, Value};

use super::plan::plan_column;
use crate::model::{Index, NullsOrder, Schema, SortOrder, Table};

pub const PREV_ID: &str = "00000000-0000-0000-0000-000000000000";

fn table_key(schema: &Option<String>, name: &str) -> String {
    format!("{}.{name}", schema.as_deref().unwrap_or("public"))
}

/// Index column as drizzle-kit records it: drizzle's builder default for nulls is `last`.
fn index_columns(index: &Index) -> Vec<Value> {
    index
        .columns
        .iter()
        .map(|c| {
            if c.is_expression {
                return json!({ "expression": c.expression, "asc": true, "isExpression": true, "nulls": "last" });
            }
            let default_nulls = match c.order {
                SortOrder::Asc => NullsOrder::Last,
                SortOrder::Desc => NullsOrder::First,
            };
            let nulls = match c.nulls.unwrap_or(default_nulls) {
                NullsOrder::First => "first",
                NullsOrder::Last => "last",
            };
            let mut o = Map::new();
            o.insert("expression".into(), json!(c.expression));
            o.insert("isExpression".into(), json!(false));
            o.insert("asc".into(), json!(c.order == SortOrder::Asc));
            o.insert("nulls".into(), json!(nulls));
            if let Some(op) = &c.opclass {
                o.insert("opclass".into(), json!(op));
            }
            Value::Object(o)
        })
        .collect()
}

fn table_snapshot(t: &Table) -> Value {
    let mut columns = Map::new();
    for c in &t.columns {
        let plan = plan_column(c);
        let mut o = Map::new();
        o.insert("name".into(), json!(c.name));
        o.insert("type".into(), json!(plan.sql_type));
        if let Some(ts) = &plan.type_schema {
            o.insert("typeSchema".into(), json!(ts));
        }
        o.insert("primaryKey".into(), json!(false));
        o.insert("notNull".into(), json!(plan.not_null));
        if let Some(d) = &plan.default {
            o.insert("default".into(), d.snapshot.clone());
        }
        columns.insert(c.name.clone(), Value::Object(o));
    }
    let mut indexes = Map::new();
    for i in &t.indexes {
        let mut o = Map::new();
        o.insert("name".into(), json!(i.name));
        o.insert("columns".into(), Value::Array(index_columns(i)));
        o.insert("isUnique".into(), json!(i.unique));
        if let Some(p) = &i.predicate {
            o.insert("where".into(), json!(p));
        }
        o.insert("concurrently".into(), json!(false));
        o.insert("method".into(), json!(i.method));
        o.insert("with".into(), json!({}));
        indexes.insert(i.name.clone(), Value::Object(o));
    }
    let mut foreign_keys = Map::new();
    for fk in &t.foreign_keys {
        foreign_keys.insert(
            fk.name.clone(),
            json!({
                "name": fk.name,
                "tableFrom": t.name,
                "tableTo": fk.referenced_table.name,
                "schemaTo": fk.referenced_table.schema.as_deref().unwrap_or("public"),
                "columnsFrom": fk.columns,
                "columnsTo": fk.referenced_columns,
                "onDelete": fk.on_delete.drizzle(),
                "onUpdate": fk.on_update.drizzle(),
            }),
        );
    }
    let mut pks = Map::new();
    if let Some(pk) = &t.primary_key {
        let name = pk
            .name
            .clone()
            .unwrap_or_else(|| format!("{}_{}_pk", t.name, pk.columns.join("_")));
        pks.insert(name.clone(), json!({ "name": name, "columns": pk.columns }));
    }
    let mut uniques = Map::new();
    for u in &t.unique_constraints {
        uniques.insert(
            u.name.clone(),
            json!({ "name": u.name, "nullsNotDistinct": u.nulls_not_distinct, "columns": u.columns }),
        );
    }
    let mut checks = Map::new();
    for c in &t.checks {
        checks.insert(
            c.name.clone(),
            json!({ "name": c.name, "value": c.expression }),
        );
    }
    json!({
        "name": t.name,
        "schema": t.schema.as_deref().unwrap_or(""),
        "columns": columns,
        "indexes": indexes,
        "foreignKeys": foreign_keys,
        "compositePrimaryKeys": pks,
        "uniqueConstraints": uniques,
        "policies": {},
        "checkConstraints": checks,
        "isRLSEnabled": false,
    })
}

/// The snapshot document. `id` is the snapshot's own UUID.
pub fn pg_snapshot(schema: &Schema, id: &str) -> Value {
    let mut tables = Map::new();
    for t in &schema.tables {
        tables.insert(table_key(&t.schema, &t.name), table_snapshot(t));
    }
    let mut enums = Map::new();
    for e in &schema.enums {
        let schema_name = e.schema.as_deref().unwrap_or("public");
        enums.insert(
            format!("{schema_name}.{}", e.name),
            json!({
                "name": e.name,
                "schema": schema_name,
                "values": e.values.iter().map(|v| v.label.clone()).collect::<Vec<_>>(),
            }),
        );
    }
    let mut schemas = Map::new();
    for ns in &schema.namespaces {
        schemas.insert(ns.clone(), json!(ns));
    }
    json!({
        "id": id,
        "prevId": PREV_ID,
        "version": "7",
        "dialect": "postgresql",
        "tables": tables,
        "enums": enums,
        "schemas": schemas,
        "sequences": {},
        "roles": {},
        "policies": {},
        "views": {},
        "_meta": { "columns": {}, "schemas": {}, "tables": {} },
    })
}

/// `JSON.stringify(value, null, 2)`: two-space indent, no trailing newline.
pub fn to_js_json(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}
