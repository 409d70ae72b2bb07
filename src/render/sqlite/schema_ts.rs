//! `schema.ts` for drizzle-orm 0.45's sqlite-core. Every name, escape and order is decided here;
//! the askama template only loops.

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;

use super::plan::{index_column, Builder, Codec, ColumnPlan, TablePlan};
use crate::model::{Column, Index, ObjectName, Schema, Table};
use crate::render::drizzle::{
    check_expr, column_key, column_ref, doc_comment, foreign_key_expr, Imports, Naming,
    SchemaTsOutput, HEADER,
};
use crate::render::names::object_key;
use crate::render::plan::{js_string, template_escape, CustomType};

/// Everything `schema.ts` may import: reserved so no table or enum shadows them.
pub const CORE_NAMES: &[&str] = &[
    "sqliteTable",
    "sqliteView",
    "customType",
    "index",
    "uniqueIndex",
    "primaryKey",
    "foreignKey",
    "unique",
    "check",
    "integer",
    "text",
    "real",
    "blob",
    "numeric",
    "sql",
    "relations",
    "cuid",
    "createId",
    "nanoid",
    "ulid",
    "uuidv7",
    "SQLiteTableExtraConfigValue",
];

struct EnumView {
    doc: String,
    var: String,
    values: String,
}

struct ColumnView {
    doc: String,
    key: String,
    expr: String,
}

struct TableView {
    doc: String,
    var: String,
    name: String,
    columns: Vec<ColumnView>,
    /// `(t)` or `(t): SQLiteTableExtraConfigValue[]`.
    callback: String,
    extras: Vec<String>,
}

struct ViewView {
    doc: String,
    var: String,
    name: String,
    columns: Vec<ColumnView>,
    /// `.as(sql\`…\`)` or `.existing()`.
    tail: String,
}

#[derive(Template)]
#[template(path = "sqlite_schema.ts.txt", escape = "none")]
struct SchemaTs {
    header: String,
    core_imports: String,
    uses_sql: bool,
    type_imports: String,
    extra_imports: Vec<String>,
    custom_types: Vec<String>,
    enums: Vec<EnumView>,
    tables: Vec<TableView>,
    views: Vec<ViewView>,
}

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
    let mut out = vec![
        doc,
        format!(
            "const {var} = customType<{{ data: {}; driverData: {driver} }}>({{",
            ct.ts_data
        ),
        "  dataType() {".into(),
        format!("    return {};", js_string(&ct.sql)),
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
        Builder::Enum(e) => {
            imports.core.insert("text");
            let var = naming
                .enums
                .get(e)
                .cloned()
                .unwrap_or_else(|| "unknownEnum".into());
            format!("text({name}, {{ enum: {var} }})")
        }
        Builder::Custom(ct) => format!("{}({name})", naming.custom_types[ct]),
    };
    if plan.primary_key {
        if plan.autoincrement {
            expr.push_str(".primaryKey({ autoIncrement: true })");
        } else {
            expr.push_str(".primaryKey()");
        }
    } else if plan.not_null {
        expr.push_str(".notNull()");
    }
    if let Some(d) = &plan.default {
        imports.uses_sql |= d.uses_sql;
        expr.push_str(&format!(".default({})", d.ts));
    }
    if let Some(cd) = &plan.client_default {
        expr.push_str(&format!(".$defaultFn({})", imports.client_default(cd)));
    }
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
    let ctor = if index.unique { "uniqueIndex" } else { "index" };
    imports.core.insert(ctor);
    let cols: Vec<String> = index
        .columns
        .iter()
        .map(|c| match index_column(c) {
            (text, true) => {
                imports.uses_sql = true;
                format!("sql`{}`", template_escape(&text))
            }
            (name, false) => column_ref(t, &name, "t"),
        })
        .collect();
    let mut out = format!("{ctor}({}).on({})", js_string(&index.name), cols.join(", "));
    if let Some(p) = &index.predicate {
        imports.uses_sql = true;
        out.push_str(&format!(".where(sql`{}`)", template_escape(p)));
    }
    out
}

fn table_extras(
    t: &Table,
    plan: &TablePlan,
    naming: &Naming,
    imports: &mut Imports,
) -> Vec<String> {
    let mut extras = Vec::new();
    let cols = |names: &[String]| {
        names
            .iter()
            .map(|n| column_ref(t, n, "t"))
            .collect::<Vec<_>>()
            .join(", ")
    };
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
    for index in &t.indexes {
        extras.push(index_expr(t, index, imports));
    }
    for fk in &t.foreign_keys {
        extras.push(foreign_key_expr(t, fk, naming, imports));
    }
    for check in &t.checks {
        extras.push(check_expr(check, imports));
    }
    extras
}

pub fn render_schema_ts(
    schema: &Schema,
    naming: &Naming,
    plans: &[TablePlan],
    view_plans: &[Vec<ColumnPlan>],
) -> SchemaTsOutput {
    let mut imports = Imports {
        core: BTreeSet::new(),
        types: BTreeSet::new(),
        uses_sql: false,
        extra: BTreeMap::new(),
    };

    let enums = schema
        .enums
        .iter()
        .map(|e| EnumView {
            doc: doc_comment(e.documentation.as_deref(), ""),
            var: naming.enums[&e.object_name()].clone(),
            values: e
                .values
                .iter()
                .map(|v| js_string(&v.label))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();

    let mut tables = Vec::new();
    for (t, plan) in schema.tables.iter().zip(plans) {
        imports.core.insert("sqliteTable");
        let columns = t
            .columns
            .iter()
            .zip(&plan.columns)
            .map(|(c, p)| ColumnView {
                doc: doc_comment(c.documentation.as_deref().or(c.comment.as_deref()), "  "),
                key: object_key(column_key(c)),
                expr: column_expr(c, p, naming, &mut imports),
            })
            .collect();
        let extras = table_extras(t, plan, naming, &mut imports);
        // Tables whose foreign keys point at each other make TypeScript infer their types in a
        // cycle (TS7022); an explicit callback return type breaks it.
        let references_others = t
            .foreign_keys
            .iter()
            .any(|fk| fk.referenced_table != t.object_name());
        let callback = if references_others {
            imports.types.insert("SQLiteTableExtraConfigValue");
            "(t): SQLiteTableExtraConfigValue[]".to_string()
        } else {
            "(t)".to_string()
        };
        tables.push(TableView {
            doc: doc_comment(t.documentation.as_deref().or(t.comment.as_deref()), ""),
            var: naming.table(&t.object_name()).to_string(),
            name: js_string(&t.name),
            columns,
            callback,
            extras,
        });
    }

    let mut views = Vec::new();
    for (v, plans) in schema.views.iter().zip(view_plans) {
        imports.core.insert("sqliteView");
        let columns = v
            .columns
            .iter()
            .zip(plans)
            .map(|(c, p)| ColumnView {
                doc: doc_comment(c.documentation.as_deref().or(c.comment.as_deref()), "  "),
                key: object_key(column_key(c)),
                expr: column_expr(c, p, naming, &mut imports),
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
            name: js_string(&v.name),
            columns,
            tail,
        });
    }

    let custom_types: Vec<String> = naming
        .custom_types
        .iter()
        .map(|(ct, var)| custom_type_decl(var, ct))
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
        enums,
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
