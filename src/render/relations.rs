//! `relations.ts`, the same for every dialect: it names only tables and columns, through the
//! [`Naming`] of `schema.ts`. Its form is the flavour's: relations v1 (`relations()` per table)
//! for drizzle-orm 0.45, relations v2 (one `defineRelations`) for drizzle-orm 1.0.

use std::collections::{BTreeSet, HashMap};

use askama::Template;

use super::flavour::Flavour;
use super::jsdoc::doc_comment;
use super::names::{js_string, object_key, Naming};
use super::schema_ts::HEADER;
use crate::model::{ObjectName, RelationField, Schema, Table, TableOrigin};

/// drizzle's relations v1 pair a config-less `one()` by table alone, so the back side of a
/// one-to-one (a `one` without fields) is only expressible when that pairing is unambiguous.
pub fn back_side_expressible(this: &ObjectName, target: Option<&Table>, r: &RelationField) -> bool {
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
    orm_module: &'static str,
    imports: String,
    schema_module: String,
    tables: Vec<RelationsView>,
}

/// `relations.ts` in the flavour's form.
pub fn render_relations_ts(schema: &Schema, naming: &Naming, flavour: Flavour) -> String {
    match flavour {
        Flavour::Drizzle045Kit031 => relations_v1(schema, naming, flavour.orm_module()),
        Flavour::Drizzle1 => relations_v2(schema, naming, flavour.orm_module()),
    }
}

/// One table's entry in `defineRelations`: its export name and its relation fields.
struct TableRelationsView {
    key: String,
    fields: Vec<RelationFieldView>,
}

#[derive(Template)]
#[template(path = "relations-v2.ts.txt", escape = "none")]
struct RelationsV2Ts {
    header: &'static str,
    orm_module: &'static str,
    schema_module: &'static str,
    /// `r`, or nothing when no table has relations (an unused parameter reads as a mistake).
    param: &'static str,
    tables: Vec<TableRelationsView>,
}

/// How a relation field reads its rows, found from the model alone.
enum Shape<'a> {
    /// The side with `fields`: its own columns point at the target.
    Owning,
    /// A back side: the target's field with the same relation name holds the columns.
    Back(&'a RelationField),
    /// Prisma's implicit many-to-many: through the join table to the far side.
    Through(Through<'a>),
    /// A back side whose other side the model lacks.
    Unpaired,
}

struct Through<'a> {
    join: &'a Table,
    /// The join table's relation to this table, and the one to the far side.
    own: &'a RelationField,
    far: &'a RelationField,
    /// The relation name both sides share (without the `_A` / `_B` of the join table's sides).
    link: String,
}

impl<'a> Shape<'a> {
    fn of(
        this: &ObjectName,
        r: &RelationField,
        tables: &HashMap<ObjectName, &'a Table>,
    ) -> Shape<'a> {
        if !r.fields.is_empty() {
            return Shape::Owning;
        }
        let target = tables.get(&r.target).copied();
        if let Some(through) = target.and_then(|j| implicit_many_to_many(this, r, j)) {
            return Shape::Through(through);
        }
        target
            .and_then(|t| {
                t.relations.iter().find(|c| {
                    c.relation_name == r.relation_name && c.target == *this && !c.fields.is_empty()
                })
            })
            .map_or(Shape::Unpaired, Shape::Back)
    }

    /// The table the field returns rows of, and the name of the link, both sides alike.
    fn link(&self, r: &RelationField) -> (ObjectName, String) {
        match self {
            Shape::Through(t) => (t.far.target.clone(), t.link.clone()),
            _ => (r.target.clone(), r.relation_name.clone()),
        }
    }
}

