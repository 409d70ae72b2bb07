//! Catalog rows → [`Schema`]: pure, no I/O. What the pragmas do not say (AUTOINCREMENT,
//! constraint names, CHECKs, generated expressions, index expressions and predicates, view bodies)
//! is read from the stored `CREATE` text with a real tokenizer ([`ddl`]). The model matches what
//! `src/prisma/lower.rs` produces for the sqlite provider: the declared type survives in
//! `raw_type`, `INTEGER PRIMARY KEY AUTOINCREMENT` is [`DefaultValue::Autoincrement`], primary
//! keys have no name.

pub mod ddl;

use std::collections::{BTreeMap, HashMap};

use super::rows::{CatalogRows, ColumnRow, ForeignKeyRow, IndexColumnRow, IndexRow};
use crate::introspect::relations;
use crate::model::{
    Check, Column, ColumnType, DefaultValue, Dialect, ForeignKey, Index, IndexColumn, ObjectName,
    PrimaryKey, ReferentialAction, Schema, SortOrder, Table, UniqueConstraint, View,
};

/// Tables that belong to tools, not to the application: left out, with a note.
const TOOL_TABLES: &[(&str, &str)] = &[
    ("_prisma_migrations", "Prisma's migration history"),
    ("__drizzle_migrations", "drizzle's migration history"),
    ("_litestream_seq", "Litestream's bookkeeping"),
    ("_litestream_lock", "Litestream's bookkeeping"),
    ("_cf_KV", "Cloudflare's bookkeeping"),
    ("libsql_wasm_func_table", "libSQL's function table"),
];

fn blank_view(name: &str) -> View {
    View {
        schema: None,
        name: name.to_string(),
        orm_name: None,
        columns: Vec::new(),
        definition: None,
        materialized: false,
        documentation: None,
    }
}

/// Rows grouped by `key`, each group in row order.
fn group_by<T>(rows: &[T], key: impl Fn(&T) -> &str) -> HashMap<String, Vec<&T>> {
    let mut groups: HashMap<String, Vec<&T>> = HashMap::new();
    for row in rows {
        groups.entry(key(row).to_string()).or_default().push(row);
    }
    groups
}

/// The declared type as Prisma's SQLite lowering classifies it (the declared spelling stays in
/// `raw_type`, which is what the renderer keys on).
pub fn column_type(declared: &str) -> ColumnType {
    let upper = declared
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_uppercase();
    match upper.as_str() {
        "TEXT" => ColumnType::Text,
        "INTEGER" | "INT" => ColumnType::Integer,
        "BIGINT" => ColumnType::BigInt,
        "BOOLEAN" => ColumnType::Boolean,
        "REAL" => ColumnType::Real,
        "DOUBLE" | "DOUBLE PRECISION" | "FLOAT" => ColumnType::DoublePrecision,
        "DECIMAL" | "NUMERIC" => ColumnType::Numeric {
            precision: None,
            scale: None,
        },
        "DATETIME" | "TIMESTAMP" => ColumnType::Timestamp {
            precision: None,
            with_time_zone: false,
        },
        "DATE" => ColumnType::Date,
        "JSONB" => ColumnType::Jsonb,
        "JSON" => ColumnType::Json,
        "BLOB" => ColumnType::Bytes,
        _ => ColumnType::Unsupported {
            sql: declared.to_string(),
        },
    }
}

/// A `dflt_value` as the model's default.
pub fn default_value(text: &str) -> DefaultValue {
    let Some(tokens) = ddl::default_tokens(text) else {
        return DefaultValue::Expression(text.to_string());
    };
    match tokens.as_slice() {
        [t] if t.kind == ddl::Kind::String => DefaultValue::String(t.text.clone()),
        [t] if ddl::is_word(t, "CURRENT_TIMESTAMP") => DefaultValue::Now,
        [t] if ddl::is_word(t, "TRUE") => DefaultValue::Boolean(true),
        [t] if ddl::is_word(t, "FALSE") => DefaultValue::Boolean(false),
        ts if ddl::signed_number(ts) => DefaultValue::Number(text.trim().to_string()),
        // `DEFAULT NULL`, `CURRENT_DATE`, a blob literal: one token, kept as written.
        [_] => DefaultValue::Expression(text.trim().to_string()),
        // SQLite keeps `DEFAULT (expr)` as `expr`: the parentheses are needed to write it back.
        _ => DefaultValue::Expression(format!("({})", text.trim())),
    }
}

