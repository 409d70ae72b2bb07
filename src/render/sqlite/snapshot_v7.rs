//! `<folder>/snapshot.json` in drizzle-kit 1.0's SQLite flavour (version "7", also for
//! `dialect: 'turso'`): a flat list of `ddl` rows, exactly the ones drizzle-kit 1.0 derives from
//! the `schema.ts` we emit (`fromDrizzleSchema` then `interimToDDL`), each with every key its
//! strict validator wants, in its key order, `entityType` last.
//!
//! drizzle-kit lists the rows grouped by kind (tables, columns, indexes, fks, pks, uniques,
//! checks, views), each kind in the order it met them.

use serde::Serialize;

use super::plan::{index_column, ColumnPlan, TablePlan};
use crate::model::{Dialect, ObjectName, Schema, Table};
use crate::render::flavour::Flavour;
use crate::render::names::Naming;
use crate::render::snapshot::{Generated, PREV_ID};
use crate::render::sql::default_sql;

/// One `ddl` row: its own keys, then `entityType`.
#[derive(Serialize)]
pub struct Row<T> {
    #[serde(flatten)]
    row: T,
    #[serde(rename = "entityType")]
    entity_type: &'static str,
}

fn row<T>(entity_type: &'static str, row: T) -> Row<T> {
    Row { row, entity_type }
}

#[derive(Serialize)]
pub struct TableRow<'a> {
    name: &'a str,
}

/// A column. `notNull` is false on a `.primaryKey()` column (drizzle-kit's rule: the key says it).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ColumnRow<'a> {
    table: &'a str,
    name: &'a str,
    r#type: &'a str,
    not_null: bool,
    autoincrement: bool,
    /// Always a string now (`"42"`, `"'x'"`, `"CURRENT_TIMESTAMP"`), or null.
    default: Option<String>,
    generated: Option<Generated<'a>>,
}

/// An index column: a column name, or the text of an `sql` template.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IndexColumn {
    value: String,
    is_expression: bool,
}

/// An index; every index `schema.ts` declares is `manual` (`auto` is what `pull` finds).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IndexRow<'a> {
    table: &'a str,
    name: &'a str,
    columns: Vec<IndexColumn>,
    is_unique: bool,
    #[serde(rename = "where")]
    predicate: Option<&'a str>,
    origin: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ForeignKeyRow<'a> {
    table: &'a str,
    name: &'a str,
    columns: &'a [String],
    table_to: &'a str,
    columns_to: &'a [String],
    on_update: String,
    on_delete: String,
    name_explicit: bool,
}

/// A primary key (`pks`) or a unique constraint (`uniques`): the same keys.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyRow<'a> {
    table: &'a str,
    name: String,
    columns: &'a [String],
    name_explicit: bool,
}

#[derive(Serialize)]
pub struct CheckRow<'a> {
    table: &'a str,
    name: &'a str,
    value: String,
}

/// A view (a Prisma `view` block is `isExisting`, without a definition).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ViewRow<'a> {
    name: &'a str,
    definition: Option<&'a str>,
    is_existing: bool,
    error: Option<&'a str>,
}