/// Prisma's implicit many-to-many field: its target is the join table, whose two `one`s carry the
/// field's relation name plus `_A` / `_B`. Junctions read from a database carry foreign key
/// names instead and return the join rows themselves, as their field names say.
fn implicit_many_to_many<'a>(
    this: &ObjectName,
    r: &RelationField,
    join: &'a Table,
) -> Option<Through<'a>> {
    if !r.many || join.origin != TableOrigin::ImplicitManyToMany {
        return None;
    }
    let [x, y] = join.relations.as_slice() else {
        return None;
    };
    let (same, other) = if x.relation_name == r.relation_name {
        (x, y)
    } else if y.relation_name == r.relation_name {
        (y, x)
    } else {
        return None;
    };
    let single = |s: &RelationField| s.fields.len() == 1 && s.references.len() == 1;
    if !single(same) || !single(other) {
        return None;
    }
    let link = r
        .relation_name
        .strip_suffix(&format!("_{}", same.fields[0]))?
        .to_string();
    // Prisma reads a self many-to-many's `_A` field through column B: row (A, B) is in B's `_A`
    // list (Prisma's docs, "Troubleshooting relations": `a_eats` returns column A's rows).
    let (own, far) = if same.target == other.target {
        (other, same)
    } else {
        (same, other)
    };
    (own.target == *this).then_some(Through {
        join,
        own,
        far,
        link,
    })
}

/// Relations v2 (`defineRelations`), drizzle-orm 1.0's only query API. Every relation names its
/// columns (`from` / `to`, reversed on back sides) so `defineRelations`, which resolves eagerly
/// at import, never has to guess a reverse side; `alias` (Prisma's relation name) is added
/// where two links join the same tables, or a table joins itself, as Prisma's schema does.
fn relations_v2(schema: &Schema, naming: &Naming, orm_module: &'static str) -> String {
    let tables_by_name: HashMap<ObjectName, &Table> =
        schema.tables.iter().map(|t| (t.object_name(), t)).collect();
    let shaped: Vec<(&Table, Vec<(&RelationField, Shape)>)> = schema
        .tables
        .iter()
        .filter(|t| !t.relations.is_empty())
        .map(|t| {
            let this = t.object_name();
            let shapes = t
                .relations
                .iter()
                .map(|r| (r, Shape::of(&this, r, &tables_by_name)))
                .collect();
            (t, shapes)
        })
        .collect();
    let mut writer = V2Writer {
        naming,
        links: HashMap::new(),
    };
    for (t, shapes) in &shaped {
        for (r, shape) in shapes {
            let (other, link) = shape.link(r);
            writer
                .links
                .entry(pair(t.object_name(), other))
                .or_default()
                .insert(link);
        }
    }
    let tables: Vec<TableRelationsView> = shaped
        .iter()
        .map(|(t, shapes)| TableRelationsView {
            key: object_key(naming.table(&t.object_name())),
            fields: shapes
                .iter()
                .map(|(r, shape)| writer.field(t, r, shape))
                .collect(),
        })
        .collect();
    let view = RelationsV2Ts {
        header: HEADER,
        orm_module,
        schema_module: "./schema",
        param: if tables.is_empty() { "" } else { "r" },
        tables,
    };
    view.render()
        .unwrap_or_else(|e| format!("// template error: {e}\n"))
}

/// An unordered pair of tables.
fn pair(a: ObjectName, b: ObjectName) -> (ObjectName, ObjectName) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

/// Writes one relation field of `defineRelations`.
struct V2Writer<'a> {
    naming: &'a Naming<'a>,
    /// The links between each pair of tables, by name: both sides of a link name it alike.
    links: HashMap<(ObjectName, ObjectName), BTreeSet<String>>,
}

