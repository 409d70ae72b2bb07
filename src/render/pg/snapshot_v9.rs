//! `<folder>/snapshot.json` for drizzle-kit 1.0 (PostgreSQL snapshot version 9, a `base`
//! snapshot): the same decisions as version 7 ([`super::snapshot`]) written as drizzle-kit 1.0's
//! flat `ddl` rows, each with exactly the keys its strict validator wants, and the values its
//! serializer derives from our `schema.ts` (types without array brackets or spaces, every default
//! a string, explicit names marked `nameExplicit`).
//!
//! `footprints` only matter when two branches of migrations are merged; a baseline has none.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::Value;

use super::plan::{inline_primary_key, ColumnPlan, IdentityPlan};
use crate::model::{NullsOrder, Schema, SortOrder, Table};
use crate::render::flavour::Flavour;
use crate::render::plan::DefaultPlan;
use crate::render::snapshot::PREV_ID;

/// One `ddl` row: its fields, then its `entityType`.
#[derive(Serialize)]
struct Row<T> {
    #[serde(flatten)]
    row: T,
    #[serde(rename = "entityType")]
    entity_type: &'static str,
}

#[derive(Serialize)]
struct SchemaRow<'a> {
    name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TableRow<'a> {
    schema: &'a str,
    name: &'a str,
    is_rls_enabled: bool,
}

#[derive(Serialize)]
struct EnumRow<'a> {
    schema: &'a str,
    name: &'a str,
    values: Vec<&'a str>,
}

#[derive(Serialize)]
struct GeneratedRow<'a> {
    #[serde(rename = "as")]
    expression: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// An identity column's sequence, numbers as strings but `cache` a number.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IdentityRow<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'a str,
    increment: String,
    start_with: String,
    min_value: String,
    max_value: String,
    cache: i64,
    cycle: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ColumnRow<'a> {
    schema: &'a str,
    table: &'a str,
    name: &'a str,
    #[serde(rename = "type")]
    sql_type: String,
    type_schema: Option<&'a str>,
    not_null: bool,
    dimensions: u32,
    default: Option<String>,
    generated: Option<GeneratedRow<'a>>,
    identity: Option<IdentityRow<'a>>,
}

#[derive(Serialize)]
struct Opclass<'a> {
    name: &'a str,
    default: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IndexColumnRow<'a> {
    value: Cow<'a, str>,
    is_expression: bool,
    asc: bool,
    nulls_first: bool,
    opclass: Option<Opclass<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IndexRow<'a> {
    schema: &'a str,
    table: &'a str,
    name: &'a str,
    name_explicit: bool,
    columns: Vec<IndexColumnRow<'a>>,
    is_unique: bool,
    #[serde(rename = "where")]
    predicate: Option<&'a str>,
    with: &'static str,
    method: &'a str,
    concurrently: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ForeignKeyRow<'a> {
    schema: &'a str,
    table: &'a str,
    name: &'a str,
    name_explicit: bool,
    columns: &'a [String],
    schema_to: &'a str,
    table_to: &'a str,
    columns_to: &'a [String],
    on_update: String,
    on_delete: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PrimaryKeyRow<'a> {
    schema: &'a str,
    table: &'a str,
    name: String,
    columns: &'a [String],
    name_explicit: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UniqueRow<'a> {
    schema: &'a str,
    table: &'a str,
    name: &'a str,
    name_explicit: bool,
    columns: &'a [String],
    nulls_not_distinct: bool,
}

#[derive(Serialize)]
struct CheckRow<'a> {
    schema: &'a str,
    table: &'a str,
    name: &'a str,
    value: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SequenceRow<'a> {
    schema: &'a str,
    name: &'a str,
    increment_by: String,
    min_value: String,
    max_value: String,
    start_with: String,
    cache_size: i64,
    cycle: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ViewRow<'a> {
    schema: &'a str,
    name: &'a str,
    definition: Option<&'a str>,
    with: Option<Value>,
    with_no_data: Option<bool>,
    using: Option<&'a str>,
    tablespace: Option<&'a str>,
    materialized: bool,
}

#[derive(Serialize)]
struct PolicyRow<'a> {
    schema: &'a str,
    table: &'a str,
    name: &'a str,
    #[serde(rename = "as")]
    kind: &'static str,
    #[serde(rename = "for")]
    command: &'a str,
    roles: Vec<&'a str>,
    using: Option<&'a str>,
    #[serde(rename = "withCheck")]
    with_check: Option<&'a str>,
}

