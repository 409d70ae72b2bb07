//! ORM relation fields inferred from foreign keys, for databases that carry no ORM names.
//!
//! Every foreign key becomes a pair: a `one` field on the referencing table (with `fields` /
//! `references`) and a back field on the referenced table (`many`, or `one` when the key
//! columns are unique), both carrying the constraint name as `relation_name`. A junction table
//! (two foreign keys whose columns together are its whole primary key or a unique key) is read
//! the same way: its rows are what the back sides return, so they are named after it.
//!
//! Names follow drizzle-kit pull where its rule is unambiguous (the `one` side after the table it
//! returns, the back side after the referencing table, plural), and never name a relation after
//! a table it does not return. Where several keys lead to one table, or a table refers to itself,
//! the key column names the role: `authorId` → `author`, back sides `authorPosts`,
//! `editorPosts`. Names are stable (they depend only on table, column and constraint names,
//! processed in name order); a clash takes a qualifier, then a number; no field takes the key
//! of a column.

use std::collections::{BTreeSet, HashMap, HashSet};

use heck::{ToLowerCamelCase, ToUpperCamelCase};

use crate::model::{ForeignKey, ObjectName, RelationField, Schema, Table, TableOrigin};

/// English plural of the last word of a camelCase identifier (`category` → `categories`).
pub fn plural(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    let ends = |s: &str| lower.ends_with(s);
    if ends("s") || ends("x") || ends("z") || ends("ch") || ends("sh") {
        format!("{word}es")
    } else if ends("y")
        && !lower
            .chars()
            .rev()
            .nth(1)
            .is_some_and(|c| "aeiou".contains(c))
    {
        format!("{}ies", &word[..word.len() - 1])
    } else {
        format!("{word}s")
    }
}

/// English singular of a (possibly plural) table name (`users` → `user`, `categories` →
/// `category`, `status` stays).
pub fn singular(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    let ends = |s: &str| lower.ends_with(s);
    let cut = |n: usize| word[..word.len() - n].to_string();
    if word.len() > 3 && ends("ies") {
        format!("{}y", cut(3))
    } else if ends("sses") || ends("xes") || ends("ches") || ends("shes") || ends("zzes") {
        cut(2)
    } else if ends("uses")
        && lower
            .chars()
            .rev()
            .nth(4)
            .is_some_and(|c| c.is_alphabetic() && !"aeiou".contains(c))
    {
        // statuses, bonuses, campuses (but houses, causes keep their e).
        cut(2)
    } else if ends("ss") || ends("us") || ends("is") || word.len() <= 2 {
        word.to_string()
    } else if ends("s") {
        cut(1)
    } else {
        word.to_string()
    }
}

/// lowerCamelCase that keeps only identifier characters and never comes out empty.
fn ident(text: &str) -> String {
    let camel: String = text
        .to_lower_camel_case()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
        .collect();
    match camel.chars().next() {
        None => "relation".to_string(),
        Some(c) if c.is_ascii_digit() => format!("_{camel}"),
        Some(_) => camel,
    }
}

fn pascal(text: &str) -> String {
    ident(text).to_upper_camel_case()
}

/// The singular entity name of a table (`blog_posts` → `blogPost`).
fn entity(table: &str) -> String {
    ident(&singular(&ident(table)))
}

/// Name of the `one` field for a foreign key: the key column without its `Id` suffix, else the
/// referenced table's entity name.
fn one_name(fk: &ForeignKey) -> String {
    if let [column] = fk.columns.as_slice() {
        for suffix in ["_id", "_ID", "Id", "ID", "_uuid", "Uuid"] {
            if let Some(stem) = column.strip_suffix(suffix) {
                let stem = stem.trim_end_matches('_');
                if !stem.is_empty() {
                    return ident(stem);
                }
            }
        }
    }
    entity(&fk.referenced_table.name)
}

/// Field names already used on one table.
struct Taken(HashSet<String>);

