//! Catalog rows → [`Schema`]: pure, no I/O. What the model or Drizzle cannot hold is not dropped
//! silently: each such object gets one note (`table public.x: a partition: left out …`).

pub(crate) mod map;

use std::collections::{BTreeSet, HashMap, HashSet};

use heck::ToLowerCamelCase;

use super::rows::{CatalogRows, ConstraintRow, DomainRow, EnumRow, ExtensionRow, SequenceRow};
use crate::introspect::{enum_values, relations};
use crate::model::{
    Check, Column, ColumnType, DefaultValue, Deferrable, Dialect, Domain, Enum, Extension,
    ForeignKey, Identity, Index, IndexColumn, NullsOrder, ObjectName, Policy, PrimaryKey,
    ReferentialAction, Schema, Sequence, SortOrder, Table, UniqueConstraint, View,
};

/// `schema: None` for the default schema.
fn model_schema(schema: &str) -> Option<String> {
    (schema != "public").then(|| schema.to_string())
}

fn qualified(schema: &str, name: &str) -> String {
    format!("{schema}.{name}")
}

impl SequenceRow {
    /// The column that owns the sequence: (table oid, attnum, `a` serial / `i` identity).
    fn owner(&self) -> Option<(u32, i32, &str)> {
        match (self.owner_table, self.owner_column, &self.owner_kind) {
            (Some(t), Some(c), Some(k)) => Some((t, c, k.as_str())),
            _ => None,
        }
    }

    /// Options `serial` gives the sequence it creates for a column of type `type_sql`.
    fn has_serial_defaults(&self) -> bool {
        let max = match self.type_sql.as_str() {
            "smallint" => i64::from(i16::MAX),
            "integer" => i64::from(i32::MAX),
            _ => i64::MAX,
        };
        self.start == 1
            && self.increment == 1
            && self.min_value == 1
            && self.max_value == max
            && self.cache == 1
            && !self.cycle
    }
}

/// A relation of the catalog that is kept, and where it went.
enum Kept {
    Table(usize),
    View(usize),
}

fn action(code: &str) -> ReferentialAction {
    match code {
        "r" => ReferentialAction::Restrict,
        "c" => ReferentialAction::Cascade,
        "n" => ReferentialAction::SetNull,
        "d" => ReferentialAction::SetDefault,
        _ => ReferentialAction::NoAction,
    }
}

fn deferrable(r: &ConstraintRow) -> Option<Deferrable> {
    match (r.deferrable, r.deferred) {
        (false, _) => None,
        (true, false) => Some(Deferrable::InitiallyImmediate),
        (true, true) => Some(Deferrable::InitiallyDeferred),
    }
}

