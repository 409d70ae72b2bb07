//! The JSON both dialects' drizzle-kit snapshots are made of: ordered objects, the pieces they
//! write alike, and `JSON.stringify`'s layout.

use std::borrow::Cow;

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use crate::model::{Column, Table};

pub const PREV_ID: &str = "00000000-0000-0000-0000-000000000000";

/// A JSON object whose keys are written in insertion order.
pub struct Entries<T>(pub Vec<(String, T)>);

impl<T> Default for Entries<T> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

impl<T: Serialize> Serialize for Entries<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// `{}`.
#[derive(Serialize, Default)]
pub struct Empty {}

/// A foreign key as both snapshot versions write it; only PostgreSQL's has `schemaTo`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ForeignKey<'a> {
    name: &'a str,
    table_from: &'a str,
    table_to: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    schema_to: Option<&'a str>,
    columns_from: &'a [String],
    columns_to: &'a [String],
    on_delete: &'static str,
    on_update: &'static str,
}

impl<'a> ForeignKey<'a> {
    /// `fk` of table `table`; `schema_to` for PostgreSQL (`public` when unqualified).
    pub fn new(table: &'a str, fk: &'a crate::model::ForeignKey, with_schema: bool) -> Self {
        ForeignKey {
            name: &fk.name,
            table_from: table,
            table_to: &fk.referenced_table.name,
            schema_to: with_schema
                .then(|| fk.referenced_table.schema.as_deref().unwrap_or("public")),
            columns_from: &fk.columns,
            columns_to: &fk.referenced_columns,
            on_delete: fk.on_delete.drizzle(),
            on_update: fk.on_update.drizzle(),
        }
    }
}

#[derive(Serialize)]
pub struct Check<'a> {
    name: &'a str,
    value: &'a str,
}

/// A generated column's expression (always stored).
#[derive(Serialize)]
pub struct Generated<'a> {
    #[serde(rename = "as")]
    expression: Cow<'a, str>,
    #[serde(rename = "type")]
    kind: &'static str,
}

impl<'a> Generated<'a> {
    pub fn stored(expression: impl Into<Cow<'a, str>>) -> Self {
        Generated {
            expression: expression.into(),
            kind: "stored",
        }
    }
}

/// Columns keyed by name, each as `snapshot` writes it with its plan.
pub fn columns<'a, P, C>(
    columns: &'a [Column],
    plans: &'a [P],
    snapshot: impl Fn(&'a Column, &'a P) -> C,
) -> Entries<C> {
    Entries(
        columns
            .iter()
            .zip(plans)
            .map(|(c, plan)| (c.name.clone(), snapshot(c, plan)))
            .collect(),
    )
}

/// A table's check constraints, keyed by name.
pub fn checks(t: &Table) -> Entries<Check<'_>> {
    Entries(
        t.checks
            .iter()
            .map(|c| {
                let check = Check {
                    name: &c.name,
                    value: &c.expression,
                };
                (c.name.clone(), check)
            })
            .collect(),
    )
}

/// `JSON.stringify(value, null, 2)`: two-space indent, no trailing newline.
pub fn to_js_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}
