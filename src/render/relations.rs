//! `relations.ts`, the same for every dialect: it names only tables and columns, through the
//! [`Naming`] of `schema.ts`. Its form is the flavour's: relations v1 (`relations()` per table)
//! for drizzle-orm 0.45.

use std::collections::{BTreeSet, HashMap};

use askama::Template;

use super::flavour::Flavour;
use super::jsdoc::doc_comment;
use super::names::{js_string, object_key, Naming};
use super::schema_ts::HEADER;
use crate::model::{ObjectName, Schema, Table};

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

/// Relations v2 (`defineRelations`), drizzle-orm 1.0's only query API. Not written yet: an empty
/// relation set, which compiles.
fn relations_v2(_schema: &Schema, _naming: &Naming, orm_module: &'static str) -> String {
    format!(
        "{HEADER}\nimport {{ defineRelations }} from {};\nimport * as schema from \"./schema\";\n\nexport const relations = defineRelations(schema, () => ({{}}));\n",
        js_string(orm_module)
    )
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