/// Any row, serialized as itself.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Entity<'a> {
    Table(Row<TableRow<'a>>),
    Column(Row<ColumnRow<'a>>),
    Index(Row<IndexRow<'a>>),
    ForeignKey(Row<ForeignKeyRow<'a>>),
    Key(Row<KeyRow<'a>>),
    Check(Row<CheckRow<'a>>),
    View(Row<ViewRow<'a>>),
}

/// The whole document.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SqliteSnapshotV7<'a> {
    version: &'static str,
    dialect: &'static str,
    id: &'a str,
    prev_ids: [&'static str; 1],
    ddl: Vec<Entity<'a>>,
    renames: [&'static str; 0],
}

/// drizzle-kit 1.0's name for a primary key it is not given one for (SQLite never shows it).
pub fn pk_name(t: &Table) -> String {
    format!("{}_pk", t.name)
}

fn column<'a>(t: &'a Table, c: &'a crate::model::Column, plan: &'a ColumnPlan) -> ColumnRow<'a> {
    ColumnRow {
        table: &t.name,
        name: &c.name,
        r#type: &plan.sql_type,
        not_null: plan.not_null && !plan.primary_key,
        autoincrement: plan.autoincrement,
        default: plan.default.as_ref().map(|d| default_sql(&d.snapshot)),
        generated: plan
            .generated
            .as_ref()
            .map(|g| Generated::stored(format!("({g})"))),
    }
}

fn index<'a>(t: &'a Table, i: &'a crate::model::Index) -> IndexRow<'a> {
    IndexRow {
        table: &t.name,
        name: &i.name,
        columns: i
            .columns
            .iter()
            .map(|c| {
                let (value, is_expression) = index_column(c);
                IndexColumn {
                    value,
                    is_expression,
                }
            })
            .collect(),
        is_unique: i.unique,
        predicate: i.predicate.as_deref(),
        origin: "manual",
    }
}

/// Every table's rows of one kind, table after table.
fn each<'a, R: IntoIterator<Item = Entity<'a>>>(
    tables: &[(&'a Table, &'a TablePlan)],
    rows: impl Fn(&'a Table, &'a TablePlan) -> R,
) -> Vec<Entity<'a>> {
    tables.iter().flat_map(|(t, plan)| rows(t, plan)).collect()
}

fn foreign_key<'a>(t: &'a Table, fk: &'a crate::model::ForeignKey) -> ForeignKeyRow<'a> {
    ForeignKeyRow {
        table: &t.name,
        name: &fk.name,
        columns: &fk.columns,
        table_to: &fk.referenced_table.name,
        columns_to: &fk.referenced_columns,
        on_update: fk.on_update.drizzle().to_ascii_uppercase(),
        on_delete: fk.on_delete.drizzle().to_ascii_uppercase(),
        // `schema.ts` names every foreign key.
        name_explicit: true,
    }
}

fn check<'a>(t: &'a Table, c: &'a crate::model::Check) -> CheckRow<'a> {
    CheckRow {
        table: &t.name,
        name: &c.name,
        // drizzle-kit drops the first `"table".` qualifier it finds.
        value: c.expression.replacen(&format!("\"{}\".", t.name), "", 1),
    }
}

/// The rows of every table (in `tables`' order) and view, grouped by kind as drizzle-kit lists
/// them.
fn ddl<'a>(
    tables: &[(&'a Table, &'a TablePlan)],
    views: &[&'a crate::model::View],
) -> Vec<Entity<'a>> {
    let mut out: Vec<Entity<'a>> = tables
        .iter()
        .map(|(t, _)| Entity::Table(row("tables", TableRow { name: &t.name })))
        .collect();
    out.extend(each(tables, |t, plan| {
        let columns = t.columns.iter().zip(&plan.columns);
        columns.map(move |(c, p)| Entity::Column(row("columns", column(t, c, p))))
    }));
    out.extend(each(tables, |t, _| {
        t.indexes
            .iter()
            .map(move |i| Entity::Index(row("indexes", index(t, i))))
    }));
    out.extend(each(tables, |t, _| {
        t.foreign_keys
            .iter()
            .map(move |fk| Entity::ForeignKey(row("fks", foreign_key(t, fk))))
    }));
    // `primaryKey({ columns })` of every table first, then the `.primaryKey()` columns.
    let composite = tables.iter().filter_map(|(t, plan)| {
        let columns = plan.composite_pk.as_deref()?;
        Some((*t, columns))
    });
    let single = tables.iter().flat_map(|(t, plan)| {
        t.columns
            .iter()
            .zip(&plan.columns)
            .filter(|(_, p)| p.primary_key)
            .map(move |(c, _)| (*t, std::slice::from_ref(&c.name)))
    });
    // Primary keys take drizzle's default name; `schema.ts` names every unique constraint.
    let key = |kind, table: &'a str, name: String, columns: &'a [String]| {
        let name_explicit = kind == "uniques";
        Entity::Key(row(
            kind,
            KeyRow {
                table,
                name,
                columns,
                name_explicit,
            },
        ))
    };
    for (t, columns) in composite.chain(single) {
        out.push(key("pks", &t.name, pk_name(t), columns));
    }
    for (t, _) in tables {
        out.extend(
            t.unique_constraints
                .iter()
                .map(|u| key("uniques", &t.name, u.name.clone(), &u.columns)),
        );
    }
    out.extend(each(tables, |t, _| {
        t.checks
            .iter()
            .map(move |c| Entity::Check(row("checks", check(t, c))))
    }));
    out.extend(views.iter().map(|v| {
        Entity::View(row(
            "views",
            ViewRow {
                name: &v.name,
                definition: v.definition.as_deref(),
                is_existing: v.definition.is_none(),
                error: None,
            },
        ))
    }));
    out
}

/// The snapshot document; `id` is its own UUID. `order` lists the tables and views by position
/// in the order drizzle-kit meets them. (Views carry no columns in version 7.)
pub fn sqlite_snapshot_v7<'a>(
    schema: &'a Schema,
    plans: &'a [TablePlan],
    order: &ObjectOrder,
    id: &'a str,
) -> SqliteSnapshotV7<'a> {
    let tables: Vec<(&Table, &TablePlan)> = order
        .tables
        .iter()
        .map(|&i| (&schema.tables[i], &plans[i]))
        .collect();
    let views: Vec<_> = order.views.iter().map(|&i| &schema.views[i]).collect();
    SqliteSnapshotV7 {
        version: Flavour::Drizzle1.snapshot_version(Dialect::Sqlite),
        dialect: "sqlite",
        id,
        prev_ids: [PREV_ID],
        ddl: ddl(&tables, &views),
        renames: [],
    }
}

/// Positions of the schema's tables and views in the order drizzle-kit meets them: it walks the
/// exports of `schema.ts` as its loader lists them, sorted by exported name.
#[derive(Debug, Clone, Default)]
pub struct ObjectOrder {
    pub tables: Vec<usize>,
    pub views: Vec<usize>,
}

impl ObjectOrder {
    /// The tables and views of `schema` by their `schema.ts` export names.
    pub fn by_export(schema: &Schema, naming: &Naming) -> ObjectOrder {
        let sorted = |names: Vec<&str>| {
            let mut order: Vec<usize> = (0..names.len()).collect();
            // JavaScript compares UTF-16 code units; the same order as UTF-8 bytes below U+10000.
            order.sort_by(|&a, &b| names[a].encode_utf16().cmp(names[b].encode_utf16()));
            order
        };
        ObjectOrder {
            tables: sorted(
                schema
                    .tables
                    .iter()
                    .map(|t| naming.table(&t.object_name()))
                    .collect(),
            ),
            views: sorted(
                schema
                    .views
                    .iter()
                    .map(|v| {
                        naming.views[&ObjectName::new(v.schema.clone(), v.name.clone())].as_str()
                    })
                    .collect(),
            ),
        }
    }
}
