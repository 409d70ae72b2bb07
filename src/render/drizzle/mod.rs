//! `schema.ts` and `relations.ts` for drizzle-orm 0.45 (PostgreSQL). Every name, escape and order is
//! decided here; the askama templates only loop.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use askama::Template;

use super::names::{member, object_key, Identifiers};
use super::plan::{js_string, plan_column, template_escape, Builder, ColumnPlan, CustomType};
use crate::model::{
    ClientDefault, Column, ColumnType, Index, NullsOrder, ObjectName, Schema, SortOrder, Table,
};

/// Everything drizzle-orm's pg-core may be asked to import: reserved so no table shadows them.
const CORE_NAMES: &[&str] = &[
    "pgTable",
    "pgSchema",
    "pgEnum",
    "pgView",
    "pgMaterializedView",
    "pgSequence",
    "pgRole",
    "pgPolicy",
    "customType",
    "index",
    "uniqueIndex",
    "primaryKey",
    "foreignKey",
    "unique",
    "check",
    "integer",
    "smallint",
    "bigint",
    "serial",
    "smallserial",
    "bigserial",
    "boolean",
    "real",
    "doublePrecision",
    "numeric",
    "text",
    "varchar",
    "char",
    "uuid",
    "json",
    "jsonb",
    "date",
    "time",
    "timestamp",
    "interval",
    "inet",
    "cidr",
    "macaddr",
    "macaddr8",
    "bit",
    "sql",
    "relations",
    "cuid",
    "createId",
    "nanoid",
    "ulid",
    "uuidv7",
    "AnyPgColumn",
];

/// TypeScript names shared by `schema.ts` and `relations.ts`.
#[derive(Debug, Default)]
pub struct Naming<'a> {
    pub tables: HashMap<ObjectName, String>,
    pub enums: HashMap<ObjectName, String>,
    pub schemas: BTreeMap<String, String>,
    pub custom_types: BTreeMap<CustomType, String>,
    pub relations: HashMap<ObjectName, String>,
    pub sequences: HashMap<ObjectName, String>,
    pub views: HashMap<ObjectName, String>,
    /// Roles that policies name, declared `pgRole(name).existing()`.
    pub roles: BTreeMap<String, String>,
    /// Position of every table in the schema, to find its columns' keys.
    table_index: HashMap<ObjectName, &'a Table>,
}

impl<'a> Naming<'a> {
    pub fn new(schema: &'a Schema, plans: &[Vec<ColumnPlan>]) -> Naming<'a> {
        let view_plans: Vec<ColumnPlan> = schema
            .views
            .iter()
            .flat_map(|v| v.columns.iter().map(|c| plan_column(&v.name, c)))
            .collect();
        let mut custom_types: Vec<CustomType> = Vec::new();
        for plan in plans.iter().flatten().chain(&view_plans) {
            if let Builder::Custom(ct) = &plan.builder {
                if !custom_types.contains(ct) {
                    custom_types.push(ct.clone());
                }
            }
        }
        Naming::with_reserved(schema, CORE_NAMES, &custom_types)
    }

    /// The names of a `schema.ts` that imports `reserved` and declares `custom_types` (in that
    /// order), for any dialect: everything but the imports and custom types is dialect-neutral.
    pub fn with_reserved(
        schema: &'a Schema,
        reserved: &[&str],
        custom_types: &[CustomType],
    ) -> Naming<'a> {
        let mut ids = Identifiers::new();
        for name in reserved {
            ids.reserve(name);
        }
        let mut naming = Naming::default();
        for ns in &schema.namespaces {
            naming
                .schemas
                .insert(ns.clone(), ids.allocate(&format!("{ns}Schema"), ""));
        }
        for e in &schema.enums {
            let base = e.orm_name.as_deref().unwrap_or(&e.name);
            naming
                .enums
                .insert(e.object_name(), ids.allocate(base, "Enum"));
        }
        for t in &schema.tables {
            let base = t.orm_name.as_deref().unwrap_or(&t.name);
            naming
                .tables
                .insert(t.object_name(), ids.allocate(base, "Table"));
        }
        for seq in &schema.sequences {
            let name = ObjectName::new(seq.schema.clone(), seq.name.clone());
            naming
                .sequences
                .insert(name, ids.allocate(&seq.name, "Sequence"));
        }
        for v in &schema.views {
            let base = v.orm_name.as_deref().unwrap_or(&v.name);
            naming.views.insert(
                ObjectName::new(v.schema.clone(), v.name.clone()),
                ids.allocate(base, "View"),
            );
        }
        for ct in custom_types {
            if !naming.custom_types.contains_key(ct) {
                let var = ids.allocate(&format!("{}Type", ct.sql), "");
                naming.custom_types.insert(ct.clone(), var);
            }
        }
        for t in &schema.tables {
            naming.table_index.insert(t.object_name(), t);
            let var = &naming.tables[&t.object_name()];
            naming.relations.insert(
                t.object_name(),
                ids.allocate(&format!("{var}Relations"), ""),
            );
        }
        for role in &schema.roles {
            let var = ids.allocate(&format!("{role}Role"), "");
            naming.roles.insert(role.clone(), var);
        }
        naming
    }