impl V2Writer<'_> {
    /// `r.<table>.<column>`.
    fn column(&self, table: &ObjectName, column: &str) -> String {
        format!("r.{}", self.naming.column_member(table, column))
    }

    /// One column, or a tuple of them (a composite key).
    fn columns(&self, table: &ObjectName, columns: &[String]) -> String {
        match columns {
            [one] => self.column(table, one),
            _ => format!(
                "[{}]",
                columns
                    .iter()
                    .map(|c| self.column(table, c))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// The link's name, where the pair of tables alone does not tell it apart.
    fn alias(&self, this: &ObjectName, other: &ObjectName, link: &str) -> Option<String> {
        let ambiguous = this == other
            || self
                .links
                .get(&pair(this.clone(), other.clone()))
                .is_some_and(|l| l.len() > 1);
        ambiguous.then(|| js_string(link))
    }

    fn field(&self, t: &Table, r: &RelationField, shape: &Shape) -> RelationFieldView {
        let this = t.object_name();
        let (other, link) = shape.link(r);
        let mut options = match shape {
            Shape::Owning => vec![
                format!("from: {}", self.columns(&this, &r.fields)),
                format!("to: {}", self.columns(&r.target, &r.references)),
            ],
            Shape::Back(c) => vec![
                format!("from: {}", self.columns(&this, &c.references)),
                format!("to: {}", self.columns(&r.target, &c.fields)),
            ],
            Shape::Through(th) => {
                let join = th.join.object_name();
                vec![
                    format!(
                        "from: {}.through({})",
                        self.column(&this, &th.own.references[0]),
                        self.column(&join, &th.own.fields[0])
                    ),
                    format!(
                        "to: {}.through({})",
                        self.column(&other, &th.far.references[0]),
                        self.column(&join, &th.far.fields[0])
                    ),
                ]
            }
            Shape::Unpaired => {
                return RelationFieldView {
                    doc: doc_comment(r.documentation.as_deref(), "    "),
                    line: format!(
                        "    // {}: back side of relation {} whose other side is unknown; query it from {}",
                        r.name,
                        js_string(&r.relation_name),
                        self.naming.table(&r.target)
                    ),
                };
            }
        };
        // Prisma's required relation: every key column NOT NULL.
        let required = matches!(shape, Shape::Owning)
            && !r.many
            && r.fields
                .iter()
                .all(|c| t.column(c).is_some_and(|c| !c.nullable));
        if required {
            options.push("optional: false".into());
        }
        if let Some(alias) = self.alias(&this, &other, &link) {
            options.push(format!("alias: {alias}"));
        }
        let kind = if r.many { "many" } else { "one" };
        RelationFieldView {
            doc: doc_comment(r.documentation.as_deref(), "    "),
            line: format!(
                "    {}: r.{kind}.{}({{ {} }}),",
                object_key(&r.name),
                self.naming.table(&other),
                options.join(", ")
            ),
        }
    }
}

/// Relations v1: one `relations()` per table that has relation fields, named as in Prisma; an
/// empty module when there are none.
fn relations_v1(schema: &Schema, naming: &Naming, orm_module: &'static str) -> String {
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
        return format!("{HEADER}\nexport {{}};\n");
    }
    let view = RelationsTs {
        header: HEADER.into(),
        orm_module,
        imports: used.into_iter().collect::<Vec<_>>().join(", "),
        schema_module: "./schema".into(),
        tables,
    };
    view.render()
        .unwrap_or_else(|e| format!("// template error: {e}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v2(yaml: &str) -> String {
        let schema = Schema::from_yaml(yaml).expect("model");
        let naming = Naming::new(&schema, &[], &[]);
        render_relations_ts(&schema, &naming, Flavour::Drizzle1)
    }

    const TABLES: &str = r#"
dialect: postgresql
tables:
  - name: user
    columns: [{ name: id, type: { kind: integer }, raw_type: integer, nullable: false }]
  - name: post
    columns:
      - { name: id, type: { kind: integer }, raw_type: integer, nullable: false }
      - { name: author_id, type: { kind: integer }, raw_type: integer, nullable: false }
"#;

    #[test]
    fn no_relations_is_an_empty_relation_set() {
        let ts = v2(TABLES);
        assert!(
            ts.ends_with("defineRelations(schema, () => ({\n}));\n"),
            "{ts}"
        );
    }

    #[test]
    fn a_back_side_without_its_other_side_is_a_comment() {
        let yaml = TABLES.replacen(
            "  - name: post",
            "    relations:\n      - { name: posts, relation_name: lost, target: { name: post }, many: true, documentation: null }\n  - name: post",
            1,
        );
        let ts = v2(&yaml);
        assert!(
            ts.contains("    // posts: back side of relation \"lost\" whose other side is unknown; query it from post\n"),
            "{ts}"
        );
    }

    #[test]
    fn owning_and_back_sides_name_their_columns() {
        let yaml = TABLES.replacen(
            "  - name: post",
            "    relations:\n      - { name: posts, relation_name: PostToUser, target: { name: post }, many: true, documentation: null }\n  - name: post",
            1,
        ) + "    relations:\n      - { name: author, relation_name: PostToUser, target: { name: user }, many: false, fields: [author_id], references: [id], documentation: null }\n";
        let ts = v2(&yaml);
        assert!(
            ts.contains("    posts: r.many.post({ from: r.user.id, to: r.post.author_id }),\n"),
            "{ts}"
        );
        assert!(
            ts.contains("    author: r.one.user({ from: r.post.author_id, to: r.user.id, optional: false }),\n"),
            "{ts}"
        );
    }
}
