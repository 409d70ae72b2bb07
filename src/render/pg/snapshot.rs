//! `meta/0000_snapshot.json` (PostgreSQL snapshot version 7): exactly what drizzle-kit 0.31's
//! serializer computes from the `schema.ts` we emit, so `drizzle-kit generate` finds nothing to do.
//!
//! Typed structs serialized in drizzle-kit's key order; JSON objects keyed by name are ordered
//! entry lists, so no hashing is spent on a 30 MB document.

use serde::Serialize;
use serde_json::Value;

use super::plan::{inline_primary_key, ColumnPlan, IdentityPlan};
use crate::model::{Dialect, Index, NullsOrder, Schema, SortOrder, Table};
use crate::render::flavour::Flavour;
use crate::render::snapshot::{
    checks, columns, Check, Empty, Entries, ForeignKey, Generated, PREV_ID,
};

/// An identity column's sequence: a sequence with its kind first.
#[derive(Serialize)]
pub struct Identity<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(flatten)]
    sequence: SequenceSnapshot<'a>,
}

/// A table or view column: type (and enum schema), flags, identity sequence, default.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Column<'a> {
    name: &'a str,
    r#type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    type_schema: Option<&'a str>,
    primary_key: bool,
    not_null: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    generated: Option<Generated<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    identity: Option<Identity<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default: Option<&'a Value>,
}

/// One column or expression of an index, with its order, nulls and operator class.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IndexColumn<'a> {
    expression: std::borrow::Cow<'a, str>,
    is_expression: bool,
    asc: bool,
    nulls: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    opclass: Option<&'a str>,
}

/// An index with drizzle-kit's fixed `concurrently` and `with`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IndexSnapshot<'a> {
    name: &'a str,
    columns: Vec<IndexColumn<'a>>,
    is_unique: bool,
    #[serde(rename = "where", skip_serializing_if = "Option::is_none")]
    predicate: Option<&'a str>,
    concurrently: bool,
    method: &'a str,
    with: Empty,
}

/// A primary key of several columns (or one not named as PostgreSQL would).
#[derive(Serialize)]
pub struct NamedColumns<'a> {
    name: String,
    columns: &'a [String],
}

/// A unique constraint.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Unique<'a> {
    name: &'a str,
    nulls_not_distinct: bool,
    columns: &'a [String],
}

/// A table with its constraints, policies and RLS flag.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TableSnapshot<'a> {
    name: &'a str,
    schema: &'a str,
    columns: Entries<Column<'a>>,
    indexes: Entries<IndexSnapshot<'a>>,
    foreign_keys: Entries<ForeignKey<'a>>,
    composite_primary_keys: Entries<NamedColumns<'a>>,
    unique_constraints: Entries<Unique<'a>>,
    policies: Entries<PolicySnapshot<'a>>,
    check_constraints: Entries<Check<'a>>,
    #[serde(rename = "isRLSEnabled")]
    is_rls_enabled: bool,
}

/// A row-level security policy; no roles means `public`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicySnapshot<'a> {
    name: &'a str,
    #[serde(rename = "as")]
    kind: &'static str,
    #[serde(rename = "for")]
    command: &'a str,
    to: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    using: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    with_check: Option<&'a str>,
}

/// An enum type and its values in order.
#[derive(Serialize)]
pub struct EnumSnapshot<'a> {
    name: &'a str,
    schema: &'a str,
    values: Vec<&'a str>,
}

/// drizzle-kit keeps sequence numbers as strings.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SequenceSnapshot<'a> {
    name: &'a str,
    schema: &'a str,
    increment: String,
    start_with: String,
    min_value: String,
    max_value: String,
    cache: String,
    cycle: bool,
}

impl<'a> SequenceSnapshot<'a> {
    fn new(name: &'a str, schema: &'a str, plan: &IdentityPlan) -> Self {
        SequenceSnapshot {
            name,
            schema,
            increment: plan.options.increment.to_string(),
            start_with: plan.options.start.to_string(),
            min_value: plan.options.min_value.to_string(),
            max_value: plan.options.max_value.to_string(),
            cache: plan.options.cache.to_string(),
            cycle: plan.options.cycle,
        }
    }
}

