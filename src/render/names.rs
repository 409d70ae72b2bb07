//! How things are spelled in TypeScript: identifiers for everything `schema.ts` exports (always
//! valid, never colliding with each other, with JavaScript reserved words, or with the names the
//! file imports), object keys, members and string literals.

use std::collections::{BTreeMap, HashMap, HashSet};

use heck::ToLowerCamelCase;

use super::plan::CustomType;
use crate::model::naming::JS_RESERVED_WORDS;
use crate::model::{Column, ObjectName, Schema, Table};

/// Besides JavaScript's reserved words: names a declaration would shadow (globals and TypeScript's
/// own types) or that strict mode or CommonJS give a meaning.
const SHADOWED: &[&str] = &[
    "static",
    "arguments",
    "eval",
    "undefined",
    "NaN",
    "Infinity",
    "globalThis",
    "Object",
    "Array",
    "String",
    "Number",
    "Boolean",
    "Date",
    "Buffer",
    "Symbol",
    "Error",
    "JSON",
    "Math",
    "Promise",
    "crypto",
    "any",
    "unknown",
    "never",
    "object",
    "string",
    "number",
    "boolean",
    "bigint",
    "symbol",
    "type",
    "declare",
    "namespace",
    "module",
    "require",
    "exports",
    "constructor",
    "prototype",
];

/// Hands out unique identifiers.
#[derive(Debug, Default)]
pub struct Identifiers {
    taken: HashSet<String>,
}

impl Identifiers {
    pub fn new() -> Self {
        let mut ids = Identifiers::default();
        for r in JS_RESERVED_WORDS.iter().chain(SHADOWED) {
            ids.taken.insert((*r).to_string());
        }
        ids
    }

    /// Reserves a name the file uses for something else (an imported function).
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_string());
    }

    /// A fresh identifier derived from `wanted` (lowerCamelCase, ASCII-safe), with `suffix` tried
    /// first on collision, then numbers.
    pub fn allocate(&mut self, wanted: &str, suffix: &str) -> String {
        let base = identifier_base(wanted);
        let mut candidate = base.clone();
        if self.taken.contains(&candidate) {
            candidate = format!("{base}{suffix}");
        }
        let mut n = 2;
        while self.taken.contains(&candidate) {
            candidate = format!("{base}{suffix}{n}");
            n += 1;
        }
        self.taken.insert(candidate.clone());
        candidate
    }
}

/// lowerCamelCase of a name, kept to characters valid in an identifier.
pub fn identifier_base(name: &str) -> String {
    let camel = name.to_lower_camel_case();
    let mut out: String = camel
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
        .collect();
    if out.is_empty() {
        out.push_str("table");
    }
    if out.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// True when `name` can be written bare as an object key and after a dot.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c.is_alphabetic() || c == '_' || c == '$' => {}
        _ => return false,
    }
    chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$') && name != "__proto__"
}

/// `key` as an object-literal key.
pub fn object_key(key: &str) -> String {
    if is_identifier(key) {
        key.to_string()
    } else {
        js_string(key)
    }
}

/// `obj.key` or `obj["key"]`.
pub fn member(object: &str, key: &str) -> String {
    if is_identifier(key) {
        format!("{object}.{key}")
    } else {
        format!("{object}[{}]", js_string(key))
    }
}

/// TypeScript names shared by `schema.ts` and `relations.ts`.
#[derive(Debug, Default)]
pub struct Naming<'a> {
    pub tables: HashMap<ObjectName, String>,
    pub enums: HashMap<ObjectName, String>,
    pub schemas: BTreeMap<String, String>,
    pub custom_types: BTreeMap<CustomType, String>,
    pub relations: HashMap<ObjectName, String>,
    pub sequences: HashMap<ObjectName, String>,
    pub views: HashMap<ObjectName, String>,
    /// Roles that policies name, declared `pgRole(name).existing()`.
    pub roles: BTreeMap<String, String>,
    /// Position of every table in the schema, to find its columns' keys.
    table_index: HashMap<ObjectName, &'a Table>,
}

/// What every `schema.ts` may import whatever its dialect: the constraint builders both cores
/// have, `sql` and `relations`, and the client-default helpers.
const IMPORTED_IN_EVERY_DIALECT: &[&str] = &[
    "customType",
    "index",
    "uniqueIndex",
    "primaryKey",
    "foreignKey",
    "unique",
    "check",
    "sql",
    "relations",
    "cuid",
    "createId",
    "nanoid",
    "ulid",
    "uuidv7",
];