impl Taken {
    fn new(table: &Table) -> Taken {
        let mut set = HashSet::new();
        for c in &table.columns {
            set.insert(c.orm_name.clone().unwrap_or_else(|| c.name.clone()));
        }
        for r in &table.relations {
            set.insert(r.name.clone());
        }
        Taken(set)
    }

    /// `base`, else `fallback`, else `fallback2`, `fallback3` …
    fn allocate(&mut self, base: &str, fallback: &str) -> String {
        let mut candidate = base.to_string();
        if self.0.contains(&candidate) {
            candidate = fallback.to_string();
        }
        let mut n = 2;
        while self.0.contains(&candidate) {
            candidate = format!("{fallback}{n}");
            n += 1;
        }
        self.0.insert(candidate.clone());
        candidate
    }
}

/// Column sets that are unique on a table: primary key, unique constraints, and unique indexes
/// on plain columns without a predicate.
fn unique_keys(table: &Table) -> Vec<BTreeSet<&str>> {
    let mut keys = Vec::new();
    if let Some(pk) = &table.primary_key {
        keys.push(pk.columns.iter().map(String::as_str).collect());
    }
    for u in &table.unique_constraints {
        keys.push(u.columns.iter().map(String::as_str).collect());
    }
    for i in &table.indexes {
        if i.unique && i.predicate.is_none() && i.columns.iter().all(|c| !c.is_expression) {
            keys.push(i.columns.iter().map(|c| c.expression.as_str()).collect());
        }
    }
    keys
}

fn set(columns: &[String]) -> BTreeSet<&str> {
    columns.iter().map(String::as_str).collect()
}

/// The two foreign keys (by index) that make `table` a junction, if any.
fn junction(table: &Table, known: &HashSet<ObjectName>) -> Option<(usize, usize)> {
    let keys = unique_keys(table);
    let fks = &table.foreign_keys;
    let this = table.object_name();
    for i in 0..fks.len() {
        for j in i + 1..fks.len() {
            let (a, b) = (&fks[i], &fks[j]);
            let (sa, sb) = (set(&a.columns), set(&b.columns));
            if !sa.is_disjoint(&sb)
                || a.referenced_table == this
                || b.referenced_table == this
                || !known.contains(&a.referenced_table)
                || !known.contains(&b.referenced_table)
            {
                continue;
            }
            let both: BTreeSet<&str> = sa.union(&sb).copied().collect();
            if keys.contains(&both) {
                return Some((i, j));
            }
        }
    }
    None
}

/// A relation field waiting for its name.
struct Pending {
    table: usize,
    base: String,
    fallback: String,
    field: RelationField,
}

