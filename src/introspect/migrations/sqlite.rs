//! SQLite snapshots (version 6, dialect `sqlite` or `turso`) into the model.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::Value;

use super::{table_keys, CheckSnap, ForeignKeySnap, Generated, NamedColumns, Ordered, UniqueSnap};
use crate::introspect::sqlite::lower::{column_type, ddl};
use crate::model::{
    Column, ColumnType, DefaultValue, Dialect, Index, IndexColumn, Schema, SortOrder, Table, View,
};

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Snapshot {
    tables: Ordered<TableSnap>,
    views: Ordered<ViewSnap>,
    internal: Internal,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct ColumnSnap {
    name: String,
    #[serde(rename = "type")]
    column_type: String,
    primary_key: bool,
    not_null: bool,
    autoincrement: bool,
    default: Option<Value>,
    generated: Option<Generated>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct IndexSnap {
    name: String,
    columns: Vec<String>,
    is_unique: bool,
    #[serde(rename = "where")]
    predicate: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct TableSnap {
    name: String,
    columns: Ordered<ColumnSnap>,
    indexes: Ordered<IndexSnap>,
    foreign_keys: Ordered<ForeignKeySnap>,
    composite_primary_keys: Ordered<NamedColumns>,
    unique_constraints: Ordered<UniqueSnap>,
    check_constraints: Ordered<CheckSnap>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ViewSnap {
    columns: Ordered<ColumnSnap>,
    name: String,
    definition: Option<String>,
}

/// `internal.indexes[index].columns[text].isExpression`: which index columns are SQL text.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Internal {
    indexes: HashMap<String, InternalIndex>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct InternalIndex {
    columns: HashMap<String, ExpressionFlag>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct ExpressionFlag {
    is_expression: bool,
}

/// The model default of a snapshot `default`, read like a `dflt_value` by the database reader.
pub(super) fn default_value(value: &Value, t: &ColumnType) -> DefaultValue {
    let text = match value {
        Value::Bool(b) => return DefaultValue::Boolean(*b),
        Value::Number(n) => return DefaultValue::Number(n.to_string()),
        Value::String(s) => s.as_str(),
        other => return DefaultValue::Expression(other.to_string()),
    };
    match crate::introspect::sqlite::lower::default_value(text) {
        // A string is a string only for a text column (Prisma's DATETIME, JSONB, BLOB defaults
        // are literals as written); an expression is kept verbatim: our writer and drizzle-kit
        // store it with the parentheses it needs already.
        DefaultValue::String(_)
            if !matches!(t, ColumnType::Text | ColumnType::Unsupported { .. }) =>
        {
            DefaultValue::Expression(text.to_string())
        }
        DefaultValue::Expression(_) => DefaultValue::Expression(text.to_string()),
        other => other,
    }
}

/// drizzle-kit stores a generated column's expression in parentheses; the model keeps it bare.
fn unparenthesized(expr: &str) -> String {
    let trimmed = expr.trim();
    if let Some(inner) = trimmed.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        // Only when the outer pair encloses everything (`(a) + (b)` keeps its parentheses).
        let mut depth = 0i32;
        let encloses = inner.chars().all(|c| {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            depth >= 0
        });
        if encloses && depth == 0 {
            return inner.to_string();
        }
    }
    trimmed.to_string()
}

/// An index column: a name, or SQL text (our writer spells a descending column `"name" DESC`).
pub(super) fn index_column(text: &str, is_expression: bool) -> IndexColumn {
    let mut ic = IndexColumn {
        expression: text.to_string(),
        is_expression,
        order: SortOrder::Asc,
        nulls: None,
        opclass: None,
    };
    if !is_expression {
        return ic;
    }
    let trimmed = text.trim_end();
    let upper = trimmed.to_ascii_uppercase();
    let body = if upper.ends_with(" DESC") {
        ic.order = SortOrder::Desc;
        trimmed[..trimmed.len() - 5].trim_end()
    } else if upper.ends_with(" ASC") {
        trimmed[..trimmed.len() - 4].trim_end()
    } else {
        return ic;
    };
    match ddl::tokenize(body).ok().as_deref() {
        Some([t]) if matches!(t.kind, ddl::Kind::Quoted | ddl::Kind::Word) => {
            ic.expression = t.text.clone();
            ic.is_expression = false;
        }
        _ => ic.expression = body.to_string(),
    }
    ic
}

fn to_column(c: &ColumnSnap) -> crate::model::Column {
    let mut col = Column::new(
        &c.name,
        &c.column_type,
        column_type(&c.column_type),
        !c.not_null,
    );
    col.default = if c.autoincrement {
        Some(DefaultValue::Autoincrement)
    } else {
        c.default
            .as_ref()
            .map(|d| default_value(d, &col.column_type))
    };
    col.generated = c.generated.as_ref().map(|g| unparenthesized(&g.expression));
    col
}

fn to_table(t: &TableSnap, internal: &Internal) -> Table {
    let columns: Vec<_> = t.columns.values().map(to_column).collect();
    // SQLite keeps no primary key name; drizzle's composite name is never in the DDL.
    let keys = table_keys!(t);
    let primary_key = keys.primary_key(|_| None);
    let indexes = t
        .indexes
        .values()
        .map(|i| {
            let flags = internal.indexes.get(&i.name);
            let columns = i
                .columns
                .iter()
                .map(|c| {
                    let is_expression = flags
                        .and_then(|f| f.columns.get(c))
                        .is_some_and(|f| f.is_expression);
                    index_column(c, is_expression)
                })
                .collect();
            Index {
                name: i.name.clone(),
                unique: i.is_unique,
                method: "btree".into(),
                columns,
                predicate: i.predicate.clone(),
                include: vec![],
            }
        })
        .collect();
    Table {
        columns,
        primary_key,
        indexes,
        ..keys.to_table(None)
    }
}

pub(super) fn to_model(s: Snapshot) -> Schema {
    Schema {
        dialect: Dialect::Sqlite,
        source: None,
        namespaces: vec![],
        extensions: vec![],
        enums: vec![],
        sequences: vec![],
        tables: s
            .tables
            .values()
            .map(|t| to_table(t, &s.internal))
            .collect(),
        views: s
            .views
            .values()
            .map(|v| View {
                schema: None,
                name: v.name.clone(),
                orm_name: None,
                columns: v.columns.values().map(to_column).collect(),
                definition: v.definition.clone(),
                materialized: false,
                documentation: None,
            })
            .collect(),
        domains: vec![],
        roles: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_like_the_database_reader() {
        let s = |x: &str| Value::String(x.into());
        let text = ColumnType::Text;
        let datetime = column_type("DATETIME");
        assert_eq!(
            default_value(&s("'Unnamed \"batch\" it''s'"), &text),
            DefaultValue::String("Unnamed \"batch\" it's".into())
        );
        assert_eq!(
            default_value(&s("'2024-02-29 12:00:00 +00:00'"), &datetime),
            DefaultValue::Expression("'2024-02-29 12:00:00 +00:00'".into())
        );
        assert_eq!(
            default_value(&s("CURRENT_TIMESTAMP"), &datetime),
            DefaultValue::Now
        );
        assert_eq!(
            default_value(&s("(lower(hex(randomblob(4))))"), &text),
            DefaultValue::Expression("(lower(hex(randomblob(4))))".into())
        );
        assert_eq!(
            default_value(&s("1.050"), &column_type("DECIMAL")),
            DefaultValue::Number("1.050".into())
        );
        assert_eq!(
            default_value(&serde_json::json!(-1), &column_type("integer")),
            DefaultValue::Number("-1".into())
        );
        assert_eq!(
            default_value(&Value::Bool(false), &column_type("BOOLEAN")),
            DefaultValue::Boolean(false)
        );
    }

    #[test]
    fn index_columns_and_generated_expressions() {
        let c = index_column("\"createdAt\" DESC", true);
        assert_eq!(
            (c.expression.as_str(), c.is_expression, c.order),
            ("createdAt", false, SortOrder::Desc)
        );
        let c = index_column("lower(name) DESC", true);
        assert_eq!(
            (c.expression.as_str(), c.is_expression, c.order),
            ("lower(name)", true, SortOrder::Desc)
        );
        let c = index_column("lower(name)", true);
        assert_eq!(
            (c.expression.as_str(), c.order),
            ("lower(name)", SortOrder::Asc)
        );
        assert_eq!(unparenthesized("(a + b)"), "a + b");
        assert_eq!(unparenthesized("(a) + (b)"), "(a) + (b)");
    }
}