    pub fn table(&self, name: &ObjectName) -> &str {
        self.tables
            .get(name)
            .map(String::as_str)
            .unwrap_or("unknownTable")
    }

    /// `var.key` for a column of any table.
    pub fn column_member(&self, table: &ObjectName, column: &str) -> String {
        let key = self
            .table_index
            .get(table)
            .and_then(|t| t.column(column))
            .map(column_key)
            .unwrap_or(column);
        member(self.table(table), key)
    }
}

/// The options object body drizzle's `pgSequence` and identity builders take, every option
/// spelled out. Values past 2^53 are strings in TypeScript, or they would round.
fn sequence_options(plan: &super::plan::IdentityPlan) -> String {
    let n = |v: i64| {
        if v.unsigned_abs() > (1u64 << 53) {
            format!("\"{v}\"")
        } else {
            v.to_string()
        }
    };
    let cycle = if plan.cycle { ", cycle: true" } else { "" };
    format!(
        "startWith: {}, increment: {}, minValue: {}, maxValue: {}, cache: {}{cycle}",
        n(plan.start),
        n(plan.increment),
        n(plan.min_value),
        n(plan.max_value),
        n(plan.cache)
    )
}

/// JSDoc block for documentation text (`*/` cannot end it early), indented.
pub(crate) fn doc_comment(doc: Option<&str>, indent: &str) -> String {
    let Some(doc) = doc.filter(|d| !d.trim().is_empty()) else {
        return String::new();
    };
    let doc = doc.replace("*/", "*\\/");
    let lines: Vec<&str> = doc.lines().collect();
    if lines.len() == 1 {
        return format!("{indent}/** {} */\n", lines[0].trim());
    }
    let mut out = format!("{indent}/**\n");
    for line in lines {
        out.push_str(&format!("{indent} * {}\n", line.trim_end()));
    }
    out.push_str(&format!("{indent} */\n"));
    out
}

struct CustomTypeView {
    var: String,
    sql: String,
    data: &'static str,
}

struct SchemaView {
    var: String,
    name: String,
}

struct EnumView {
    doc: String,
    var: String,
    ctor: String,
    name: String,
    values: String,
}

struct ViewView {
    doc: String,
    var: String,
    ctor: String,
    name: String,
    columns: Vec<ColumnView>,
    /// `.as(sql\`…\`)` or `.existing()`.
    tail: String,
}

struct ColumnView {
    doc: String,
    key: String,
    expr: String,
}

struct TableView {
    doc: String,
    var: String,
    ctor: String,
    name: String,
    columns: Vec<ColumnView>,
    /// `.enableRLS()` or nothing.
    tail: String,
    /// `(t)` or `(t): PgTableExtraConfigValue[]`.
    callback: String,
    extras: Vec<String>,
}

#[derive(Template)]
#[template(path = "schema.ts.txt", escape = "none")]
struct SchemaTs {
    header: String,
    core_imports: String,
    uses_sql: bool,
    type_imports: String,
    extra_imports: Vec<String>,
    custom_types: Vec<CustomTypeView>,
    schemas: Vec<SchemaView>,
    enums: Vec<EnumView>,
    sequences: Vec<String>,
    roles: Vec<String>,
    tables: Vec<TableView>,
    views: Vec<ViewView>,
}

