//! Names generated TypeScript cannot give a declaration: the Prisma validator rejects them as
//! model and enum names (the client would not compile), the renderers name around them.

/// JavaScript's reserved words, with `async` and `await` (Prisma 7.10.1 rejects those too).
pub const JS_RESERVED_WORDS: [&str; 46] = [
    "async",
    "await",
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
    "implements",
    "import",
    "in",
    "instanceof",
    "interface",
    "let",
    "new",
    "null",
    "package",
    "private",
    "protected",
    "public",
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
];

/// Whether `name` is one of [`JS_RESERVED_WORDS`].
pub fn is_js_reserved_word(name: &str) -> bool {
    JS_RESERVED_WORDS.contains(&name)
}
