//! `schema.ts` for drizzle-orm's pg-core. Every name, escape and order is decided here (with the
//! pieces in [`crate::render::schema_ts`]); the askama template only loops.

use super::plan::{inline_primary_key, sequence_plan, ColumnPlan, IdentityPlan};
use crate::model::{
    Column, ColumnType, Dialect, Index, NullsOrder, ObjectName, Schema, SortOrder, Table,
};
use crate::render::flavour::Flavour;
use crate::render::jsdoc::doc_comment;
use crate::render::names::{js_string, template_escape, Naming};
use crate::render::plan::CustomType;
use crate::render::schema_ts::{self as ts, ColumnView, Declaration, Imports, ObjectView};

/// Everything pg-core may be asked to import besides what every dialect imports: reserved so no
/// table shadows them.
pub const CORE_NAMES: &[&str] = &[
    "pgTable",
    "pgSchema",
    "pgEnum",
    "pgView",
    "pgMaterializedView",
    "pgSequence",
    "pgRole",
    "pgPolicy",
    "integer",
    "smallint",
    "bigint",
    "serial",
    "smallserial",
    "bigserial",
    "bytea",
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
    "AnyPgColumn",
];

/// The options object body drizzle's `pgSequence` and identity builders take, every option
/// spelled out. Values past 2^53 are strings in TypeScript, or they would round.
fn sequence_options(plan: &IdentityPlan) -> String {
    let n = |v: i64| {
        if v.unsigned_abs() > (1u64 << 53) {
            format!("\"{v}\"")
        } else {
            v.to_string()
        }
    };
    let o = &plan.options;
    let cycle = if o.cycle { ", cycle: true" } else { "" };
    format!(
        "startWith: {}, increment: {}, minValue: {}, maxValue: {}, cache: {}{cycle}",
        n(o.start),
        n(o.increment),
        n(o.min_value),
        n(o.max_value),
        n(o.cache)
    )
}

pub fn render_schema_ts(
    schema: &Schema,
    naming: &Naming,
    plans: &[Vec<ColumnPlan>],
    view_plans: &[Vec<ColumnPlan>],
    flavour: Flavour,
) -> ts::SchemaTsOutput {
    let mut imports = Imports::default();
    let mut declarations = ts::custom_type_declarations(naming, custom_type_decl, &mut imports);
    // `pgTable`, `pgEnum` … unqualified; `<schema>.table` … inside a pgSchema.
    let ctor =
        |ns: &Option<String>, method: &str, plain: &'static str, imports: &mut Imports| match ns {
            Some(ns) => format!("{}.{method}", naming.schemas[ns]),
            None => {
                imports.core.insert(plain);
                plain.to_string()
            }
        };

    for (name, var) in &naming.schemas {
        imports.core.insert("pgSchema");
        declarations.push(Declaration {
            doc: String::new(),
            code: format!("export const {var} = pgSchema({});", js_string(name)),
        });
    }
    for e in &schema.enums {
        let ctor = ctor(&e.schema, "enum", "pgEnum", &mut imports);
        declarations.push(Declaration {
            doc: doc_comment(e.documentation.as_deref(), ""),
            code: format!(
                "export const {} = {ctor}({}, [{}]);",
                naming.enums[&e.object_name()],
                js_string(&e.name),
                ts::enum_values(e)
            ),
        });
    }
    for seq in &schema.sequences {
        let ctor = ctor(&seq.schema, "sequence", "pgSequence", &mut imports);
        let var = &naming.sequences[&ObjectName::new(seq.schema.clone(), seq.name.clone())];
        declarations.push(Declaration {
            doc: String::new(),
            code: format!(
                "export const {var} = {ctor}({}, {{ {} }});",
                js_string(&seq.name),
                sequence_options(&sequence_plan(seq))
            ),
        });
    }
    for (name, var) in &naming.roles {
        imports.core.insert("pgRole");
        declarations.push(Declaration {
            doc: String::new(),
            code: format!(
                "export const {var} = pgRole({}).existing();",
                js_string(name)
            ),
        });
    }

    let mut objects = Vec::new();
    for (t, table_plans) in schema.tables.iter().zip(plans) {
        let mut ctor = ctor(&t.schema, "table", "pgTable", &mut imports);
        // drizzle-orm 1.0 deprecates `.enableRLS()` for `pgTable.withRLS(…)`.
        let rls_tail = match flavour {
            Flavour::Drizzle1 if t.rls_enabled => {
                ctor.push_str(".withRLS");
                ""
            }
            _ if t.rls_enabled => ".enableRLS()",
            _ => "",
        };
        let columns = t
            .columns
            .iter()
            .zip(table_plans)
            .map(|(c, plan)| {
                ColumnView::new(c, column_expr(c, plan, naming, &mut imports, flavour))
            })
            .collect();
        let extras = table_extras(t, naming, &mut imports);
        objects.push(ObjectView {
            callback: ts::extras_callback(t, "PgTableExtraConfigValue", &mut imports),
            doc: doc_comment(t.documentation.as_deref().or(t.comment.as_deref()), ""),
            var: naming.table(&t.object_name()).to_string(),
            ctor,
            name: js_string(&t.name),
            columns,
            extras,
            tail: rls_tail.into(),
        });
    }
    for (v, plans) in schema.views.iter().zip(view_plans) {
        let ctor = if v.materialized {
            ctor(
                &v.schema,
                "materializedView",
                "pgMaterializedView",
                &mut imports,
            )
        } else {
            ctor(&v.schema, "view", "pgView", &mut imports)
        };
        let columns = v
            .columns
            .iter()
            .zip(plans)
            .map(|(c, plan)| {
                ColumnView::new(c, column_expr(c, plan, naming, &mut imports, flavour))
            })
            .collect();
        objects.push(ts::view_object(v, ctor, columns, naming, &mut imports));
    }
    ts::render(imports, declarations, objects, flavour, Dialect::Postgresql)
}

