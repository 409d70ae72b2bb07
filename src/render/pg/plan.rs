//! One decision per column, shared by every PostgreSQL renderer: which drizzle builder we emit,
//! and therefore which snapshot type and default drizzle-kit will compute from it. Keeping the
//! decision in one place is what makes `schema.ts`, the snapshot and the SQL agree byte for byte.

use serde_json::Value;

use crate::model::{
    stored, ClientDefault, Column, ColumnType, DefaultValue, ObjectName, Schema, Sequence,
    SequenceOptions, Table,
};
use crate::render::plan::{core, quoted, Builder, CustomType, DefaultPlan};

#[derive(Debug, Clone, PartialEq)]
pub struct ColumnPlan {
    pub builder: Builder,
    /// Snapshot `type` (with `[]` per array dimension).
    pub sql_type: String,
    pub type_schema: Option<String>,
    pub dimensions: u32,
    pub not_null: bool,
    pub default: Option<DefaultPlan>,
    pub client_default: Option<ClientDefault>,
    pub on_update_now: bool,
    /// `GENERATED ALWAYS AS (expr) STORED`.
    pub generated: Option<String>,
    pub identity: Option<IdentityPlan>,
    /// The table's single-column primary key under PostgreSQL's default name, written as
    /// `.primaryKey()`: the one form `drizzle-kit push` reads back from the database unchanged.
    pub primary_key: bool,
}

/// An identity column or a standalone sequence with every sequence option spelled out (PostgreSQL's
/// defaults filled in), so schema.ts, snapshot and SQL agree whatever the database had.
#[derive(Debug, Clone, PartialEq)]
pub struct IdentityPlan {
    pub always: bool,
    pub name: String,
    pub options: SequenceOptions,
}

/// A standalone sequence (a bigint sequence).
pub fn sequence_plan(seq: &Sequence) -> IdentityPlan {
    IdentityPlan {
        always: false,
        name: seq.name.clone(),
        options: seq.options(),
    }
}

fn identity_plan(table: &str, column: &Column) -> Option<IdentityPlan> {
    let id = column.identity.as_ref()?;
    let type_max = match column.column_type {
        ColumnType::SmallInt => i16::MAX as i64,
        ColumnType::Integer => i32::MAX as i64,
        _ => i64::MAX,
    };
    Some(IdentityPlan {
        always: id.always,
        name: id
            .sequence_name
            .clone()
            .unwrap_or_else(|| format!("{table}_{}_seq", column.name)),
        options: id.options(type_max),
    })
}

fn opt(name: &str, value: impl ToString) -> (String, String) {
    (name.to_string(), value.to_string())
}

fn custom(sql: impl Into<String>, ts_data: &'static str) -> Builder {
    Builder::Custom(CustomType {
        sql: sql.into(),
        ts_data,
        data_type: None,
    })
}