/// The whole document.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PgSnapshotV9 {
    #[serde(rename = "type")]
    kind: &'static str,
    version: &'static str,
    dialect: &'static str,
    id: String,
    prev_ids: [&'static str; 1],
    footprints: [(); 0],
    ddl: Vec<Value>,
}

/// A snapshot `type` as 1.0 writes it: array brackets become `dimensions`, and no space before
/// a precision or between `numeric`'s arguments (`timestamp (3)` → `timestamp(3)`).
fn base_type(sql_type: &str) -> String {
    let base = sql_type.trim_end_matches("[]");
    let mut out = String::with_capacity(base.len());
    let mut chars = base.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' && (chars.peek() == Some(&'(') || out.ends_with(',')) {
            continue;
        }
        out.push(c);
    }
    out
}

/// A version-7 default (a JSON value) as version 9 stores it: always a string. A `sql`
/// template loses its trailing casts (drizzle-kit 1.0 trims them, see [`trim_casts`]); a literal
/// string has its backslashes doubled, as 1.0's serializer escapes them.
fn default_text(plan: &DefaultPlan) -> String {
    match &plan.snapshot {
        Value::String(s) if plan.uses_sql => trim_casts(s).to_string(),
        Value::String(s) => {
            let literal = cast_free_json(s).unwrap_or(s);
            literal.replace('\\', "\\\\")
        }
        other => other.to_string(),
    }
}

/// A version-7 JSON default is the quoted literal with its cast; 1.0 stores the bare literal.
fn cast_free_json(s: &str) -> Option<&str> {
    ["::jsonb", "::json"].iter().find_map(|cast| {
        s.strip_suffix(cast)
            .filter(|literal| literal.starts_with('\'') && literal.ends_with('\''))
    })
}

/// drizzle-kit 1.0's `trimDefaultValueSuffix`: one trailing `[]`, then every trailing cast
/// (`::name`, with an optional `(…)`, ` with[out] time zone` and `[]`) at the end.
fn trim_casts(sql: &str) -> &str {
    let mut rest = sql.strip_suffix("[]").unwrap_or(sql);
    // The leftmost `::` from which casts alone run to the end, as the regex finds it.
    let mut from = 0;
    while let Some(at) = rest[from..].find("::").map(|i| from + i) {
        if only_casts(&rest[at..]) {
            rest = &rest[..at];
            break;
        }
        from = at + 2;
    }
    rest
}

/// Is `text` one or more casts: `(::["\w.\s-]+(\([^)]*\))?(\swith(out)?\stime\szone)?(\[\])?)+`?
fn only_casts(mut text: &str) -> bool {
    let name_char = |c: char| {
        c == '"' || c == '.' || c == '-' || c == '_' || c.is_alphanumeric() || c.is_whitespace()
    };
    while !text.is_empty() {
        let Some(after) = text.strip_prefix("::") else {
            return false;
        };
        let name_len = after.find(|c: char| !name_char(c)).unwrap_or(after.len());
        if name_len == 0 {
            return false;
        }
        let mut rest = &after[name_len..];
        if let Some(args) = rest.strip_prefix('(') {
            match args.find(')') {
                Some(end) if !args[..end].contains(')') => rest = &args[end + 1..],
                _ => return false,
            }
        }
        for zone in [" with time zone", " without time zone"] {
            if rest.len() >= zone.len() && rest[..zone.len()].eq_ignore_ascii_case(zone) {
                rest = &rest[zone.len()..];
                break;
            }
        }
        rest = rest.strip_prefix("[]").unwrap_or(rest);
        text = rest;
    }
    true
}

fn row<T: Serialize>(entity_type: &'static str, row: T) -> Value {
    serde_json::to_value(Row { row, entity_type }).unwrap_or(Value::Null)
}

fn action(a: crate::model::ReferentialAction) -> String {
    a.drizzle().to_ascii_uppercase()
}

fn identity_row<'a>(plan: &'a IdentityPlan) -> IdentityRow<'a> {
    IdentityRow {
        name: &plan.name,
        kind: if plan.always { "always" } else { "byDefault" },
        increment: plan.options.increment.to_string(),
        start_with: plan.options.start.to_string(),
        min_value: plan.options.min_value.to_string(),
        max_value: plan.options.max_value.to_string(),
        cache: plan.options.cache,
        cycle: plan.options.cycle,
    }
}

