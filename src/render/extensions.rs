//! The PostgreSQL extensions a baseline must create before it uses them: those the schema declares
//! (Prisma's `extensions = […]`, or `pg_extension` of a live database) and those its types,
//! operator classes, index methods and defaults imply. drizzle-kit knows no extensions, so the
//! baseline SQL is the only place a fresh database gets them; an implied one is reported as assumed.

use crate::model::{ColumnType, Extension, Schema};

/// One extension to create, and why when the schema did not declare it.
#[derive(Debug, Clone, PartialEq)]
pub struct Required {
    pub extension: Extension,
    /// `None` when declared; otherwise the first object that implies it (`users.email: citext`).
    pub implied_by: Option<String>,
}

/// Type names (without schema or modifiers) that belong to an extension.
const TYPES: &[(&str, &str)] = &[
    ("citext", "citext"),
    ("hstore", "hstore"),
    ("ltree", "ltree"),
    ("lquery", "ltree"),
    ("ltxtquery", "ltree"),
    ("cube", "cube"),
    ("vector", "vector"),
    ("halfvec", "vector"),
    ("sparsevec", "vector"),
    ("geometry", "postgis"),
    ("geography", "postgis"),
    ("box2d", "postgis"),
    ("box3d", "postgis"),
    ("isbn", "isn"),
    ("isbn13", "isn"),
    ("issn", "isn"),
    ("ean13", "isn"),
    ("upc", "isn"),
];

/// Operator classes (exact names) and name prefixes that belong to an extension.
const OPCLASSES: &[(&str, &str)] = &[
    ("gin_trgm_ops", "pg_trgm"),
    ("gist_trgm_ops", "pg_trgm"),
    ("gin__int_ops", "intarray"),
    ("gist__int_ops", "intarray"),
    ("gist__intbig_ops", "intarray"),
    ("gin_hstore_ops", "hstore"),
    ("gist_hstore_ops", "hstore"),
    ("gist_ltree_ops", "ltree"),
    ("gist__ltree_ops", "ltree"),
];
const OPCLASS_PREFIXES: &[(&str, &str)] = &[
    ("vector_", "vector"),
    ("halfvec_", "vector"),
    ("sparsevec_", "vector"),
    ("gist_geometry_ops", "postgis"),
    ("gist_geography_ops", "postgis"),
];

/// Index methods that belong to an extension.
const METHODS: &[(&str, &str)] = &[
    ("hnsw", "vector"),
    ("ivfflat", "vector"),
    ("bloom", "bloom"),
];

/// Functions called by defaults that belong to an extension.
const FUNCTIONS: &[(&str, &str)] = &[
    ("uuid_generate_v1(", "uuid-ossp"),
    ("uuid_generate_v1mc(", "uuid-ossp"),
    ("uuid_generate_v4(", "uuid-ossp"),
];

/// `public.vector(1536)` → (`Some("public")`, `vector`), lowercased, array brackets dropped.
fn type_name(sql: &str) -> (Option<String>, String) {
    let base = sql.split('(').next().unwrap_or(sql).trim_end_matches("[]");
    let base = base.replace('"', "").to_ascii_lowercase();
    match base.rsplit_once('.') {
        Some((ns, name)) => (Some(ns.to_string()), name.trim().to_string()),
        None => (None, base.trim().to_string()),
    }
}

fn lookup(table: &[(&str, &'static str)], key: &str) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, e)| *e)
}

fn opclass_extension(opclass: &str) -> Option<&'static str> {
    let op = opclass.rsplit('.').next().unwrap_or(opclass);
    lookup(OPCLASSES, op).or_else(|| {
        OPCLASS_PREFIXES
            .iter()
            .find(|(p, _)| op.starts_with(p))
            .map(|(_, e)| *e)
    })
}

/// Declared extensions in declaration order, then implied ones in schema order, once per name.
pub fn required_extensions(schema: &Schema) -> Vec<Required> {
    let mut out: Vec<Required> = schema
        .extensions
        .iter()
        .map(|e| Required {
            extension: e.clone(),
            implied_by: None,
        })
        .collect();
    let mut imply = |name: &str, ns: Option<String>, why: String| {
        if out.iter().any(|r| r.extension.name == name) {
            return;
        }
        out.push(Required {
            extension: Extension {
                name: name.to_string(),
                // A type spelled with its schema says where the extension lives.
                schema: ns.filter(|s| s != "pg_catalog"),
                version: None,
            },
            implied_by: Some(why),
        });
    };
    for d in &schema.domains {
        let (ns, ty) = type_name(&d.base_type);
        if let Some(ext) = lookup(TYPES, &ty) {
            imply(ext, ns, format!("domain {}: {ty}", d.name));
        }
    }
    for t in &schema.tables {
        let table = t.object_name().to_string();
        for c in &t.columns {
            let (ns, ty) = match &c.column_type {
                ColumnType::Citext => (None, "citext".to_string()),
                ColumnType::Unsupported { sql } => type_name(sql),
                _ => (None, String::new()),
            };
            if let Some(ext) = lookup(TYPES, &ty) {
                imply(ext, ns, format!("{table}.{}: {ty}", c.name));
            }
            if let Some(crate::model::DefaultValue::Expression(e)) = &c.default {
                let lower = e.to_ascii_lowercase();
                if let Some((f, ext)) = FUNCTIONS.iter().find(|(f, _)| lower.contains(f)) {
                    imply(ext, None, format!("{table}.{}: {}…)", c.name, f));
                }
            }
        }
        for i in &t.indexes {
            if let Some(ext) = lookup(METHODS, &i.method) {
                imply(ext, None, format!("index {}: using {}", i.name, i.method));
            }
            for op in i.columns.iter().filter_map(|c| c.opclass.as_deref()) {
                if let Some(ext) = opclass_extension(op) {
                    imply(ext, None, format!("index {}: {op}", i.name));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_lose_schema_modifiers_and_brackets() {
        assert_eq!(
            type_name("public.vector(1536)"),
            (Some("public".into()), "vector".into())
        );
        assert_eq!(type_name("CITEXT[]"), (None, "citext".into()));
        assert_eq!(type_name("\"ext\".\"geometry\"(Point, 4326)").1, "geometry");
    }

    #[test]
    fn operator_classes_name_their_extension() {
        assert_eq!(opclass_extension("gin_trgm_ops"), Some("pg_trgm"));
        assert_eq!(opclass_extension("vector_cosine_ops"), Some("vector"));
        assert_eq!(opclass_extension("text_pattern_ops"), None);
    }
}
