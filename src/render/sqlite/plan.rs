//! One decision per SQLite column, shared by `schema.ts`, the snapshot and the baseline SQL: which
//! sqlite-core builder we emit, and therefore which `type`, primary-key flags and default
//! drizzle-kit's serializer will compute from it.
//!
//! The declared type is what SQLite keeps (`pragma table_info`), so it must survive exactly: a
//! column gets a sqlite-core builder (`integer`, `text`, `real`, `blob`, `numeric`) only when that
//! builder declares the same type; every other declared type (Prisma's `BIGINT`, `BOOLEAN`,
//! `DATETIME`, `DECIMAL`, `JSONB`, or anything a database holds) becomes a `customType` that
//! declares it verbatim and converts values the way Prisma stores them.

use crate::model::{ClientDefault, Column, ColumnType, DefaultValue, ObjectName, Schema, Table};
use crate::render::flavour::Flavour;
use crate::render::plan::{core, quoted, Builder, CustomType, DefaultPlan};

/// How a `customType` converts values; fixed by its TypeScript data type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    /// `boolean` ⇄ `1`/`0` (Prisma's `BOOLEAN`).
    Boolean,
    /// `Date` ⇄ ISO 8601 text (Prisma 7's storage); reads Prisma ≤ 6's epoch milliseconds and
    /// SQLite's `CURRENT_TIMESTAMP` text too.
    DateTime,
    /// `bigint` ⇄ SQLite integer.
    BigInt,
    /// Any JSON value ⇄ its text.
    Json,
    /// `string` (Prisma's `DECIMAL` and unknown types): values read back as text.
    Text,
}

