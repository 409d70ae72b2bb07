//! The baseline `.sql` file in drizzle-kit 0.31's own format and statement order, so it is the same
//! script `drizzle-kit generate` would write for our `schema.ts` (and so runnable on a fresh database).

use super::plan::{ColumnPlan, IdentityPlan};
use crate::model::{Deferrable, Domain, Index, NullsOrder, Policy, Schema, SortOrder, Table};
use crate::render::sql::BREAKPOINT;

/// Type names drizzle-kit prints bare; everything else it double-quotes.
const NATIVE_PREFIXES: &[&str] = &[
    "uuid",
    "smallint",
    "integer",
    "bigint",
    "boolean",
    "text",
    "varchar",
    "serial",
    "bigserial",
    "decimal",
    "numeric",
    "real",
    "json",
    "jsonb",
    "time",
    "timestamp",
    "date",
    "interval",
    "double precision",
    "char",
    "vector",
    "geometry",
    "halfvec",
    "sparsevec",
    "bit",
];

fn q(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

fn table_ref(schema: &Option<String>, name: &str) -> String {
    match schema {
        Some(s) => format!("{}.{}", q(s), q(name)),
        None => q(name),
    }
}

fn sql_type(plan: &ColumnPlan) -> String {
    if let Some(ts) = &plan.type_schema {
        let base = plan.sql_type.trim_end_matches("[]");
        let suffix = &plan.sql_type[base.len()..];
        return if ts == "public" {
            format!("{}{suffix}", q(base))
        } else {
            format!("{}.{}{suffix}", q(ts), q(base))
        };
    }
    let base = plan.sql_type.trim_end_matches("[]");
    let suffix = &plan.sql_type[base.len()..];
    // `smallserial` is not in drizzle-kit's list, but quoting it names no type: print it bare.
    if NATIVE_PREFIXES.iter().any(|p| base.starts_with(p)) || base == "smallserial" {
        plan.sql_type.replace("timestamp (", "timestamp(")
    } else if super::plan::qualified_simple(base).is_some() {
        // A type of another schema as drizzle 1.0 names it (`billing.code`): bare, as it writes it.
        plan.sql_type.clone()
    } else if base.contains("\".\"") {
        // A schema-qualified custom type (`billing"."code`, see the plan): quoted as drizzle-kit does.
        format!("\"{base}\"{suffix}")
    } else {
        format!("{}{suffix}", q(base))
    }
}

fn create_table(t: &Table, plans: &[ColumnPlan]) -> String {
    let mut lines = Vec::new();
    for (c, plan) in t.columns.iter().zip(plans) {
        let mut line = format!("\t{} {}", q(&c.name), sql_type(plan));
        if let Some(d) = &plan.default {
            line.push_str(&format!(" DEFAULT {}", d.migration_sql()));
        }
        if let Some(g) = &plan.generated {
            line.push_str(&format!(" GENERATED ALWAYS AS ({g}) STORED"));
        }
        // drizzle-kit leaves NOT NULL off identity columns (identity implies it).
        if plan.not_null && plan.identity.is_none() {
            line.push_str(" NOT NULL");
        }
        if let Some(id) = &plan.identity {
            line.push_str(&format!(
                " GENERATED {} AS IDENTITY (sequence name {} {})",
                if id.always { "ALWAYS" } else { "BY DEFAULT" },
                q(&id.name),
                id.options.sql_words()
            ));
        }
        lines.push(line);
    }
    if let Some(pk) = &t.primary_key {
        let name = pk
            .name
            .clone()
            .unwrap_or_else(|| format!("{}_{}_pk", t.name, pk.columns.join("_")));
        let cols: Vec<String> = pk.columns.iter().map(|c| q(c)).collect();
        lines.push(format!(
            "\tCONSTRAINT {} PRIMARY KEY({})",
            q(&name),
            cols.join(",")
        ));
    }
    for u in &t.unique_constraints {
        let cols: Vec<String> = u.columns.iter().map(|c| q(c)).collect();
        let nnd = if u.nulls_not_distinct {
            " NULLS NOT DISTINCT"
        } else {
            ""
        };
        lines.push(format!(
            "\tCONSTRAINT {} UNIQUE{nnd}({}){}",
            q(&u.name),
            cols.join(","),
            deferrable(u.deferrable)
        ));
    }
    for c in &t.checks {
        lines.push(format!(
            "\tCONSTRAINT {} CHECK ({})",
            q(&c.name),
            c.expression
        ));
    }
    format!(
        "CREATE TABLE {} (\n{}\n);\n",
        table_ref(&t.schema, &t.name),
        lines.join(",\n")
    )
}

fn create_index(t: &Table, i: &Index) -> String {
    let cols: Vec<String> = i
        .columns
        .iter()
        .map(|c| {
            let mut s = if c.is_expression {
                c.expression.clone()
            } else {
                q(&c.expression)
            };
            // drizzle-kit writes an operator class instead of DESC (losing it); the baseline
            // keeps both, and writes NULLS only where it is not the order's default.
            if let Some(op) = &c.opclass {
                s.push_str(&format!(" {op}"));
            }
            if c.order == SortOrder::Desc {
                s.push_str(" DESC");
            }
            let default_nulls = c.default_nulls();
            let nulls = c.nulls_order();
            let asc_last = c.order == SortOrder::Asc && nulls == NullsOrder::Last;
            // Plain columns exactly as drizzle-kit prints them (`"a" DESC NULLS FIRST`).
            let drizzle_form = c.opclass.is_none() && !c.is_expression;
            if (drizzle_form && !asc_last) || (!drizzle_form && nulls != default_nulls) {
                s.push_str(match nulls {
                    NullsOrder::First => " NULLS FIRST",
                    NullsOrder::Last => " NULLS LAST",
                });
            }
            s
        })
        .collect();
    let unique = if i.unique { "UNIQUE " } else { "" };
    let mut sql = format!(
        "CREATE {unique}INDEX {} ON {} USING {} ({})",
        q(&i.name),
        table_ref(&t.schema, &t.name),
        i.method,
        cols.join(",")
    );
    if !i.include.is_empty() {
        let include: Vec<String> = i.include.iter().map(|c| q(c)).collect();
        sql.push_str(&format!(" INCLUDE ({})", include.join(",")));
    }
    if let Some(p) = &i.predicate {
        sql.push_str(&format!(" WHERE {p}"));
    }
    sql.push(';');
    sql
}

/// All statements, in drizzle-kit's order (schemas, enums, tables, indexes, foreign keys) except
/// that indexes come before foreign keys: a foreign key may reference a unique *index*, which must
/// exist first (drizzle-kit's own order fails there).
/// ` DEFERRABLE …`: drizzle cannot express it (a reported loss), the baseline still keeps it.
fn deferrable(d: Option<Deferrable>) -> &'static str {
    match d {
        None => "",
        Some(Deferrable::InitiallyImmediate) => " DEFERRABLE",
        Some(Deferrable::InitiallyDeferred) => " DEFERRABLE INITIALLY DEFERRED",
    }
}

