//! PostgreSQL snapshots (version 7) into the model.

use serde::Deserialize;
use serde_json::Value;

use super::{
    is_number_literal, namespace, quoted_literal, table_keys, CheckSnap, ForeignKeySnap, Generated,
    NamedColumns, Ordered, UniqueSnap,
};
use crate::model::{
    Column, ColumnType, DefaultValue, Dialect, Enum, Identity, Index, IndexColumn, NullsOrder,
    Policy, Schema, Sequence, SortOrder, Table, View,
};

// The catalog reader's type rules (format_type spellings), shared rather than copied.
use crate::introspect::postgres::lower::map;

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Snapshot {
    tables: Ordered<TableSnap>,
    enums: Ordered<EnumSnap>,
    schemas: Ordered<Value>,
    sequences: Ordered<SequenceSnap>,
    roles: Ordered<Value>,
    views: Ordered<ViewSnap>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct ColumnSnap {
    name: String,
    #[serde(rename = "type")]
    column_type: String,
    type_schema: Option<String>,
    primary_key: bool,
    not_null: bool,
    default: Option<Value>,
    generated: Option<Generated>,
    identity: Option<IdentitySnap>,
}

/// drizzle-kit writes sequence numbers as strings; numbers are accepted too.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct IdentitySnap {
    #[serde(rename = "type")]
    kind: String,
    name: Option<String>,
    increment: Option<Value>,
    start_with: Option<Value>,
    min_value: Option<Value>,
    max_value: Option<Value>,
    cache: Option<Value>,
    cycle: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct IndexColumnSnap {
    expression: String,
    is_expression: bool,
    #[serde(default = "yes")]
    asc: bool,
    nulls: Option<String>,
    opclass: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct IndexSnap {
    name: String,
    columns: Vec<IndexColumnSnap>,
    is_unique: bool,
    #[serde(rename = "where")]
    predicate: Option<String>,
    method: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct PolicySnap {
    name: String,
    #[serde(rename = "as")]
    kind: Option<String>,
    #[serde(rename = "for")]
    command: Option<String>,
    to: Vec<String>,
    using: Option<String>,
    with_check: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct TableSnap {
    name: String,
    schema: String,
    columns: Ordered<ColumnSnap>,
    indexes: Ordered<IndexSnap>,
    foreign_keys: Ordered<ForeignKeySnap>,
    composite_primary_keys: Ordered<NamedColumns>,
    unique_constraints: Ordered<UniqueSnap>,
    policies: Ordered<PolicySnap>,
    check_constraints: Ordered<CheckSnap>,
    #[serde(rename = "isRLSEnabled")]
    is_rls_enabled: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EnumSnap {
    name: String,
    schema: String,
    values: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct SequenceSnap {
    name: String,
    schema: String,
    increment: Option<Value>,
    start_with: Option<Value>,
    min_value: Option<Value>,
    max_value: Option<Value>,
    cache: Option<Value>,
    cycle: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ViewSnap {
    columns: Ordered<ColumnSnap>,
    definition: Option<String>,
    name: String,
    schema: String,
    materialized: bool,
}

fn number(v: &Option<Value>) -> Option<i64> {
    match v.as_ref()? {
        Value::String(s) => s.trim().parse().ok(),
        Value::Number(n) => n.as_i64(),
        _ => None,
    }
}

/// `name(n)` → n.
fn paren_arg<'t>(text: &'t str, name: &str) -> Option<&'t str> {
    text.strip_prefix(name)?
        .trim_start()
        .strip_prefix('(')?
        .strip_suffix(')')
}

/// drizzle's `timestamp (3) with time zone` / `time(2)` → format_type's
/// `timestamp(3) with time zone` / `time(2) without time zone`.
fn datetime_spelling(text: &str, name: &str) -> Option<String> {
    let rest = text.strip_prefix(name)?;
    let trimmed = rest.trim_start();
    let (precision, tail) = match trimmed.strip_prefix('(') {
        Some(after) => {
            let close = after.find(')')?;
            (format!("({})", after[..close].trim()), &after[close + 1..])
        }
        None => (String::new(), rest),
    };
    let zone = match tail.trim() {
        "" | "without time zone" => "without time zone",
        "with time zone" => "with time zone",
        _ => return None,
    };
    Some(format!("{name}{precision} {zone}"))
}

/// A snapshot `type` (array brackets removed) as PostgreSQL's `format_type` prints it.
fn format_type_spelling(base: &str) -> String {
    if let Some(n) = paren_arg(base, "varchar") {
        return format!("character varying({n})");
    }
    if base == "varchar" {
        return "character varying".into();
    }
    if let Some(n) = paren_arg(base, "char") {
        return format!("character({n})");
    }
    if !base.starts_with("timestamp") {
        if let Some(s) = datetime_spelling(base, "time") {
            return s;
        }
    }
    if let Some(s) = datetime_spelling(base, "timestamp") {
        return s;
    }
    base.to_string()
}

/// The model type of a snapshot `type`, its array dimensions, and whether it is a `serial`.
pub(super) fn column_type(sql: &str, type_schema: Option<&str>) -> (ColumnType, u32, bool) {
    let mut base = sql.trim();
    let mut dimensions = 0;
    while let Some(inner) = base.strip_suffix("[]") {
        base = inner.trim_end();
        dimensions += 1;
    }
    // Only enum columns carry `typeSchema`.
    if let Some(schema) = type_schema {
        let name = base
            .strip_prefix('"')
            .and_then(|b| b.strip_suffix('"'))
            .unwrap_or(base);
        let t = ColumnType::Enum {
            schema: namespace(Some(schema)),
            name: name.to_string(),
        };
        return (t, dimensions, false);
    }
    let serial = match base {
        "smallserial" => Some(ColumnType::SmallInt),
        "serial" => Some(ColumnType::Integer),
        "bigserial" => Some(ColumnType::BigInt),
        _ => None,
    };
    if let Some(t) = serial {
        return (t, dimensions, dimensions == 0);
    }
    // Spellings of our writer that format_type never prints.
    let direct = match base {
        "citext" => Some(ColumnType::Citext),
        "char" => Some(ColumnType::Char { length: None }),
        "bit" => Some(ColumnType::Bit { length: None }),
        _ => paren_arg(base, "numeric")
            .filter(|n| !n.contains(','))
            .and_then(|n| n.trim().parse().ok())
            .map(|p| ColumnType::Numeric {
                precision: Some(p),
                scale: None,
            }),
    };
    if let Some(t) = direct {
        return (t, dimensions, false);
    }
    let spelled = format_type_spelling(base);
    let facts = map::TypeFacts {
        base_sql: &spelled,
        base_schema: "pg_catalog",
        base_name: &spelled,
        base_kind: "b",
    };
    let t = match map::column_type(&facts) {
        // A custom type keeps the name as written; our writer spells `billing.code` as
        // `billing"."code` so drizzle-kit's quoting yields `"billing"."code"`.
        ColumnType::Unsupported { .. } => ColumnType::Unsupported {
            sql: base.replace("\".\"", "."),
        },
        t => t,
    };
    (t, dimensions, false)
}

/// The model default of a snapshot `default`: the inverse of how our writer spells each
/// [`DefaultValue`] (see `render::plan::default_for`).
pub(super) fn default_value(value: &Value, t: &ColumnType, dimensions: u32) -> DefaultValue {
    let text = match value {
        Value::Bool(b) => return DefaultValue::Boolean(*b),
        Value::Number(n) => return DefaultValue::Number(n.to_string()),
        Value::String(s) => s.as_str(),
        other => return DefaultValue::Expression(other.to_string()),
    };
    // Array defaults are expressions both in Prisma's lowering and in the catalog reader.
    if dimensions > 0 {
        return DefaultValue::Expression(text.to_string());
    }
    match text {
        "CURRENT_TIMESTAMP" => return DefaultValue::Now,
        "true" | "false" => return DefaultValue::Boolean(text == "true"),
        _ => {}
    }
    if is_number_literal(text) {
        return DefaultValue::Number(text.to_string());
    }
    // The writer casts JSON literals (`'{}'::jsonb`, what drizzle-kit push reads back).
    if matches!(t, ColumnType::Json | ColumnType::Jsonb) {
        let bare = text
            .strip_suffix("::jsonb")
            .or_else(|| text.strip_suffix("::json"))
            .unwrap_or(text);
        return DefaultValue::Expression(bare.to_string());
    }
    let Some(content) = quoted_literal(text) else {
        return DefaultValue::Expression(text.to_string());
    };
    // The writer quotes negative integer and decimal literals (`'-3'`, as PostgreSQL stores
    // them), and every decimal literal of a numeric column (`'1.50'`, stored as `1.50`).
    let numeric = matches!(
        t,
        ColumnType::SmallInt
            | ColumnType::Integer
            | ColumnType::BigInt
            | ColumnType::Numeric { .. }
    );
    let decimal = matches!(t, ColumnType::Numeric { .. }) && content.contains('.');
    if numeric && (content.starts_with('-') || decimal) && is_number_literal(&content) {
        return DefaultValue::Number(content);
    }
    match t {
        ColumnType::Enum { .. } => DefaultValue::EnumValue(content),
        // Prisma lowers Json, DateTime and Bytes string defaults to SQL literals.
        ColumnType::Json
        | ColumnType::Jsonb
        | ColumnType::Date
        | ColumnType::Time { .. }
        | ColumnType::Timestamp { .. }
        | ColumnType::Bytes => DefaultValue::Expression(text.to_string()),
        _ => DefaultValue::String(content),
    }
}

fn to_column(c: &ColumnSnap) -> crate::model::Column {
    let (t, dimensions, serial) = column_type(&c.column_type, c.type_schema.as_deref());
    let mut col = Column::new(&c.name, &c.column_type, t, !c.not_null);
    col.dimensions = dimensions;
    col.default = if serial {
        Some(DefaultValue::Autoincrement)
    } else {
        c.default
            .as_ref()
            .map(|d| default_value(d, &col.column_type, dimensions))
    };
    col.generated = c.generated.as_ref().map(|g| g.expression.clone());
    // Every option explicit, as the catalog reader reports identities.
    col.identity = c.identity.as_ref().map(|id| Identity {
        always: id.kind == "always",
        sequence_name: id.name.clone(),
        increment: number(&id.increment),
        min_value: number(&id.min_value),
        max_value: number(&id.max_value),
        start: number(&id.start_with),
        cache: number(&id.cache),
        cycle: id.cycle.unwrap_or(false),
    });
    col
}

/// PostgreSQL's name for an inline `PRIMARY KEY` (`makeObjectName(table, NULL, "pkey")`).
pub(super) fn inline_pkey_name(table: &str) -> String {
    let mut end = table.len().min(63 - "_pkey".len());
    while !table.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}_pkey", &table[..end])
}

fn index_column(c: &IndexColumnSnap) -> IndexColumn {
    let order = if c.asc {
        SortOrder::Asc
    } else {
        SortOrder::Desc
    };
    // The writer spells the placement out; the model keeps only a non-default one.
    let default_nulls = match order {
        SortOrder::Asc => NullsOrder::Last,
        SortOrder::Desc => NullsOrder::First,
    };
    let nulls = match c.nulls.as_deref() {
        Some("first") => Some(NullsOrder::First),
        Some("last") => Some(NullsOrder::Last),
        _ => None,
    }
    .filter(|n| *n != default_nulls);
    IndexColumn {
        expression: c.expression.clone(),
        is_expression: c.is_expression,
        order,
        nulls,
        opclass: c.opclass.clone(),
    }
}

fn to_table(t: &TableSnap) -> Table {
    let columns: Vec<_> = t.columns.values().map(to_column).collect();
    let keys = table_keys!(t);
    let primary_key = keys.primary_key(|composite| {
        Some(composite.map_or_else(|| inline_pkey_name(&t.name), str::to_owned))
    });
    Table {
        columns,
        primary_key,
        indexes: t
            .indexes
            .values()
            .map(|i| Index {
                name: i.name.clone(),
                unique: i.is_unique,
                method: i.method.clone().unwrap_or_else(|| "btree".into()),
                columns: i.columns.iter().map(index_column).collect(),
                predicate: i.predicate.clone(),
                include: vec![],
            })
            .collect(),
        rls_enabled: t.is_rls_enabled,
        policies: t
            .policies
            .values()
            .map(|p| Policy {
                name: p.name.clone(),
                permissive: !p
                    .kind
                    .as_deref()
                    .is_some_and(|k| k.eq_ignore_ascii_case("restrictive")),
                command: p.command.as_deref().unwrap_or("ALL").to_ascii_uppercase(),
                roles: p.to.clone(),
                using: p.using.clone(),
                with_check: p.with_check.clone(),
            })
            .collect(),
        ..keys.to_table(namespace(Some(&t.schema)))
    }
}

pub(super) fn to_model(s: Snapshot) -> Schema {
    let tables: Vec<Table> = s.tables.values().map(to_table).collect();
    // As the catalog reader lists them: every role a policy names except `public`, sorted.
    let mut roles: Vec<String> = tables
        .iter()
        .flat_map(|t| t.policies.iter().flat_map(|p| p.roles.iter()))
        .chain(s.roles.0.iter().map(|(name, _)| name))
        .filter(|r| *r != "public")
        .cloned()
        .collect();
    roles.sort();
    roles.dedup();
    Schema {
        dialect: Dialect::Postgresql,
        source: None,
        namespaces: s
            .schemas
            .0
            .iter()
            .map(|(name, _)| name.clone())
            .filter(|n| n != "public")
            .collect(),
        extensions: vec![],
        enums: s
            .enums
            .values()
            .map(|e| Enum {
                schema: namespace(Some(&e.schema)),
                name: e.name.clone(),
                orm_name: None,
                values: crate::introspect::enum_values(&e.values),
                documentation: None,
            })
            .collect(),
        sequences: s
            .sequences
            .values()
            .map(|q| Sequence {
                schema: namespace(Some(&q.schema)),
                name: q.name.clone(),
                increment: number(&q.increment),
                min_value: number(&q.min_value),
                max_value: number(&q.max_value),
                start: number(&q.start_with),
                cache: number(&q.cache),
                cycle: q.cycle,
            })
            .collect(),
        tables,
        views: s
            .views
            .values()
            .map(|v| View {
                schema: namespace(Some(&v.schema)),
                name: v.name.clone(),
                orm_name: None,
                columns: v.columns.values().map(to_column).collect(),
                definition: v.definition.clone(),
                materialized: v.materialized,
                documentation: None,
            })
            .collect(),
        domains: vec![],
        roles,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(sql: &str) -> (ColumnType, u32, bool) {
        column_type(sql, None)
    }

    #[test]
    fn drizzle_type_spellings() {
        let ts = |precision, with_time_zone| ColumnType::Timestamp {
            precision,
            with_time_zone,
        };
        assert_eq!(ty("serial"), (ColumnType::Integer, 0, true));
        assert_eq!(ty("smallserial"), (ColumnType::SmallInt, 0, true));
        assert_eq!(ty("bigserial"), (ColumnType::BigInt, 0, true));
        assert_eq!(ty("integer[]"), (ColumnType::Integer, 1, false));
        assert_eq!(ty("timestamp (3)"), (ts(Some(3), false), 0, false));
        assert_eq!(ty("timestamp(3)"), (ts(Some(3), false), 0, false));
        assert_eq!(
            ty("timestamp (3) with time zone"),
            (ts(Some(3), true), 0, false)
        );
        assert_eq!(ty("timestamp with time zone"), (ts(None, true), 0, false));
        assert_eq!(ty("timestamp (3)[]"), (ts(Some(3), false), 1, false));
        assert_eq!(
            ty("time(2) with time zone").0,
            ColumnType::Time {
                precision: Some(2),
                with_time_zone: true
            }
        );
        assert_eq!(
            ty("time").0,
            ColumnType::Time {
                precision: None,
                with_time_zone: false
            }
        );
        assert_eq!(
            ty("varchar(255)").0,
            ColumnType::VarChar { length: Some(255) }
        );
        assert_eq!(ty("varchar").0, ColumnType::VarChar { length: None });
        assert_eq!(
            ty("varchar(16)[]"),
            (ColumnType::VarChar { length: Some(16) }, 1, false)
        );
        assert_eq!(ty("char(2)").0, ColumnType::Char { length: Some(2) });
        assert_eq!(ty("char").0, ColumnType::Char { length: None });
        assert_eq!(
            ty("numeric(65, 30)").0,
            ColumnType::Numeric {
                precision: Some(65),
                scale: Some(30)
            }
        );
        assert_eq!(
            ty("numeric(10)").0,
            ColumnType::Numeric {
                precision: Some(10),
                scale: None
            }
        );
        assert_eq!(
            ty("numeric").0,
            ColumnType::Numeric {
                precision: None,
                scale: None
            }
        );
        assert_eq!(ty("double precision").0, ColumnType::DoublePrecision);
        assert_eq!(ty("text[]"), (ColumnType::Text, 1, false));
        assert_eq!(ty("citext").0, ColumnType::Citext);
        assert_eq!(ty("bytea").0, ColumnType::Bytes);
        assert_eq!(ty("bit").0, ColumnType::Bit { length: None });
        assert_eq!(ty("bit(8)").0, ColumnType::Bit { length: Some(8) });
        assert_eq!(
            ty("bit varying(32)").0,
            ColumnType::VarBit { length: Some(32) }
        );
        assert_eq!(
            ty("interval day to second(3)").0,
            ColumnType::Interval {
                fields: Some("day to second".into()),
                precision: Some(3)
            }
        );
        assert_eq!(
            ty("tsvector").0,
            ColumnType::Unsupported {
                sql: "tsvector".into()
            }
        );
        assert_eq!(
            ty("billing\".\"code").0,
            ColumnType::Unsupported {
                sql: "billing.code".into()
            }
        );
        assert_eq!(
            column_type("exhibit type[]", Some("public")),
            (
                ColumnType::Enum {
                    schema: None,
                    name: "exhibit type".into()
                },
                1,
                false
            )
        );
        assert_eq!(
            column_type("StaffRole", Some("auth")).0,
            ColumnType::Enum {
                schema: Some("auth".into()),
                name: "StaffRole".into()
            }
        );
    }

    #[test]
    fn defaults_invert_the_writer() {
        let d = |v: Value, t: &ColumnType, dims| default_value(&v, t, dims);
        let s = |x: &str| Value::String(x.into());
        let text = ColumnType::Text;
        let e = ColumnType::Enum {
            schema: None,
            name: "Role".into(),
        };
        let ts = ColumnType::Timestamp {
            precision: Some(3),
            with_time_zone: false,
        };
        assert_eq!(
            d(s("'It''s'"), &text, 0),
            DefaultValue::String("It's".into())
        );
        assert_eq!(d(s("''"), &text, 0), DefaultValue::String("".into()));
        assert_eq!(d(s("'RED'"), &e, 0), DefaultValue::EnumValue("RED".into()));
        assert_eq!(
            d(s("'MEMBER'"), &ColumnType::Citext, 0),
            DefaultValue::String("MEMBER".into())
        );
        assert_eq!(d(s("CURRENT_TIMESTAMP"), &ts, 0), DefaultValue::Now);
        assert_eq!(
            d(s("now()"), &ts, 0),
            DefaultValue::Expression("now()".into())
        );
        assert_eq!(
            d(s("'2020-01-15 09:00:00 +00:00'"), &ts, 0),
            DefaultValue::Expression("'2020-01-15 09:00:00 +00:00'".into())
        );
        assert_eq!(
            d(s("'{}'"), &ColumnType::Jsonb, 0),
            DefaultValue::Expression("'{}'".into())
        );
        assert_eq!(
            d(Value::Bool(true), &ColumnType::Boolean, 0),
            DefaultValue::Boolean(true)
        );
        assert_eq!(
            d(serde_json::json!(-0.25), &ColumnType::DoublePrecision, 0),
            DefaultValue::Number("-0.25".into())
        );
        assert_eq!(
            d(serde_json::json!(250), &ColumnType::Integer, 0),
            DefaultValue::Number("250".into())
        );
        let numeric = ColumnType::Numeric {
            precision: Some(65),
            scale: Some(30),
        };
        assert_eq!(
            d(s("1.50"), &numeric, 0),
            DefaultValue::Number("1.50".into())
        );
        assert_eq!(
            d(s("'1.50'"), &numeric, 0),
            DefaultValue::Number("1.50".into())
        );
        assert_eq!(d(s("'12'"), &numeric, 0), DefaultValue::String("12".into()));
        assert_eq!(
            d(s("-42"), &ColumnType::BigInt, 0),
            DefaultValue::Number("-42".into())
        );
        assert_eq!(
            d(s("ARRAY['a', 'b']::TEXT[]"), &text, 1),
            DefaultValue::Expression("ARRAY['a', 'b']::TEXT[]".into())
        );
        assert_eq!(
            d(s("'{}'::text[]"), &text, 1),
            DefaultValue::Expression("'{}'::text[]".into())
        );
        assert_eq!(
            d(s("gen_random_uuid()"), &ColumnType::Uuid, 0),
            DefaultValue::Expression("gen_random_uuid()".into())
        );
        assert_eq!(
            d(s("'a' || 'b'"), &text, 0),
            DefaultValue::Expression("'a' || 'b'".into())
        );
    }

    #[test]
    fn inline_primary_keys_get_postgres_names() {
        assert_eq!(inline_pkey_name("users"), "users_pkey");
        let long = "t".repeat(70);
        assert_eq!(inline_pkey_name(&long).len(), 63);
    }
}