fn action(text: &str) -> ReferentialAction {
    match text.to_ascii_uppercase().as_str() {
        "CASCADE" => ReferentialAction::Cascade,
        "RESTRICT" => ReferentialAction::Restrict,
        "SET NULL" => ReferentialAction::SetNull,
        "SET DEFAULT" => ReferentialAction::SetDefault,
        _ => ReferentialAction::NoAction,
    }
}

/// The model of the database, and one note per object left out or read with a loss.
pub fn lower(catalog: &CatalogRows) -> (Schema, Vec<String>) {
    let mut schema = Schema::new(Dialect::Sqlite);
    let mut notes = Vec::new();

    // Objects: tables and views in creation order; index SQL by name.
    let mut table_sql: Vec<(String, String)> = Vec::new();
    let mut view_sql: Vec<(String, String)> = Vec::new();
    let mut index_sql: HashMap<String, String> = HashMap::new();
    // Creation order of the indexes (the order Prisma's migration creates them in).
    let mut index_rank: HashMap<String, usize> = HashMap::new();
    for row in &catalog.objects {
        let name = row.name.clone();
        let sql = row.sql.clone().unwrap_or_default();
        match row.kind.as_str() {
            "table" => {
                if name.starts_with("sqlite_") {
                    continue;
                }
                if let Some((_, why)) = TOOL_TABLES.iter().find(|(t, _)| *t == name) {
                    notes.push(format!("table {name}: {why}, left out"));
                    continue;
                }
                if sql.to_ascii_uppercase().starts_with("CREATE VIRTUAL TABLE") {
                    notes.push(format!(
                        "table {name}: a virtual table, left out (drizzle cannot declare it)"
                    ));
                    continue;
                }
                table_sql.push((name, sql));
            }
            "view" => view_sql.push((name, sql)),
            "index" if !sql.is_empty() => {
                index_rank.insert(name.clone(), index_rank.len());
                index_sql.insert(name, sql);
            }
            _ => {}
        }
    }

    // Columns by table / view name, in cid order.
    let columns = group_by(&catalog.columns, |r: &ColumnRow| &r.table);
    let indexes = group_by(&catalog.indexes, |r: &IndexRow| &r.table);
    let index_columns = group_by(&catalog.index_columns, |r: &IndexColumnRow| &r.index);
    // Foreign keys: table → id → rows in seq order.
    let mut fks: HashMap<String, BTreeMap<i64, Vec<&ForeignKeyRow>>> = HashMap::new();
    for row in &catalog.foreign_keys {
        fks.entry(row.table.clone())
            .or_default()
            .entry(row.id)
            .or_default()
            .push(row);
    }

    // Primary keys first (implicit FK targets need them).
    let mut pks: HashMap<String, Vec<String>> = HashMap::new();
    for (name, _) in &table_sql {
        let mut pk: Vec<(i64, String)> = columns
            .get(name)
            .into_iter()
            .flatten()
            .filter(|r| r.pk > 0)
            .map(|r| (r.pk, r.name.clone()))
            .collect();
        pk.sort();
        pks.insert(name.clone(), pk.into_iter().map(|(_, c)| c).collect());
    }

    for (name, sql) in &table_sql {
        let parsed = ddl::parse_create_table(sql).unwrap_or_else(|e| {
            notes.push(format!(
                "table {name}: its CREATE TABLE text could not be read ({e}); AUTOINCREMENT, checks and constraint names may be missing"
            ));
            ddl::TableDdl::default()
        });
        if parsed.without_rowid {
            notes.push(format!(
                "table {name}: WITHOUT ROWID is not kept (drizzle's sqliteTable cannot declare it)"
            ));
        }
        if parsed.strict {
            notes.push(format!(
                "table {name}: STRICT is not kept (drizzle's sqliteTable cannot declare it)"
            ));
        }
        let ddl_col = |col: &str| {
            parsed
                .columns
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(col))
        };
        let mut table = Table::new(None, name);
        let pk = pks.get(name).cloned().unwrap_or_default();
        for r in columns.get(name).into_iter().flatten() {
            let col_name = r.name.clone();
            let declared = &r.declared_type;
            if r.hidden == 1 {
                // A hidden column of a virtual table; virtual tables are left out already.
                continue;
            }
            let mut column = Column::new(&col_name, declared, column_type(declared), !r.not_null);
            if let Some(d) = &r.default_sql {
                column.default = Some(match default_value(d) {
                    // As Prisma's lowering keeps them: a string literal is a string only for a
                    // text column; for DATETIME, JSONB, BLOB … it is the literal as written.
                    DefaultValue::String(_)
                        if !matches!(
                            column.column_type,
                            ColumnType::Text | ColumnType::Unsupported { .. }
                        ) =>
                    {
                        DefaultValue::Expression(d.trim().to_string())
                    }
                    other => other,
                });
            }
            let d = ddl_col(&col_name);
            if pk.len() == 1 && pk[0] == col_name && d.is_some_and(|d| d.autoincrement) {
                column.default = Some(DefaultValue::Autoincrement);
                // `INTEGER PRIMARY KEY` never holds NULL; Prisma writes NOT NULL.
                column.nullable = false;
            }
            if let Some((expr, stored)) = d.and_then(|d| d.generated.clone()) {
                if !stored {
                    notes.push(format!(
                        "column {name}.{col_name}: a VIRTUAL generated column, read as STORED (drizzle-kit's SQLite flavour writes STORED only here)"
                    ));
                }
                column.generated = Some(expr);
            }
            if let Some(d) = d {
                for (i, (cname, expr)) in d.checks.iter().enumerate() {
                    table.checks.push(Check {
                        name: cname.clone().unwrap_or_else(|| {
                            format!(
                                "{name}_{col_name}_check{}",
                                if i == 0 { String::new() } else { i.to_string() }
                            )
                        }),
                        expression: expr.clone(),
                    });
                }
            }
            table.columns.push(column);
        }
        if !pk.is_empty() {
            table.primary_key = Some(PrimaryKey {
                name: None,
                columns: pk.clone(),
            });
        }
        let mut n_checks = 0;
        for c in &parsed.constraints {
            if let ddl::ConstraintDdl::Check {
                name: cname,
                expression,
            } = c
            {
                n_checks += 1;
                table.checks.push(Check {
                    name: cname
                        .clone()
                        .unwrap_or_else(|| format!("{name}_check_{n_checks}")),
                    expression: expression.clone(),
                });
            }
        }

        // Indexes: `c` ones from CREATE INDEX, `u` ones are UNIQUE constraints, `pk` is the key.
        let mut list: Vec<&IndexRow> = indexes.get(name).cloned().unwrap_or_default();
        list.sort_by_key(|r| {
            let name = r.name.clone();
            (index_rank.get(&name).copied().unwrap_or(usize::MAX), name)
        });
        for r in list {
            let iname = r.name.clone();
            let cols: Vec<&IndexColumnRow> = index_columns.get(&iname).cloned().unwrap_or_default();
            match r.origin.as_str() {
                "pk" => continue,
                "u" => {
                    let columns: Vec<String> = cols.iter().filter_map(|c| c.name.clone()).collect();
                    let cname = parsed.constraints.iter().find_map(|c| match c {
                        ddl::ConstraintDdl::Unique {
                            name: Some(n),
                            columns: cc,
                        } if cc.len() == columns.len()
                            && cc
                                .iter()
                                .zip(&columns)
                                .all(|(a, b)| a.eq_ignore_ascii_case(b)) =>
                        {
                            Some(n.clone())
                        }
                        _ => None,
                    });
                    table.unique_constraints.push(UniqueConstraint {
                        name: cname
                            .unwrap_or_else(|| format!("{name}_{}_unique", columns.join("_"))),
                        columns,
                        nulls_not_distinct: false,
                        deferrable: None,
                    });
                    notes.push(format!(
                        "table {name}: UNIQUE ({}) is a table constraint here; drizzle-kit's SQLite flavour creates it as a unique index",
                        table.unique_constraints.last().map(|u| u.columns.join(", ")).unwrap_or_default()
                    ));
                    continue;
                }
                _ => {}
            }
            let parsed_index = index_sql
                .get(&iname)
                .and_then(|s| ddl::parse_create_index(s).ok())
                .unwrap_or_default();
            let mut icols = Vec::new();
            for (k, c) in cols.iter().enumerate() {
                let order = if c.desc {
                    SortOrder::Desc
                } else {
                    SortOrder::Asc
                };
                let coll = c.collation.clone().unwrap_or_default();
                if !coll.eq_ignore_ascii_case("BINARY") && !coll.is_empty() {
                    notes.push(format!(
                        "index {iname}: COLLATE {coll} is not kept (drizzle's sqlite index builder cannot say it)"
                    ));
                }
                let (expression, is_expression) = if c.cid == -2 {
                    (parsed_index.terms.get(k).cloned().unwrap_or_default(), true)
                } else {
                    (c.name.clone().unwrap_or_default(), false)
                };
                icols.push(IndexColumn {
                    expression,
                    is_expression,
                    order,
                    nulls: None,
                    opclass: None,
                });
            }
            table.indexes.push(Index {
                name: iname,
                unique: r.unique,
                method: "btree".to_string(),
                columns: icols,
                predicate: if r.partial {
                    parsed_index.predicate.clone()
                } else {
                    None
                },
                include: Vec::new(),
            });
        }

        // Foreign keys, in declaration order (SQLite numbers them last to first).
        let fk_groups: Vec<Vec<&ForeignKeyRow>> = fks
            .get(name)
            .map(|m| m.values().rev().cloned().collect())
            .unwrap_or_default();
        for group in fk_groups {
            let first = group[0];
            let target = first.referenced_table.clone();
            let from: Vec<String> = group.iter().map(|r| r.from.clone()).collect();
            let mut to: Vec<String> = group.iter().filter_map(|r| r.to.clone()).collect();
            if to.len() != from.len() {
                to = pks
                    .iter()
                    .find(|(t, _)| t.eq_ignore_ascii_case(&target))
                    .map(|(_, c)| c.clone())
                    .unwrap_or_default();
            }
            let same = |a: &[String], b: &[String]| {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.eq_ignore_ascii_case(y))
            };
            let fname = parsed
                .constraints
                .iter()
                .find_map(|c| match c {
                    ddl::ConstraintDdl::ForeignKey {
                        name: Some(n),
                        columns,
                        table: t,
                    } if same(columns, &from) && t.eq_ignore_ascii_case(&target) => Some(n.clone()),
                    _ => None,
                })
                .or_else(|| {
                    (from.len() == 1)
                        .then(|| ddl_col(&from[0]))
                        .flatten()
                        .and_then(|d| d.references.clone())
                        .filter(|(_, t)| t.eq_ignore_ascii_case(&target))
                        .and_then(|(n, _)| n)
                })
                .unwrap_or_else(|| {
                    format!("{name}_{}_{target}_{}_fk", from.join("_"), to.join("_"))
                });
            // The referenced table as SQLite resolves it (names are case-insensitive).
            let target_name = table_sql
                .iter()
                .find(|(t, _)| t.eq_ignore_ascii_case(&target))
                .map(|(t, _)| t.clone())
                .unwrap_or(target);
            table.foreign_keys.push(ForeignKey {
                name: fname,
                columns: from,
                referenced_table: ObjectName::new(None, target_name),
                referenced_columns: to,
                on_delete: action(&first.on_delete),
                on_update: action(&first.on_update),
                deferrable: None,
            });
        }
        schema.tables.push(table);
    }

    for (name, sql) in &view_sql {
        let mut view = blank_view(name);
        view.definition = ddl::view_body(sql);
        if view.definition.is_none() {
            notes.push(format!("view {name}: its definition could not be read"));
        }
        for r in columns.get(name).into_iter().flatten() {
            view.columns.push(Column::new(
                &r.name,
                &r.declared_type,
                column_type(&r.declared_type),
                !r.not_null,
            ));
        }
        schema.views.push(view);
    }
    relations::infer_relations(&mut schema);
    (schema, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        assert_eq!(
            default_value("'it''s'"),
            DefaultValue::String("it's".into())
        );
        assert_eq!(default_value("-1.5"), DefaultValue::Number("-1.5".into()));
        assert_eq!(default_value("CURRENT_TIMESTAMP"), DefaultValue::Now);
        assert_eq!(default_value("true"), DefaultValue::Boolean(true));
        assert_eq!(
            default_value("datetime('now')"),
            DefaultValue::Expression("(datetime('now'))".into())
        );
    }
}
