//! `schema.ts` for drizzle-orm's sqlite-core. Every name, escape and order is decided here (with
//! the pieces in [`crate::render::schema_ts`]); the askama template only loops.

use super::plan::{index_column, Codec, ColumnPlan, TablePlan};
use crate::model::{Column, Dialect, Index, Schema, Table};
use crate::render::flavour::Flavour;
use crate::render::jsdoc::doc_comment;
use crate::render::names::{js_string, template_escape, Naming};
use crate::render::plan::CustomType;
use crate::render::schema_ts::{self as ts, ColumnView, Declaration, Imports, ObjectView};

/// Everything sqlite-core may be asked to import besides what every dialect imports: reserved so
/// no table or enum shadows them.
pub const CORE_NAMES: &[&str] = &[
    "sqliteTable",
    "sqliteView",
    "integer",
    "text",
    "real",
    "blob",
    "numeric",
    "SQLiteTableExtraConfigValue",
];

/// The `customType` declaration for one declared type and codec.
fn custom_type_decl(var: &str, ct: &CustomType) -> String {
    let shown = ct.sql.replace("*/", "*\\/");
    let (doc, driver, to_driver, from_driver): (String, &str, Option<&str>, Vec<&str>) =
        match Codec::of(ct) {
            Codec::Boolean => (
                format!("/** `{shown}` stored as 1 / 0, as Prisma does. */"),
                "number | bigint | string",
                Some("return value ? 1 : 0;"),
                vec!["return typeof value === \"string\" ? value === \"1\" || value.toLowerCase() === \"true\" : Number(value) !== 0;"],
            ),
            Codec::DateTime => (
                format!(
                    "/**\n * `{shown}` as a `Date`, written as ISO 8601 text (Prisma 7's storage). Reads that, SQLite's\n * `CURRENT_TIMESTAMP` text (UTC) and Prisma 6's epoch milliseconds.\n */"
                ),
                "string | number | bigint",
                Some("return value.toISOString();"),
                vec![
                    "if (typeof value !== \"string\") return new Date(Number(value));",
                    "const m = /^(\\d{4}-\\d{2}-\\d{2})[T ](\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?) ?(Z|[+-]\\d{2}:\\d{2})?$/i.exec(value);",
                    "return m ? new Date(`${m[1]}T${m[2]}${m[3] && m[3].toUpperCase() !== \"Z\" ? m[3] : \"Z\"}`) : new Date(value);",
                ],
            ),
            Codec::BigInt => (
                format!("/** `{shown}` as a `bigint`. */"),
                "number | bigint | string",
                Some("return value;"),
                vec!["return BigInt(value);"],
            ),
            Codec::Json => (
                format!("/** `{shown}` holding JSON text, as Prisma stores `Json` on SQLite. */"),
                "string | number",
                Some("return JSON.stringify(value);"),
                vec!["return typeof value === \"string\" ? JSON.parse(value) : value;"],
            ),
            Codec::Text => (
                format!("/** `{shown}`, read back as text. */"),
                "string | number",
                None,
                vec!["return String(value);"],
            ),
        };
    // drizzle-kit 1.0 reads the declared type back by its affinity's name: say why it is written.
    let doc = match &ct.data_type {
        Some(name) => format!(
            "{doc}\n// The database declares `{shown}` (our migration writes it); drizzle-kit 1.0 names it `{name}`."
        ),
        None => doc,
    };
    let mut out = vec![
        doc,
        format!(
            "const {var} = customType<{{ data: {}; driverData: {driver} }}>({{",
            ct.ts_data
        ),
        "  dataType() {".into(),
        format!(
            "    return {};",
            js_string(ct.data_type.as_deref().unwrap_or(&ct.sql))
        ),
        "  },".into(),
    ];
    if let Some(body) = to_driver {
        out.push("  toDriver(value) {".into());
        out.push(format!("    {body}"));
        out.push("  },".into());
    }
    out.push("  fromDriver(value) {".into());
    for line in from_driver {
        out.push(format!("    {line}"));
    }
    out.push("  },".into());
    out.push("});".into());
    out.join("\n")
}