fn create_domain(d: &Domain) -> String {
    let mut sql = format!(
        "CREATE DOMAIN {} AS {}",
        table_ref(&d.schema, &d.name),
        d.base_type
    );
    if let Some(default) = &d.default {
        sql.push_str(&format!(" DEFAULT {default}"));
    }
    if d.not_null {
        sql.push_str(" NOT NULL");
    }
    for c in &d.checks {
        sql.push_str(&format!(
            " CONSTRAINT {} CHECK ({})",
            q(&c.name),
            c.expression
        ));
    }
    sql.push(';');
    sql
}

/// A role name as drizzle-kit prints it in `TO`: `public` and the `current_user` family bare.
pub fn policy_role(role: &str) -> String {
    match role {
        "public" | "current_role" | "current_user" | "session_user" => role.to_string(),
        _ => q(role),
    }
}

/// `CREATE POLICY` exactly as drizzle-kit writes it.
fn create_policy(t: &Table, p: &Policy) -> String {
    let roles: Vec<String> = if p.roles.is_empty() {
        vec!["public".to_string()]
    } else {
        p.roles.iter().map(|r| policy_role(r)).collect()
    };
    let mut sql = format!(
        "CREATE POLICY {} ON {} AS {} FOR {} TO {}",
        q(&p.name),
        table_ref(&t.schema, &t.name),
        p.kind(),
        p.command,
        roles.join(", ")
    );
    if let Some(u) = &p.using {
        sql.push_str(&format!(" USING ({u})"));
    }
    if let Some(w) = &p.with_check {
        sql.push_str(&format!(" WITH CHECK ({w})"));
    }
    sql.push(';');
    sql
}

fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// `CREATE EXTENSION IF NOT EXISTS "name" [WITH SCHEMA "s"] [VERSION "v"];`
pub fn create_extension(e: &crate::model::Extension) -> String {
    let mut s = format!("CREATE EXTENSION IF NOT EXISTS {}", q(&e.name));
    if let Some(schema) = &e.schema {
        s.push_str(&format!(" WITH SCHEMA {}", q(schema)));
    }
    if let Some(version) = &e.version {
        s.push_str(&format!(" VERSION {}", q(version)));
    }
    s.push(';');
    s
}