/// Adds relation fields for every foreign key whose target is in `schema` (fields already present
/// are kept). Returns the junction tables found, as `schema.table` names.
pub fn infer_relations(schema: &mut Schema) -> Vec<String> {
    let position: HashMap<ObjectName, usize> = schema
        .tables
        .iter()
        .enumerate()
        .map(|(i, t)| (t.object_name(), i))
        .collect();
    let known: HashSet<ObjectName> = position.keys().cloned().collect();
    let mut owning = Vec::new();
    let mut back = Vec::new();
    let mut junctions = Vec::new();
    // Entity names of all tables: a relation may carry one only when it returns that table.
    let entities: HashSet<String> = schema.tables.iter().map(|t| entity(&t.name)).collect();
    for (ti, table) in schema.tables.iter().enumerate() {
        let this = table.object_name();
        let pair = junction(table, &known);
        if pair.is_some() {
            junctions.push(ti);
        }
        let keys = unique_keys(table);
        let to_same_target = |fk: &ForeignKey| {
            table
                .foreign_keys
                .iter()
                .filter(|other| other.referenced_table == fk.referenced_table)
                .count()
        };
        for fk in &table.foreign_keys {
            if !known.contains(&fk.referenced_table) {
                continue;
            }
            let target = entity(&fk.referenced_table.name);
            // drizzle-kit pull names the `one` side after the table it returns; where that is
            // ambiguous (several keys to one table, a self reference) the key column names the
            // role (`author`, `mentor`), unless that reads as another table's name.
            let parallel = to_same_target(fk) > 1;
            let one = if !parallel && fk.referenced_table != this {
                target.clone()
            } else {
                let stem = one_name(fk);
                let same_stem = table.foreign_keys.iter().any(|other| {
                    !std::ptr::eq(other, fk)
                        && other.referenced_table == fk.referenced_table
                        && one_name(other) == stem
                });
                if same_stem {
                    // A join table's `A` and `B` to one table: `userA`, `userB`.
                    format!("{stem}{}", pascal(&fk.columns.join("_")))
                } else if stem != target && entities.contains(&stem) {
                    format!("{stem}{}", pascal(&target))
                } else {
                    stem
                }
            };
            owning.push(Pending {
                table: ti,
                base: one.clone(),
                fallback: format!("{one}{}", pascal(&fk.columns.join("_"))),
                field: RelationField {
                    name: String::new(),
                    relation_name: fk.name.clone(),
                    target: fk.referenced_table.clone(),
                    many: false,
                    fields: fk.columns.clone(),
                    references: fk.referenced_columns.clone(),
                    documentation: None,
                },
            });
            // The back side returns rows of this table (a junction's rows too, never the far
            // side's): named after it, plural unless the key is unique.
            let unique = keys.iter().any(|key| *key == set(&fk.columns));
            let base = if unique {
                entity(&table.name)
            } else {
                plural(&entity(&table.name))
            };
            // Several keys from this table to the same target: qualify every back side at once
            // (`authorPosts`, `editorPosts`) rather than numbering all but the first.
            let qualified = format!("{one}{}", pascal(&base));
            let side = position[&fk.referenced_table];
            back.push(Pending {
                table: side,
                base: if parallel { qualified.clone() } else { base },
                fallback: qualified,
                field: RelationField {
                    name: String::new(),
                    relation_name: fk.name.clone(),
                    target: this.clone(),
                    many: !unique,
                    fields: vec![],
                    references: vec![],
                    documentation: None,
                },
            });
        }
    }
    let mut taken: Vec<Taken> = schema.tables.iter().map(Taken::new).collect();
    // Owning sides first: their names come from the table's own columns and read best.
    for mut p in owning.into_iter().chain(back) {
        p.field.name = taken[p.table].allocate(&p.base, &p.fallback);
        schema.tables[p.table].relations.push(p.field);
    }
    let mut names = Vec::new();
    for ti in junctions {
        let t = &mut schema.tables[ti];
        if is_prisma_join_table(t) {
            t.origin = TableOrigin::ImplicitManyToMany;
        }
        names.push(t.object_name().to_string());
    }
    names
}

/// Prisma's implicit many-to-many table: `_XToY` with exactly the columns `A` and `B`.
fn is_prisma_join_table(t: &Table) -> bool {
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    t.name.starts_with('_') && names == ["A", "B"] && t.foreign_keys.len() == 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_and_singulars() {
        for (one, many) in [
            ("post", "posts"),
            ("category", "categories"),
            ("status", "statuses"),
            ("box", "boxes"),
            ("key", "keys"),
            ("match", "matches"),
        ] {
            assert_eq!(plural(one), many);
            assert_eq!(singular(many), one, "{many}");
        }
        assert_eq!(singular("Post"), "Post");
        assert_eq!(singular("address"), "address");
    }

    #[test]
    fn one_side_names() {
        let fk = |cols: &[&str], target: &str| ForeignKey {
            name: "fk".into(),
            columns: cols.iter().map(|c| c.to_string()).collect(),
            referenced_table: ObjectName::new(None, target),
            referenced_columns: vec!["id".into()],
            on_delete: Default::default(),
            on_update: Default::default(),
            deferrable: None,
        };
        assert_eq!(one_name(&fk(&["authorId"], "User")), "author");
        assert_eq!(one_name(&fk(&["owner_id"], "users")), "owner");
        assert_eq!(one_name(&fk(&["A"], "Post")), "post");
        assert_eq!(one_name(&fk(&["a", "b"], "blog_posts")), "blogPost");
        assert_eq!(one_name(&fk(&["id"], "User")), "user");
    }
}