/// What rendering `schema.ts` found out on the way.
#[derive(Debug, Default, Clone)]
pub struct SchemaTsOutput {
    pub text: String,
    /// npm packages the file imports (beyond drizzle-orm).
    pub packages: Vec<String>,
}

/// What a schema file imports, gathered while rendering it (shared by both dialects).
#[derive(Default)]
pub(crate) struct Imports {
    pub(crate) core: BTreeSet<&'static str>,
    pub(crate) types: BTreeSet<&'static str>,
    pub(crate) uses_sql: bool,
    pub(crate) extra: BTreeMap<&'static str, &'static str>,
}

impl Imports {
    /// The `$defaultFn` body for a Prisma client-side default, importing its package.
    pub(crate) fn client_default(&mut self, d: &ClientDefault) -> String {
        match d {
            ClientDefault::Uuid { version: Some(7) } => {
                self.extra
                    .insert("uuid", "import { v7 as uuidv7 } from \"uuid\";");
                "() => uuidv7()".into()
            }
            ClientDefault::Uuid { .. } => "() => crypto.randomUUID()".into(),
            ClientDefault::Cuid { version: Some(2) } => {
                self.extra.insert(
                    "@paralleldrive/cuid2",
                    "import { createId } from \"@paralleldrive/cuid2\";",
                );
                "() => createId()".into()
            }
            ClientDefault::Cuid { .. } => {
                self.extra.insert("cuid", "import cuid from \"cuid\";");
                "() => cuid()".into()
            }
            ClientDefault::Nanoid { length } => {
                self.extra
                    .insert("nanoid", "import { nanoid } from \"nanoid\";");
                match length {
                    Some(n) => format!("() => nanoid({n})"),
                    None => "() => nanoid()".into(),
                }
            }
            ClientDefault::Ulid => {
                self.extra.insert("ulid", "import { ulid } from \"ulid\";");
                "() => ulid()".into()
            }
        }
    }
}

pub const HEADER: &str =
    "// Generated by drizzle-port. Edit freely: drizzle-kit takes it from here.";