impl Codec {
    pub fn ts_data(self) -> &'static str {
        match self {
            Codec::Boolean => "boolean",
            Codec::DateTime => "Date",
            Codec::BigInt => "bigint",
            Codec::Json => "unknown",
            Codec::Text => "string",
        }
    }

    pub fn of(custom: &CustomType) -> Codec {
        match custom.ts_data {
            "boolean" => Codec::Boolean,
            "Date" => Codec::DateTime,
            "bigint" => Codec::BigInt,
            "unknown" => Codec::Json,
            _ => Codec::Text,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ColumnPlan {
    pub builder: Builder,
    /// Snapshot `type`, and the declared type in the SQL (`getSQLType()` of the builder).
    pub sql_type: String,
    /// The declared type our SQL writes where it is not `sql_type` (1.0 names it by affinity).
    pub declared: Option<String>,
    /// A single-column primary key, declared on the column (`.primaryKey()`).
    pub primary_key: bool,
    /// `.primaryKey({ autoIncrement: true })`: `INTEGER PRIMARY KEY AUTOINCREMENT`.
    pub autoincrement: bool,
    pub not_null: bool,
    pub default: Option<DefaultPlan>,
    pub client_default: Option<ClientDefault>,
    /// `$onUpdate` function for Prisma's `@updatedAt`.
    pub on_update: Option<&'static str>,
    /// Generated column expression (without the parentheses drizzle-kit adds), always STORED.
    pub generated: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TablePlan {
    pub columns: Vec<ColumnPlan>,
    /// Columns of a primary key of two or more columns (`primaryKey({ columns })`); a
    /// single-column key is on its column.
    pub composite_pk: Option<Vec<String>>,
}

fn custom(sql: &str, codec: Codec) -> Builder {
    Builder::Custom(CustomType {
        sql: sql.to_string(),
        ts_data: codec.ts_data(),
        data_type: None,
    })
}

/// Upper-cased declared type with single spaces, for comparing spellings.
fn normalized(declared: &str) -> String {
    declared
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_uppercase()
}

/// The builder and its type: a sqlite-core builder when it declares the same type as the
/// column, else a custom type that declares the column's type verbatim.
fn builder_for(column: &Column) -> (Builder, String) {
    let declared = column.raw_type.trim();
    let upper = normalized(declared);
    let keep = |codec: Codec| (custom(declared, codec), declared.to_string());
    match &column.column_type {
        ColumnType::Enum { schema, name } if upper == "TEXT" => (
            Builder::Enum(ObjectName::new(schema.clone(), name.clone())),
            "text".into(),
        ),
        ColumnType::Boolean => keep(Codec::Boolean),
        ColumnType::Timestamp { .. } | ColumnType::Date => keep(Codec::DateTime),
        ColumnType::BigInt if upper == "INTEGER" => (core("integer", vec![]), "integer".into()),
        ColumnType::BigInt => keep(Codec::BigInt),
        ColumnType::Json | ColumnType::Jsonb => keep(Codec::Json),
        _ => match upper.as_str() {
            "INTEGER" => (core("integer", vec![]), "integer".into()),
            "TEXT" => (core("text", vec![]), "text".into()),
            "REAL" => (core("real", vec![]), "real".into()),
            "BLOB" => (
                core("blob", vec![("mode".into(), "\"buffer\"".into())]),
                "blob".into(),
            ),
            "NUMERIC" => (core("numeric", vec![]), "numeric".into()),
            _ => keep(Codec::Text),
        },
    }
}

/// The `.default(…)` argument and what drizzle-kit's SQLite serializer stores for it: strings are
/// quoted (`'it''s'`), numbers and booleans raw, `sql` templates verbatim.
fn default_for(column: &Column, builder: &Builder) -> Option<DefaultPlan> {
    let value = column.default.as_ref()?;
    let text_like = matches!(
        builder,
        Builder::Core {
            function: "text",
            ..
        } | Builder::Enum(_)
    );
    let number_like = matches!(
        builder,
        Builder::Core {
            function: "integer" | "real",
            ..
        }
    );
    let boolean = matches!(builder, Builder::Custom(ct) if Codec::of(ct) == Codec::Boolean);
    Some(match value {
        DefaultValue::Autoincrement => return None,
        DefaultValue::String(s) | DefaultValue::EnumValue(s) if text_like => DefaultPlan::text(s),
        DefaultValue::String(s) | DefaultValue::EnumValue(s) => DefaultPlan::sql(&quoted(s)),
        DefaultValue::Number(n) if number_like => DefaultPlan::number(n),
        DefaultValue::Number(n) => DefaultPlan::sql(n),
        DefaultValue::Boolean(b) if boolean => DefaultPlan::boolean(*b),
        DefaultValue::Boolean(b) => DefaultPlan::sql(&b.to_string()),
        DefaultValue::Now => DefaultPlan::sql("CURRENT_TIMESTAMP"),
        DefaultValue::Expression(e) => DefaultPlan::sql(e),
    })
}

/// The plan of one column; `single_pk` says whether it alone is its table's primary key.
pub fn plan_column(column: &Column, single_pk: bool) -> ColumnPlan {
    let (builder, sql_type) = builder_for(column);
    let autoincrement = single_pk
        && column.default == Some(DefaultValue::Autoincrement)
        && matches!(
            builder,
            Builder::Core {
                function: "integer",
                ..
            }
        );
    let default = default_for(column, &builder);
    let on_update = column.updated_at.then(|| match &builder {
        Builder::Custom(ct) if Codec::of(ct) == Codec::DateTime => "() => new Date()",
        _ => "() => new Date().toISOString()",
    });
    ColumnPlan {
        sql_type,
        declared: None,
        primary_key: single_pk,
        autoincrement,
        // drizzle's `.primaryKey()` implies NOT NULL.
        not_null: !column.nullable || single_pk,
        default,
        client_default: column.client_default.clone(),
        on_update,
        generated: column.generated.clone(),
        builder,
    }
}

pub fn plan_table(table: &Table) -> TablePlan {
    let pk = table.primary_key.as_ref().map(|pk| pk.columns.as_slice());
    let single = match pk {
        Some([one]) => Some(one.as_str()),
        _ => None,
    };
    TablePlan {
        columns: table
            .columns
            .iter()
            .map(|c| plan_column(c, single == Some(c.name.as_str())))
            .collect(),
        composite_pk: pk.filter(|cols| cols.len() > 1).map(<[String]>::to_vec),
    }
}

/// The plan of a column for drizzle-kit 1.0.
///
/// 1.0 reads a declared type back as its affinity's name (`DATETIME`, `BOOLEAN`, `DECIMAL` are
/// `numeric`, `BIGINT` is `integer`, see [`crate::model::affinity`]) and compares that with the type of
/// `schema.ts`: a custom type declaring Prisma's type would be rebuilt on every `push` (and the
/// rebuild drops a primary key's NOT NULL). So the custom type declares the affinity's name, the
/// snapshot says so, and our migration still writes Prisma's declared type. A `BOOLEAN` default
/// is then `1`/`0` to 1.0, which the `sql` default says while the migration keeps Prisma's
/// `true`. 1.0 also doubles backslashes in a text default (SQLite does not, so the snapshot would
/// not say what the SQL creates): a `sql` template of the same SQL. 0.x keeps its plans.
pub fn fit_flavour(plan: &mut ColumnPlan, flavour: Flavour) {
    if flavour != Flavour::Drizzle1 {
        return;
    }
    if let Builder::Custom(ct) = &mut plan.builder {
        let name = crate::model::affinity::drizzle_1_name(&ct.sql);
        if name != ct.sql {
            ct.data_type = Some(name.clone());
            plan.declared = Some(std::mem::replace(&mut plan.sql_type, name));
        }
    }
    let numeric = plan.sql_type == "numeric";
    let Some(default) = &plan.default else {
        return;
    };
    // A boolean value, or a `sql` `true` / `false`.
    let boolean = match &default.snapshot {
        serde_json::Value::Bool(b) => Some(*b),
        serde_json::Value::String(s) if default.uses_sql => s.parse::<bool>().ok(),
        _ => None,
    };
    let refit = match (&default.snapshot, boolean) {
        (_, Some(b)) if numeric => DefaultPlan {
            migration: Some(b.to_string()),
            ..DefaultPlan::sql(if b { "1" } else { "0" })
        },
        (serde_json::Value::Bool(b), _) => DefaultPlan::sql(&b.to_string()),
        (serde_json::Value::String(s), _) if !default.uses_sql && s.contains('\\') => {
            DefaultPlan::sql(s)
        }
        _ => return,
    };
    plan.default = Some(refit);
}

/// Plans of every table, in schema order.
pub fn plan_tables(schema: &Schema) -> Vec<TablePlan> {
    schema.tables.iter().map(plan_table).collect()
}

/// Plans of every view's columns, in schema order.
pub fn plan_views(schema: &Schema) -> Vec<Vec<ColumnPlan>> {
    schema
        .views
        .iter()
        .map(|v| v.columns.iter().map(|c| plan_column(c, false)).collect())
        .collect()
}

/// An index column as drizzle-kit's SQLite serializer records it: a plain column name, or the
/// text of an `sql` template (an expression, or a column with `DESC`, which sqlite-core's index
/// builder cannot say otherwise).
pub fn index_column(c: &crate::model::IndexColumn) -> (String, bool) {
    if c.is_expression {
        let mut e = c.expression.clone();
        if c.order == crate::model::SortOrder::Desc {
            e.push_str(" DESC");
        }
        return (e, true);
    }
    if c.order == crate::model::SortOrder::Desc {
        return (
            format!("\"{}\" DESC", c.expression.replace('"', "\"\"")),
            true,
        );
    }
    (c.expression.clone(), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(ty: ColumnType, raw: &str) -> Column {
        Column::new("c", raw, ty, false)
    }

    #[test]
    fn declared_types_survive() {
        let plan = plan_column(&column(ColumnType::Integer, "INTEGER"), false);
        assert_eq!(plan.sql_type, "integer");
        let plan = plan_column(&column(ColumnType::BigInt, "BIGINT"), false);
        assert_eq!(plan.sql_type, "BIGINT");
        assert!(matches!(plan.builder, Builder::Custom(ref ct) if ct.ts_data == "bigint"));
        let plan = plan_column(
            &column(
                ColumnType::Timestamp {
                    precision: None,
                    with_time_zone: false,
                },
                "DATETIME",
            ),
            false,
        );
        assert_eq!(plan.sql_type, "DATETIME");
        let plan = plan_column(&column(ColumnType::Text, "VARCHAR(20)"), false);
        assert_eq!(plan.sql_type, "VARCHAR(20)");
    }

    #[test]
    fn autoincrement_only_on_an_integer_key() {
        let mut c = column(ColumnType::Integer, "INTEGER");
        c.default = Some(DefaultValue::Autoincrement);
        assert!(plan_column(&c, true).autoincrement);
        assert!(!plan_column(&c, false).autoincrement);
        assert!(plan_column(&c, true).default.is_none());
    }

    #[test]
    fn drizzle_kit_1_gets_sql_where_it_cannot_take_the_value() {
        let mut flag = column(ColumnType::Boolean, "BOOLEAN");
        flag.default = Some(DefaultValue::Boolean(true));
        let mut path = column(ColumnType::Text, "TEXT");
        path.default = Some(DefaultValue::String("C:\\tmp".into()));
        // BOOLEAN is `numeric` to 1.0 and its default 1; the migration keeps Prisma's `true`.
        for (c, ts) in [(&flag, "sql`1`"), (&path, "sql`'C:\\\\tmp'`")] {
            let zero = plan_column(c, false);
            let mut one = zero.clone();
            fit_flavour(&mut one, Flavour::Drizzle1);
            let sql_of = |p: &ColumnPlan| p.default.as_ref().unwrap().migration_sql();
            assert_eq!(one.default.as_ref().unwrap().ts, ts);
            // The same SQL either way.
            assert_eq!(sql_of(&zero), sql_of(&one));
            let mut kept = plan_column(c, false);
            fit_flavour(&mut kept, Flavour::Drizzle045Kit031);
            assert_eq!(kept, zero);
        }
        // The declared type stays in the SQL; 1.0's name for it goes to schema.ts and snapshot.
        let mut one = plan_column(&flag, false);
        fit_flavour(&mut one, Flavour::Drizzle1);
        assert_eq!(one.sql_type, "numeric");
        assert_eq!(one.declared.as_deref(), Some("BOOLEAN"));
    }
}
