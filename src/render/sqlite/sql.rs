//! The baseline `.sql` file in drizzle-kit 0.31's SQLite format: backtick identifiers, foreign keys
//! and composite primary keys inline in `CREATE TABLE`, each table followed by its indexes, views
//! last; statements joined by breakpoints (SQLite migrators run one statement per chunk).
//!
//! The same text serves drizzle-kit 1.0 (it is ours and catalog-exact), except that 1.0 has real
//! unique constraints: they are written inline as `CONSTRAINT … UNIQUE(…)`, as the source had them,
//! where 0.31 could only say a unique index.

use super::plan::{index_column, ColumnPlan, TablePlan};
use crate::model::{Index, Schema, Table};
use crate::render::flavour::Flavour;
use crate::render::sql::BREAKPOINT;

/// A backtick-quoted identifier (a backtick inside is doubled; drizzle-kit would not escape it).
fn q(ident: &str) -> String {
    format!("`{}`", ident.replace('`', "``"))
}

fn column_line(c: &crate::model::Column, plan: &ColumnPlan) -> String {
    let declared = plan.declared.as_deref().unwrap_or(&plan.sql_type);
    let mut line = format!("\t{} {declared}", q(&c.name));
    if plan.primary_key {
        line.push_str(" PRIMARY KEY");
    }
    if plan.autoincrement {
        line.push_str(" AUTOINCREMENT");
    }
    if let Some(d) = &plan.default {
        line.push_str(&format!(" DEFAULT {}", d.migration_sql()));
    }
    if let Some(g) = &plan.generated {
        line.push_str(&format!(" GENERATED ALWAYS AS ({g}) STORED"));
    }
    if plan.not_null {
        line.push_str(" NOT NULL");
    }
    line
}

fn create_table(t: &Table, plan: &TablePlan, flavour: Flavour) -> String {
    let mut sql = format!("CREATE TABLE {} (\n", q(&t.name));
    let columns: Vec<String> = t
        .columns
        .iter()
        .zip(&plan.columns)
        .map(|(c, p)| column_line(c, p))
        .collect();
    sql.push_str(&columns.join(",\n"));
    if let Some(pk) = &plan.composite_pk {
        let cols: Vec<String> = pk.iter().map(|c| q(c)).collect();
        sql.push_str(&format!(",\n\tPRIMARY KEY({})", cols.join(", ")));
    }
    for fk in &t.foreign_keys {
        let from: Vec<String> = fk.columns.iter().map(|c| q(c)).collect();
        let to: Vec<String> = fk.referenced_columns.iter().map(|c| q(c)).collect();
        sql.push_str(&format!(
            ",\n\tFOREIGN KEY ({}) REFERENCES {}({}) ON UPDATE {} ON DELETE {}",
            from.join(","),
            q(&fk.referenced_table.name),
            to.join(","),
            fk.on_update.drizzle(),
            fk.on_delete.drizzle()
        ));
    }
    if flavour == Flavour::Drizzle1 {
        for u in &t.unique_constraints {
            let cols: Vec<String> = u.columns.iter().map(|c| q(c)).collect();
            sql.push_str(&format!(
                ",\n\tCONSTRAINT {} UNIQUE({})",
                q(&u.name),
                cols.join(", ")
            ));
        }
    }
    for c in &t.checks {
        sql.push_str(&format!(
            ",\n\tCONSTRAINT \"{}\" CHECK({})",
            c.name.replace('"', "\"\""),
            c.expression
        ));
    }
    sql.push_str("\n);\n");
    sql
}

fn create_index(
    t: &Table,
    name: &str,
    unique: bool,
    columns: &[String],
    predicate: Option<&str>,
) -> String {
    let kind = if unique { "UNIQUE INDEX" } else { "INDEX" };
    let mut sql = format!(
        "CREATE {kind} {} ON {} ({})",
        q(name),
        q(&t.name),
        columns.join(",")
    );
    if let Some(p) = predicate {
        sql.push_str(&format!(" WHERE {p}"));
    }
    sql.push(';');
    sql
}

fn index_columns(i: &Index) -> Vec<String> {
    i.columns
        .iter()
        .map(|c| match index_column(c) {
            (text, true) => text,
            (name, false) => q(&name),
        })
        .collect()
}

/// All statements: each table, then its indexes (drizzle's unique constraints are unique indexes
/// too); then the views that have a definition.
pub fn statements(schema: &Schema, plans: &[TablePlan], flavour: Flavour) -> Vec<String> {
    let mut out = Vec::new();
    for (t, plan) in schema.tables.iter().zip(plans) {
        out.push(create_table(t, plan, flavour));
        for i in &t.indexes {
            out.push(create_index(
                t,
                &i.name,
                i.unique,
                &index_columns(i),
                i.predicate.as_deref(),
            ));
        }
        if flavour == Flavour::Drizzle045Kit031 {
            for u in &t.unique_constraints {
                let cols: Vec<String> = u.columns.iter().map(|c| q(c)).collect();
                out.push(create_index(t, &u.name, true, &cols, None));
            }
        }
    }
    for v in &schema.views {
        // Views known only by their shape (Prisma `view` blocks) exist already: no DDL.
        if let Some(definition) = &v.definition {
            out.push(format!(
                "CREATE VIEW {} AS {};",
                q(&v.name),
                definition.trim().trim_end_matches(';')
            ));
        }
    }
    out
}

/// The file text: statements joined by breakpoints, no trailing newline.
pub fn migration_sql(schema: &Schema, plans: &[TablePlan], flavour: Flavour) -> String {
    statements(schema, plans, flavour).join(BREAKPOINT)
}