pub fn render_schema_ts(
    schema: &Schema,
    naming: &Naming,
    plans: &[Vec<ColumnPlan>],
) -> SchemaTsOutput {
    let mut imports = Imports {
        core: BTreeSet::new(),
        types: BTreeSet::new(),
        uses_sql: false,
        extra: BTreeMap::new(),
    };
    let table_ctor = |s: &Option<String>, imports: &mut Imports| match s {
        Some(ns) => format!("{}.table", naming.schemas[ns]),
        None => {
            imports.core.insert("pgTable");
            "pgTable".to_string()
        }
    };

    let schemas = naming
        .schemas
        .iter()
        .map(|(name, var)| {
            imports.core.insert("pgSchema");
            SchemaView {
                var: var.clone(),
                name: js_string(name),
            }
        })
        .collect();

    let enums = schema
        .enums
        .iter()
        .map(|e| {
            let ctor = match &e.schema {
                Some(ns) => format!("{}.enum", naming.schemas[ns]),
                None => {
                    imports.core.insert("pgEnum");
                    "pgEnum".into()
                }
            };
            EnumView {
                doc: doc_comment(e.documentation.as_deref(), ""),
                var: naming.enums[&e.object_name()].clone(),
                ctor,
                name: js_string(&e.name),
                values: e
                    .values
                    .iter()
                    .map(|v| js_string(&v.label))
                    .collect::<Vec<_>>()
                    .join(", "),
            }
        })
        .collect();

    let roles: Vec<String> = naming
        .roles
        .iter()
        .map(|(name, var)| {
            imports.core.insert("pgRole");
            format!(
                "export const {var} = pgRole({}).existing();",
                js_string(name)
            )
        })
        .collect();

    let mut tables = Vec::new();
    for (t, table_plans) in schema.tables.iter().zip(plans) {
        let ctor = table_ctor(&t.schema, &mut imports);
        let columns = t
            .columns
            .iter()
            .zip(table_plans)
            .map(|(c, plan)| ColumnView {
                doc: doc_comment(c.documentation.as_deref().or(c.comment.as_deref()), "  "),
                key: object_key(c.orm_name.as_deref().unwrap_or(&c.name)),
                expr: column_expr(c, plan, naming, &mut imports),
            })
            .collect();
        let extras = table_extras(t, naming, &mut imports);
        // Tables whose foreign keys point at each other make TypeScript infer their types in a
        // cycle (TS7022); an explicit callback return type breaks it.
        let references_others = t
            .foreign_keys
            .iter()
            .any(|fk| fk.referenced_table != t.object_name());
        let callback = if references_others {
            imports.types.insert("PgTableExtraConfigValue");
            "(t): PgTableExtraConfigValue[]".to_string()
        } else {
            "(t)".to_string()
        };
        tables.push(TableView {
            callback,
            doc: doc_comment(t.documentation.as_deref().or(t.comment.as_deref()), ""),
            var: naming.table(&t.object_name()).to_string(),
            ctor,
            name: js_string(&t.name),
            columns,
            extras,
            tail: if t.rls_enabled {
                ".enableRLS()".into()
            } else {
                String::new()
            },
        });
    }

    let mut sequences = Vec::new();
    for seq in &schema.sequences {
        let plan = super::plan::sequence_plan(seq);
        let ctor = match &seq.schema {
            Some(ns) => format!("{}.sequence", naming.schemas[ns]),
            None => {
                imports.core.insert("pgSequence");
                "pgSequence".into()
            }
        };
        let var = &naming.sequences[&ObjectName::new(seq.schema.clone(), seq.name.clone())];
        sequences.push(format!(
            "export const {var} = {ctor}({}, {{ {} }});",
            js_string(&seq.name),
            sequence_options(&plan)
        ));
    }

    let mut views = Vec::new();
    for v in &schema.views {
        let kind = if v.materialized {
            "materializedView"
        } else {
            "view"
        };
        let ctor = match &v.schema {
            Some(ns) => format!("{}.{kind}", naming.schemas[ns]),
            None => {
                let f = if v.materialized {
                    "pgMaterializedView"
                } else {
                    "pgView"
                };
                imports.core.insert(f);
                f.to_string()
            }
        };
        let columns = v
            .columns
            .iter()
            .map(|c| {
                let plan = plan_column(&v.name, c);
                ColumnView {
                    doc: doc_comment(c.documentation.as_deref().or(c.comment.as_deref()), "  "),
                    key: object_key(c.orm_name.as_deref().unwrap_or(&c.name)),
                    expr: column_expr(c, &plan, naming, &mut imports),
                }
            })
            .collect();
        let tail = match &v.definition {
            Some(def) => {
                imports.uses_sql = true;
                format!(".as(sql`{}`)", template_escape(def))
            }
            // Known only by its shape (a Prisma `view`): drizzle neither creates nor diffs it.
            None => ".existing()".into(),
        };
        views.push(ViewView {
            doc: doc_comment(v.documentation.as_deref(), ""),
            var: naming.views[&ObjectName::new(v.schema.clone(), v.name.clone())].clone(),
            ctor,
            name: js_string(&v.name),
            columns,
            tail,
        });
    }

    let custom_types: Vec<CustomTypeView> = naming
        .custom_types
        .iter()
        .map(|(ct, var)| CustomTypeView {
            var: var.clone(),
            sql: js_string(&ct.sql),
            data: ct.ts_data,
        })
        .collect();
    if !custom_types.is_empty() {
        imports.core.insert("customType");
    }

    let view = SchemaTs {
        header: HEADER.into(),
        core_imports: imports.core.iter().copied().collect::<Vec<_>>().join(", "),
        uses_sql: imports.uses_sql,
        type_imports: imports.types.iter().copied().collect::<Vec<_>>().join(", "),
        extra_imports: imports.extra.values().map(|s| s.to_string()).collect(),
        custom_types,
        schemas,
        enums,
        sequences,
        roles,
        tables,
        views,
    };
    SchemaTsOutput {
        text: view
            .render()
            .unwrap_or_else(|e| format!("// template error: {e}\n")),
        packages: imports.extra.keys().map(|s| s.to_string()).collect(),
    }
}

