//! Syntax tree of the Prisma Schema Language, as written (nothing resolved yet).
//! Every node carries a [`Span`] so later stages can point at the source.

use serde::Serialize;

/// Index of a file in [`crate::prisma::SourceSet`].
pub type FileId = usize;

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span { file, start, end }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// All top-level declarations of all files, in file order then source order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SchemaAst {
    pub tops: Vec<Top>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Top {
    /// `model`, `view` and `type` (composite type) blocks share one syntax.
    Model(Model),
    Enum(Enum),
    /// `datasource` and `generator` blocks.
    Config(ConfigBlock),
    /// `type Name = Base @attr` (parses, rejected by validation).
    TypeAlias(TypeAlias),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ModelKind {
    Model,
    View,
    CompositeType,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Model {
    pub kind: ModelKind,
    pub name: Ident,
    pub fields: Vec<Field>,
    /// `@@…` attributes in source order.
    pub attributes: Vec<Attribute>,
    /// Joined `///` lines directly above the block (without the slashes, one leading space trimmed).
    pub documentation: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    pub name: Ident,
    pub field_type: FieldType,
    pub arity: Arity,
    /// `@…` attributes in source order.
    pub attributes: Vec<Attribute>,
    pub documentation: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum FieldType {
    /// A built-in scalar, a model, an enum or a composite type name (resolved later).
    Named(Ident),
    /// `Unsupported("tsvector")`: the string is the database type verbatim.
    Unsupported { raw: String, span: Span },
}

impl FieldType {
    pub fn span(&self) -> Span {
        match self {
            FieldType::Named(i) => i.span,
            FieldType::Unsupported { span, .. } => *span,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Arity {
    Required,
    Optional,
    List,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attribute {
    /// Path without the `@`/`@@`, e.g. `id`, `relation`, `db.VarChar`.
    pub name: Ident,
    pub arguments: Vec<Argument>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Argument {
    /// `None` for a positional argument.
    pub name: Option<Ident>,
    pub value: Expression,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Expression {
    /// Number as written (`-1`, `1.50`), kept as text so nothing is rounded.
    Numeric(String, Span),
    /// String literal with escapes already decoded.
    String(String, Span),
    /// A bare path: `true`, `Cascade`, an enum value, a field name, `db.VarChar`.
    Constant(String, Span),
    /// `now()`, `env("X")`, `dbgenerated("…")`, `title(sort: Desc)`, `raw("…")`.
    Function(String, Vec<Argument>, Span),
    Array(Vec<Expression>, Span),
    /// `{ key: value, … }` (partial index `where:`).
    Object(Vec<(Ident, Expression)>, Span),
}

impl Expression {
    pub fn span(&self) -> Span {
        match self {
            Expression::Numeric(_, s)
            | Expression::String(_, s)
            | Expression::Constant(_, s)
            | Expression::Function(_, _, s)
            | Expression::Array(_, s)
            | Expression::Object(_, s) => *s,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Enum {
    pub name: Ident,
    pub values: Vec<EnumValue>,
    pub attributes: Vec<Attribute>,
    pub documentation: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnumValue {
    pub name: Ident,
    pub attributes: Vec<Attribute>,
    pub documentation: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ConfigKind {
    Datasource,
    Generator,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfigBlock {
    pub kind: ConfigKind,
    pub name: Ident,
    pub properties: Vec<ConfigProperty>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfigProperty {
    pub name: Ident,
    /// `None` for `key =` with nothing after it (an error reported by validation).
    pub value: Option<Expression>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeAlias {
    pub name: Ident,
    pub base: Ident,
    pub attributes: Vec<Attribute>,
    pub span: Span,
}