impl<'a> Naming<'a> {
    /// The names of a `schema.ts` that imports `imported` (the dialect's own builders) and declares
    /// `custom_types` (in that order): everything but those is dialect-neutral.
    pub fn new(schema: &'a Schema, imported: &[&str], custom_types: &[CustomType]) -> Naming<'a> {
        let mut ids = Identifiers::new();
        for name in IMPORTED_IN_EVERY_DIALECT.iter().chain(imported) {
            ids.reserve(name);
        }
        let mut naming = Naming::default();
        for ns in &schema.namespaces {
            naming
                .schemas
                .insert(ns.clone(), ids.allocate(&format!("{ns}Schema"), ""));
        }
        for e in &schema.enums {
            let base = e.orm_name.as_deref().unwrap_or(&e.name);
            naming
                .enums
                .insert(e.object_name(), ids.allocate(base, "Enum"));
        }
        for t in &schema.tables {
            let base = t.orm_name.as_deref().unwrap_or(&t.name);
            naming
                .tables
                .insert(t.object_name(), ids.allocate(base, "Table"));
        }
        for seq in &schema.sequences {
            let name = ObjectName::new(seq.schema.clone(), seq.name.clone());
            naming
                .sequences
                .insert(name, ids.allocate(&seq.name, "Sequence"));
        }
        for v in &schema.views {
            let base = v.orm_name.as_deref().unwrap_or(&v.name);
            naming.views.insert(
                ObjectName::new(v.schema.clone(), v.name.clone()),
                ids.allocate(base, "View"),
            );
        }
        for ct in custom_types {
            if !naming.custom_types.contains_key(ct) {
                let var = ids.allocate(&format!("{}Type", ct.sql), "");
                naming.custom_types.insert(ct.clone(), var);
            }
        }
        for t in &schema.tables {
            naming.table_index.insert(t.object_name(), t);
            let var = &naming.tables[&t.object_name()];
            naming.relations.insert(
                t.object_name(),
                ids.allocate(&format!("{var}Relations"), ""),
            );
        }
        for role in &schema.roles {
            let var = ids.allocate(&format!("{role}Role"), "");
            naming.roles.insert(role.clone(), var);
        }
        naming
    }

    pub fn table(&self, name: &ObjectName) -> &str {
        self.tables
            .get(name)
            .map(String::as_str)
            .unwrap_or("unknownTable")
    }

    /// `var.key` for a column of any table.
    pub fn column_member(&self, table: &ObjectName, column: &str) -> String {
        let key = self
            .table_index
            .get(table)
            .and_then(|t| t.column(column))
            .map(column_key)
            .unwrap_or(column);
        member(self.table(table), key)
    }
}

/// Key under which a column appears in the table object (`t.<key>`).
pub fn column_key(c: &Column) -> &str {
    c.orm_name.as_deref().unwrap_or(&c.name)
}

/// Escapes text for a `sql\`…\`` template literal (used cooked by drizzle).
pub fn template_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('`', "\\`")
        .replace("${", "\\${")
}

/// A JavaScript string literal (double quotes, JSON escapes are valid JS).
pub fn js_string(text: &str) -> String {
    let mut out = serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into());
    // U+2028/2029 are valid in JSON but were line terminators in older JS.
    out = out
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_valid_and_unique() {
        let mut ids = Identifiers::new();
        assert_eq!(ids.allocate("User", "Table"), "user");
        assert_eq!(ids.allocate("user", "Table"), "userTable");
        assert_eq!(ids.allocate("class", "Table"), "classTable");
        assert_eq!(ids.allocate("_PostToTag", "Table"), "postToTag");
        assert_eq!(ids.allocate("1st", "Table"), "_1st");
        assert!(is_identifier("café"));
        assert!(!is_identifier("my field"));
        assert_eq!(member("t", "my field"), "t[\"my field\"]");
    }

    #[test]
    fn template_escaping() {
        assert_eq!(
            template_escape("'\\x01' `a` ${b}"),
            "'\\\\x01' \\`a\\` \\${b}"
        );
    }
}
