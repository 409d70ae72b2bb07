//! TypeScript identifiers for everything `schema.ts` exports: always valid, never colliding with each
//! other, with JavaScript reserved words, or with the names the file imports.

use std::collections::HashSet;

use heck::ToLowerCamelCase;

const RESERVED: &[&str] = &[
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "new",
    "null",
    "return",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "yield",
    "let",
    "static",
    "implements",
    "interface",
    "package",
    "private",
    "protected",
    "public",
    "await",
    "async",
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
        for r in RESERVED {
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
        super::plan::js_string(key)
    }
}

/// `obj.key` or `obj["key"]`.
pub fn member(object: &str, key: &str) -> String {
    if is_identifier(key) {
        format!("{object}.{key}")
    } else {
        format!("{object}[{}]", super::plan::js_string(key))
    }
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
}