/// Key under which a column appears in the table object (`t.<key>`).
pub fn column_key(c: &Column) -> &str {
    c.orm_name.as_deref().unwrap_or(&c.name)
}

fn column_expr(c: &Column, plan: &ColumnPlan, naming: &Naming, imports: &mut Imports) -> String {
    let name = js_string(&c.name);
    let mut expr = match &plan.builder {
        Builder::Core { function, options } => {
            imports.core.insert(function);
            if options.is_empty() {
                format!("{function}({name})")
            } else {
                let opts: Vec<String> = options.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                format!("{function}({name}, {{ {} }})", opts.join(", "))
            }
        }
        Builder::Enum {
            schema,
            name: enum_name,
        } => {
            let var = naming
                .enums
                .get(&ObjectName::new(schema.clone(), enum_name.clone()))
                .cloned()
                .unwrap_or_else(|| "unknownEnum".into());
            format!("{var}({name})")
        }
        Builder::Custom(ct) => format!("{}({name})", naming.custom_types[ct]),
    };
    for _ in 0..plan.dimensions {
        expr.push_str(".array()");
    }
    if plan.primary_key {
        expr.push_str(".primaryKey()");
    }
    // Explicit even for serial builders: drizzle's bigserial does not imply NOT NULL (a primary
    // key does).
    if plan.not_null && !plan.primary_key {
        expr.push_str(".notNull()");
    }
    if let Some(d) = &plan.default {
        imports.uses_sql |= d.uses_sql;
        expr.push_str(&format!(".default({})", d.ts));
    }
    if let Some(cd) = &plan.client_default {
        expr.push_str(&format!(".$defaultFn({})", imports.client_default(cd)));
    }
    if plan.on_update_now {
        let now = match c.column_type {
            ColumnType::Timestamp { .. } | ColumnType::Date => "() => new Date()",
            _ => "() => new Date().toISOString()",
        };
        expr.push_str(&format!(".$onUpdate({now})"));
    }
    if let Some(g) = &plan.generated {
        imports.uses_sql = true;
        expr.push_str(&format!(".generatedAlwaysAs(sql`{}`)", template_escape(g)));
    }
    if let Some(id) = &plan.identity {
        let options = format!("name: {}, {}", js_string(&id.name), sequence_options(id));
        let method = if id.always {
            "generatedAlwaysAsIdentity"
        } else {
            "generatedByDefaultAsIdentity"
        };
        expr.push_str(&format!(".{method}({{ {options} }})"));
    }
    expr
}

/// `object.key` for a column of `t` (`t.authorId`).
pub(crate) fn column_ref(t: &Table, column: &str, object: &str) -> String {
    let key = t.column(column).map(column_key).unwrap_or(column);
    member(object, key)
}

/// `foreignKey({ name, columns, foreignColumns }).onDelete(…).onUpdate(…)`, both actions spelled
/// out (drizzle's default is "no action"); a self reference uses the callback's `t`.
pub(crate) fn foreign_key_expr(
    t: &Table,
    fk: &crate::model::ForeignKey,
    naming: &Naming,
    imports: &mut Imports,
) -> String {
    imports.core.insert("foreignKey");
    let columns: Vec<String> = fk.columns.iter().map(|c| column_ref(t, c, "t")).collect();
    let foreign: Vec<String> = if fk.referenced_table == t.object_name() {
        fk.referenced_columns
            .iter()
            .map(|c| column_ref(t, c, "t"))
            .collect()
    } else {
        fk.referenced_columns
            .iter()
            .map(|c| naming.column_member(&fk.referenced_table, c))
            .collect()
    };
    format!(
        "foreignKey({{ name: {}, columns: [{}], foreignColumns: [{}] }}).onDelete({}).onUpdate({})",
        js_string(&fk.name),
        columns.join(", "),
        foreign.join(", "),
        js_string(fk.on_delete.drizzle()),
        js_string(fk.on_update.drizzle()),
    )
}