/// The plan of `column` for drizzle-orm/kit 1.0. 1.0 has builders 0.45 lacked: `bytea()` instead
/// of a custom type (both serialize to `bytea`). And 1.0's `push` compares defaults as text: what
/// it derives from `schema.ts` (a `sql` template with trailing casts trimmed, or a value in its own
/// spelling) against the catalog's `pg_get_expr` with trailing casts trimmed. So defaults whose
/// 0.x form reads back otherwise are written in the catalog's spelling ([`stored`]), or as the
/// value whose 1.0 spelling is the catalog's.
pub fn fit_drizzle_1(column: &Column, plan: &mut ColumnPlan) {
    if matches!(&plan.builder, Builder::Custom(c) if c.sql == "bytea") {
        plan.builder = core("bytea", vec![]);
    }
    // A type of another schema: 1.0 reads it back as `format_type` prints it (`billing.code`)
    // and writes a custom type's name unquoted, so it takes the plain qualified name.
    if let Builder::Custom(c) = &mut plan.builder {
        let unquoted = c.sql.replace("\".\"", ".");
        if unquoted != c.sql && qualified_simple(&unquoted).is_some() {
            plan.sql_type = plan.sql_type.replace(&c.sql, &unquoted);
            c.sql = unquoted;
        }
    }
    let Some(default) = &column.default else {
        return;
    };
    // A number the database spells as a typed literal (`'-42'::integer` on a bigint, read by
    // `pull` or the hybrid mode): 1.0 trims the cast and the quotes, leaving the number.
    let as_number = match default {
        DefaultValue::Expression(e) if column.dimensions == 0 && column.column_type.is_number() => {
            crate::model::typed_literal(e)
                .map(|(content, _)| content)
                .filter(|n| crate::model::is_decimal_literal(n))
                .map(DefaultValue::Number)
        }
        _ => None,
    };
    let default = as_number.as_ref().unwrap_or(default);
    let function = plan.builder.core_function().unwrap_or("");
    let refit = match default {
        DefaultValue::Expression(e) if column.dimensions == 1 => {
            stored::array(e, &column.column_type).map(|a| DefaultPlan::sql(&a))
        }
        _ if column.dimensions > 0 => None,
        // `'-3'::integer` reads back as `-3`, which the number itself serializes to.
        DefaultValue::Number(n) if function == "integer" => Some(DefaultPlan::number(n)),
        // 1.0 quotes a numeric it reads back (`'0'`) as it quotes a numeric value. The migration
        // keeps Prisma's bare number: `'0'` would store `'0'::numeric` where Prisma's `0` stored `0`.
        DefaultValue::Number(n) if function == "numeric" => Some(DefaultPlan {
            migration: Some(n.clone()),
            ..DefaultPlan::text(n)
        }),
        DefaultValue::Number(n) if as_number.is_some() => Some(match function {
            "smallint" | "real" | "doublePrecision" => DefaultPlan::number(n),
            _ => DefaultPlan::sql(n),
        }),
        // 1.0 doubles a backslash in a string value; the literal itself reads back unchanged.
        DefaultValue::String(s) | DefaultValue::EnumValue(s)
            if s.contains('\\') && plan.default.as_ref().is_some_and(|d| !d.uses_sql) =>
        {
            Some(DefaultPlan::sql(&quoted(s)))
        }
        DefaultValue::Expression(e) => match crate::model::typed_literal(e) {
            Some((content, cast)) if cast.eq_ignore_ascii_case("box") => {
                stored::box_literal(&content).map(|b| DefaultPlan::sql(&quoted(&b)))
            }
            Some(_) => None,
            None => stored::string_content(e)
                .and_then(|content| stored::datetime(&content, &column.column_type))
                .map(|d| DefaultPlan::sql(&quoted(&d))),
        },
        _ => None,
    };
    if let Some(refit) = refit {
        plan.default = Some(refit);
    }
}

