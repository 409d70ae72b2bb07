//! The loss report: what the database (or Prisma) has that drizzle 0.45 cannot express. Each
//! item is kept in the baseline SQL where SQL can say it, but drizzle-kit will not know about it,
//! so a later migration touching that object may drop it. Nothing is dropped silently.

use serde::Serialize;

use super::flavour::Flavour;
use crate::model::{Dialect, Schema, SortOrder};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Loss {
    /// `table`, `table.column`, `table.constraint`, `schema.view` …
    pub object: String,
    /// Short machine-readable kind (`deferrable_constraint`, `comment`, …).
    pub kind: &'static str,
    pub detail: String,
    /// Whether the baseline SQL still reproduces it exactly.
    pub in_baseline: bool,
}

/// Everything lost, for either dialect, in the files of `flavour`.
pub fn losses(schema: &Schema, flavour: Flavour) -> Vec<Loss> {
    let mut out = general_losses(schema, flavour);
    if schema.dialect == Dialect::Sqlite {
        out.extend(sqlite_losses(schema));
    }
    out
}

fn general_losses(schema: &Schema, flavour: Flavour) -> Vec<Loss> {
    let mut out = Vec::new();
    for r in super::extensions::required_extensions(schema) {
        if let Some(why) = r.implied_by {
            out.push(Loss {
                object: r.extension.name.clone(),
                kind: "assumed_extension",
                detail: format!(
                    "extension not declared but needed ({why}): the baseline creates it (CREATE EXTENSION IF NOT EXISTS); declare it (Prisma `extensions = [...]`) to say so"
                ),
                in_baseline: true,
            });
        }
    }
    for d in &schema.domains {
        let name = crate::model::ObjectName::new(d.schema.clone(), d.name.clone());
        out.push(Loss {
            object: name.to_string(),
            kind: "domain",
            detail: format!(
                "domain over {}: drizzle cannot create domains; the baseline does (CREATE DOMAIN), schema.ts uses it as a customType",
                d.base_type
            ),
            in_baseline: true,
        });
    }
    for role in &schema.roles {
        out.push(Loss {
            object: role.clone(),
            kind: "role",
            detail: "role named by a policy: declared pgRole(…).existing(); neither the baseline nor drizzle-kit creates it, it must exist first".into(),
            in_baseline: false,
        });
    }
    for v in &schema.views {
        if v.definition.is_some() && v.documentation.is_some() {
            out.push(Loss {
                object: crate::model::ObjectName::new(v.schema.clone(), v.name.clone()).to_string(),
                kind: "comment",
                detail: "view comment: written as JSDoc and COMMENT ON in the baseline; drizzle-kit does not track it".into(),
                in_baseline: true,
            });
        }
    }
    for t in &schema.tables {
        let table = t.object_name().to_string();
        if !t.rls_enabled && !t.policies.is_empty() {
            out.push(Loss {
                object: table.clone(),
                kind: "policies_without_rls",
                detail: "policies on a table without row level security: drizzle-kit enables RLS on every table with a policy; the baseline keeps it disabled".into(),
                in_baseline: true,
            });
        }
        let deferrable = t
            .unique_constraints
            .iter()
            .filter(|u| u.deferrable.is_some())
            .map(|u| (&u.name, "unique constraint: drizzle's unique()"))
            .chain(
                t.foreign_keys
                    .iter()
                    .filter(|fk| fk.deferrable.is_some())
                    .map(|fk| (&fk.name, "foreign key: drizzle's foreignKey()")),
            );
        for (name, what) in deferrable {
            out.push(Loss {
                object: format!("{table}.{name}"),
                kind: "deferrable_constraint",
                detail: format!("DEFERRABLE {what} has no deferrable option"),
                in_baseline: true,
            });
        }
        for i in &t.indexes {
            if i.columns
                .iter()
                .any(|c| c.opclass.is_some() && c.order == SortOrder::Desc)
            {
                out.push(Loss {
                    object: format!("{table}.{}", i.name),
                    kind: "index_order_with_opclass",
                    detail: "DESC on a column with an operator class: drizzle-kit drops DESC when it writes the index".into(),
                    in_baseline: true,
                });
            }
            if i.columns
                .iter()
                .any(|c| c.is_expression && (c.order == SortOrder::Desc || c.nulls.is_some()))
            {
                out.push(Loss {
                    object: format!("{table}.{}", i.name),
                    kind: "index_expression_order",
                    detail: "DESC or NULLS on an expression column: drizzle's sql`` index columns take no order".into(),
                    in_baseline: true,
                });
            }
            if !i.include.is_empty() {
                out.push(Loss {
                    object: format!("{table}.{}", i.name),
                    kind: "index_include",
                    detail: format!(
                        "INCLUDE ({}) columns: drizzle indexes have no INCLUDE",
                        i.include.join(", ")
                    ),
                    in_baseline: true,
                });
            }
        }
        if t.comment.is_some() || t.columns.iter().any(|c| c.comment.is_some()) {
            out.push(Loss {
                object: table.clone(),
                kind: "comment",
                detail: "table/column comments: written as JSDoc and COMMENT ON in the baseline; drizzle-kit does not track them".into(),
                in_baseline: true,
            });
        }
        // drizzle-orm 1.0's defineRelations expresses every back side (from/to reversed).
        for r in t
            .relations
            .iter()
            .filter(|_| flavour == Flavour::Drizzle045Kit031)
        {
            let back_side = !r.many && r.fields.is_empty();
            if back_side
                && !super::relations::back_side_expressible(
                    &t.object_name(),
                    schema.table(&r.target),
                    r,
                )
            {
                out.push(Loss {
                        object: format!("{table}.{}", r.name),
                        kind: "relation_back_side",
                        detail: format!(
                            "back side of one-to-one relation {}: drizzle relations v1 cannot tell it apart; query it from the other side",
                            r.relation_name
                        ),
                        in_baseline: true,
                });
            }
        }
    }
    out
}

/// What sqlite-core cannot say about a SQLite schema (nothing a Prisma schema produces).
fn sqlite_losses(schema: &Schema) -> Vec<Loss> {
    let mut out = Vec::new();
    for t in &schema.tables {
        for u in &t.unique_constraints {
            out.push(Loss {
                object: format!("{}.{}", t.name, u.name),
                kind: "sqlite_unique_constraint",
                detail: "table-level UNIQUE constraint: drizzle's SQLite unique() is a unique index (same rule, another catalog entry)".into(),
                in_baseline: false,
            });
        }
        if let Some(pk) = &t.primary_key {
            if let [one] = pk.columns.as_slice() {
                if t.column(one).is_some_and(|c| c.nullable) {
                    out.push(Loss {
                        object: format!("{}.{one}", t.name),
                        kind: "sqlite_nullable_primary_key",
                        detail: "nullable single-column primary key: drizzle's primaryKey() implies NOT NULL".into(),
                        in_baseline: false,
                    });
                }
            }
        }
    }
    out
}