/// The model of the selected `schemas` (in the order asked for), and one note per object left
/// out or read with a loss. Migration history tables are left out unless
/// `include_history_tables`.
pub fn lower(
    rows: &CatalogRows,
    schemas: &[String],
    include_history_tables: bool,
) -> (Schema, Vec<String>) {
    let mut notes = Vec::new();
    let existing: HashSet<String> = rows.namespaces.iter().map(|r| r.name.clone()).collect();
    for s in schemas {
        if !existing.contains(s) {
            notes.push(format!("schema {s}: does not exist, nothing read from it"));
        }
    }
    let extensions = extensions(&rows.extensions);

    let mut tables: Vec<Table> = Vec::new();
    let mut views: Vec<View> = Vec::new();
    let mut kept: HashMap<u32, Kept> = HashMap::new();
    let mut left_out_names: HashSet<(String, String)> = HashSet::new();
    for r in &rows.relations {
        let oid = r.oid;
        let schema: String = r.schema.clone();
        let name: String = r.name.clone();
        let kind: String = r.kind.clone();
        let what = qualified(&schema, &name);
        let from_extension = r.from_extension;
        let is_partition = r.is_partition;
        let history = name == "_prisma_migrations" || name == "__drizzle_migrations";
        let skip = if from_extension {
            Some("belongs to an extension, left out".to_string())
        } else if history && !include_history_tables {
            Some(if name == "_prisma_migrations" {
                "Prisma's migration history, left out".to_string()
            } else {
                "Drizzle's migration history, left out".to_string()
            })
        } else if is_partition {
            Some("a partition: left out (Drizzle cannot express partitioning)".to_string())
        } else if kind == "f" {
            Some("a foreign table: left out (Drizzle cannot express it)".to_string())
        } else {
            None
        };
        if let Some(why) = skip {
            notes.push(format!("table {what}: {why}"));
            left_out_names.insert((schema, name));
            continue;
        }
        if kind == "p" {
            notes.push(format!(
                "table {what}: partitioned; its partitioning is not kept (Drizzle cannot express it)"
            ));
        }
        let inherits = r.inherits;
        if inherits && !is_partition {
            notes.push(format!(
                "table {what}: inherits from another table; the inheritance is not kept"
            ));
        }
        let row_security = r.row_security;
        let force_row_security = r.force_row_security;
        if force_row_security {
            notes.push(format!(
                "table {what}: FORCE ROW LEVEL SECURITY not kept (Drizzle cannot express it)"
            ));
        }
        if row_security && matches!(kind.as_str(), "v" | "m") {
            notes.push(format!(
                "view {what}: row level security flag not kept (Drizzle views have none)"
            ));
        }
        let triggers = r.triggers;
        if triggers > 0 {
            notes.push(format!(
                "table {what}: {triggers} triggers not read (Drizzle cannot express triggers)"
            ));
        }
        let comment: Option<String> = r.comment.clone();
        match kind.as_str() {
            "v" | "m" => {
                kept.insert(oid, Kept::View(views.len()));
                views.push(View {
                    schema: model_schema(&schema),
                    name,
                    orm_name: None,
                    columns: Vec::new(),
                    // pg_get_viewdef ends with `;`, which drizzle-kit would paste inside its
                    // `AS (…)`.
                    definition: r
                        .definition
                        .as_deref()
                        .map(|d| d.trim().trim_end_matches(';').trim_end().to_string()),
                    materialized: kind == "m",
                    documentation: comment,
                });
            }
            _ => {
                kept.insert(oid, Kept::Table(tables.len()));
                tables.push(Table {
                    comment,
                    rls_enabled: row_security,
                    ..Table::new(model_schema(&schema), name)
                });
            }
        }
    }
    let table_oid: HashMap<usize, u32> = kept
        .iter()
        .filter_map(|(oid, k)| match k {
            Kept::Table(i) => Some((*i, *oid)),
            Kept::View(_) => None,
        })
        .collect();

    // Sequences: those a column owns are found by (table oid, attnum).
    let sequences = &rows.sequences;
    let mut owned: HashMap<(u32, i32), usize> = HashMap::new();
    for (i, s) in sequences.iter().enumerate() {
        if let Some((t, c, _)) = s.owner() {
            owned.insert((t, c), i);
        }
    }
    let mut consumed: HashSet<usize> = HashSet::new();
    let mut column_names: HashMap<(u32, i32), String> = HashMap::new();

    for r in &rows.columns {
        let oid = r.table_oid;
        let Some(target) = kept.get(&oid) else {
            continue;
        };
        let attnum = r.attnum;
        let name: String = r.name.clone();
        if owned.contains_key(&(oid, attnum)) {
            column_names.insert((oid, attnum), name.clone());
        }
        let type_sql: String = r.type_sql.clone();
        let base_sql: String = r.base_sql.clone();
        let base_cast: String = r.base_cast.clone();
        let base_schema: String = r.base_schema.clone();
        let base_name: String = r.base_name.clone();
        let base_kind: String = r.base_kind.clone();
        let facts = map::TypeFacts {
            base_sql: &base_sql,
            base_schema: &base_schema,
            base_name: &base_name,
            base_kind: &base_kind,
        };
        let column_type = map::column_type(&facts);
        let is_array = r.is_array;
        let dims = r.dims;
        let dimensions = if is_array {
            u32::try_from(dims).unwrap_or(1).max(1)
        } else {
            0
        };
        let not_null = r.not_null;
        let default_sql: Option<String> = r.default_sql.clone();
        let identity_kind: String = r.identity.clone();
        let generated_kind: String = r.generated.clone();
        let comment: Option<String> = r.comment.clone();
        let collation: Option<String> = r.collation.clone();
        let (table_schema, table_name) = match target {
            Kept::Table(i) => (&tables[*i].schema, &tables[*i].name),
            Kept::View(i) => (&views[*i].schema, &views[*i].name),
        };
        let what = format!(
            "column {}.{name}",
            qualified(table_schema.as_deref().unwrap_or("public"), table_name)
        );
        if let Some(c) = &collation {
            notes.push(format!(
                "{what}: COLLATE \"{c}\" not kept (the model has no collations)"
            ));
        }
        // Domains of the selected schemas are read (and created by the baseline); one of
        // another schema is only named.
        let foreign_domain = base_kind == "d" && !schemas.contains(&base_schema);
        if base_schema != "pg_catalog"
            && (foreign_domain || matches!(base_kind.as_str(), "r" | "c" | "m"))
        {
            let kind = match base_kind.as_str() {
                "d" => "domain of a schema not read",
                "r" => "range type",
                "m" => "multirange type",
                _ => "composite type",
            };
            notes.push(format!(
                "{what}: {kind} {base_sql} kept as a custom type; its definition is not emitted"
            ));
        }
        let mut identity = None;
        let mut generated = None;
        let mut default = None;
        if identity_kind == "a" || identity_kind == "d" {
            let seq = owned.get(&(oid, attnum)).copied();
            if let Some(i) = seq {
                consumed.insert(i);
            }
            let seq = seq.map(|i| &sequences[i]);
            identity = Some(Identity {
                always: identity_kind == "a",
                sequence_name: seq.map(|s| s.name.clone()),
                increment: seq.map(|s| s.increment),
                min_value: seq.map(|s| s.min_value),
                max_value: seq.map(|s| s.max_value),
                start: seq.map(|s| s.start),
                cache: seq.map(|s| s.cache),
                cycle: seq.is_some_and(|s| s.cycle),
            });
        } else if generated_kind == "s" {
            generated = default_sql;
        } else if let Some(expr) = default_sql {
            let serial = owned.get(&(oid, attnum)).copied().filter(|&i| {
                let s = &sequences[i];
                matches!(
                    column_type,
                    ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt
                ) && dimensions == 0
                    && not_null
                    && s.owner().is_some_and(|(_, _, k)| k == "a")
                    && expr == format!("nextval('{}'::regclass)", s.regclass)
                    && s.schema == table_schema.as_deref().unwrap_or("public")
                    && s.name == map::make_object_name(table_name, &name, "seq")
            });
            default = Some(match serial {
                Some(i) => {
                    consumed.insert(i);
                    let s = &sequences[i];
                    if !s.has_serial_defaults() || s.type_sql != base_sql {
                        notes.push(format!(
                            "{what}: serial sequence {} has non-default options (start {}, increment {}, min {}, max {}, cache {}, cycle {}); the baseline's serial re-creates the defaults",
                            s.name, s.start, s.increment, s.min_value, s.max_value, s.cache, s.cycle
                        ));
                    }
                    DefaultValue::Autoincrement
                }
                None => map::default_value(&expr, &column_type, &base_cast, dimensions),
            });
        }
        let column = Column {
            name,
            orm_name: None,
            raw_type: type_sql,
            column_type,
            dimensions,
            nullable: !not_null,
            default,
            client_default: None,
            updated_at: false,
            identity,
            generated,
            documentation: None,
            comment,
        };
        match target {
            Kept::Table(i) => tables[*i].columns.push(column),
            Kept::View(i) => views[*i].columns.push(column),
        }
    }

    let kept_tables: HashSet<ObjectName> = tables.iter().map(Table::object_name).collect();
    let index_of: HashMap<u32, usize> = table_oid.iter().map(|(i, oid)| (*oid, *i)).collect();
    for r in &rows.constraints {
        let oid = r.table_oid;
        let Some(&ti) = index_of.get(&oid) else {
            continue;
        };
        let name: String = r.name.clone();
        let kind: String = r.kind.clone();
        let columns: Vec<String> = r.columns.clone();
        let definition: String = r.definition.clone().unwrap_or_default();
        let t = &tables[ti];
        let what = format!(
            "constraint {} on {}",
            name,
            qualified(t.schema.as_deref().unwrap_or("public"), &t.name)
        );
        let validated = r.validated;
        if !validated {
            notes.push(format!(
                "{what}: NOT VALID; the baseline creates it validated"
            ));
        }
        let t = &mut tables[ti];
        match kind.as_str() {
            "p" => {
                t.primary_key = Some(PrimaryKey {
                    name: Some(name),
                    columns,
                })
            }
            "u" => t.unique_constraints.push(UniqueConstraint {
                name,
                columns,
                nulls_not_distinct: r.nulls_not_distinct,
                deferrable: deferrable(r),
            }),
            "f" => {
                let ref_schema = r.ref_schema.clone().unwrap_or_default();
                let ref_table = r.ref_table.clone().unwrap_or_default();
                let referenced_table = ObjectName::new(model_schema(&ref_schema), ref_table);
                if !kept_tables.contains(&referenced_table) {
                    let why = if left_out_names
                        .contains(&(ref_schema.clone(), referenced_table.name.clone()))
                    {
                        "its table was left out"
                    } else {
                        "its table is not in the selected schemas"
                    };
                    notes.push(format!(
                        "{what}: foreign key to {ref_schema}.{} left out: {why}",
                        referenced_table.name
                    ));
                    continue;
                }
                let match_type: String = r.match_type.clone();
                if match_type == "f" {
                    notes.push(format!("{what}: MATCH FULL not kept"));
                }
                let on_delete: String = r.on_delete.clone();
                let on_update: String = r.on_update.clone();
                if definition.contains("SET NULL (") || definition.contains("SET DEFAULT (") {
                    notes.push(format!(
                        "{what}: the column list of ON DELETE SET NULL/DEFAULT is not kept"
                    ));
                }
                t.foreign_keys.push(ForeignKey {
                    name,
                    columns,
                    referenced_table,
                    referenced_columns: r.ref_columns.clone(),
                    on_delete: action(&on_delete),
                    on_update: action(&on_update),
                    deferrable: deferrable(r),
                });
            }
            "c" => {
                let no_inherit = r.no_inherit;
                if no_inherit {
                    notes.push(format!("{what}: NO INHERIT not kept"));
                }
                let expression: Option<String> = r.check_sql.clone();
                t.checks.push(Check {
                    name,
                    expression: expression.unwrap_or_default(),
                });
            }
            _ => notes.push(format!(
                "{what}: exclusion constraint left out (Drizzle cannot express it): {definition}"
            )),
        }
    }

    for r in &rows.indexes {
        let oid = r.table_oid;
        let name: String = r.name.clone();
        let Some(&ti) = index_of.get(&oid) else {
            if let Some(Kept::View(v)) = kept.get(&oid) {
                let v = &views[*v];
                notes.push(format!(
                    "index {name} on materialized view {}: not kept (the model has no view indexes)",
                    qualified(v.schema.as_deref().unwrap_or("public"), &v.name)
                ));
            }
            continue;
        };
        let t = &mut tables[ti];
        let what = format!(
            "index {name} on {}",
            qualified(t.schema.as_deref().unwrap_or("public"), &t.name)
        );
        let valid = r.valid;
        if !valid {
            notes.push(format!(
                "{what}: invalid (a failed CREATE INDEX CONCURRENTLY?), left out"
            ));
            continue;
        }
        let nulls_not_distinct = r.nulls_not_distinct;
        if nulls_not_distinct {
            notes.push(format!(
                "{what}: NULLS NOT DISTINCT not kept (the model's indexes have no such flag)"
            ));
        }
        let key_count = usize::try_from(r.key_count).unwrap_or(0);
        let columns: Vec<String> = r.columns.clone();
        let is_expression: Vec<bool> = r.is_expression.clone();
        let options: Vec<i32> = r.options.clone();
        let opclasses: Vec<Option<String>> = r.opclasses.clone();
        let key_columns = (0..key_count.min(columns.len()))
            .map(|k| {
                let option = options.get(k).copied().unwrap_or(0);
                let desc = option & 1 != 0;
                let nulls_first = option & 2 != 0;
                IndexColumn {
                    expression: columns[k].clone(),
                    is_expression: is_expression.get(k).copied().unwrap_or(false),
                    order: if desc {
                        SortOrder::Desc
                    } else {
                        SortOrder::Asc
                    },
                    nulls: match (desc, nulls_first) {
                        (false, true) => Some(NullsOrder::First),
                        (true, false) => Some(NullsOrder::Last),
                        _ => None,
                    },
                    opclass: opclasses.get(k).cloned().flatten(),
                }
            })
            .collect();
        t.indexes.push(Index {
            name,
            unique: r.is_unique,
            method: r.method.clone(),
            columns: key_columns,
            predicate: r.predicate.clone(),
            include: columns.get(key_count..).unwrap_or_default().to_vec(),
        });
    }

    let mut roles: Vec<String> = Vec::new();
    for r in &rows.policies {
        let oid = r.table_oid;
        let Some(&ti) = index_of.get(&oid) else {
            continue;
        };
        let policy_roles: Vec<String> = r.roles.clone();
        for role in &policy_roles {
            if role != "public" && !roles.contains(role) {
                roles.push(role.clone());
            }
        }
        tables[ti].policies.push(Policy {
            name: r.name.clone(),
            permissive: r.permissive,
            command: r.command.clone(),
            roles: policy_roles,
            using: r.using_sql.clone(),
            with_check: r.check_sql.clone(),
        });
    }
    roles.sort();

    let domains = domains(&rows.domains);

    let enums = enums(&rows.enums);

    let mut standalone = Vec::new();
    for (i, s) in sequences.iter().enumerate() {
        if consumed.contains(&i) {
            continue;
        }
        if let Some((table, column, kind)) = s.owner() {
            if kind == "i" {
                continue;
            }
            if let Some(Kept::Table(t)) = kept.get(&table) {
                let t = &tables[*t];
                let column = column_names
                    .get(&(table, column))
                    .cloned()
                    .unwrap_or_default();
                notes.push(format!(
                    "sequence {}: OWNED BY {}.{column} not kept (the column is no serial)",
                    qualified(&s.schema, &s.name),
                    qualified(t.schema.as_deref().unwrap_or("public"), &t.name),
                ));
            }
        }
        standalone.push(Sequence {
            schema: model_schema(&s.schema),
            name: s.name.clone(),
            increment: Some(s.increment),
            min_value: Some(s.min_value),
            max_value: Some(s.max_value),
            start: Some(s.start),
            cache: Some(s.cache),
            cycle: s.cycle,
        });
    }

    // Schemas: in the order asked for, then any other one an object lives in.
    let mut used: BTreeSet<String> = BTreeSet::new();
    for s in tables
        .iter()
        .map(|t| &t.schema)
        .chain(views.iter().map(|v| &v.schema))
        .chain(enums.iter().map(|e| &e.schema))
        .chain(standalone.iter().map(|s| &s.schema))
        .chain(domains.iter().map(|d| &d.schema))
        .flatten()
    {
        used.insert(s.clone());
    }
    let mut namespaces: Vec<String> = schemas
        .iter()
        .filter(|s| used.contains(*s))
        .cloned()
        .collect();
    let mut seen: HashSet<String> = namespaces.iter().cloned().collect();
    for s in used {
        if seen.insert(s.clone()) {
            namespaces.push(s);
        }
    }
    let rank = |schema: &Option<String>| {
        let s = schema.as_deref().unwrap_or("public");
        schemas.iter().position(|x| x == s).unwrap_or(usize::MAX)
    };
    tables.sort_by(|a, b| (rank(&a.schema), &a.name).cmp(&(rank(&b.schema), &b.name)));
    views.sort_by(|a, b| (rank(&a.schema), &a.name).cmp(&(rank(&b.schema), &b.name)));

    for t in &mut tables {
        camel_keys(&mut t.columns);
    }
    for v in &mut views {
        camel_keys(&mut v.columns);
    }
    let mut schema = Schema {
        dialect: Dialect::Postgresql,
        source: None,
        namespaces,
        extensions,
        enums,
        sequences: standalone,
        tables,
        views,
        domains,
        roles,
    };
    relations::infer_relations(&mut schema);
    (schema, notes)
}