/// `check(name, sql\`…\`)`.
pub(crate) fn check_expr(check: &crate::model::Check, imports: &mut Imports) -> String {
    imports.core.insert("check");
    imports.uses_sql = true;
    format!(
        "check({}, sql`{}`)",
        js_string(&check.name),
        template_escape(&check.expression)
    )
}

fn index_expr(t: &Table, index: &Index, imports: &mut Imports) -> String {
    let ctor = if index.unique { "uniqueIndex" } else { "index" };
    imports.core.insert(ctor);
    let needs_using = index.method != "btree" || index.columns.iter().any(|c| c.opclass.is_some());
    let cols: Vec<String> = index
        .columns
        .iter()
        .map(|c| {
            let mut e = if c.is_expression {
                imports.uses_sql = true;
                // drizzle has no `.op()` on sql``: the operator class goes inside the text,
                // where drizzle-kit prints it verbatim.
                match &c.opclass {
                    Some(op) => format!(
                        "sql`{} {}`",
                        template_escape(&c.expression),
                        template_escape(op)
                    ),
                    None => format!("sql`{}`", template_escape(&c.expression)),
                }
            } else {
                column_ref(t, &c.expression, "t")
            };
            if c.is_expression {
                return e;
            }
            let default_nulls = match c.order {
                SortOrder::Asc => NullsOrder::Last,
                SortOrder::Desc => NullsOrder::First,
            };
            let nulls = c.nulls.unwrap_or(default_nulls);
            match (c.order, nulls) {
                (SortOrder::Asc, NullsOrder::Last) => {}
                (SortOrder::Asc, NullsOrder::First) => e.push_str(".asc().nullsFirst()"),
                (SortOrder::Desc, NullsOrder::First) => e.push_str(".desc().nullsFirst()"),
                (SortOrder::Desc, NullsOrder::Last) => e.push_str(".desc().nullsLast()"),
            }
            if let Some(op) = &c.opclass {
                e.push_str(&format!(".op({})", js_string(op)));
            }
            e
        })
        .collect();
    let mut out = if needs_using {
        format!(
            "{ctor}({}).using({}, {})",
            js_string(&index.name),
            js_string(&index.method),
            cols.join(", ")
        )
    } else {
        format!("{ctor}({}).on({})", js_string(&index.name), cols.join(", "))
    };
    if let Some(p) = &index.predicate {
        imports.uses_sql = true;
        out.push_str(&format!(".where(sql`{}`)", template_escape(p)));
    }
    out
}