/// A view: its definition, or `isExisting` for one known only by its shape.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ViewSnapshot<'a> {
    columns: Entries<Column<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    definition: Option<&'a str>,
    name: &'a str,
    schema: &'a str,
    is_existing: bool,
    materialized: bool,
}

/// drizzle-kit's rename bookkeeping, empty for a baseline.
#[derive(Serialize, Default)]
pub struct Meta {
    columns: Empty,
    schemas: Empty,
    tables: Empty,
}

/// The whole document.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PgSnapshot<'a> {
    id: &'a str,
    prev_id: &'static str,
    version: &'static str,
    dialect: &'static str,
    tables: Entries<TableSnapshot<'a>>,
    enums: Entries<EnumSnapshot<'a>>,
    schemas: Entries<&'a str>,
    sequences: Entries<SequenceSnapshot<'a>>,
    roles: Empty,
    policies: Empty,
    views: Entries<ViewSnapshot<'a>>,
    #[serde(rename = "_meta")]
    meta: Meta,
}

/// Index column as drizzle-kit records it: drizzle's builder default for nulls is `last`.
fn index_columns(index: &Index) -> Vec<IndexColumn<'_>> {
    index
        .columns
        .iter()
        .map(|c| {
            if c.is_expression {
                // An operator class rides inside the sql`` text (see the schema.ts renderer).
                return IndexColumn {
                    expression: match &c.opclass {
                        Some(op) => format!("{} {op}", c.expression).into(),
                        None => c.expression.as_str().into(),
                    },
                    is_expression: true,
                    asc: true,
                    nulls: "last",
                    opclass: None,
                };
            }
            IndexColumn {
                expression: c.expression.as_str().into(),
                is_expression: false,
                asc: c.order == SortOrder::Asc,
                nulls: match c.nulls_order() {
                    NullsOrder::First => "first",
                    NullsOrder::Last => "last",
                },
                opclass: c.opclass.as_deref(),
            }
        })
        .collect()
}

/// Name drizzle gives a primary key without one (SQLite keeps none).
pub fn primary_key_name(t: &Table) -> String {
    match t.primary_key.as_ref() {
        Some(pk) => pk
            .name
            .clone()
            .unwrap_or_else(|| format!("{}_{}_pk", t.name, pk.columns.join("_"))),
        None => String::new(),
    }
}

fn column_snapshot<'a>(
    schema: Option<&'a str>,
    c: &'a crate::model::Column,
    plan: &'a ColumnPlan,
) -> Column<'a> {
    Column {
        name: &c.name,
        r#type: &plan.sql_type,
        type_schema: plan.type_schema.as_deref(),
        primary_key: plan.primary_key,
        not_null: plan.not_null,
        generated: plan.generated.as_deref().map(Generated::stored),
        identity: plan.identity.as_ref().map(|id| Identity {
            kind: if id.always { "always" } else { "byDefault" },
            sequence: SequenceSnapshot::new(&id.name, schema.unwrap_or("public"), id),
        }),
        default: plan.default.as_ref().map(|d| &d.snapshot),
    }
}