/// The builder and the type string drizzle-kit derives from it.
fn builder_for(column: &Column) -> (Builder, String, Option<String>) {
    let serial = column.default == Some(DefaultValue::Autoincrement) && column.dimensions == 0;
    match &column.column_type {
        ColumnType::Boolean => (core("boolean", vec![]), "boolean".into(), None),
        ColumnType::SmallInt if serial => (core("smallserial", vec![]), "smallserial".into(), None),
        ColumnType::SmallInt => (core("smallint", vec![]), "smallint".into(), None),
        ColumnType::Integer if serial => (core("serial", vec![]), "serial".into(), None),
        ColumnType::Integer => (core("integer", vec![]), "integer".into(), None),
        ColumnType::BigInt if serial => (
            core("bigserial", vec![opt("mode", "\"bigint\"")]),
            "bigserial".into(),
            None,
        ),
        ColumnType::BigInt => (
            core("bigint", vec![opt("mode", "\"bigint\"")]),
            "bigint".into(),
            None,
        ),
        ColumnType::Real => (core("real", vec![]), "real".into(), None),
        ColumnType::DoublePrecision => (
            core("doublePrecision", vec![]),
            "double precision".into(),
            None,
        ),
        ColumnType::Numeric { precision, scale } => {
            let mut options = Vec::new();
            let sql = match (precision, scale) {
                (Some(p), Some(s)) => {
                    options.push(opt("precision", p));
                    options.push(opt("scale", s));
                    format!("numeric({p}, {s})")
                }
                (Some(p), None) => {
                    options.push(opt("precision", p));
                    format!("numeric({p})")
                }
                _ => "numeric".into(),
            };
            (core("numeric", options), sql, None)
        }
        ColumnType::Money => (custom("money", "string"), "money".into(), None),
        ColumnType::Text => (core("text", vec![]), "text".into(), None),
        ColumnType::VarChar { length } => match length {
            Some(n) => (
                core("varchar", vec![opt("length", n)]),
                format!("varchar({n})"),
                None,
            ),
            None => (core("varchar", vec![]), "varchar".into(), None),
        },
        // Without a length PostgreSQL makes `character(1)`, which push reads back as `char(1)`.
        ColumnType::Char { length } => {
            let n = length.unwrap_or(1);
            (
                core("char", vec![opt("length", n)]),
                format!("char({n})"),
                None,
            )
        }
        ColumnType::Citext => (custom("citext", "string"), "citext".into(), None),
        ColumnType::Uuid => (core("uuid", vec![]), "uuid".into(), None),
        ColumnType::Xml => (custom("xml", "string"), "xml".into(), None),
        ColumnType::Inet => (core("inet", vec![]), "inet".into(), None),
        ColumnType::Cidr => (core("cidr", vec![]), "cidr".into(), None),
        ColumnType::MacAddr => (core("macaddr", vec![]), "macaddr".into(), None),
        ColumnType::MacAddr8 => (core("macaddr8", vec![]), "macaddr8".into(), None),
        ColumnType::Oid => (custom("oid", "number"), "oid".into(), None),
        // `bit` is `bit(1)`, as push reads it back.
        ColumnType::Bit { length } => {
            let n = length.unwrap_or(1);
            (
                core("bit", vec![opt("dimensions", n)]),
                format!("bit({n})"),
                None,
            )
        }
        ColumnType::VarBit { length } => {
            let sql = match length {
                Some(n) => format!("bit varying({n})"),
                None => "bit varying".into(),
            };
            (custom(sql.clone(), "string"), sql, None)
        }
        ColumnType::Bytes => (custom("bytea", "Buffer"), "bytea".into(), None),
        ColumnType::Json => (core("json", vec![]), "json".into(), None),
        ColumnType::Jsonb => (core("jsonb", vec![]), "jsonb".into(), None),
        ColumnType::Date => (
            core("date", vec![opt("mode", "\"date\"")]),
            "date".into(),
            None,
        ),
        ColumnType::Time {
            precision,
            with_time_zone,
        } => {
            let mut options = Vec::new();
            let mut sql = "time".to_string();
            if let Some(p) = precision {
                options.push(opt("precision", p));
                sql.push_str(&format!("({p})"));
            }
            if *with_time_zone {
                options.push(opt("withTimezone", true));
                sql.push_str(" with time zone");
            }
            (core("time", options), sql, None)
        }
        ColumnType::Timestamp {
            precision,
            with_time_zone,
        } => {
            let mut options = Vec::new();
            // drizzle-orm's date-mode builder spells the type `timestamp (p)`, with a space.
            let mut sql = "timestamp".to_string();
            if let Some(p) = precision {
                options.push(opt("precision", p));
                sql.push_str(&format!(" ({p})"));
            }
            if *with_time_zone {
                options.push(opt("withTimezone", true));
                sql.push_str(" with time zone");
            }
            options.push(opt("mode", "\"date\""));
            (core("timestamp", options), sql, None)
        }
        ColumnType::Interval { fields, precision } => {
            let mut options = Vec::new();
            let mut sql = "interval".to_string();
            if let Some(f) = fields {
                options.push(opt("fields", format!("\"{f}\"")));
                sql.push_str(&format!(" {f}"));
            }
            if let Some(p) = precision {
                options.push(opt("precision", p));
                sql.push_str(&format!("({p})"));
            }
            (core("interval", options), sql, None)
        }
        ColumnType::Enum { schema, name } => (
            Builder::Enum(ObjectName::new(schema.clone(), name.clone())),
            name.clone(),
            Some(schema.clone().unwrap_or_else(|| "public".into())),
        ),
        ColumnType::Unsupported { sql } => {
            // Unquoted SQL type names are case-insensitive, drizzle-kit quotes simple names: lowercase
            // them so the quoted spelling still names the same type.
            let simple = sql.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            let sql = if simple {
                sql.to_ascii_lowercase()
            } else if let Some((ns, name)) = qualified_simple(sql) {
                // `billing.code` (a domain or extension type of another schema): drizzle-kit
                // wraps a custom type's name in one pair of quotes, so `billing"."code` comes
                // out as `"billing"."code"`.
                format!("{ns}\".\"{name}")
            } else {
                sql.clone()
            };
            (custom(sql.clone(), "string"), sql, None)
        }
    }
}

