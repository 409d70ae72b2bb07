//! `meta/0000_snapshot.json` in drizzle-kit 0.31's SQLite flavour (version "6", also for
//! `dialect: 'turso'`): exactly what its serializer computes from the `schema.ts` we emit, in its
//! key order.

use serde::Serialize;
use serde_json::Value;

use super::plan::{index_column, ColumnPlan, TablePlan};
use crate::model::{Dialect, Schema, Table};
use crate::render::flavour::Flavour;
use crate::render::snapshot::{
    checks, columns, Check, Empty, Entries, ForeignKey, Generated, PREV_ID,
};

/// A table or view column: declared type, key and autoincrement flags, default.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Column<'a> {
    name: &'a str,
    r#type: &'a str,
    primary_key: bool,
    not_null: bool,
    autoincrement: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    generated: Option<Generated<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default: Option<&'a Value>,
}

/// An index (unique constraints too): column names or expression texts.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IndexSnapshot<'a> {
    name: &'a str,
    columns: Vec<String>,
    is_unique: bool,
    #[serde(rename = "where", skip_serializing_if = "Option::is_none")]
    predicate: Option<&'a str>,
}

/// A primary key of several columns.
#[derive(Serialize)]
pub struct PrimaryKey<'a> {
    columns: &'a [String],
    name: String,
}

/// A table; its unique constraints are indexes, so `uniqueConstraints` stays empty.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TableSnapshot<'a> {
    name: &'a str,
    columns: Entries<Column<'a>>,
    indexes: Entries<IndexSnapshot<'a>>,
    foreign_keys: Entries<ForeignKey<'a>>,
    composite_primary_keys: Entries<PrimaryKey<'a>>,
    unique_constraints: Empty,
    check_constraints: Entries<Check<'a>>,
}

/// A view (a Prisma `view` block is `isExisting`, without a definition).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ViewSnapshot<'a> {
    columns: Entries<Column<'a>>,
    name: &'a str,
    is_existing: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    definition: Option<&'a str>,
}

/// drizzle-kit's rename bookkeeping, empty for a baseline.
#[derive(Serialize, Default)]
pub struct Meta {
    schemas: Empty,
    tables: Empty,
    columns: Empty,
}

/// Marks an index entry as an expression rather than a column name.
#[derive(Serialize)]
pub struct ExpressionFlag {
    #[serde(rename = "isExpression")]
    is_expression: bool,
}

/// The expression entries of one index.
#[derive(Serialize)]
pub struct InternalIndex {
    columns: Entries<ExpressionFlag>,
}

/// Where drizzle-kit records which index entries are expressions.
#[derive(Serialize, Default)]
pub struct Internal {
    indexes: Entries<InternalIndex>,
}

/// The whole document.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SqliteSnapshot<'a> {
    version: &'static str,
    dialect: &'static str,
    id: &'a str,
    prev_id: &'static str,
    tables: Entries<TableSnapshot<'a>>,
    views: Entries<ViewSnapshot<'a>>,
    enums: Empty,
    #[serde(rename = "_meta")]
    meta: Meta,
    internal: Internal,
}

fn column<'a>(c: &'a crate::model::Column, plan: &'a ColumnPlan) -> Column<'a> {
    Column {
        name: &c.name,
        r#type: &plan.sql_type,
        primary_key: plan.primary_key,
        not_null: plan.not_null,
        autoincrement: plan.autoincrement,
        generated: plan
            .generated
            .as_ref()
            .map(|g| Generated::stored(format!("({g})"))),
        default: plan.default.as_ref().map(|d| &d.snapshot),
    }
}

/// drizzle's name for a primary key of several columns (never used in SQLite's DDL).
pub fn composite_pk_name(t: &Table, columns: &[String]) -> String {
    format!("{}_{}_pk", t.name, columns.join("_"))
}

fn table<'a>(t: &'a Table, plan: &'a TablePlan, internal: &mut Internal) -> TableSnapshot<'a> {
    let mut indexes = Vec::new();
    for i in &t.indexes {
        let mut expressions = Vec::new();
        let columns = i
            .columns
            .iter()
            .map(|c| {
                let (text, is_expression) = index_column(c);
                if is_expression {
                    expressions.push((
                        text.clone(),
                        ExpressionFlag {
                            is_expression: true,
                        },
                    ));
                }
                text
            })
            .collect();
        if !expressions.is_empty() {
            internal.indexes.0.push((
                i.name.clone(),
                InternalIndex {
                    columns: Entries(expressions),
                },
            ));
        }
        indexes.push((
            i.name.clone(),
            IndexSnapshot {
                name: &i.name,
                columns,
                is_unique: i.unique,
                predicate: i.predicate.as_deref(),
            },
        ));
    }
    // drizzle's serializer turns `unique()` into unique indexes, after the indexes.
    for u in &t.unique_constraints {
        indexes.push((
            u.name.clone(),
            IndexSnapshot {
                name: &u.name,
                columns: u.columns.clone(),
                is_unique: true,
                predicate: None,
            },
        ));
    }
    let foreign_keys = t
        .foreign_keys
        .iter()
        .map(|fk| (fk.name.clone(), ForeignKey::new(&t.name, fk, false)))
        .collect();
    let primary_keys = plan
        .composite_pk
        .as_deref()
        .map(|cols| {
            let name = composite_pk_name(t, cols);
            vec![(
                name.clone(),
                PrimaryKey {
                    columns: cols,
                    name,
                },
            )]
        })
        .unwrap_or_default();
    TableSnapshot {
        name: &t.name,
        columns: columns(&t.columns, &plan.columns, column),
        indexes: Entries(indexes),
        foreign_keys: Entries(foreign_keys),
        composite_primary_keys: Entries(primary_keys),
        unique_constraints: Empty {},
        check_constraints: checks(t),
    }
}

/// The snapshot document; `id` is its own UUID.
pub fn sqlite_snapshot<'a>(
    schema: &'a Schema,
    plans: &'a [TablePlan],
    view_plans: &'a [Vec<ColumnPlan>],
    id: &'a str,
    flavour: Flavour,
) -> SqliteSnapshot<'a> {
    let views = schema
        .views
        .iter()
        .zip(view_plans)
        .map(|(v, p)| {
            (
                v.name.clone(),
                ViewSnapshot {
                    columns: columns(&v.columns, p, column),
                    name: &v.name,
                    is_existing: v.definition.is_none(),
                    definition: v.definition.as_deref(),
                },
            )
        })
        .collect();
    let mut internal = Internal::default();
    let tables = schema
        .tables
        .iter()
        .zip(plans)
        .map(|(t, p)| (t.name.clone(), table(t, p, &mut internal)))
        .collect();
    SqliteSnapshot {
        version: flavour.snapshot_version(Dialect::Sqlite),
        dialect: "sqlite",
        id,
        prev_id: PREV_ID,
        tables: Entries(tables),
        views: Entries(views),
        enums: Empty {},
        meta: Meta::default(),
        internal,
    }
}