/// A `customType` whose values pass through unchanged.
fn custom_type_decl(var: &str, ct: &CustomType) -> String {
    format!(
        "const {var} = customType<{{ data: {data}; driverData: {data} }}>({{\n  dataType() {{\n    return {};\n  }},\n}});",
        js_string(&ct.sql),
        data = ct.ts_data
    )
}

fn column_expr(
    c: &Column,
    plan: &ColumnPlan,
    naming: &Naming,
    imports: &mut Imports,
    flavour: Flavour,
) -> String {
    let name = js_string(&c.name);
    let mut expr = ts::builder_call(&plan.builder, &name, naming, imports, |var, _| {
        format!("{var}({name})")
    });
    match (flavour, plan.dimensions) {
        (_, 0) => {}
        // drizzle-orm 1.0 still compiles `.array().array()`, as one dimension.
        (Flavour::Drizzle1, n @ 2..) => {
            expr.push_str(&format!(".array(\"{}\")", "[]".repeat(n as usize)));
        }
        (_, n) => {
            for _ in 0..n {
                expr.push_str(".array()");
            }
        }
    }
    if plan.primary_key {
        expr.push_str(".primaryKey()");
    }
    // Explicit even for serial builders: drizzle's bigserial does not imply NOT NULL (a primary
    // key does).
    if plan.not_null && !plan.primary_key {
        expr.push_str(".notNull()");
    }
    ts::push_defaults(&mut expr, &plan.default, &plan.client_default, imports);
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

fn index_expr(t: &Table, index: &Index, imports: &mut Imports) -> String {
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
                ts::column_ref(t, &c.expression, "t")
            };
            if c.is_expression {
                return e;
            }
            let nulls = c.nulls_order();
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
    ts::index_call(index, &cols, needs_using, imports)
}

fn table_extras(t: &Table, naming: &Naming, imports: &mut Imports) -> Vec<String> {
    let mut extras = Vec::new();
    let cols = |names: &[String]| ts::column_list(t, names);
    let inline_pk = inline_primary_key(t).is_some();
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
    extras.extend(t.indexes.iter().map(|i| index_expr(t, i, imports)));
    extras.extend(ts::foreign_keys_and_checks(t, naming, imports));
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