/// `schema.name` with both parts plain lowercase identifiers.
pub(crate) fn qualified_simple(sql: &str) -> Option<(&str, &str)> {
    let (ns, name) = sql.split_once('.')?;
    let plain = |s: &str| {
        !s.is_empty()
            && !s.starts_with(|c: char| c.is_ascii_digit())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    (plain(ns) && plain(name)).then_some((ns, name))
}

fn default_for(column: &Column, builder: &Builder) -> Option<DefaultPlan> {
    let value = column.default.as_ref()?;
    let text_like = matches!(
        builder,
        Builder::Core {
            function: "text" | "varchar" | "char" | "uuid",
            ..
        } | Builder::Enum(_)
    );
    let plain_number = matches!(
        builder,
        Builder::Core {
            function: "integer" | "smallint" | "real" | "doublePrecision",
            ..
        }
    );
    let scalar = column.dimensions == 0;
    let function = builder.core_function().unwrap_or("");
    Some(match value {
        DefaultValue::Autoincrement => return None,
        // PostgreSQL stores a negative integer as `'-3'::integer`, which drizzle-kit push reads
        // back as the string `'-3'`: the quoted literal is the form both agree on. (Not for
        // smallint: there the stored cast stays `::integer`, which only the bare literal makes.)
        DefaultValue::Number(n) if scalar && n.starts_with('-') && function == "integer" => {
            DefaultPlan::sql(&quoted(n))
        }
        // numeric defaults are strings to drizzle, and push quotes what it reads (`'-1.5'`,
        // `'1.50'`). PostgreSQL stores a negative or decimal literal alike quoted or not (`1.50`
        // either way); a whole number it would store as `'12'::numeric`, so that one stays bare.
        DefaultValue::Number(n)
            if scalar && function == "numeric" && (n.starts_with('-') || n.contains('.')) =>
        {
            DefaultPlan::text(n)
        }
        DefaultValue::String(s) if scalar && matches!(function, "json" | "jsonb") => {
            json_default(s, function).unwrap_or_else(|| DefaultPlan::sql(&quoted(s)))
        }
        DefaultValue::Expression(e) if scalar && matches!(function, "json" | "jsonb") => {
            quoted_literal(e, function)
                .and_then(|s| json_default(&s, function))
                .unwrap_or_else(|| DefaultPlan::sql(e))
        }
        // `'text'::text` (a cast Prisma's dbgenerated or the catalog spells out) is the plain
        // literal: PostgreSQL stores both alike, push reads back only the literal.
        DefaultValue::Expression(e) if scalar && function == "text" => {
            match quoted_literal(e, "text").filter(|_| e.ends_with("::text")) {
                Some(s) => DefaultPlan::text(&s),
                None => DefaultPlan::sql(e),
            }
        }
        DefaultValue::String(s) | DefaultValue::EnumValue(s)
            if text_like && column.dimensions == 0 =>
        {
            DefaultPlan::text(s)
        }
        DefaultValue::String(s) | DefaultValue::EnumValue(s) => DefaultPlan::sql(&quoted(s)),
        DefaultValue::Number(n) if plain_number && column.dimensions == 0 => DefaultPlan::number(n),
        DefaultValue::Number(n) => DefaultPlan::sql(n),
        DefaultValue::Boolean(b)
            if matches!(
                builder,
                Builder::Core {
                    function: "boolean",
                    ..
                }
            ) && column.dimensions == 0 =>
        {
            DefaultPlan::boolean(*b)
        }
        DefaultValue::Boolean(b) => DefaultPlan::sql(&b.to_string()),
        DefaultValue::Now => DefaultPlan::sql("CURRENT_TIMESTAMP"),
        DefaultValue::Expression(e) => DefaultPlan::sql(e),
    })
}

/// `'…'` or `'…'::<cast>` with one literal inside: its unescaped content.
fn quoted_literal(expr: &str, cast: &str) -> Option<String> {
    stored::string_content(expr.strip_suffix(&format!("::{cast}")).unwrap_or(expr))
}

/// A JSON default as drizzle-kit push reads it back: `JSON.stringify(JSON.parse(text))` of what
/// PostgreSQL stored (jsonb reorders keys, shorter first; json keeps the text). Written as a JS
/// value when that is what drizzle would serialise, otherwise as `sql` with the same text; `None`
/// when no form both builds the same catalog and reads back equal (json text that is not compact).
fn json_default(text: &str, function: &str) -> Option<DefaultPlan> {
    let value: Value = serde_json::from_str(text).ok()?;
    let jsonb = function == "jsonb";
    let compact = js_json(&value, jsonb);
    if !jsonb && compact != text {
        return None;
    }
    let snapshot = format!("{}::{function}", quoted(&compact));
    // JavaScript reorders integer-like keys and drizzle does not escape quotes: then sql`…`.
    let literal_safe = !compact.contains('\'') && !has_integer_key(&value);
    Some(if literal_safe {
        DefaultPlan {
            ts: compact,
            snapshot: Value::String(snapshot),
            uses_sql: false,
            migration: None,
        }
    } else {
        DefaultPlan::sql(&snapshot)
    })
}

fn has_integer_key(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(k, v)| {
            (!k.is_empty() && k.chars().all(|c| c.is_ascii_digit())) || has_integer_key(v)
        }),
        Value::Array(items) => items.iter().any(has_integer_key),
        _ => false,
    }
}