fn column_row<'a>(
    schema: &'a str,
    table: &'a str,
    c: &'a crate::model::Column,
    plan: &'a ColumnPlan,
    in_primary_key: bool,
) -> ColumnRow<'a> {
    ColumnRow {
        schema,
        table,
        name: &c.name,
        sql_type: base_type(&plan.sql_type),
        type_schema: plan.type_schema.as_deref(),
        not_null: plan.not_null || in_primary_key,
        dimensions: plan.dimensions,
        default: plan.default.as_ref().map(default_text),
        generated: plan.generated.as_deref().map(|expression| GeneratedRow {
            kind: "stored",
            expression,
        }),
        identity: plan.identity.as_ref().map(identity_row),
    }
}

fn index_columns(index: &crate::model::Index) -> Vec<IndexColumnRow<'_>> {
    index
        .columns
        .iter()
        .map(|c| {
            if c.is_expression {
                // An operator class rides inside the sql`` text (see the schema.ts renderer).
                return IndexColumnRow {
                    value: match &c.opclass {
                        Some(op) => format!("{} {op}", c.expression).into(),
                        None => c.expression.as_str().into(),
                    },
                    is_expression: true,
                    asc: true,
                    nulls_first: false,
                    opclass: None,
                };
            }
            IndexColumnRow {
                value: c.expression.as_str().into(),
                is_expression: false,
                asc: c.order == SortOrder::Asc,
                nulls_first: c.nulls_order() == NullsOrder::First,
                opclass: c.opclass.as_deref().map(|name| Opclass {
                    name,
                    default: false,
                }),
            }
        })
        .collect()
}

fn table_rows(t: &Table, plans: &[ColumnPlan], ddl: &mut Vec<Value>) {
    let schema = t.schema.as_deref().unwrap_or("public");
    let table = t.name.as_str();
    ddl.push(row(
        "tables",
        TableRow {
            schema,
            name: table,
            // drizzle-kit 1.0 takes a table with policies as one with RLS on (the loss report
            // says when the database disagrees).
            is_rls_enabled: t.rls_enabled || !t.policies.is_empty(),
        },
    ));
    let pk_columns: &[String] = t
        .primary_key
        .as_ref()
        .map(|pk| pk.columns.as_slice())
        .unwrap_or(&[]);
    for (c, plan) in t.columns.iter().zip(plans) {
        let in_pk = pk_columns.contains(&c.name);
        ddl.push(row("columns", column_row(schema, table, c, plan, in_pk)));
    }
    for i in &t.indexes {
        ddl.push(row(
            "indexes",
            IndexRow {
                schema,
                table,
                name: &i.name,
                name_explicit: true,
                columns: index_columns(i),
                is_unique: i.unique,
                predicate: i.predicate.as_deref(),
                with: "",
                method: &i.method,
                concurrently: false,
            },
        ));
    }
    for fk in &t.foreign_keys {
        ddl.push(row(
            "fks",
            ForeignKeyRow {
                schema,
                table,
                name: &fk.name,
                name_explicit: true,
                columns: &fk.columns,
                schema_to: fk.referenced_table.schema.as_deref().unwrap_or("public"),
                table_to: &fk.referenced_table.name,
                columns_to: &fk.referenced_columns,
                on_update: action(fk.on_update),
                on_delete: action(fk.on_delete),
            },
        ));
    }
    if let Some(pk) = &t.primary_key {
        // `.primaryKey()` on the column leaves the name to drizzle (`<table>_pkey`, PostgreSQL's).
        let inline = inline_primary_key(t).is_some();
        ddl.push(row(
            "pks",
            PrimaryKeyRow {
                schema,
                table,
                name: if inline {
                    format!("{table}_pkey")
                } else {
                    super::snapshot::primary_key_name(t)
                },
                columns: &pk.columns,
                name_explicit: !inline,
            },
        ));
    }
    for u in &t.unique_constraints {
        ddl.push(row(
            "uniques",
            UniqueRow {
                schema,
                table,
                name: &u.name,
                name_explicit: true,
                columns: &u.columns,
                nulls_not_distinct: u.nulls_not_distinct,
            },
        ));
    }
    for c in &t.checks {
        ddl.push(row(
            "checks",
            CheckRow {
                schema,
                table,
                name: &c.name,
                value: &c.expression,
            },
        ));
    }
    for p in &t.policies {
        ddl.push(row(
            "policies",
            PolicyRow {
                schema,
                table,
                name: &p.name,
                kind: p.kind(),
                command: &p.command,
                roles: p.roles_or_public(),
                using: p.using.as_deref(),
                with_check: p.with_check.as_deref(),
            },
        ));
    }
}