fn table_snapshot<'a>(t: &'a Table, plans: &'a [ColumnPlan]) -> TableSnapshot<'a> {
    let columns = columns(&t.columns, plans, |c, plan| {
        column_snapshot(t.schema.as_deref(), c, plan)
    });
    let indexes = t
        .indexes
        .iter()
        .map(|i| {
            let index = IndexSnapshot {
                name: &i.name,
                columns: index_columns(i),
                is_unique: i.unique,
                predicate: i.predicate.as_deref(),
                concurrently: false,
                method: &i.method,
                with: Empty {},
            };
            (i.name.clone(), index)
        })
        .collect();
    let foreign_keys = t
        .foreign_keys
        .iter()
        .map(|fk| {
            let snapshot = ForeignKey::new(&t.name, fk, true);
            (fk.name.clone(), snapshot)
        })
        .collect();
    let mut primary_keys = Vec::new();
    let inline_pk = inline_primary_key(t).is_some();
    if let Some(pk) = t.primary_key.as_ref().filter(|_| !inline_pk) {
        let name = primary_key_name(t);
        primary_keys.push((
            name.clone(),
            NamedColumns {
                name,
                columns: &pk.columns,
            },
        ));
    }
    let uniques = t
        .unique_constraints
        .iter()
        .map(|u| {
            let unique = Unique {
                name: &u.name,
                nulls_not_distinct: u.nulls_not_distinct,
                columns: &u.columns,
            };
            (u.name.clone(), unique)
        })
        .collect();
    TableSnapshot {
        name: &t.name,
        schema: t.schema.as_deref().unwrap_or(""),
        columns,
        indexes: Entries(indexes),
        foreign_keys: Entries(foreign_keys),
        composite_primary_keys: Entries(primary_keys),
        unique_constraints: Entries(uniques),
        policies: Entries(
            t.policies
                .iter()
                .map(|p| {
                    (
                        p.name.clone(),
                        PolicySnapshot {
                            name: &p.name,
                            kind: p.kind(),
                            command: &p.command,
                            to: p.roles_or_public(),
                            using: p.using.as_deref(),
                            with_check: p.with_check.as_deref(),
                        },
                    )
                })
                .collect(),
        ),
        check_constraints: checks(t),
        is_rls_enabled: t.rls_enabled,
    }
}

/// The snapshot document. `id` is the snapshot's own UUID; `plans` are the column plans of
/// every table, in table order.
pub fn pg_snapshot<'a>(
    schema: &'a Schema,
    plans: &'a [Vec<ColumnPlan>],
    view_plans: &'a [Vec<ColumnPlan>],
    sequence_plans: &'a [IdentityPlan],
    id: &'a str,
    flavour: Flavour,
) -> PgSnapshot<'a> {
    let tables = schema
        .tables
        .iter()
        .zip(plans)
        .map(|(t, p)| {
            let key = format!("{}.{}", t.schema.as_deref().unwrap_or("public"), t.name);
            (key, table_snapshot(t, p))
        })
        .collect();
    let enums = schema
        .enums
        .iter()
        .map(|e| {
            let schema_name = e.schema.as_deref().unwrap_or("public");
            let snapshot = EnumSnapshot {
                name: &e.name,
                schema: schema_name,
                values: e.values.iter().map(|v| v.label.as_str()).collect(),
            };
            (format!("{schema_name}.{}", e.name), snapshot)
        })
        .collect();
    let schemas = schema
        .namespaces
        .iter()
        .map(|ns| (ns.clone(), ns.as_str()))
        .collect();
    let sequences = schema
        .sequences
        .iter()
        .zip(sequence_plans)
        .map(|(seq, p)| {
            let schema_name = seq.schema.as_deref().unwrap_or("public");
            let snapshot = SequenceSnapshot::new(&seq.name, schema_name, p);
            (format!("{schema_name}.{}", seq.name), snapshot)
        })
        .collect();
    let views = schema
        .views
        .iter()
        .zip(view_plans)
        .map(|(v, p)| {
            let schema_name = v.schema.as_deref().unwrap_or("public");
            let snapshot = ViewSnapshot {
                columns: columns(&v.columns, p, |c, plan| {
                    column_snapshot(v.schema.as_deref(), c, plan)
                }),
                definition: v.definition.as_deref(),
                name: &v.name,
                schema: schema_name,
                is_existing: v.definition.is_none(),
                materialized: v.materialized,
            };
            (format!("{schema_name}.{}", v.name), snapshot)
        })
        .collect();
    PgSnapshot {
        id,
        prev_id: PREV_ID,
        version: flavour.snapshot_version(Dialect::Postgresql),
        dialect: "postgresql",
        tables: Entries(tables),
        enums: Entries(enums),
        schemas: Entries(schemas),
        sequences: Entries(sequences),
        roles: Empty {},
        policies: Empty {},
        views: Entries(views),
        meta: Meta::default(),
    }
}