fn column_expr(c: &Column, plan: &ColumnPlan, naming: &Naming, imports: &mut Imports) -> String {
    let name = js_string(&c.name);
    let mut expr = ts::builder_call(&plan.builder, &name, naming, imports, |var, imports| {
        imports.core.insert("text");
        format!("text({name}, {{ enum: {var} }})")
    });
    if plan.primary_key {
        if plan.autoincrement {
            expr.push_str(".primaryKey({ autoIncrement: true })");
        } else {
            expr.push_str(".primaryKey()");
        }
    } else if plan.not_null {
        expr.push_str(".notNull()");
    }
    ts::push_defaults(&mut expr, &plan.default, &plan.client_default, imports);
    if let Some(f) = plan.on_update {
        expr.push_str(&format!(".$onUpdate({f})"));
    }
    if let Some(g) = &plan.generated {
        imports.uses_sql = true;
        expr.push_str(&format!(
            ".generatedAlwaysAs(sql`{}`, {{ mode: \"stored\" }})",
            template_escape(g)
        ));
    }
    expr
}

fn index_expr(t: &Table, index: &Index, imports: &mut Imports) -> String {
    let cols: Vec<String> = index
        .columns
        .iter()
        .map(|c| match index_column(c) {
            (text, true) => {
                imports.uses_sql = true;
                format!("sql`{}`", template_escape(&text))
            }
            (name, false) => ts::column_ref(t, &name, "t"),
        })
        .collect();
    ts::index_call(index, &cols, false, imports)
}

fn table_extras(
    t: &Table,
    plan: &TablePlan,
    naming: &Naming,
    imports: &mut Imports,
) -> Vec<String> {
    let mut extras = Vec::new();
    let cols = |names: &[String]| ts::column_list(t, names);
    if let Some(pk) = &plan.composite_pk {
        imports.core.insert("primaryKey");
        extras.push(format!("primaryKey({{ columns: [{}] }})", cols(pk)));
    }
    // SQLite has no separate unique constraints in drizzle: `unique()` becomes a unique index.
    for u in &t.unique_constraints {
        imports.core.insert("unique");
        extras.push(format!(
            "unique({}).on({})",
            js_string(&u.name),
            cols(&u.columns)
        ));
    }
    extras.extend(t.indexes.iter().map(|i| index_expr(t, i, imports)));
    extras.extend(ts::foreign_keys_and_checks(t, naming, imports));
    extras
}

pub fn render_schema_ts(
    schema: &Schema,
    naming: &Naming,
    plans: &[TablePlan],
    view_plans: &[Vec<ColumnPlan>],
    flavour: Flavour,
) -> ts::SchemaTsOutput {
    let mut imports = Imports::default();
    let mut declarations = ts::custom_type_declarations(naming, custom_type_decl, &mut imports);
    for e in &schema.enums {
        declarations.push(Declaration {
            doc: doc_comment(e.documentation.as_deref(), ""),
            code: format!(
                "export const {} = [{}] as const;",
                naming.enums[&e.object_name()],
                ts::enum_values(e)
            ),
        });
    }

    let mut objects = Vec::new();
    for (t, plan) in schema.tables.iter().zip(plans) {
        imports.core.insert("sqliteTable");
        let columns = t
            .columns
            .iter()
            .zip(&plan.columns)
            .map(|(c, p)| ColumnView::new(c, column_expr(c, p, naming, &mut imports)))
            .collect();
        let extras = table_extras(t, plan, naming, &mut imports);
        objects.push(ObjectView {
            callback: ts::extras_callback(t, "SQLiteTableExtraConfigValue", &mut imports),
            doc: doc_comment(t.documentation.as_deref().or(t.comment.as_deref()), ""),
            var: naming.table(&t.object_name()).to_string(),
            ctor: "sqliteTable".into(),
            name: js_string(&t.name),
            columns,
            extras,
            tail: String::new(),
        });
    }
    for (v, plans) in schema.views.iter().zip(view_plans) {
        imports.core.insert("sqliteView");
        let columns = v
            .columns
            .iter()
            .zip(plans)
            .map(|(c, p)| ColumnView::new(c, column_expr(c, p, naming, &mut imports)))
            .collect();
        objects.push(ts::view_object(
            v,
            "sqliteView".into(),
            columns,
            naming,
            &mut imports,
        ));
    }
    ts::render(imports, declarations, objects, flavour, Dialect::Sqlite)
}