/// The snapshot document. `id` is the snapshot's own UUID; `plans` are the column plans of
/// every table, in table order.
pub fn pg_snapshot_v9(
    schema: &Schema,
    plans: &[Vec<ColumnPlan>],
    sequence_plans: &[IdentityPlan],
    id: &str,
    flavour: Flavour,
) -> PgSnapshotV9 {
    let mut ddl = Vec::new();
    for ns in &schema.namespaces {
        if ns != "public" {
            ddl.push(row("schemas", SchemaRow { name: ns }));
        }
    }
    for e in &schema.enums {
        ddl.push(row(
            "enums",
            EnumRow {
                schema: e.schema.as_deref().unwrap_or("public"),
                name: &e.name,
                values: e.values.iter().map(|v| v.label.as_str()).collect(),
            },
        ));
    }
    for (seq, p) in schema.sequences.iter().zip(sequence_plans) {
        ddl.push(row(
            "sequences",
            SequenceRow {
                schema: seq.schema.as_deref().unwrap_or("public"),
                name: &seq.name,
                increment_by: p.options.increment.to_string(),
                min_value: p.options.min_value.to_string(),
                max_value: p.options.max_value.to_string(),
                start_with: p.options.start.to_string(),
                cache_size: p.options.cache,
                cycle: p.options.cycle,
            },
        ));
    }
    for (t, p) in schema.tables.iter().zip(plans) {
        table_rows(t, p, &mut ddl);
    }
    // A view known only by its shape (`.existing()`) is not drizzle-kit's to create: no row.
    for v in schema.views.iter().filter(|v| v.definition.is_some()) {
        ddl.push(row(
            "views",
            ViewRow {
                schema: v.schema.as_deref().unwrap_or("public"),
                name: &v.name,
                definition: v.definition.as_deref(),
                with: None,
                with_no_data: None,
                using: None,
                tablespace: None,
                materialized: v.materialized,
            },
        ));
    }
    PgSnapshotV9 {
        kind: "base",
        version: flavour.snapshot_version(crate::model::Dialect::Postgresql),
        dialect: "postgres",
        id: id.to_string(),
        prev_ids: [PREV_ID],
        footprints: [],
        ddl,
    }
}

#[cfg(test)]
mod tests {
    use super::{base_type, trim_casts};

    #[test]
    fn casts_are_trimmed_as_drizzle_kit_1_trims_them() {
        for (sql, trimmed) in [
            ("ARRAY[]::text[]", "ARRAY[]"),
            ("ARRAY[1, 2]::INTEGER[]", "ARRAY[1, 2]"),
            ("ARRAY['a']::\"Color\"[]", "ARRAY['a']"),
            ("'((0,0),(1,1))'::box", "'((0,0),(1,1))'"),
            ("'x'::character varying(20)::text", "'x'"),
            (
                "'2024-01-01'::timestamp(3) without time zone",
                "'2024-01-01'",
            ),
            (
                "(now() + '7 days'::interval)",
                "(now() + '7 days'::interval)",
            ),
            ("now()", "now()"),
            // drizzle-kit's own quirk, kept: a bare `ARRAY[]` loses its brackets.
            ("ARRAY[]", "ARRAY"),
        ] {
            assert_eq!(trim_casts(sql), trimmed, "{sql}");
        }
    }

    #[test]
    fn types_lose_brackets_and_inner_spaces() {
        assert_eq!(base_type("timestamp (3)[]"), "timestamp(3)");
        assert_eq!(base_type("numeric(10, 2)"), "numeric(10,2)");
        assert_eq!(
            base_type("time (2) with time zone"),
            "time(2) with time zone"
        );
        assert_eq!(base_type("double precision[][]"), "double precision");
    }
}