/// `JSON.stringify` of a parsed value; `jsonb` orders object keys as jsonb stores them.
fn js_json(value: &Value, jsonb: bool) -> String {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            if jsonb {
                entries
                    .sort_by(|a, b| (a.0.len(), a.0.as_bytes()).cmp(&(b.0.len(), b.0.as_bytes())));
            }
            let items: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{}:{}", Value::String(k.to_string()), js_json(v, jsonb)))
                .collect();
            format!("{{{}}}", items.join(","))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(|v| js_json(v, jsonb)).collect();
            format!("[{}]", items.join(","))
        }
        Value::Number(n) => match n.as_f64() {
            Some(f) if !n.is_i64() && !n.is_u64() && f.fract() == 0.0 && f.abs() < 1e21 => {
                format!("{}", f as i128)
            }
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

/// The plan of one column of table `table` (its name only feeds default identity names).
pub fn plan_column(table: &str, column: &Column) -> ColumnPlan {
    let (builder, base_type, type_schema) = builder_for(column);
    let mut sql_type = base_type;
    for _ in 0..column.dimensions {
        sql_type.push_str("[]");
    }
    let default = default_for(column, &builder);
    let serial = matches!(
        builder,
        Builder::Core {
            function: "serial" | "smallserial" | "bigserial",
            ..
        }
    );
    ColumnPlan {
        builder,
        sql_type,
        type_schema,
        dimensions: column.dimensions,
        // serial builders are NOT NULL by definition.
        // Identity columns are NOT NULL by definition, as drizzle's identity builders say.
        not_null: !column.nullable || serial || column.identity.is_some(),
        default,
        client_default: column.client_default.clone(),
        on_update_now: column.updated_at,
        generated: column.generated.clone(),
        identity: identity_plan(table, column),
        primary_key: false,
    }
}

/// The name PostgreSQL gives an unnamed primary key of `table`: `<table>_pkey`, the table name
/// cut so the whole fits in 63 bytes (as `makeObjectName` does).
pub fn default_pkey_name(table: &str) -> String {
    let mut cut = table.len().min(63 - "_pkey".len());
    while !table.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}_pkey", &table[..cut])
}

/// The column of a single-column primary key named as PostgreSQL names it by default. drizzle-kit
/// push reads such a key as a column flag without its name, so only `.primaryKey()` on the column
/// compares equal; a key with another name keeps `primaryKey({ name, … })` to keep its name.
pub fn inline_primary_key(t: &Table) -> Option<&str> {
    let pk = t.primary_key.as_ref()?;
    match (pk.columns.as_slice(), pk.name.as_deref()) {
        ([column], Some(name)) if name == default_pkey_name(&t.name) => Some(column),
        _ => None,
    }
}

/// Plans for every column of every view, in schema order.
pub fn plan_views(schema: &Schema) -> Vec<Vec<ColumnPlan>> {
    schema
        .views
        .iter()
        .map(|v| v.columns.iter().map(|c| plan_column(&v.name, c)).collect())
        .collect()
}

/// Plans for every column of every table, in schema order: computed once, shared by renderers.
pub fn plan_tables(schema: &Schema) -> Vec<Vec<ColumnPlan>> {
    schema
        .tables
        .iter()
        .map(|t| {
            let inline_pk = inline_primary_key(t);
            t.columns
                .iter()
                .map(|c| ColumnPlan {
                    primary_key: inline_pk == Some(c.name.as_str()),
                    ..plan_column(&t.name, c)
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_defaults_as_push_reads_them_back() {
        let p = json_default(r#"{"theme": "dark", "a": [1, 2.0]}"#, "jsonb").unwrap();
        assert_eq!(p.ts, r#"{"a":[1,2],"theme":"dark"}"#);
        assert_eq!(
            p.snapshot,
            Value::String(r#"'{"a":[1,2],"theme":"dark"}'::jsonb"#.into())
        );
        let quoted = json_default(r#"{"n": "it's"}"#, "jsonb").unwrap();
        assert_eq!(quoted.ts, r#"sql`'{"n":"it''s"}'::jsonb`"#);
        // json keeps its text: only an already compact one reads back equal.
        assert_eq!(json_default(r#"{"a": 1}"#, "json"), None);
        assert_eq!(json_default("[]", "json").unwrap().ts, "[]");
    }

    #[test]
    fn default_primary_key_names_fit_63_bytes() {
        assert_eq!(default_pkey_name("User"), "User_pkey");
        assert_eq!(default_pkey_name(&"é".repeat(40)).len(), 63);
        // Cut on a character boundary: `a` then two-byte characters.
        assert_eq!(default_pkey_name(&format!("a{}", "é".repeat(40))).len(), 62);
    }
}