/// Installed extensions are part of what the schema needs: the baseline creates them (with
/// their schema and version) so a fresh database migrated from the output alone is complete.
/// plpgsql comes with every database.
fn extensions(rows: &[ExtensionRow]) -> Vec<Extension> {
    rows.iter()
        .map(|r| Extension {
            name: r.name.clone(),
            schema: Some(r.schema.clone()),
            version: Some(r.version.clone()),
        })
        .filter(|e| e.name != "plpgsql")
        .collect()
}

/// Domains with their checks.
fn domains(rows: &[DomainRow]) -> Vec<Domain> {
    rows.iter()
        .map(|r| Domain {
            schema: model_schema(&r.schema),
            name: r.name.clone(),
            base_type: r.base_type.clone(),
            not_null: r.not_null,
            default: r.default_sql.clone(),
            checks: r
                .check_names
                .iter()
                .zip(&r.check_sql)
                .map(|(name, expression)| Check {
                    name: name.clone(),
                    expression: expression.clone(),
                })
                .collect(),
            comment: r.comment.clone(),
        })
        .collect()
}

/// Enums with their labels in sort order.
fn enums(rows: &[EnumRow]) -> Vec<Enum> {
    rows.iter()
        .map(|r| Enum {
            schema: model_schema(&r.schema),
            name: r.name.clone(),
            orm_name: None,
            values: enum_values(&r.labels),
            documentation: r.comment.clone(),
        })
        .collect()
}

/// TypeScript keys in camelCase (`created_at` → `createdAt`) where that changes the name and
/// collides with no other column; the database name stays the builder's argument.
fn camel_keys(columns: &mut [Column]) {
    let names: HashSet<String> = columns.iter().map(|c| c.name.clone()).collect();
    let mut taken = names.clone();
    for c in columns.iter_mut() {
        let camel = c.name.to_lower_camel_case();
        let valid = camel
            .chars()
            .next()
            .is_some_and(|ch| ch.is_alphabetic() || ch == '_')
            && camel.chars().all(|ch| ch.is_alphanumeric() || ch == '_');
        if camel != c.name && valid && !taken.contains(&camel) {
            taken.insert(camel.clone());
            c.orm_name = Some(camel);
        }
    }
}
