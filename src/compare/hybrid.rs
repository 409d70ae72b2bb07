//! Hybrid input: a Prisma schema and the live database it was migrated into, merged into one
//! model. The database is the physical truth (every name, type, default, index, constraint and
//! enum label order); Prisma adds what only it knows (model, field and enum value names, relation
//! fields and their names, client-side defaults, `@updatedAt`, `///` documentation). Every
//! disagreement is resolved in favour of the database and reported with both values.

use std::collections::HashMap;

use super::{diff, find_column, key, Diff, DiffOptions};
use crate::model::{ObjectName, RelationField, Schema, SourceKind, Table};

/// The merged model and where the two sources disagreed (left = Prisma, right = the database).
#[derive(Debug, Clone)]
pub struct Merged {
    pub schema: Schema,
    pub disagreements: Diff,
}

#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("the Prisma schema is for {prisma:?} but the database is {database:?}")]
    DialectMismatch {
        prisma: crate::model::Dialect,
        database: crate::model::Dialect,
    },
}

fn table_named<'t>(tables: &'t [Table], schema: &Option<String>, name: &str) -> Option<&'t Table> {
    tables
        .iter()
        .find(|t| key(&t.schema, &t.name) == key(schema, name))
}

/// The database's spelling of each of `names` in `table`; `None` when one is missing.
fn db_names(table: &Table, names: &[String]) -> Option<Vec<String>> {
    names
        .iter()
        .map(|n| find_column(table, n).map(|c| c.name.clone()))
        .collect()
}

/// Merges `prisma` (semantics) into `database` (physical truth).
pub fn merge(prisma: &Schema, database: &Schema) -> Result<Merged, MergeError> {
    if prisma.dialect != database.dialect {
        return Err(MergeError::DialectMismatch {
            prisma: prisma.dialect,
            database: database.dialect,
        });
    }
    let disagreements = diff(
        prisma,
        database,
        &DiffOptions::for_sides(SourceKind::Prisma, SourceKind::Database),
    );
    let mut out = database.clone();
    out.source = match (&prisma.source, &database.source) {
        (Some(p), Some(d)) => Some(format!("{p} + {d}")),
        (p, d) => p.clone().or_else(|| d.clone()),
    };

    let prisma_enums: HashMap<_, _> = prisma
        .enums
        .iter()
        .map(|e| (key(&e.schema, &e.name), e))
        .collect();
    for e in &mut out.enums {
        let Some(p) = prisma_enums.get(&key(&e.schema, &e.name)) else {
            continue;
        };
        e.orm_name = p.orm_name.clone();
        e.documentation = p.documentation.clone();
        for v in &mut e.values {
            if let Some(pv) = p.values.iter().find(|pv| pv.label == v.label) {
                v.orm_name = pv.orm_name.clone();
                v.documentation = pv.documentation.clone();
            }
        }
    }

    let prisma_tables: HashMap<_, &Table> = prisma
        .tables
        .iter()
        .map(|t| (key(&t.schema, &t.name), t))
        .collect();
    let snapshot = out.tables.clone();
    // Relation targets are tables of the database: those Prisma has no model for.
    let unknown = |name: &ObjectName| !prisma_tables.contains_key(&key(&name.schema, &name.name));
    let mut dropped: Vec<(String, ObjectName, ObjectName)> = Vec::new();
    for t in &mut out.tables {
        let Some(p) = prisma_tables.get(&key(&t.schema, &t.name)) else {
            // A table Prisma does not know keeps the relations inferred from its foreign keys.
            continue;
        };
        // Relations with tables Prisma does not know are inferred from the foreign keys; the
        // ones between known tables come from Prisma below.
        let inferred: Vec<_> = std::mem::take(&mut t.relations)
            .into_iter()
            .filter(|r| unknown(&r.target))
            .collect();
        t.orm_name = p.orm_name.clone();
        t.origin = p.origin;
        t.documentation = p.documentation.clone();
        for c in &mut t.columns {
            if let Some(pc) = find_column(p, &c.name) {
                c.orm_name = pc.orm_name.clone();
                c.client_default = pc.client_default.clone();
                c.updated_at = pc.updated_at;
                c.documentation = pc.documentation.clone();
            }
        }
        // Prisma's relations, under the names the database keeps (PostgreSQL cuts long ones);
        // one whose table or columns the database lacks is left out.
        let here = table_named(&snapshot, &t.schema, &t.name);
        for r in &p.relations {
            let target = table_named(&snapshot, &r.target.schema, &r.target.name);
            let resolved = here.zip(target).and_then(|(here, target)| {
                Some((
                    target.object_name(),
                    db_names(here, &r.fields)?,
                    db_names(target, &r.references)?,
                ))
            });
            match resolved {
                Some((target, fields, references)) => t.relations.push(RelationField {
                    target,
                    fields,
                    references,
                    ..r.clone()
                }),
                None => dropped.push((r.relation_name.clone(), t.object_name(), r.target.clone())),
            }
        }
        // An inferred field must not take a name Prisma's fields or the columns already use.
        for r in inferred {
            let taken = t.relations.iter().any(|o| o.name == r.name)
                || t.columns.iter().any(|c| {
                    c.orm_name.as_deref().unwrap_or(&c.name) == r.name || c.name == r.name
                });
            if taken {
                dropped.push((r.relation_name.clone(), t.object_name(), r.target.clone()));
            } else {
                t.relations.push(r);
            }
        }
    }
    // The other side of a relation dropped above has nothing to pair with.
    let same = |a: &ObjectName, b: &ObjectName| key(&a.schema, &a.name) == key(&b.schema, &b.name);
    for t in &mut out.tables {
        let here = t.object_name();
        t.relations.retain(|r| {
            !dropped.iter().any(|(name, owner, target)| {
                *name == r.relation_name && same(target, &here) && same(owner, &r.target)
            })
        });
    }

    let prisma_views: HashMap<_, _> = prisma
        .views
        .iter()
        .map(|v| (key(&v.schema, &v.name), v))
        .collect();
    for v in &mut out.views {
        if let Some(p) = prisma_views.get(&key(&v.schema, &v.name)) {
            v.orm_name = p.orm_name.clone();
            v.documentation = p.documentation.clone();
            for c in &mut v.columns {
                if let Some(pc) = p.columns.iter().find(|pc| pc.name == c.name) {
                    c.orm_name = pc.orm_name.clone();
                    c.documentation = pc.documentation.clone();
                }
            }
        }
    }
    // Prisma's declaration order reads like the schema; tables it does not know go last.
    let position = |schema: &Option<String>, name: &str| {
        prisma
            .tables
            .iter()
            .position(|t| key(&t.schema, &t.name) == key(schema, name))
            .unwrap_or(usize::MAX)
    };
    out.tables.sort_by_key(|t| position(&t.schema, &t.name));
    let enum_position = |schema: &Option<String>, name: &str| {
        prisma
            .enums
            .iter()
            .position(|e| key(&e.schema, &e.name) == key(schema, name))
            .unwrap_or(usize::MAX)
    };
    out.enums.sort_by_key(|e| enum_position(&e.schema, &e.name));
    Ok(Merged {
        schema: out,
        disagreements,
    })
}