pub fn statements(
    schema: &Schema,
    plans: &[Vec<ColumnPlan>],
    sequences: &[IdentityPlan],
) -> Vec<String> {
    let mut out = Vec::new();
    for ns in &schema.namespaces {
        out.push(format!("CREATE SCHEMA {};\n", q(ns)));
    }
    // Extensions (declared or implied) after the schemas they may live in, sorted by name as
    // Prisma does, before any type, operator class or default uses them.
    let mut extensions: Vec<_> = crate::render::extensions::required_extensions(schema)
        .into_iter()
        .map(|r| r.extension)
        .collect();
    extensions.sort_by(|a, b| a.name.cmp(&b.name));
    // An extension may live in a schema the tables do not use (`extensions`): create it too.
    let mut own_schemas: Vec<&str> = Vec::new();
    for ns in extensions.iter().filter_map(|e| e.schema.as_deref()) {
        if ns != "public"
            && !schema.namespaces.iter().any(|n| n == ns)
            && !own_schemas.contains(&ns)
        {
            own_schemas.push(ns);
            out.push(format!("CREATE SCHEMA IF NOT EXISTS {};\n", q(ns)));
        }
    }
    for e in &extensions {
        out.push(create_extension(e));
    }
    for e in &schema.enums {
        let values: Vec<String> = e
            .values
            .iter()
            .map(|v| format!("'{}'", v.label.replace('\'', "''")))
            .collect();
        let schema_name = e.schema.as_deref().unwrap_or("public");
        out.push(format!(
            "CREATE TYPE {}.{} AS ENUM({});",
            q(schema_name),
            q(&e.name),
            values.join(", ")
        ));
    }
    // Domains: drizzle cannot create them (a reported loss); columns name them as custom types.
    for d in &schema.domains {
        out.push(create_domain(d));
    }
    for (seq, p) in schema.sequences.iter().zip(sequences) {
        out.push(format!(
            "CREATE SEQUENCE {}.{} {};",
            q(seq.schema.as_deref().unwrap_or("public")),
            q(&seq.name),
            p.options.sql_words()
        ));
    }
    for (t, p) in schema.tables.iter().zip(plans) {
        out.push(create_table(t, p));
        if t.rls_enabled {
            out.push(format!(
                "ALTER TABLE {} ENABLE ROW LEVEL SECURITY;",
                table_ref(&t.schema, &t.name)
            ));
        }
    }
    for t in &schema.tables {
        for i in &t.indexes {
            out.push(create_index(t, i));
        }
    }
    for t in &schema.tables {
        for fk in &t.foreign_keys {
            let from: Vec<String> = fk.columns.iter().map(|c| q(c)).collect();
            let to: Vec<String> = fk.referenced_columns.iter().map(|c| q(c)).collect();
            let target_schema = fk.referenced_table.schema.as_deref().unwrap_or("public");
            out.push(format!(
                "ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {}.{}({}) ON DELETE {} ON UPDATE {}{};",
                table_ref(&t.schema, &t.name),
                q(&fk.name),
                from.join(","),
                q(target_schema),
                q(&fk.referenced_table.name),
                to.join(","),
                fk.on_delete.drizzle(),
                fk.on_update.drizzle(),
                deferrable(fk.deferrable),
            ));
        }
    }
    for v in &schema.views {
        // Views known only by their shape (Prisma `view` blocks) exist already: no DDL.
        let Some(definition) = &v.definition else {
            continue;
        };
        let kind = if v.materialized {
            "MATERIALIZED VIEW"
        } else {
            "VIEW"
        };
        let schema_name = v.schema.as_deref().unwrap_or("public");
        let definition = definition.trim().trim_end_matches(';');
        out.push(format!(
            "CREATE {kind} {}.{} AS ({definition});",
            q(schema_name),
            q(&v.name)
        ));
    }
    for t in &schema.tables {
        for p in &t.policies {
            out.push(create_policy(t, p));
        }
    }
    // Comments: drizzle does not track them, the baseline keeps them.
    for d in &schema.domains {
        if let Some(c) = &d.comment {
            out.push(format!(
                "COMMENT ON DOMAIN {} IS {};",
                table_ref(&d.schema, &d.name),
                literal(c)
            ));
        }
    }
    for v in &schema.views {
        // Only views we create: a Prisma view's documentation is no database comment.
        if let (Some(_), Some(c)) = (&v.definition, &v.documentation) {
            let kind = if v.materialized {
                "MATERIALIZED VIEW"
            } else {
                "VIEW"
            };
            out.push(format!(
                "COMMENT ON {kind} {} IS {};",
                table_ref(&v.schema, &v.name),
                literal(c)
            ));
        }
    }
    for t in &schema.tables {
        let table = table_ref(&t.schema, &t.name);
        if let Some(c) = &t.comment {
            out.push(format!("COMMENT ON TABLE {table} IS {};", literal(c)));
        }
        for col in &t.columns {
            if let Some(c) = &col.comment {
                out.push(format!(
                    "COMMENT ON COLUMN {table}.{} IS {};",
                    q(&col.name),
                    literal(c)
                ));
            }
        }
    }
    out
}

/// The file text: statements joined by breakpoints, no trailing newline.
pub fn migration_sql(
    schema: &Schema,
    plans: &[Vec<ColumnPlan>],
    sequences: &[IdentityPlan],
) -> String {
    statements(schema, plans, sequences).join(BREAKPOINT)
}