fn table_extras(t: &Table, naming: &Naming, imports: &mut Imports) -> Vec<String> {
    let mut extras = Vec::new();
    let cols = |names: &[String]| {
        names
            .iter()
            .map(|n| column_ref(t, n, "t"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let inline_pk = super::plan::inline_primary_key(t).is_some();
    if let Some(pk) = t.primary_key.as_ref().filter(|_| !inline_pk) {
        imports.core.insert("primaryKey");
        match &pk.name {
            Some(name) => extras.push(format!(
                "primaryKey({{ name: {}, columns: [{}] }})",
                js_string(name),
                cols(&pk.columns)
            )),
            None => extras.push(format!(
                "primaryKey({{ columns: [{}] }})",
                cols(&pk.columns)
            )),
        }
    }
    for u in &t.unique_constraints {
        imports.core.insert("unique");
        let mut e = format!("unique({}).on({})", js_string(&u.name), cols(&u.columns));
        if u.nulls_not_distinct {
            e.push_str(".nullsNotDistinct()");
        }
        extras.push(e);
    }
    for index in &t.indexes {
        extras.push(index_expr(t, index, imports));
    }
    for fk in &t.foreign_keys {
        extras.push(foreign_key_expr(t, fk, naming, imports));
    }
    for check in &t.checks {
        extras.push(check_expr(check, imports));
    }
    for p in &t.policies {
        imports.core.insert("pgPolicy");
        let roles: Vec<String> = p
            .roles
            .iter()
            .map(|r| match naming.roles.get(r) {
                Some(var) => var.clone(),
                None => js_string(r),
            })
            .collect();
        let mut options = vec![
            format!(
                "as: {}",
                if p.permissive {
                    "\"permissive\""
                } else {
                    "\"restrictive\""
                }
            ),
            format!("for: {}", js_string(&p.command.to_lowercase())),
            format!("to: [{}]", roles.join(", ")),
        ];
        if let Some(u) = &p.using {
            imports.uses_sql = true;
            options.push(format!("using: sql`{}`", template_escape(u)));
        }
        if let Some(w) = &p.with_check {
            imports.uses_sql = true;
            options.push(format!("withCheck: sql`{}`", template_escape(w)));
        }
        extras.push(format!(
            "pgPolicy({}, {{ {} }})",
            js_string(&p.name),
            options.join(", ")
        ));
    }
    extras
}

/// drizzle's relations v1 pair a config-less `one()` by table alone, so the back side of a
/// one-to-one (a `one` without fields) is only expressible when that pairing is unambiguous.
pub fn back_side_expressible(
    this: &ObjectName,
    target: Option<&Table>,
    r: &crate::model::RelationField,
) -> bool {
    let pointing_back = target
        .map(|t| t.relations.iter().filter(|x| x.target == *this).count())
        .unwrap_or(0);
    r.target != *this && pointing_back == 1
}

struct RelationFieldView {
    doc: String,
    line: String,
}

struct RelationsView {
    var: String,
    table: String,
    helpers: String,
    fields: Vec<RelationFieldView>,
}

#[derive(Template)]
#[template(path = "relations.ts.txt", escape = "none")]
struct RelationsTs {
    header: String,
    imports: String,
    schema_module: String,
    tables: Vec<RelationsView>,
}

/// `relations.ts`: one `relations()` per table that has relation fields, named as in Prisma.
pub fn render_relations_ts(
    schema: &Schema,
    naming: &Naming,
    schema_module: &str,
) -> Option<String> {
    let mut used = BTreeSet::new();
    let mut tables = Vec::new();
    let tables_by_name: HashMap<ObjectName, &Table> =
        schema.tables.iter().map(|t| (t.object_name(), t)).collect();
    for t in &schema.tables {
        if t.relations.is_empty() {
            continue;
        }
        let this = t.object_name();
        let var = naming.table(&this).to_string();
        used.insert(var.clone());
        let (mut one, mut many) = (false, false);
        let fields = t
            .relations
            .iter()
            .map(|r| {
                let target = naming.table(&r.target).to_string();
                used.insert(target.clone());
                let name = js_string(&r.relation_name);
                let expr = if r.many {
                    many = true;
                    format!("many({target}, {{ relationName: {name} }})")
                } else if r.fields.is_empty() {
                    if !back_side_expressible(&this, tables_by_name.get(&r.target).copied(), r) {
                        return RelationFieldView {
                            doc: doc_comment(r.documentation.as_deref(), "  "),
                            line: format!(
                                "  // {}: back side of relation {name}; drizzle relations v1 cannot tell it apart, query it from {target}",
                                r.name
                            ),
                        };
                    }
                    one = true;
                    format!("one({target})")
                } else {
                    one = true;
                    let fields: Vec<String> = r.fields.iter().map(|c| naming.column_member(&this, c)).collect();
                    let refs: Vec<String> = r.references.iter().map(|c| naming.column_member(&r.target, c)).collect();
                    format!(
                        "one({target}, {{ fields: [{}], references: [{}], relationName: {name} }})",
                        fields.join(", "),
                        refs.join(", ")
                    )
                };
                RelationFieldView {
                    doc: doc_comment(r.documentation.as_deref(), "  "),
                    line: format!("  {}: {expr},", object_key(&r.name)),
                }
            })
            .collect();
        let helpers = match (one, many) {
            (true, true) => "one, many",
            (true, false) => "one",
            (false, true) => "many",
            (false, false) => "",
        };
        tables.push(RelationsView {
            var: naming.relations[&this].clone(),
            table: var,
            helpers: helpers.into(),
            fields,
        });
    }
    if tables.is_empty() {
        return None;
    }
    let view = RelationsTs {
        header: HEADER.into(),
        imports: used.into_iter().collect::<Vec<_>>().join(", "),
        schema_module: schema_module.into(),
        tables,
    };
    Some(
        view.render()
            .unwrap_or_else(|e| format!("// template error: {e}\n")),
    )
}
