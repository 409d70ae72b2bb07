//! Semantic checks on a parsed schema: the errors Prisma's own validator reports and that would
//! make a conversion meaningless (unknown types, dangling field references, relations Prisma
//! cannot resolve, defaults and native types on the wrong fields …).
//!
//! Every check here is one that `prisma-psl validate` (Prisma 7.10.1) also rejects, with two
//! deliberate exceptions: a schema without any `datasource` is an error, because the provider
//! decides the SQL dialect (Prisma itself accepts such a schema); and a foreign key between native
//! types PostgreSQL cannot compare (`uuid` → `text`), which Prisma accepts and the migration then
//! fails on. Attribute arguments (names, positions, value kinds) are checked in
//! [`super::arguments`]; `tests/validation_differential.rs` compares this validator with Prisma's
//! on mutated schemas. Checks stay conservative: when something cannot be decided precisely (an
//! unknown provider, MySQL native types, MongoDB) it is left alone rather than guessed. Each
//! diagnostic points at the offending token.
//!
//! `url`, `directUrl` and `shadowDatabaseUrl` are accepted although Prisma 7 rejects them:
//! schemas written for Prisma 5 and 6 carry them and they do not change the schema.

use std::collections::{HashMap, HashSet};

use super::arguments::{self, Spec};
use super::ast::*;
use super::diagnostics::{Diagnostic, Diagnostics};
use super::source::SourceSet;
use crate::model::naming::is_js_reserved_word;

/// Runs all checks. `sources` is the set the AST was parsed from (spans point into it).
pub fn validate(ast: &SchemaAst, sources: &SourceSet) -> Diagnostics {
    let mut v = Validator::new(ast, sources);
    v.config_blocks();
    v.top_level_names();
    for top in &ast.tops {
        match top {
            Top::Model(model) => v.model(model),
            Top::Enum(e) => v.enumeration(e),
            Top::TypeAlias(alias) => v.diags.push(
                Diagnostic::error(
                    alias.span,
                    "type aliases (`type Name = Type`) are not supported",
                )
                .with_help(
                    "use the type directly, or declare a composite type with `type Name { … }`",
                ),
            ),
            Top::Config(_) => {}
        }
    }
    v.relations();
    v.constraint_names();
    v.diags
}

const SCALARS: [&str; 9] = [
    "String", "Boolean", "Int", "BigInt", "Float", "Decimal", "DateTime", "Json", "Bytes",
];

const FIELD_ATTRIBUTES: [&str; 8] = [
    "id",
    "default",
    "unique",
    "relation",
    "map",
    "updatedAt",
    "ignore",
    "shardKey",
];
const MODEL_ATTRIBUTES: [&str; 8] = [
    "id", "unique", "index", "fulltext", "map", "ignore", "schema", "shardKey",
];
/// Block attributes that may appear only once per model.
const SINGLE_MODEL_ATTRIBUTES: [&str; 5] = ["id", "map", "ignore", "schema", "shardKey"];
const ENUM_ATTRIBUTES: [&str; 2] = ["map", "schema"];

const DEFAULT_FUNCTIONS: [&str; 9] = [
    "autoincrement",
    "now",
    "uuid",
    "cuid",
    "nanoid",
    "ulid",
    "dbgenerated",
    "auto",
    "sequence",
];
const REFERENTIAL_ACTIONS: [&str; 5] = ["Cascade", "Restrict", "NoAction", "SetNull", "SetDefault"];
const POSTGRES_INDEX_TYPES: [&str; 6] = ["BTree", "Hash", "Gist", "Gin", "SpGist", "Brin"];

/// PostgreSQL's identifier limit: longer constraint names are cut (derived) or rejected (`map:`).
const POSTGRES_NAME_LIMIT: usize = 63;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Provider {
    Postgres,
    CockroachDb,
    MySql,
    Sqlite,
    SqlServer,
    MongoDb,
}

impl Provider {
    fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "postgresql" | "postgres" => Provider::Postgres,
            "cockroachdb" => Provider::CockroachDb,
            "mysql" => Provider::MySql,
            "sqlite" => Provider::Sqlite,
            "sqlserver" => Provider::SqlServer,
            "mongodb" => Provider::MongoDb,
            _ => return None,
        })
    }

    fn display(self) -> &'static str {
        match self {
            Provider::Postgres => "PostgreSQL",
            Provider::CockroachDb => "CockroachDB",
            Provider::MySql => "MySQL",
            Provider::Sqlite => "SQLite",
            Provider::SqlServer => "SQL Server",
            Provider::MongoDb => "MongoDB",
        }
    }
}

/// What a type name declared in the schema is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decl {
    Model,
    View,
    Composite,
    Enum,
}

impl Decl {
    fn noun(self) -> &'static str {
        match self {
            Decl::Model => "model",
            Decl::View => "view",
            Decl::Composite => "composite type",
            Decl::Enum => "enum",
        }
    }

    fn is_relational(self) -> bool {
        matches!(self, Decl::Model | Decl::View)
    }
}

fn model_decl(kind: ModelKind) -> Decl {
    match kind {
        ModelKind::Model => Decl::Model,
        ModelKind::View => Decl::View,
        ModelKind::CompositeType => Decl::Composite,
    }
}

struct Validator<'a> {
    ast: &'a SchemaAst,
    sources: &'a SourceSet,
    diags: Diagnostics,
    provider: Option<Provider>,
    /// Name of the datasource: native type attributes are `@<name>.Type`.
    datasource: Option<&'a str>,
    /// `schemas = [...]` of the datasource, when present.
    schemas: Option<Vec<String>>,
    /// `relationMode = "prisma"` (or the legacy `referentialIntegrity`).
    relation_mode_prisma: bool,
    /// Preview features enabled in any generator.
    preview_features: HashSet<&'a str>,
    enums: HashMap<&'a str, &'a Enum>,
    /// Fields by name of each model in `models`, so that field references resolve in constant
    /// time (a model with thousands of fields and long index lists stays linear).
    fields: HashMap<&'a str, HashMap<&'a str, &'a Field>>,
    /// First declaration of each type name.
    decls: HashMap<&'a str, Decl>,
    models: HashMap<&'a str, &'a Model>,
}

/// `@relation(...)` arguments of one field.
#[derive(Default)]
struct RelationArgs<'a> {
    name: Option<&'a str>,
    fields: Option<&'a Expression>,
    references: Option<&'a Expression>,
}

impl RelationArgs<'_> {
    fn has_fields_or_references(&self) -> bool {
        self.fields.is_some() || self.references.is_some()
    }
}

/// A relation field: a field whose type is a model or view.
struct RelField<'a> {
    model: &'a Model,
    field: &'a Field,
    target: &'a str,
    args: RelationArgs<'a>,
}

impl<'a> RelField<'a> {
    fn name(&self) -> &'a str {
        self.args.name.unwrap_or("")
    }
}

impl<'a> Validator<'a> {
    fn new(ast: &'a SchemaAst, sources: &'a SourceSet) -> Self {
        let mut decls = HashMap::new();
        let mut models = HashMap::new();
        let mut enums = HashMap::new();
        for top in &ast.tops {
            match top {
                Top::Model(m) => {
                    decls
                        .entry(m.name.name.as_str())
                        .or_insert(model_decl(m.kind));
                    if m.kind != ModelKind::CompositeType {
                        models.entry(m.name.name.as_str()).or_insert(m);
                    }
                }
                Top::Enum(e) => {
                    decls.entry(e.name.name.as_str()).or_insert(Decl::Enum);
                    enums.entry(e.name.name.as_str()).or_insert(e);
                }
                Top::Config(_) | Top::TypeAlias(_) => {}
            }
        }
        let fields = models
            .iter()
            .map(|(name, model)| {
                (
                    *name,
                    model
                        .fields
                        .iter()
                        .map(|f| (f.name.name.as_str(), f))
                        .rev()
                        .collect(),
                )
            })
            .collect();
        Validator {
            ast,
            sources,
            fields,
            diags: Diagnostics::new(),
            provider: None,
            datasource: None,
            schemas: None,
            relation_mode_prisma: false,
            preview_features: HashSet::new(),
            enums,
            decls,
            models,
        }
    }

    /// The field `name` of `model` (the first one, if declared twice).
    fn field_of(&self, model: &'a Model, name: &str) -> Option<&'a Field> {
        let primary = self
            .models
            .get(model.name.name.as_str())
            .is_some_and(|m| std::ptr::eq(*m, model));
        if primary {
            self.fields
                .get(model.name.name.as_str())
                .and_then(|f| f.get(name))
                .copied()
        } else {
            model.fields.iter().find(|f| f.name.name == name)
        }
    }

    /// The source text under `span` (empty if out of range).
    fn text(&self, span: Span) -> &'a str {
        self.sources
            .file(span.file)
            .and_then(|f| f.text.get(span.start..span.end))
            .unwrap_or("")
    }

    fn error(&mut self, span: Span, msg: impl Into<String>) {
        self.diags.push(Diagnostic::error(span, msg));
    }

    fn error_help(&mut self, span: Span, msg: impl Into<String>, help: impl Into<String>) {
        self.diags
            .push(Diagnostic::error(span, msg).with_help(help));
    }

    /// Names, positions and value kinds of an attribute's arguments ([`arguments`]).
    fn arguments(&mut self, attr: &Attribute, spec: &Spec, shown: &str) {
        let sources = self.sources;
        let text = |span: Span| {
            sources
                .file(span.file)
                .and_then(|f| f.text.get(span.start..span.end))
                .unwrap_or("")
                .to_string()
        };
        arguments::check(attr, spec, shown, &text, &mut self.diags);
    }

    /// `sort:` takes `Asc` or `Desc`, on the attribute and on each field of an index list.
    fn sort_values(&mut self, attr: &Attribute, shown: &str) {
        let bad = |value: &Expression| match value {
            Expression::Constant(c, _) => c != "Asc" && c != "Desc",
            _ => true,
        };
        if let Some(value) = named_arg(attr, "sort").filter(|v| bad(v)) {
            let found = self.text(value.span());
            self.error(
                value.span(),
                format!("the `sort` argument of `{shown}` can only be `Asc` or `Desc`, you provided: {found}"),
            );
        }
        if !shown.starts_with("@@") {
            return;
        }
        let Some(Expression::Array(items, _)) = attr_arg(attr, "fields", 0) else {
            return;
        };
        for item in items {
            let Expression::Function(_, args, _) = item else {
                continue;
            };
            for arg in args {
                if arg.name.as_ref().is_some_and(|n| n.name == "sort") && bad(&arg.value) {
                    let found = self.text(arg.value.span());
                    self.error(
                        arg.value.span(),
                        format!("unexpected `{found}`: `sort` expects one of Asc, Desc"),
                    );
                }
            }
        }
    }

    /// Arguments that exist for other connectors only (MySQL `length`, SQL Server `clustered`
    /// and primary-key `sort`): PostgreSQL and SQLite reject them as Prisma does.
    fn connector_arguments(&mut self, attr: &Attribute, shown: &str) {
        if !matches!(self.provider, Some(Provider::Postgres | Provider::Sqlite)) {
            return;
        }
        let provider = self.provider.map_or("", Provider::display);
        if shown == "@shardKey" || shown == "@@shardKey" {
            self.error_help(
                attr_head(attr),
                format!("shard keys are not currently supported for provider {provider}"),
                "shard keys (preview `shardKeys`) exist for MySQL/Vitess only",
            );
        }
        if self.provider == Some(Provider::Sqlite) {
            if let Some(map) = named_arg(attr, "map") {
                let msg = match shown {
                    "@id" | "@@id" => "you defined a database name for the primary key on the model. This is not supported by the provider",
                    "@relation" => "your provider does not support named foreign keys",
                    _ => "",
                };
                if !msg.is_empty() {
                    self.error_help(
                        map.span(),
                        msg,
                        "SQLite has no names for primary and foreign keys: remove `map:`",
                    );
                }
            }
        }
        let primary_key = shown == "@id" || shown == "@@id";
        let where_ = if primary_key {
            "the primary key"
        } else {
            "an index definition"
        };
        for arg in &attr.arguments {
            let Some(name) = &arg.name else { continue };
            let msg = match name.name.as_str() {
                "clustered" if shown != "@default" => {
                    "defining clustering is not supported in the current connector".to_string()
                }
                "length" if shown != "@default" && shown != "@relation" => format!(
                    "the length argument is not supported in {where_} with the current connector"
                ),
                "sort" if shown == "@id" => format!(
                    "the sort argument is not supported in {where_} with the current connector"
                ),
                _ => continue,
            };
            self.error(name.span, format!("`{shown}`: {msg}"));
        }
        // `[a(length: 10)]` in a field list is MySQL's prefix length.
        if shown.starts_with("@@") {
            if let Some(Expression::Array(items, _)) = attr_arg(attr, "fields", 0) {
                for item in items {
                    let Expression::Function(_, args, _) = item else {
                        continue;
                    };
                    for a in args {
                        if let Some(n) = a.name.as_ref().filter(|n| n.name == "length") {
                            self.error(
                                n.span,
                                format!("`{shown}`: the length argument is not supported in {where_} with the current connector"),
                            );
                        }
                    }
                }
            }
        }
        if shown == "@@index"
            && named_arg(attr, "name").is_some()
            && named_arg(attr, "map").is_some()
        {
            self.error_help(
                attr_head(attr),
                "the `@@index` attribute accepts the `name` argument as an alias for the `map` argument for legacy reasons. It does not accept both though",
                "use the `map` argument to specify the database name of the index",
            );
        }
    }

    // --- datasource and generators ---

    fn config_blocks(&mut self) {
        let ast = self.ast;
        let mut datasources = 0;
        for top in &ast.tops {
            let Top::Config(block) = top else { continue };
            self.config_properties(block);
            match block.kind {
                ConfigKind::Generator => {
                    if !block.properties.iter().any(|p| p.name.name == "provider") {
                        self.error(
                            block.name.span,
                            format!("the generator `{}` has no `provider`", block.name.name),
                        );
                    }
                    let features = block
                        .properties
                        .iter()
                        .filter(|p| p.name.name == "previewFeatures");
                    for value in features.filter_map(|p| p.value.as_ref()) {
                        if let Expression::Array(items, _) = value {
                            for item in items {
                                if let Expression::String(feature, _) = item {
                                    self.preview_features.insert(feature.as_str());
                                }
                            }
                        }
                    }
                }
                ConfigKind::Datasource => {
                    datasources += 1;
                    if datasources > 1 {
                        self.error_help(
                            block.name.span,
                            format!(
                                "more than one datasource: `{}` is a second one",
                                block.name.name
                            ),
                            "remove all but one `datasource` block",
                        );
                        continue;
                    }
                    self.datasource(block);
                }
            }
        }
        if datasources == 0 {
            let span = ast.tops.first().map_or(Span::default(), top_span);
            let span = Span::new(span.file, 0, 0);
            self.error_help(
                span,
                "the schema has no `datasource` block",
                "add `datasource db { provider = \"postgresql\" }` (or \"sqlite\"): the provider decides the SQL dialect",
            );
        }
    }

    fn config_properties(&mut self, block: &'a ConfigBlock) {
        let mut seen = HashSet::new();
        for p in &block.properties {
            if !seen.insert(p.name.name.as_str()) {
                self.error(
                    p.name.span,
                    format!("`{}` is already set in `{}`", p.name.name, block.name.name),
                );
            }
            if p.value.is_none() {
                self.error(p.span, format!("`{} =` has no value", p.name.name));
            }
        }
    }

    fn datasource(&mut self, block: &'a ConfigBlock) {
        self.datasource = Some(block.name.name.as_str());
        let Some(provider) = block.properties.iter().find(|p| p.name.name == "provider") else {
            self.error_help(
                block.name.span,
                format!("the datasource `{}` has no `provider`", block.name.name),
                "add `provider = \"postgresql\"` (or \"sqlite\", …)",
            );
            return;
        };
        match &provider.value {
            Some(Expression::String(name, span)) => match Provider::from_name(name) {
                Some(p) => self.provider = Some(p),
                None => self.error_help(
                    *span,
                    format!("datasource provider not known: \"{name}\""),
                    "expected one of \"postgresql\", \"postgres\", \"mysql\", \"sqlite\", \"sqlserver\", \"cockroachdb\", \"mongodb\"",
                ),
            },
            Some(Expression::Function(name, _, span)) if name == "env" => {
                self.error(*span, "the datasource provider cannot come from `env()`; write it as a string")
            }
            Some(other) => self.error(other.span(), "the datasource provider must be a string, as in \"postgresql\""),
            None => {}
        }

        for p in &block.properties {
            match (p.name.name.as_str(), &p.value) {
                ("relationMode" | "referentialIntegrity", Some(Expression::String(mode, _)))
                    if mode == "prisma" =>
                {
                    self.relation_mode_prisma = true;
                }
                ("relationMode" | "referentialIntegrity", Some(Expression::String(mode, span)))
                    if mode != "foreignKeys" =>
                {
                    self.error_help(
                        *span,
                        format!("invalid relation mode \"{mode}\""),
                        "supported values are \"foreignKeys\" and \"prisma\"",
                    );
                }
                ("schemas", Some(value)) => {
                    let names = match value {
                        Expression::Array(items, _) => items
                            .iter()
                            .filter_map(|e| match e {
                                Expression::String(s, _) => Some(s.clone()),
                                _ => None,
                            })
                            .collect(),
                        Expression::String(s, _) => vec![s.clone()],
                        _ => Vec::new(),
                    };
                    self.schemas = Some(names);
                }
                _ => {}
            }
        }
    }

    // --- names ---

    fn top_level_names(&mut self) {
        let ast = self.ast;
        let mut seen: HashMap<&str, Decl> = HashMap::new();
        for top in &ast.tops {
            let (name, decl, block_span) = match top {
                Top::Model(m) => (&m.name, model_decl(m.kind), m.span),
                Top::Enum(e) => (&e.name, Decl::Enum, e.span),
                Top::Config(_) | Top::TypeAlias(_) => continue,
            };
            if let Some(first) = seen.get(name.name.as_str()) {
                self.error(
                    name.span,
                    format!(
                        "the {} `{}` cannot be defined because a {} with that name already exists",
                        decl.noun(),
                        name.name,
                        first.noun()
                    ),
                );
            } else {
                seen.insert(name.name.as_str(), decl);
            }
            self.identifier(name, decl.noun());
            // `PrismaClient` (`reserved_model_names.rs`) and JavaScript's reserved words.
            if decl != Decl::Composite
                && (name.name == "PrismaClient" || is_js_reserved_word(&name.name))
            {
                self.error_help(
                    name.span,
                    format!("the {} name `{}` is reserved", decl.noun(), name.name),
                    "the Prisma client reserves JavaScript keywords and `PrismaClient`; rename it and keep the table name with `@@map`",
                );
            }
            if decl == Decl::View && !self.preview_features.contains("views") {
                self.error_help(
                    Span::new(block_span.file, block_span.start, name.span.end),
                    "view definitions are only available with the `views` preview feature",
                    "add \"views\" to `previewFeatures` in the generator block",
                );
            }
            if decl == Decl::Composite {
                if let Some(p) = self.provider.filter(|p| *p != Provider::MongoDb) {
                    self.error_help(
                        Span::new(block_span.file, block_span.start, name.span.end),
                        format!("composite types are not supported on {}", p.display()),
                        "composite types (`type Name { … }`) exist only for MongoDB; use a model with a relation, or a Json field",
                    );
                }
            }
        }
    }

    /// Names must not start with a digit nor contain `-` (both parse, Prisma rejects them).
    fn identifier(&mut self, name: &Ident, what: &str) {
        if name.name.starts_with(|c: char| c.is_numeric()) {
            self.error(
                name.span,
                format!("the name of a {what} must not start with a number"),
            );
        } else if name.name.contains('-') {
            self.error(
                name.span,
                format!("the character `-` is not allowed in {what} names"),
            );
        }
    }

    // --- models ---

    fn model(&mut self, model: &'a Model) {
        let mut names = HashSet::new();
        for field in &model.fields {
            if !names.insert(field.name.name.as_str()) {
                self.error(
                    field.name.span,
                    format!(
                        "the field `{}` is already defined on {} `{}`",
                        field.name.name,
                        model_noun(model),
                        model.name.name
                    ),
                );
            }
            self.identifier(&field.name, "field");
            self.field(model, field);
        }
        self.model_attributes(model);
        if model.kind == ModelKind::Model {
            self.ids_and_uniques(model);
        }
        if model.kind != ModelKind::CompositeType {
            self.schema_attribute(&model.attributes, &model.name, model_noun(model));
        }
    }

    fn field(&mut self, model: &'a Model, field: &'a Field) {
        let decl = match &field.field_type {
            FieldType::Named(ty) => {
                if SCALARS.contains(&ty.name.as_str()) {
                    None
                } else if let Some(decl) = self.decls.get(ty.name.as_str()) {
                    Some(*decl)
                } else {
                    self.unknown_type(ty);
                    return;
                }
            }
            FieldType::Unsupported { .. } => None,
        };

        if field.arity == Arity::List && !decl.is_some_and(Decl::is_relational) {
            if let Some(p) = self
                .provider
                .filter(|p| matches!(p, Provider::Sqlite | Provider::MySql | Provider::SqlServer))
            {
                self.error_help(
                    field.field_type.span(),
                    format!("the field `{}` cannot be a list: {} does not support lists of primitive types", field.name.name, p.display()),
                    "store the values in a Json field or in a related model",
                );
            }
        }

        let mut seen: HashSet<String> = HashSet::new();
        for attr in &field.attributes {
            let name = attr.name.name.as_str();
            let native = self.native_prefix(name).is_some();
            // All native type attributes count as one (`@db`), as in Prisma.
            let key = if native {
                "db".to_string()
            } else {
                name.to_string()
            };
            if !seen.insert(key) {
                self.error(
                    attr_head(attr),
                    format!("the attribute `@{name}` can only be used once on a field"),
                );
            }
            if !self.known_attribute(
                attr,
                native || FIELD_ATTRIBUTES.contains(&name),
                &format!("@{name}"),
                arguments::field_spec(name),
                "field attributes are @id, @default, @unique, @relation, @map, @updatedAt, @ignore and native types such as @db.VarChar(255)",
            ) {
                continue;
            }
            match name {
                "id" | "unique" | "default" if decl.is_some_and(Decl::is_relational) => {
                    let msg = match name {
                        "default" => "cannot set a default value on a relation field".to_string(),
                        _ => format!(
                            "the field `{}` is a relation field and cannot be marked with `@{name}`: only scalar fields can be {}",
                            field.name.name,
                            if name == "id" { "declared as id" } else { "made unique" }
                        ),
                    };
                    self.error_help(
                        attr_head(attr),
                        msg,
                        "put it on the scalar field listed in the relation's `fields`",
                    )
                }
                "id" | "unique" if self.is_xml(field) => {
                    self.error(attr_head(attr), "native type `Xml` cannot be unique in Postgres")
                }
                // Prisma does not check the ids of an ignored model.
                "id" if field.arity == Arity::Optional
                    && !model.attributes.iter().any(|a| a.name.name == "ignore") =>
                {
                    let span = self.optional_marker(field);
                    self.error_help(span, "fields marked with `@id` must be required", "remove the `?`")
                }
                // Prisma does not check the ids of an ignored model.
                "id" if field.arity == Arity::List
                    && !model.attributes.iter().any(|a| a.name.name == "ignore") =>
                {
                    self.error_help(
                    field.field_type.span(),
                    "fields marked with `@id` must be required: a list cannot be an id",
                    "remove the `[]`",
                )
                }
                "map" if decl.is_some_and(Decl::is_relational) => self.error_help(
                    attr_head(attr),
                    "the attribute `@map` cannot be used on relation fields",
                    "relation fields have no column; put `@map` on the scalar field listed in `fields`",
                ),
                "ignore" if matches!(field.field_type, FieldType::Unsupported { .. }) => self
                    .error_help(
                        attr_head(attr),
                        "fields of type `Unsupported` cannot take an `@ignore` attribute. They are already treated as ignored by the client due to their type",
                        "remove `@ignore`",
                    ),
                "ignore" if model.attributes.iter().any(|a| a.name.name == "ignore") => self
                    .error_help(
                        attr_head(attr),
                        "fields on an already ignored model do not need an `@ignore` annotation",
                        "remove `@ignore` from the field",
                    ),
                "default" => self.default(field, decl, attr),
                "updatedAt" => self.updated_at(field, attr),
                "relation" if !decl.is_some_and(Decl::is_relational) => {
                    self.error(attr_head(attr), "`@relation` can only be used on relation fields (a field whose type is a model)")
                }
                "relation" => self.relation_attribute(model, field, attr),
                _ if native => self.native_type(field, attr),
                _ => {}
            }
        }
        self.ignored_target(model, field);
    }

    /// A relation field to a model marked `@@ignore` must be `@ignore`d too (unless its own
    /// model is ignored): the client could not resolve it.
    fn ignored_target(&mut self, model: &Model, field: &Field) {
        let FieldType::Named(ty) = &field.field_type else {
            return;
        };
        let Some(target) = self.models.get(ty.name.as_str()).copied() else {
            return;
        };
        let ignored = |attrs: &[Attribute]| attrs.iter().any(|a| a.name.name == "ignore");
        if ignored(&target.attributes) && !ignored(&model.attributes) && !ignored(&field.attributes)
        {
            self.error_help(
                field.name.span,
                format!(
                    "the relation field `{}` on model `{}` must specify the `@ignore` attribute, because the model {} it is pointing to is marked ignored",
                    field.name.name, model.name.name, ty.name
                ),
                "add `@ignore` to this field",
            );
        }
    }

    fn unknown_type(&mut self, ty: &Ident) {
        let lower = ty.name.to_lowercase();
        let mut declared: Vec<&str> = self.decls.keys().copied().collect();
        declared.sort_unstable();
        let suggestion = SCALARS
            .iter()
            .copied()
            .chain(declared)
            .find(|known| known.to_lowercase() == lower);
        let msg = format!(
            "unknown type `{}`: it is neither a built-in type nor a model, enum or composite type",
            ty.name
        );
        match suggestion {
            Some(s) => self.error_help(ty.span, msg, format!("did you mean `{s}`?")),
            None => self.error_help(
                ty.span,
                msg,
                "built-in types are String, Boolean, Int, BigInt, Float, Decimal, DateTime, Json and Bytes",
            ),
        }
    }

    /// The `?` of an optional field (for "must be required"), or its type when not found.
    fn optional_marker(&self, field: &Field) -> Span {
        let ty = field.field_type.span();
        let after = self
            .sources
            .file(ty.file)
            .and_then(|f| f.text.get(ty.end..))
            .unwrap_or("");
        let skipped = after.len() - after.trim_start_matches([' ', '\t']).len();
        if after[skipped..].starts_with('?') {
            Span::new(ty.file, ty.end + skipped, ty.end + skipped + 1)
        } else {
            ty
        }
    }

    /// `Some("VarChar")` for `db.VarChar` when `db` is the datasource name.
    fn native_prefix<'n>(&self, attr_name: &'n str) -> Option<&'n str> {
        let (prefix, ty) = attr_name.split_once('.')?;
        (Some(prefix) == self.datasource || (self.datasource.is_none() && prefix == "db"))
            .then_some(ty)
    }

    fn default(&mut self, field: &Field, decl: Option<Decl>, attr: &Attribute) {
        if let Some(map) = named_arg(attr, "map") {
            if self.provider.is_some_and(|p| p != Provider::SqlServer) {
                self.error_help(
                    map.span(),
                    "a database name (`map:`) for a default value is only supported on SQL Server",
                    "remove the `map:` argument",
                );
            }
        }
        let Some(value) = attr_arg(attr, "value", 0) else {
            return;
        };
        let Expression::Function(func, _, span) = value else {
            if matches!(field.field_type, FieldType::Unsupported { .. }) {
                self.unsupported_default(attr);
            } else {
                self.default_literal(field, decl, value);
            }
            return;
        };
        if !DEFAULT_FUNCTIONS.contains(&func.as_str())
            || (func == "sequence" && self.provider.is_some_and(|p| p != Provider::CockroachDb))
        {
            self.error_help(
                *span,
                format!("unknown function `{func}()` in `@default`"),
                "known functions are autoincrement(), now(), uuid(), cuid(), nanoid(), ulid() and dbgenerated()",
            );
            return;
        }
        if matches!(field.field_type, FieldType::Unsupported { .. }) {
            if func != "dbgenerated" {
                self.unsupported_default(attr);
            }
            return;
        }
        if decl == Some(Decl::Enum) && func != "dbgenerated" {
            let found = self.text(value.span());
            self.error(
                *span,
                format!("expected an enum value, but found `{found}`"),
            );
            return;
        }
        if func == "auto" {
            if self.provider.is_some_and(|p| p != Provider::MongoDb) {
                self.error(*span, "the `auto()` function is only supported on MongoDB");
            }
            return;
        }
        // Composite types are left alone; a list takes the same functions as its element type.
        if decl == Some(Decl::Composite) {
            return;
        }
        let FieldType::Named(ty) = &field.field_type else {
            return;
        };
        let allowed: &[&str] = match func.as_str() {
            "now" => &["DateTime"],
            "autoincrement" => &["Int", "BigInt"],
            "uuid" | "cuid" | "nanoid" | "ulid" => &["String"],
            _ => return,
        };
        if !allowed.contains(&ty.name.as_str()) {
            self.error(
                *span,
                format!(
                    "the function `{func}()` cannot be used on fields of type `{}`",
                    ty.name
                ),
            );
        }
    }

    /// A literal default must match the field's type (lists: each element).
    fn default_literal(&mut self, field: &Field, decl: Option<Decl>, value: &Expression) {
        let FieldType::Named(ty) = &field.field_type else {
            return;
        };
        if matches!(decl, Some(Decl::Model | Decl::View | Decl::Composite)) {
            return;
        }
        match (field.arity, value) {
            (Arity::List, Expression::Array(items, _)) => {
                for item in items {
                    self.default_value(ty, decl, item);
                }
            }
            // Other shapes (a scalar for a list, a list for a scalar) are left to Prisma's wording.
            (Arity::List, _) | (_, Expression::Array(..)) => {}
            _ => self.default_value(ty, decl, value),
        }
    }

    fn default_value(&mut self, ty: &Ident, decl: Option<Decl>, value: &Expression) {
        if let Expression::Function(..) = value {
            return;
        }
        if decl == Some(Decl::Enum) {
            let Some(e) = self.enums.get(ty.name.as_str()).copied() else {
                return;
            };
            match value {
                Expression::Constant(v, span) if !e.values.iter().any(|ev| &ev.name.name == v) => {
                    self.error_help(
                        *span,
                        format!(
                            "the default value `{v}` is not a value of the enum `{}`",
                            ty.name
                        ),
                        format!("use one of the values declared in `enum {}`", ty.name),
                    )
                }
                Expression::Constant(..) => {}
                other => {
                    let found = self.text(other.span());
                    self.error(
                        other.span(),
                        format!("expected an enum value, but found `{found}`"),
                    );
                }
            }
            return;
        }
        let ok = match ty.name.as_str() {
            "Json" => match value {
                Expression::String(text, span) => {
                    if serde_json::from_str::<serde_json::Value>(text).is_err() {
                        self.error(
                            *span,
                            format!("the default value \"{text}\" is not a valid JSON string"),
                        );
                    }
                    true
                }
                _ => false,
            },
            "Bytes" => match value {
                Expression::String(text, span) => {
                    let base64 = text.len() % 4 == 0
                        && text
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='));
                    if !base64 {
                        self.error(
                            *span,
                            format!("the default value \"{text}\" is not a valid base64 string"),
                        );
                    }
                    true
                }
                _ => false,
            },
            "DateTime" => match value {
                Expression::String(text, span) => {
                    if chrono::DateTime::parse_from_rfc3339(text).is_err() {
                        self.error(
                            *span,
                            format!("the default value \"{text}\" is not a valid RFC 3339 date-time, as in \"2024-01-31T12:00:00Z\""),
                        );
                    }
                    true
                }
                _ => false,
            },
            "String" => matches!(value, Expression::String(..)),
            "Int" | "BigInt" => match value {
                Expression::Numeric(n, span) => {
                    if n.contains('.') {
                        self.error(
                            *span,
                            format!("the default value {n} is not a valid integer"),
                        );
                    }
                    true
                }
                _ => false,
            },
            "Float" => matches!(value, Expression::Numeric(..)),
            "Decimal" => match value {
                Expression::Numeric(..) => true,
                Expression::String(text, span) => {
                    let decimal = text
                        .chars()
                        .all(|c| c.is_ascii_digit() || "+-.eE".contains(c))
                        && text.parse::<f64>().is_ok();
                    if !decimal {
                        self.error(
                            *span,
                            format!("the default value \"{text}\" is not a valid decimal"),
                        );
                    }
                    true
                }
                _ => false,
            },
            "Boolean" => matches!(value, Expression::Constant(c, _) if c == "true" || c == "false"),
            _ => true,
        };
        if !ok {
            let found = self.text(value.span());
            self.error(
                value.span(),
                format!("expected a {} value, but found `{found}`", ty.name),
            );
        }
    }

    fn unsupported_default(&mut self, attr: &Attribute) {
        self.error(
            attr.span,
            "only `@default(dbgenerated(\"…\"))` can be used on an `Unsupported` field",
        );
    }

    fn updated_at(&mut self, field: &Field, attr: &Attribute) {
        let is_datetime = matches!(&field.field_type, FieldType::Named(t) if t.name == "DateTime");
        if !is_datetime {
            self.error(
                attr_head(attr),
                "fields marked with `@updatedAt` must be of type DateTime",
            );
        } else if field.arity == Arity::List {
            self.error(
                attr_head(attr),
                "fields marked with `@updatedAt` cannot be lists",
            );
        }
    }

    /// `@relation` arguments on their own: pairs of `fields`/`references`, existing scalar
    /// fields, valid referential actions. Pairing with the opposite field is [`Self::relations`].
    fn relation_attribute(&mut self, model: &'a Model, field: &'a Field, attr: &'a Attribute) {
        let args = relation_args(attr);
        if self.relation_mode_prisma {
            self.emulated_self_relation(model, field, attr, &args);
        }
        let head = attr_head(attr);
        match (args.fields, args.references) {
            (Some(_), None) => self.error(
                head,
                format!(
                    "the relation field `{}` must specify `references` along with `fields`",
                    field.name.name
                ),
            ),
            (None, Some(_)) => self.error(
                head,
                format!(
                    "the relation field `{}` must specify `fields` along with `references`",
                    field.name.name
                ),
            ),
            (Some(fields), Some(references)) => {
                let (f, r) = (array_len(fields), array_len(references));
                if f != r {
                    self.error(
                        head,
                        format!("`fields` and `references` must list the same number of fields (they list {f} and {r})"),
                    );
                }
            }
            (None, None) => {}
        }
        if let Some(fields) = args.fields {
            for (name, span) in field_refs(fields) {
                if self.field_of(model, name).is_none() {
                    self.error(
                        span,
                        format!(
                            "`fields` refers to the unknown field `{name}` of model `{}`",
                            model.name.name
                        ),
                    );
                }
            }
        }
        if let (Some(references), FieldType::Named(target)) = (args.references, &field.field_type) {
            if let Some(target_model) = self.models.get(target.name.as_str()).copied() {
                let refs = field_refs(references);
                let mut all_exist = true;
                for (name, span) in &refs {
                    if self.field_of(target_model, name).is_none() {
                        all_exist = false;
                        self.error(
                            *span,
                            format!("`references` lists fields that do not exist in model `{}`: `{name}`", target.name),
                        );
                    }
                }
                let names: Vec<&str> = refs.iter().map(|(n, _)| *n).collect();
                if all_exist && !names.is_empty() && !self.is_unique_criterion(target_model, &names)
                {
                    self.error_help(
                        head,
                        format!("`references` must refer to a unique criterion in model `{}`", target.name),
                        format!(
                            "reference the id, or add `@unique` (one field) or `@@unique([{}])` to model `{}`",
                            names.join(", "),
                            target.name
                        ),
                    );
                }
            }
        }
        if let (Some(fields), Some(references), FieldType::Named(target)) =
            (args.fields, args.references, &field.field_type)
        {
            if let Some(target_model) = self.models.get(target.name.as_str()).copied() {
                self.foreign_key_types(model, field, target_model, fields, references);
            }
        }
        for arg in &attr.arguments {
            let Some(name) = &arg.name else { continue };
            if name.name != "onDelete" && name.name != "onUpdate" {
                continue;
            }
            let Expression::Constant(action, span) = &arg.value else {
                continue;
            };
            if !REFERENTIAL_ACTIONS.contains(&action.as_str()) {
                self.error_help(
                    *span,
                    format!("invalid referential action `{action}`"),
                    "use Cascade, Restrict, NoAction, SetNull or SetDefault",
                );
            } else if (self.relation_mode_prisma || self.provider == Some(Provider::Sqlite))
                && action == "SetNull"
                && args.fields.is_some_and(|f| {
                    field_refs(f).iter().any(|(n, _)| {
                        self.field_of(model, n)
                            .is_some_and(|f| f.arity == Arity::Required)
                    })
                })
            {
                self.error_help(
                    *span,
                    format!("the `{}` referential action of a relation must not be set to `SetNull` when a referenced field is required", name.name),
                    "choose another referential action, or make the relation's scalar fields optional (PostgreSQL with foreign keys is the only place Prisma allows it)",
                );
            } else if self.relation_mode_prisma
                && matches!(action.as_str(), "NoAction" | "SetDefault")
                && matches!(self.provider, Some(Provider::Postgres | Provider::Sqlite))
            {
                let provider = self.provider.map_or("", Provider::display);
                self.error_help(
                    *span,
                    format!("the referential action `{action}` is not supported with `relationMode = \"prisma\"` on {provider}"),
                    "use Cascade, Restrict or SetNull (Restrict behaves like NoAction here)",
                );
            }
        }
    }

    /// With `relationMode = "prisma"` the client emulates actions and refuses a self-relation
    /// that would cascade into itself: both actions, given or implicit, must be Restrict or
    /// NoAction (implicit: onDelete SetNull over optional scalars, else Restrict; onUpdate Cascade).
    fn emulated_self_relation(
        &mut self,
        model: &'a Model,
        field: &'a Field,
        attr: &'a Attribute,
        args: &RelationArgs<'a>,
    ) {
        let FieldType::Named(target) = &field.field_type else {
            return;
        };
        let Some(fields) = args.fields else { return };
        if target.name != model.name.name {
            return;
        }
        let all_optional = field_refs(fields).iter().all(|(n, _)| {
            self.field_of(model, n)
                .is_some_and(|f| f.arity == Arity::Optional)
        });
        let action = |name: &str| match named_arg(attr, name) {
            Some(Expression::Constant(c, _)) => Some((c.as_str(), false)),
            Some(_) => None,
            None if name == "onDelete" && all_optional => Some(("SetNull", true)),
            None if name == "onDelete" => Some(("Restrict", true)),
            None => Some(("Cascade", true)),
        };
        for name in ["onDelete", "onUpdate"] {
            let Some((value, implicit)) = action(name) else {
                continue;
            };
            if value == "Restrict" || value == "NoAction" {
                continue;
            }
            let note = if implicit {
                format!(" (implicit default `{name}`: `{value}`)")
            } else {
                String::new()
            };
            self.error_help(
                attr_head(attr),
                format!("a self-relation must have `onDelete` and `onUpdate` referential actions set to `NoAction` in one of the @relation attributes{note}"),
                "with `relationMode = \"prisma\"` give this self-relation `onDelete: Restrict, onUpdate: Restrict` (see https://pris.ly/d/cyclic-referential-actions)",
            );
            return;
        }
    }

    /// The scalar fields of a relation against the fields they reference: scalar fields only,
    /// the same Prisma type (and on PostgreSQL a native type the database can compare), and a
    /// required relation field only over required scalars.
    fn foreign_key_types(
        &mut self,
        model: &'a Model,
        field: &'a Field,
        target: &'a Model,
        fields: &Expression,
        references: &Expression,
    ) {
        let own: Vec<(&str, Span, Option<&'a Field>)> = field_refs(fields)
            .into_iter()
            .map(|(n, s)| (n, s, self.field_of(model, n)))
            .collect();
        let theirs: Vec<(&str, Span, Option<&'a Field>)> = field_refs(references)
            .into_iter()
            .map(|(n, s)| (n, s, self.field_of(target, n)))
            .collect();
        let mut relation_refs = false;
        for (list, names, owner) in [("fields", &own, model), ("references", &theirs, target)] {
            let rel: Vec<&str> = names
                .iter()
                .filter(|(_, _, f)| f.is_some_and(|f| self.is_relation_field(f)))
                .map(|(n, _, _)| *n)
                .collect();
            if let (false, Some((_, span, _))) = (
                rel.is_empty(),
                names.iter().find(|(n, _, _)| rel.contains(n)),
            ) {
                relation_refs = true;
                self.error(
                    *span,
                    format!(
                        "the argument `{list}` must refer only to scalar fields of model `{}`, but it refers to the relation fields: {}",
                        owner.name.name,
                        rel.join(", ")
                    ),
                );
            }
        }
        if relation_refs || own.len() != theirs.len() {
            return;
        }
        let mut mismatch = false;
        for ((name, span, ours), (ref_name, _, referenced)) in own.iter().zip(&theirs) {
            let (Some(ours), Some(referenced)) = (ours, referenced) else {
                continue;
            };
            let (FieldType::Named(a), FieldType::Named(b)) =
                (&ours.field_type, &referenced.field_type)
            else {
                continue;
            };
            if a.name != b.name {
                mismatch = true;
                self.error_help(
                    *span,
                    format!(
                        "the type of the field `{name}` in the model `{}` is not matching the type of the referenced field `{ref_name}` in model `{}`",
                        model.name.name, target.name.name
                    ),
                    format!("`{name}` is `{}` and `{ref_name}` is `{}`: give both the same type", a.name, b.name),
                );
            } else if self.provider == Some(Provider::Postgres) {
                let (fa, fb) = (
                    self.pg_family(ours, &a.name),
                    self.pg_family(referenced, &b.name),
                );
                // Measured on PostgreSQL 15: these two reference across families, not the reverse.
                let one_way = matches!((fa, fb), ("time", "timetz") | ("integer", "oid"));
                if fa != fb && !one_way {
                    mismatch = true;
                    self.error_help(
                        *span,
                        format!(
                            "the native type of the field `{name}` in the model `{}` ({fa}) cannot reference the field `{ref_name}` in model `{}` ({fb}): PostgreSQL rejects a foreign key between these column types",
                            model.name.name, target.name.name
                        ),
                        "Prisma accepts this schema, but its migration fails in PostgreSQL; give both fields compatible native types",
                    );
                }
            }
        }
        let optional: Vec<&str> = own
            .iter()
            .filter(|(_, _, f)| f.is_some_and(|f| f.arity == Arity::Optional))
            .map(|(n, _, _)| *n)
            .collect();
        if !mismatch && field.arity == Arity::Required && !optional.is_empty() {
            let names: Vec<&str> = own.iter().map(|(n, _, _)| *n).collect();
            self.error_help(
                field.field_type.span(),
                format!(
                    "the relation field `{}` uses the scalar fields {}. At least one of those fields is optional. Hence the relation field must be optional as well",
                    field.name.name,
                    names.join(", ")
                ),
                format!("write `{}?`, or make `{}` required", self.text(field.field_type.span()), optional.join("`, `")),
            );
        }
    }

    /// `@db.Xml` on PostgreSQL: the type has no equality, so no index and no unique.
    fn is_xml(&self, field: &Field) -> bool {
        self.provider == Some(Provider::Postgres)
            && field
                .attributes
                .iter()
                .any(|a| self.native_prefix(&a.name.name) == Some("Xml"))
    }

    fn is_relation_field(&self, field: &Field) -> bool {
        match &field.field_type {
            FieldType::Named(t) => self
                .decls
                .get(t.name.as_str())
                .is_some_and(|d| d.is_relational()),
            FieldType::Unsupported { .. } => false,
        }
    }

    /// Which PostgreSQL types a column can be compared with in a foreign key: columns of one
    /// family reference each other (`smallint` → `integer`, `varchar` → `text`, `date` →
    /// `timestamp`), columns of two families do not (`uuid` → `text`, `time` → `timestamp`,
    /// `money` → `numeric`), as measured on PostgreSQL 15. `citext` is left with text.
    fn pg_family(&self, field: &Field, scalar: &str) -> &'static str {
        let native = field
            .attributes
            .iter()
            .find_map(|a| self.native_prefix(&a.name.name))
            .unwrap_or("");
        match (scalar, native) {
            ("String", "Uuid") => "uuid",
            ("String", "Inet") => "inet",
            ("String", "Bit" | "VarBit") => "bit",
            ("String", "Xml") => "xml",
            ("String", _) => "text",
            ("DateTime", "Time") => "time",
            ("DateTime", "Timetz") => "timetz",
            ("DateTime", _) => "timestamp",
            ("Decimal", "Money") => "money",
            ("Decimal", _) => "numeric",
            ("Int", "Oid") => "oid",
            ("Int" | "BigInt", _) => "integer",
            ("Float", _) => "float",
            ("Json", "Json") => "json",
            ("Json", _) => "jsonb",
            ("Boolean", _) => "boolean",
            ("Bytes", _) => "bytea",
            _ => "other",
        }
    }

    /// `@db.Type(args)` against the provider's list (PostgreSQL; SQLite has none).
    fn native_type(&mut self, field: &Field, attr: &Attribute) {
        let Some(native) = self.native_prefix(&attr.name.name).map(str::to_string) else {
            return;
        };
        if self.datasource.is_none() {
            self.error_help(
                attr_head(attr),
                format!("the native type `@{}` needs a datasource", attr.name.name),
                "native types depend on the database: add a `datasource` block with its provider",
            );
            return;
        }
        match self.provider {
            Some(Provider::Sqlite) => {
                self.error(
                    attr_head(attr),
                    format!("native type {native} is not supported for SQLite"),
                );
            }
            Some(Provider::Postgres) => self.postgres_native_type(field, attr, &native),
            _ => {}
        }
    }

    fn postgres_native_type(&mut self, field: &Field, attr: &Attribute, native: &str) {
        let Some((scalar, arity)) = postgres_native(native) else {
            self.error(
                attr_head(attr),
                format!("native type {native} is not supported for PostgreSQL"),
            );
            return;
        };
        let declared = match &field.field_type {
            FieldType::Named(t) => t.name.as_str(),
            FieldType::Unsupported { .. } => "Unsupported",
        };
        if declared != scalar {
            self.error_help(
                attr_head(attr),
                format!(
                    "native type `{native}` is not compatible with the field type `{declared}`"
                ),
                format!("`@{}` needs a `{scalar}` field", attr.name.name),
            );
            return;
        }
        let args = &attr.arguments;
        let allowed: &[usize] = match arity {
            NativeArgs::None => &[0],
            NativeArgs::Optional => &[0, 1],
            NativeArgs::Decimal => &[0, 2],
        };
        if !allowed.contains(&args.len()) {
            let expected = match arity {
                NativeArgs::None => "no arguments".to_string(),
                NativeArgs::Optional => "at most one argument".to_string(),
                NativeArgs::Decimal => "either no arguments or two (precision, scale)".to_string(),
            };
            self.error(
                attr.span,
                format!(
                    "native type `{native}` takes {expected}, but got {}",
                    args.len()
                ),
            );
            return;
        }
        let mut values = Vec::new();
        for arg in args {
            match &arg.value {
                Expression::Numeric(n, _) if n.bytes().all(|b| b.is_ascii_digit()) => {
                    values.push(n.parse::<u64>().unwrap_or(u64::MAX));
                }
                other => {
                    let found = self.text(other.span());
                    self.error(
                        attr_head(attr),
                        format!("the arguments of `{native}` must be nonnegative integers, but found `{found}`"),
                    );
                    return;
                }
            }
        }
        match (native, values.as_slice()) {
            ("Timestamp" | "Timestamptz" | "Time" | "Timetz", [p]) if *p > 6 => {
                self.error(
                    attr_head(attr),
                    format!("the precision of `{native}` can range from 0 to 6, not {p}"),
                );
            }
            ("Decimal", [p, s]) => {
                if *p == 0 || *p > 1000 {
                    self.error(
                        attr_head(attr),
                        format!("the precision of `Decimal` must be between 1 and 1000, not {p}"),
                    );
                } else if s > p {
                    self.error(
                        attr_head(attr),
                        "the scale of `Decimal` must not be larger than its precision",
                    );
                }
            }
            _ => {}
        }
    }

    /// An attribute its position does not know is reported with `known_ones` (false); a known
    /// one has its arguments checked against `spec` (true). `shown` is `@name` or `@@name`.
    fn known_attribute(
        &mut self,
        attr: &Attribute,
        known: bool,
        shown: &str,
        spec: Option<&'static Spec>,
        known_ones: &'static str,
    ) -> bool {
        if !known {
            self.error_help(
                attr_head(attr),
                format!("attribute not known: `{shown}`"),
                known_ones,
            );
            return false;
        }
        if let Some(spec) = spec {
            self.arguments(attr, spec, shown);
            self.connector_arguments(attr, shown);
            self.sort_values(attr, shown);
        }
        true
    }

    fn model_attributes(&mut self, model: &'a Model) {
        let mut seen = HashSet::new();
        for attr in &model.attributes {
            let name = attr.name.name.as_str();
            if !self.known_attribute(
                attr,
                MODEL_ATTRIBUTES.contains(&name),
                &format!("@@{name}"),
                arguments::model_spec(name),
                "model attributes are @@id, @@unique, @@index, @@fulltext, @@map, @@ignore, @@schema and @@shardKey",
            ) {
                continue;
            }
            if SINGLE_MODEL_ATTRIBUTES.contains(&name) && !seen.insert(name) {
                self.error(
                    attr_head(attr),
                    format!("the attribute `@@{name}` can only be used once per model"),
                );
            }
            if matches!(name, "id" | "unique" | "index" | "fulltext" | "shardKey") {
                if let Some(Expression::Array(items, span)) = attr_arg(attr, "fields", 0) {
                    if items.is_empty() {
                        self.error(
                            *span,
                            format!("the list of fields in `@@{name}` cannot be empty. Please specify at least one field"),
                        );
                    }
                }
                if let Some(fields) = attr_arg(attr, "fields", 0) {
                    let what = match name {
                        "id" => "id",
                        "unique" => "unique index",
                        _ => "index",
                    };
                    let mut listed: HashSet<&str> = HashSet::new();
                    for (field, span) in field_refs(fields) {
                        // Dotted paths address composite-type members (MongoDB): not checked.
                        if field.contains('.') {
                            continue;
                        }
                        let Some(f) = self.field_of(model, field) else {
                            self.error(
                                span,
                                format!("`@@{name}` refers to the unknown field `{field}` of model `{}`", model.name.name),
                            );
                            continue;
                        };
                        if !listed.insert(field) {
                            self.error(
                                span,
                                format!("the {what} definition refers to the field `{field}` multiple times"),
                            );
                        } else if self.is_relation_field(f) {
                            self.error_help(
                                span,
                                format!("the {what} definition refers to the relation field `{field}`: {what} definitions must reference only scalar fields"),
                                "list the relation's scalar fields (those in its `fields: [...]`) instead",
                            );
                        } else if self.is_xml(f) && name != "fulltext" {
                            let msg = if name == "index" {
                                "you cannot define an index on fields with native type `Xml` of Postgres".to_string()
                            } else {
                                "native type `Xml` cannot be unique in Postgres".to_string()
                            };
                            self.error(span, msg);
                        } else if name == "id"
                            && f.arity != Arity::Required
                            && !model.attributes.iter().any(|a| a.name.name == "ignore")
                        {
                            self.error_help(
                                span,
                                format!("the id definition refers to the optional field `{field}`: id definitions must reference only required fields"),
                                "make the field required, or use `@@unique` instead",
                            );
                        }
                    }
                }
            }
            if name == "index" {
                self.index_type(model, attr);
            }
            if name == "index" || name == "unique" {
                self.partial_index(model, attr);
            }
        }
    }

    fn index_type(&mut self, model: &'a Model, attr: &Attribute) {
        if self.provider == Some(Provider::Postgres) {
            self.operator_classes(model, attr);
        }
        let Some(Expression::Constant(ty, span)) = named_arg(attr, "type") else {
            return;
        };
        match self.provider {
            Some(Provider::Postgres) if !POSTGRES_INDEX_TYPES.contains(&ty.as_str()) => self
                .error_help(
                    *span,
                    format!("unknown index type `{ty}`"),
                    "PostgreSQL index types are BTree, Hash, Gist, Gin, SpGist and Brin",
                ),
            Some(Provider::Postgres) if ty == "Gin" => self.gin_fields(model, attr),
            Some(Provider::Postgres) if matches!(ty.as_str(), "Gist" | "SpGist" | "Brin") => {
                self.default_operator_classes(model, attr, ty)
            }
            Some(Provider::Sqlite) => self.error(*span, "SQLite does not support index types"),
            _ => {}
        }
    }

    /// A named operator class (`ops: JsonbPathOps`) belongs to one or two index types; `raw("…")`
    /// is not checked (Prisma leaves it to the database).
    fn operator_classes(&mut self, model: &'a Model, attr: &Attribute) {
        let algorithm = match named_arg(attr, "type") {
            Some(Expression::Constant(t, _)) => t.as_str(),
            _ => "BTree",
        };
        let Some(Expression::Array(items, _)) = attr_arg(attr, "fields", 0) else {
            return;
        };
        for item in items {
            let Expression::Function(field_name, args, _) = item else {
                continue;
            };
            let ops = args.iter().find_map(|a| match (&a.name, &a.value) {
                (Some(n), Expression::Constant(c, span)) if n.name == "ops" => Some((c, *span)),
                _ => None,
            });
            let Some((class, span)) = ops else { continue };
            let supported: &[&str] = match class.as_str() {
                "InetOps" => &["Gist", "SpGist"],
                "JsonbOps" | "JsonbPathOps" | "ArrayOps" => &["Gin"],
                "TextOps" => &["SpGist"],
                c if c.ends_with("MinMaxOps")
                    || c.ends_with("MinMaxMultiOps")
                    || c.ends_with("BloomOps")
                    || c == "InetInclusionOps" =>
                {
                    &["Brin"]
                }
                _ => continue,
            };
            let field = self.field_of(model, field_name);
            if class == "ArrayOps" && field.is_some_and(|f| f.arity != Arity::List) {
                self.error(
                    span,
                    format!("the given operator class `ArrayOps` expects the type of field `{field_name}` to be an array"),
                );
            } else if supported.contains(&algorithm) {
                if let Some(field) = field {
                    self.operator_class_native_type(class, span, field);
                }
            } else {
                self.error_help(
                    span,
                    format!("the given operator class `{class}` is not supported with the `{algorithm}` index type"),
                    format!("use `type: {}` or another operator class", supported.join("` or `type: ")),
                );
            }
        }
    }

    /// A named operator class works on one native type (`Int4MinMaxOps` on `integer`); a field
    /// without `@db.…` has its scalar's default type (Int → Integer, String → Text, …).
    fn operator_class_native_type(&mut self, class: &str, span: Span, field: &Field) {
        let FieldType::Named(ty) = &field.field_type else {
            return;
        };
        let family = class
            .strip_suffix("MinMaxMultiOps")
            .or_else(|| class.strip_suffix("MinMaxOps"))
            .or_else(|| class.strip_suffix("BloomOps"))
            .or_else(|| class.strip_suffix("InclusionOps"))
            .or_else(|| class.strip_suffix("PathOps"))
            .or_else(|| class.strip_suffix("Ops"))
            .unwrap_or(class);
        let wanted: &[&str] = match family {
            "Int2" => &["SmallInt"],
            "Int4" => &["Integer"],
            "Int8" => &["BigInt"],
            "Float4" => &["Real"],
            "Float8" => &["DoublePrecision"],
            "Numeric" => &["Decimal"],
            "Oid" => &["Oid"],
            "Bit" => &["Bit"],
            "VarBit" => &["VarBit"],
            "Bpchar" => &["Char"],
            "Bytea" => &["ByteA"],
            "Date" => &["Date"],
            "Time" => &["Time"],
            "TimeTz" => &["Timetz"],
            "Timestamp" => &["Timestamp"],
            "TimestampTz" => &["Timestamptz"],
            "Uuid" => &["Uuid"],
            "Inet" => &["Inet"],
            "Text" => &["Text", "VarChar", "Char"],
            "Jsonb" => &["JsonB"],
            _ => return,
        };
        let name = &field.name.name;
        if family == "Jsonb" && ty.name != "Json" {
            self.error(
                span,
                format!("the given operator class `{class}` points to the field `{name}` that is not of Json type"),
            );
            return;
        }
        let explicit = field
            .attributes
            .iter()
            .find_map(|a| self.native_prefix(&a.name.name));
        let default = match ty.name.as_str() {
            "Int" => "Integer",
            "BigInt" => "BigInt",
            "Float" => "DoublePrecision",
            "Decimal" => "Decimal",
            "String" => "Text",
            "DateTime" => "Timestamp",
            "Bytes" => "ByteA",
            "Json" => "JsonB",
            _ => "",
        };
        match explicit {
            Some(native) if !wanted.contains(&native) => self.error(
                span,
                format!("the given operator class `{class}` does not support native type `{native}` of field `{name}`"),
            ),
            None if !wanted.contains(&default) => self.error_help(
                span,
                format!("the given operator class `{class}` expects the field `{name}` to define a valid native type"),
                format!("add `@db.{}` to the field", wanted[0]),
            ),
            _ => {}
        }
    }

    /// The fields an index lists that name a scalar field of `model` (by name or as
    /// `name(ops: …)`), with what the operator-class rules look at.
    fn index_fields(&self, model: &'a Model, attr: &'a Attribute) -> Vec<IndexField<'a>> {
        let mut out = Vec::new();
        for item in index_items(attr) {
            let (name, span, has_ops) = match item {
                Expression::Constant(name, span) => (name.as_str(), *span, false),
                Expression::Function(name, args, span) => (
                    name.as_str(),
                    Span::new(span.file, span.start, span.start + name.len()),
                    args.iter()
                        .any(|a| a.name.as_ref().is_some_and(|n| n.name == "ops")),
                ),
                _ => continue,
            };
            let Some(field) = self.field_of(model, name) else {
                continue;
            };
            let FieldType::Named(ty) = &field.field_type else {
                continue;
            };
            let native = field
                .attributes
                .iter()
                .find_map(|a| self.native_prefix(&a.name.name));
            out.push(IndexField {
                name,
                span,
                field,
                ty,
                native,
                has_ops,
            });
        }
        out
    }

    /// Fields of a GiST, SP-GiST or BRIN index without `ops:` need a type with a default operator
    /// class, by Prisma's rules (probed with the oracle, 7.10.1): GiST takes a plain `String`,
    /// SP-GiST strings (`text`, `varchar`, `char`, `inet`), BRIN anything but Json and Boolean.
    fn default_operator_classes(&mut self, model: &'a Model, attr: &Attribute, index: &str) {
        for item in self.index_fields(model, attr) {
            if item.has_ops {
                continue;
            }
            let (name, span, ty, native) = (item.name, item.span, item.ty, item.native);
            let list = item.field.arity == Arity::List;
            let no_default_class = match (index, native) {
                ("Gist", Some(n)) => ["Inet", "VarChar", "Uuid", "Date", "Char"].contains(&n),
                ("SpGist", Some(n)) => ["Uuid", "Date"].contains(&n),
                _ => false,
            };
            // Lists of strings pass too (checked with the oracle), lists of other types do not.
            let unsupported = match index {
                "Gist" | "SpGist" => ty.name != "String",
                _ => !list && (ty.name == "Json" || ty.name == "Boolean"),
            };
            if let (true, Some(native)) = (no_default_class, native) {
                self.error_help(
                    span,
                    format!(
                        "the {index} index field type `{native}` has no default operator class"
                    ),
                    format!("name an operator class, as in `{name}(ops: raw(\"…\"))`"),
                );
            } else if unsupported && !no_default_class {
                self.error_help(
                    span,
                    format!("the {index} index type does not support the type of the field `{name}`"),
                    format!("name an operator class, as in `{name}(ops: raw(\"…\"))`, or use another index type"),
                );
            }
        }
    }

    /// GIN has default operator classes only for arrays and `jsonb`; any other column needs an
    /// explicit `ops:` (Prisma's `generalized_index_validations`, the no-opclass case).
    fn gin_fields(&mut self, model: &'a Model, attr: &Attribute) {
        for item in self.index_fields(model, attr) {
            let (name, span, ty, native) = (item.name, item.span, item.ty, item.native);
            let supported = item.field.arity == Arity::List
                || (ty.name == "Json" && native.is_none_or(|n| n == "JsonB"));
            if !item.has_ops && !supported {
                self.error_help(
                    span,
                    format!("the Gin index type does not support the type of the field `{name}`"),
                    "GIN indexes lists and Json (jsonb) columns; for other types name an operator class, as in `field(ops: raw(\"gin_trgm_ops\"))`",
                );
            }
        }
    }

    /// `where:` (partial indexes) needs the `partialIndexes` preview feature; an object condition
    /// takes model fields with literal values or `{ not: value }`.
    fn partial_index(&mut self, model: &'a Model, attr: &Attribute) {
        let Some(arg) = attr
            .arguments
            .iter()
            .find(|a| a.name.as_ref().is_some_and(|n| n.name == "where"))
        else {
            return;
        };
        if !self.preview_features.contains("partialIndexes") {
            self.error_help(
                arg.span,
                "partial indexes (`where:`) are a preview feature",
                "add \"partialIndexes\" to `previewFeatures` in the generator block",
            );
        }
        let Expression::Object(entries, _) = &arg.value else {
            return;
        };
        for (key, value) in entries {
            let Some(field) = self.field_of(model, &key.name) else {
                self.error(
                    key.span,
                    format!(
                        "the `where` condition refers to the unknown field `{}`",
                        key.name
                    ),
                );
                continue;
            };
            let literal = match value {
                Expression::Object(nested, _) => {
                    nested.iter().find(|(k, _)| k.name == "not").map(|(_, v)| v)
                }
                other => Some(other),
            };
            if let (Some(literal), FieldType::Named(ty)) = (literal, &field.field_type) {
                self.where_type(&key.name, ty, literal);
            }
            match value {
                Expression::Object(nested, _) => {
                    for (op, op_value) in nested {
                        if op.name != "not" {
                            self.error_help(
                                op.span,
                                format!("unknown key `{}` in a nested `where` object", op.name),
                                "only `not` is supported, as in `{ deleted: { not: true } }`",
                            );
                        } else if !is_where_literal(op_value) {
                            self.where_value_error(op_value);
                        }
                    }
                }
                other if !is_where_literal(other) => self.where_value_error(other),
                _ => {}
            }
        }
    }

    /// A `where` literal must suit the field's type (`null` suits any).
    fn where_type(&mut self, field: &str, ty: &Ident, value: &Expression) {
        let found = match value {
            Expression::String(..) => "a String",
            Expression::Numeric(..) => "a Number",
            Expression::Constant(c, _) if c == "true" || c == "false" => "Boolean",
            _ => return,
        };
        // Checked with the oracle: dates and enum values are written as strings; Json and Bytes
        // columns take no literal at all (only null).
        let ok = match ty.name.as_str() {
            "String" | "DateTime" => found == "a String",
            "Int" | "BigInt" | "Float" | "Decimal" => found == "a Number",
            "Boolean" => found == "Boolean",
            "Json" | "Bytes" => false,
            name if self.enums.contains_key(name) => found == "a String",
            _ => return,
        };
        if !ok {
            self.error(
                value.span(),
                format!(
                    "type mismatch: field '{field}' is of type {}, but the value is {found}",
                    ty.name
                ),
            );
        }
    }

    fn where_value_error(&mut self, value: &Expression) {
        self.error_help(
            value.span(),
            "invalid value in a `where` condition",
            "expected true, false, null, a string, a number or `{ not: … }`",
        );
    }

    /// One `@id`/`@@id`, required id fields, and at least one unique criterion of required fields.
    fn ids_and_uniques(&mut self, model: &'a Model) {
        if model.attributes.iter().any(|a| a.name.name == "ignore") {
            return;
        }
        let id_fields: Vec<&Field> = model
            .fields
            .iter()
            .filter(|f| f.attributes.iter().any(|a| a.name.name == "id"))
            .collect();
        let block_id = model.attributes.iter().find(|a| a.name.name == "id");
        if let Some(second) = id_fields.get(1) {
            let attr = second.attributes.iter().find(|a| a.name.name == "id");
            self.error_help(
                attr.map_or(second.name.span, attr_head),
                format!(
                    "at most one field can be marked with `@id` in model `{}`",
                    model.name.name
                ),
                "for a composite primary key use `@@id([a, b])` on the model",
            );
        }
        if let (false, Some(block_id)) = (id_fields.is_empty(), block_id) {
            self.error_help(
                attr_head(block_id),
                format!("model `{}` has both `@id` and `@@id`", model.name.name),
                "keep one id: `@id` on a field or `@@id([…])` on the model",
            );
        }
        if !id_fields.is_empty() || block_id.is_some() {
            return;
        }
        let required = |name: &str| {
            // Lists count as required here, as in Prisma.
            self.field_of(model, name)
                .is_some_and(|f| f.arity != Arity::Optional)
        };
        let field_unique = model.fields.iter().any(|f| {
            f.arity != Arity::Optional && f.attributes.iter().any(|a| a.name.name == "unique")
        });
        let block_unique = model
            .attributes
            .iter()
            .filter(|a| a.name.name == "unique")
            .any(|a| {
                let refs = attr_arg(a, "fields", 0).map(field_refs).unwrap_or_default();
                !refs.is_empty() && refs.iter().all(|(name, _)| required(name))
            });
        if !field_unique && !block_unique {
            self.error_help(
                model.name.span,
                format!("model `{}` has no unique criteria: no `@id`, `@@id` or unique of required fields", model.name.name),
                "mark a required field with `@id` or `@unique`, or add `@@id([…])` or `@@unique([…])`",
            );
        }
    }

    /// `@@schema("x")` needs `schemas` in the datasource listing `x`; with `schemas`, every model,
    /// view and enum needs one.
    fn schema_attribute(&mut self, attributes: &[Attribute], name: &Ident, noun: &str) {
        let attr = attributes.iter().find(|a| a.name.name == "schema");
        match (attr, &self.schemas) {
            (Some(attr), None) => self.error_help(
                attr_head(attr),
                "`@@schema` needs the datasource to list its `schemas`",
                "add `schemas = [\"public\", …]` to the datasource block",
            ),
            (Some(attr), Some(schemas)) => {
                let Some(Expression::String(schema, span)) = attr_arg(attr, "name", 0) else { return };
                if !schemas.contains(schema) {
                    let (span, schema) = (*span, schema.clone());
                    self.error_help(
                        span,
                        format!("the schema \"{schema}\" is not defined in the datasource's `schemas`"),
                        format!("add \"{schema}\" to `schemas = [...]` in the datasource block"),
                    );
                }
            }
            (None, Some(_)) => self.error_help(
                name.span,
                format!("the {noun} `{}` has no `@@schema` attribute", name.name),
                "when the datasource lists `schemas`, every model, view and enum names its schema with `@@schema(\"…\")`",
            ),
            (None, None) => {}
        }
    }

    // --- enums ---

    fn enumeration(&mut self, e: &'a Enum) {
        let mut names = HashSet::new();
        for value in &e.values {
            if !names.insert(value.name.name.as_str()) {
                self.error(
                    value.name.span,
                    format!(
                        "the value `{}` is already defined on enum `{}`",
                        value.name.name, e.name.name
                    ),
                );
            }
            self.identifier(&value.name, "enum value");
            let mut seen = HashSet::new();
            for attr in &value.attributes {
                let name = attr.name.name.as_str();
                if name != "map" {
                    self.error_help(
                        attr_head(attr),
                        format!("attribute not known: `@{name}`"),
                        "enum values take only `@map(\"…\")`",
                    );
                } else if !seen.insert(name) {
                    self.error(
                        attr_head(attr),
                        "the attribute `@map` can only be used once on an enum value",
                    );
                } else if let Some(spec) = arguments::enum_spec(name) {
                    self.arguments(attr, spec, "@map");
                }
            }
        }
        let mut seen = HashSet::new();
        for attr in &e.attributes {
            let name = attr.name.name.as_str();
            if !ENUM_ATTRIBUTES.contains(&name) {
                self.error_help(
                    attr_head(attr),
                    format!("attribute not known: `@@{name}`"),
                    "enums take only `@@map(\"…\")` and `@@schema(\"…\")`",
                );
            } else if !seen.insert(name) {
                self.error(
                    attr_head(attr),
                    format!("the attribute `@@{name}` can only be used once per enum"),
                );
            } else if let Some(spec) = arguments::enum_spec(name) {
                self.arguments(attr, spec, &format!("@@{name}"));
            }
        }
        self.schema_attribute(&e.attributes, &e.name, "enum");
    }

    // --- relations ---

    /// Pairs every relation field with its opposite field, like Prisma's relation inference:
    /// per model, the relation fields to one target with one relation name form a side; a side
    /// must hold one field (two for a self-relation) and have an opposite side.
    fn relations(&mut self) {
        let ast = self.ast;
        let mut rel_fields: Vec<RelField<'a>> = Vec::new();
        for top in &ast.tops {
            let Top::Model(model) = top else { continue };
            // Only the first declaration of a duplicated name takes part (the duplicate is
            // reported already); composite types hold no relations.
            let primary = self
                .models
                .get(model.name.name.as_str())
                .is_some_and(|m| std::ptr::eq(*m, model));
            if !primary {
                continue;
            }
            for field in &model.fields {
                let FieldType::Named(ty) = &field.field_type else {
                    continue;
                };
                if !self
                    .decls
                    .get(ty.name.as_str())
                    .is_some_and(|d| d.is_relational())
                {
                    continue;
                }
                let args = field
                    .attributes
                    .iter()
                    .find(|a| a.name.name == "relation")
                    .map(relation_args)
                    .unwrap_or_default();
                rel_fields.push(RelField {
                    model,
                    field,
                    target: ty.name.as_str(),
                    args,
                });
            }
        }

        // (model, target, relation name) → indexes into rel_fields, in declaration order.
        let mut sides: HashMap<(&str, &str, &str), Vec<usize>> = HashMap::new();
        let mut order: Vec<(&str, &str, &str)> = Vec::new();
        for (i, rf) in rel_fields.iter().enumerate() {
            let key = (rf.model.name.name.as_str(), rf.target, rf.name());
            let entry = sides.entry(key).or_default();
            if entry.is_empty() {
                order.push(key);
            }
            entry.push(i);
        }

        let mut checked_pairs: HashSet<(usize, usize)> = HashSet::new();
        // Sides whose ambiguity was reported from the other model (Prisma reports it once).
        let mut reported: HashSet<(&str, &str, &str)> = HashSet::new();
        for key in order {
            let (model, target, name) = key;
            let side = &sides[&key];
            let first = &rel_fields[side[0]];
            if reported.contains(&key) {
                continue;
            }
            if model == target {
                if name.is_empty() && side.len() >= 2 {
                    let (a, b) = (&rel_fields[side[0]], &rel_fields[side[1]]);
                    self.error_help(
                        a.field.name.span,
                        format!(
                            "ambiguous self-relation: the fields `{}` and `{}` in model `{model}` both refer to `{model}`",
                            a.field.name.name, b.field.name.name
                        ),
                        "if they are the two sides of one relation, give both the same name with `@relation(\"Name\")`; otherwise give each relation its own name",
                    );
                } else if side.len() > 2 {
                    let third = &rel_fields[side[2]];
                    self.error_help(
                        third.field.name.span,
                        format!(
                            "ambiguous self-relation: more than two fields in model `{model}` use the relation name \"{name}\""
                        ),
                        "a self-relation has exactly two fields with the same relation name",
                    );
                } else if side.len() == 1 {
                    self.missing_opposite(first);
                } else if checked_pairs.insert((side[0], side[1])) {
                    self.pair(&rel_fields[side[0]], &rel_fields[side[1]]);
                }
                continue;
            }
            if side.len() > 1 {
                let second = &rel_fields[side[1]];
                reported.insert((target, model, name));
                self.error_help(
                    first.field.name.span,
                    format!(
                        "ambiguous relation: the fields `{}` and `{}` in model `{model}` both refer to `{target}`",
                        first.field.name.name, second.field.name.name
                    ),
                    "give each relation a distinct name with `@relation(\"Name\")` on both of its sides",
                );
                continue;
            }
            match sides.get(&(target, model, name)).map(Vec::as_slice) {
                None | Some([]) => self.missing_opposite(first),
                Some([other]) => {
                    let pair = (side[0].min(*other), side[0].max(*other));
                    if checked_pairs.insert(pair) {
                        self.pair(&rel_fields[pair.0], &rel_fields[pair.1]);
                    }
                }
                // The other side is ambiguous; that is reported from its own model.
                Some(_) => {}
            }
        }
    }

    fn missing_opposite(&mut self, rf: &RelField<'a>) {
        let model = &rf.model.name.name;
        let named = rf
            .args
            .name
            .map(|n| format!(" with `@relation(\"{n}\")`"))
            .unwrap_or_default();
        self.error_help(
            rf.field.name.span,
            format!(
                "the relation field `{}` on model `{model}` has no opposite relation field on model `{}`",
                rf.field.name.name, rf.target
            ),
            format!("add a field of type `{model}` or `{model}[]` to model `{}`{named}", rf.target),
        );
    }

    /// Checks `fields`/`references` placement on the two sides of one relation.
    fn pair(&mut self, a: &RelField<'a>, b: &RelField<'a>) {
        let (a_list, b_list) = (a.field.arity == Arity::List, b.field.arity == Arity::List);
        let describe = |rf: &RelField<'_>| {
            format!("`{}` on model `{}`", rf.field.name.name, rf.model.name.name)
        };
        match (a_list, b_list) {
            (true, true) => {
                if self.provider == Some(Provider::MongoDb) {
                    return;
                }
                for (rf, other) in [(a, b), (b, a)] {
                    // The join table copies a single-field id; a model with only `@@id` cannot take part.
                    let has_id = other
                        .model
                        .fields
                        .iter()
                        .any(|f| f.attributes.iter().any(|at| at.name.name == "id"));
                    if !has_id {
                        self.error_help(
                            rf.field.name.span,
                            format!(
                                "the relation field {} references `{}` which does not have an `@id` field. Models without `@id` cannot be part of a many to many relation",
                                describe(rf),
                                other.model.name.name
                            ),
                            "use an explicit intermediate model to represent this relationship",
                        );
                    }
                    if rf.args.has_fields_or_references() {
                        self.error_help(
                            rf.field.name.span,
                            format!("the many-to-many relation field {} must not specify `fields` or `references`", describe(rf)),
                            "implicit many-to-many relations are declared with a list field on both sides and no `fields`",
                        );
                    }
                }
            }
            (true, false) | (false, true) => {
                let (list, single) = if a_list { (a, b) } else { (b, a) };
                if list.args.has_fields_or_references() {
                    self.error_help(
                        list.field.name.span,
                        format!(
                            "the list relation field {} must not specify `fields` or `references`",
                            describe(list)
                        ),
                        format!(
                            "specify them only on the opposite field {}",
                            describe(single)
                        ),
                    );
                }
                self.actions_on_back_side(list, single, true);
                if !single.args.has_fields_or_references() {
                    self.error_help(
                        single.field.name.span,
                        format!("the relation field {} must specify `fields` and `references`", describe(single)),
                        format!(
                            "add `@relation(fields: [{}Id], references: [id])` (with your own foreign key field)",
                            single.field.name.name
                        ),
                    );
                }
            }
            (false, false) => {
                let (a_has, b_has) = (a.args.fields.is_some(), b.args.fields.is_some());
                if !a_has
                    && !b_has
                    && !a.args.has_fields_or_references()
                    && !b.args.has_fields_or_references()
                {
                    self.error_help(
                        b.field.name.span,
                        format!(
                            "the one-to-one relation between {} and {} has `fields` and `references` on neither side",
                            describe(a),
                            describe(b)
                        ),
                        "add `@relation(fields: […], references: […])` to the side that holds the foreign key",
                    );
                } else if a_has && b_has {
                    self.error_help(
                        b.field.name.span,
                        format!(
                            "both sides of the one-to-one relation between {} and {} specify `fields`",
                            describe(a),
                            describe(b)
                        ),
                        "keep `fields` and `references` only on the side that holds the foreign key",
                    );
                } else {
                    // The side holding the foreign key must hold it on unique fields.
                    let owner = if a_has { a } else { b };
                    let back = if a_has { b } else { a };
                    self.one_to_one_sides(owner, back);
                    let names: Vec<&str> = owner
                        .args
                        .fields
                        .map(field_refs)
                        .unwrap_or_default()
                        .iter()
                        .map(|(n, _)| *n)
                        .collect();
                    let exist = names
                        .iter()
                        .all(|n| self.field_of(owner.model, n).is_some());
                    if !names.is_empty() && exist && !self.is_unique_criterion(owner.model, &names)
                    {
                        let head = owner
                            .field
                            .attributes
                            .iter()
                            .find(|at| at.name.name == "relation")
                            .map_or(owner.field.name.span, attr_head);
                        self.error_help(
                            head,
                            format!(
                                "a one-to-one relation must use unique fields on the defining side: `{}` of model `{}` is not unique",
                                names.join("`, `"),
                                owner.model.name.name
                            ),
                            "add `@unique` to that field (or `@@unique([…])` for several), or make the opposite field a list for one-to-many",
                        );
                    }
                }
            }
        }
    }

    /// Referential actions belong to the side with `fields`; Prisma rejects them on the other.
    fn actions_on_back_side(&mut self, back: &RelField<'a>, owner: &RelField<'a>, list: bool) {
        let Some(attr) = relation_attr(back.field) else {
            return;
        };
        let Some(arg) = attr.arguments.iter().find(|a| {
            a.name
                .as_ref()
                .is_some_and(|n| n.name == "onDelete" || n.name == "onUpdate")
        }) else {
            return;
        };
        self.error(
            arg.span,
            format!(
                "the relation field `{}` on model `{}` must not specify the `onDelete` or `onUpdate` argument in the @relation attribute. You must only specify it on the opposite field `{}` on model `{}`{}",
                back.field.name.name,
                back.model.name.name,
                owner.field.name.name,
                owner.model.name.name,
                if list { ", or in case of a many to many relation, in an explicit join table" } else { "" }
            ),
        );
    }

    /// A one-to-one relation whose side without `fields` is required cannot be enforced by the
    /// database; Prisma reports it one of three ways, depending on the side with `fields`.
    fn one_to_one_sides(&mut self, owner: &RelField<'a>, back: &RelField<'a>) {
        self.actions_on_back_side(back, owner, false);
        if back.field.arity != Arity::Required {
            return;
        }
        let head = relation_attr(owner.field).map_or(owner.field.name.span, attr_head);
        let has_action = relation_attr(owner.field).is_some_and(|a| {
            a.arguments.iter().any(|arg| {
                arg.name
                    .as_ref()
                    .is_some_and(|n| n.name == "onDelete" || n.name == "onUpdate")
            })
        });
        let (o, b) = (owner.field, back.field);
        let (om, bm) = (&owner.model.name.name, &back.model.name.name);
        let msg = if has_action {
            format!(
                "the relation field `{}` on model `{om}` must not specify the `onDelete` or `onUpdate` argument in the @relation attribute. You must only specify it on the opposite field `{}` on model `{bm}`",
                o.name.name, b.name.name
            )
        } else if o.arity == Arity::Required {
            // Prisma names the side on the model whose name sorts last (checked with the oracle).
            if owner.model.name.name >= back.model.name.name {
                format!(
                    "the relation field `{}` on model `{om}` is required. This is not valid because it's not possible to enforce this constraint on the database level. Please change the field type from `{bm}` to `{bm}?` to fix this",
                    o.name.name
                )
            } else {
                self.error_help(
                    b.field_type.span(),
                    format!(
                        "the relation field `{}` on model `{bm}` is required. This is not valid because it's not possible to enforce this constraint on the database level. Please change the field type from `{om}` to `{om}?` to fix this",
                        b.name.name
                    ),
                    format!("write `{om}?`"),
                );
                return;
            }
        } else {
            format!(
                "the relation field `{om}.{}` defines the `fields` and/or `references` argument. You must set them on the required side of the relation (`{bm}.{}`) in order for the constraints to be enforced",
                o.name.name, b.name.name
            )
        };
        self.error_help(
            head,
            msg,
            format!("make `{}` on model `{bm}` optional (`{om}?`)", b.name.name),
        );
    }

    /// Whether `names` (in any order) are exactly the fields of one of the model's unique
    /// criteria: an `@id` or `@unique` field, or the list of an `@@id` or `@@unique`.
    fn is_unique_criterion(&self, model: &'a Model, names: &[&str]) -> bool {
        let wanted: HashSet<&str> = names.iter().copied().collect();
        let single = match names {
            [one] => self.field_of(model, one).is_some_and(|f| {
                f.attributes
                    .iter()
                    .any(|a| a.name.name == "id" || a.name.name == "unique")
            }),
            _ => false,
        };
        single
            || model
                .attributes
                .iter()
                .filter(|a| a.name.name == "id" || a.name.name == "unique")
                .any(|a| {
                    let fields: HashSet<&str> = attr_arg(a, "fields", 0)
                        .map(field_refs)
                        .unwrap_or_default()
                        .iter()
                        .map(|(n, _)| *n)
                        .collect();
                    fields == wanted
                })
    }

    // --- constraint names (PostgreSQL) ---

    /// Explicit `map:` names longer than 63 bytes, and default names that collide once cut to
    /// 63 bytes: primary keys, indexes and unique constraints share one namespace per schema.
    fn constraint_names(&mut self) {
        // SQLite has the same namespace for index names, without a length limit and without
        // primary key names.
        let sqlite = match self.provider {
            Some(Provider::Postgres) => false,
            Some(Provider::Sqlite) => true,
            _ => return,
        };
        let cut = |base: &str, suffix: &str| {
            if sqlite {
                format!("{base}{suffix}")
            } else {
                truncate_name(base, suffix)
            }
        };
        let ast = self.ast;
        let mut seen: HashSet<(String, String)> = HashSet::new();
        for top in &ast.tops {
            let Top::Model(model) = top else { continue };
            if model.kind != ModelKind::Model
                || !self
                    .models
                    .get(model.name.name.as_str())
                    .is_some_and(|m| std::ptr::eq(*m, model))
            {
                continue;
            }
            let table = block_string(model, "map")
                .unwrap_or(&model.name.name)
                .to_string();
            let schema = block_string(model, "schema").unwrap_or("").to_string();
            // Column names (`@map`) by field name; the first declaration of a name wins.
            let mut columns: HashMap<&str, &str> = HashMap::new();
            for f in &model.fields {
                let mapped =
                    f.attributes.iter().find(|a| a.name.name == "map").and_then(
                        |a| match attr_arg(a, "name", 0) {
                            Some(Expression::String(s, _)) => Some(s.as_str()),
                            _ => None,
                        },
                    );
                columns
                    .entry(f.name.name.as_str())
                    .or_insert(mapped.unwrap_or(&f.name.name));
            }
            let column =
                |name: &str| -> String { columns.get(name).copied().unwrap_or(name).to_string() };

            // (attribute, explicit name argument, derived default) in Prisma's order.
            let mut names: Vec<(&Attribute, Option<&Expression>, String)> = Vec::new();
            for field in &model.fields {
                for attr in &field.attributes {
                    match attr.name.name.as_str() {
                        "id" => names.push((attr, named_arg(attr, "map"), cut(&table, "_pkey"))),
                        "unique" => names.push((
                            attr,
                            named_arg(attr, "map"),
                            cut(&format!("{table}_{}", column(&field.name.name)), "_key"),
                        )),
                        "relation" | "default" if !sqlite => {
                            self.map_length(named_arg(attr, "map"), &attr.name.name)
                        }
                        _ => {}
                    }
                }
            }
            for attr in &model.attributes {
                let cols = || -> String {
                    let refs = attr_arg(attr, "fields", 0)
                        .map(field_refs)
                        .unwrap_or_default();
                    refs.iter()
                        .map(|(n, _)| column(n))
                        .collect::<Vec<_>>()
                        .join("_")
                };
                match attr.name.name.as_str() {
                    "id" => names.push((attr, named_arg(attr, "map"), cut(&table, "_pkey"))),
                    "unique" => names.push((
                        attr,
                        named_arg(attr, "map"),
                        cut(&format!("{table}_{}", cols()), "_key"),
                    )),
                    "index" => names.push((
                        attr,
                        named_arg(attr, "map").or_else(|| named_arg(attr, "name")),
                        cut(&format!("{table}_{}", cols()), "_idx"),
                    )),
                    "fulltext" if !sqlite => self.map_length(named_arg(attr, "map"), "fulltext"),
                    _ => {}
                }
            }
            for (attr, explicit, derived) in names {
                if sqlite && attr.name.name == "id" {
                    continue;
                }
                let name = match explicit {
                    Some(Expression::String(s, _)) => {
                        if !sqlite {
                            self.map_length(explicit, &attr.name.name);
                        }
                        s.clone()
                    }
                    _ => derived,
                };
                if !seen.insert((schema.clone(), name.clone())) {
                    self.error_help(
                        attr_head(attr),
                        format!(
                            "the constraint name `{name}` has to be unique: {} share one namespace",
                            if sqlite {
                                "indexes and unique constraints"
                            } else {
                                "primary keys, indexes and unique constraints"
                            }
                        ),
                        "give one of them its own name with `map: \"…\"`",
                    );
                }
            }
        }
    }

    fn map_length(&mut self, map: Option<&Expression>, attribute: &str) {
        let Some(Expression::String(name, span)) = map else {
            return;
        };
        if name.len() > POSTGRES_NAME_LIMIT {
            self.error_help(
                *span,
                format!(
                    "the constraint name given to `@{attribute}` is too long for PostgreSQL: {} bytes, at most {POSTGRES_NAME_LIMIT}",
                    name.len()
                ),
                "choose a shorter `map:` name",
            );
        }
    }
}

// --- helpers ---

/// Prisma's default constraint names: the base is cut at a char boundary so that base and
/// suffix fit in 63 bytes.
fn truncate_name(base: &str, suffix: &str) -> String {
    let max = POSTGRES_NAME_LIMIT - suffix.len();
    let mut end = base.len().min(max);
    while !base.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{suffix}", &base[..end])
}

/// The string argument of a block attribute such as `@@map("t")`.
fn block_string<'m>(model: &'m Model, attribute: &str) -> Option<&'m str> {
    let attr = model.attributes.iter().find(|a| a.name.name == attribute)?;
    match attr_arg(attr, "name", 0)? {
        Expression::String(s, _) => Some(s.as_str()),
        _ => None,
    }
}

/// A literal allowed as a `where` value.
fn is_where_literal(value: &Expression) -> bool {
    match value {
        Expression::Constant(c, _) => matches!(c.as_str(), "true" | "false" | "null"),
        Expression::String(..) | Expression::Numeric(..) => true,
        _ => false,
    }
}

fn model_noun(model: &Model) -> &'static str {
    model_decl(model.kind).noun()
}

fn top_span(top: &Top) -> Span {
    match top {
        Top::Model(m) => m.span,
        Top::Enum(e) => e.span,
        Top::Config(c) => c.span,
        Top::TypeAlias(a) => a.span,
    }
}

/// From the `@` to the end of the attribute's name: where "unknown attribute" points.
fn attr_head(attr: &Attribute) -> Span {
    Span::new(
        attr.span.file,
        attr.span.start,
        attr.name.span.end.max(attr.span.start),
    )
}

/// The entries of an index's field list; a lone `a` counts as `[a]`, as in Prisma.
/// One field of an index, as [`Validator::index_fields`] finds it.
struct IndexField<'a> {
    name: &'a str,
    span: Span,
    field: &'a Field,
    ty: &'a Ident,
    native: Option<&'a str>,
    /// Written as `name(ops: …)`: an explicit operator class.
    has_ops: bool,
}

fn index_items(attr: &Attribute) -> &[Expression] {
    match attr_arg(attr, "fields", 0) {
        Some(Expression::Array(items, _)) => items,
        Some(one) => std::slice::from_ref(one),
        None => &[],
    }
}

fn relation_attr(field: &Field) -> Option<&Attribute> {
    field.attributes.iter().find(|a| a.name.name == "relation")
}

fn named_arg<'a>(attr: &'a Attribute, name: &str) -> Option<&'a Expression> {
    attr.arguments
        .iter()
        .find(|a| a.name.as_ref().is_some_and(|n| n.name == name))
        .map(|a| &a.value)
}

/// An argument given by name, or as the `position`-th positional argument.
fn attr_arg<'a>(attr: &'a Attribute, name: &str, position: usize) -> Option<&'a Expression> {
    named_arg(attr, name).or_else(|| {
        attr.arguments
            .iter()
            .filter(|a| a.name.is_none())
            .nth(position)
            .map(|a| &a.value)
    })
}

fn relation_args(attr: &Attribute) -> RelationArgs<'_> {
    RelationArgs {
        name: match attr_arg(attr, "name", 0) {
            Some(Expression::String(s, _)) => Some(s.as_str()),
            _ => None,
        },
        fields: named_arg(attr, "fields"),
        references: named_arg(attr, "references"),
    }
}

/// Field names in `[a, b(sort: Desc)]` (or a lone `a`), with their spans.
fn field_refs(expr: &Expression) -> Vec<(&str, Span)> {
    fn one(e: &Expression) -> Option<(&str, Span)> {
        match e {
            Expression::Constant(name, span) => Some((name.as_str(), *span)),
            Expression::Function(name, _, span) => Some((
                name.as_str(),
                Span::new(span.file, span.start, span.start + name.len()),
            )),
            _ => None,
        }
    }
    match expr {
        Expression::Array(items, _) => items.iter().filter_map(one).collect(),
        other => one(other).into_iter().collect(),
    }
}

fn array_len(expr: &Expression) -> usize {
    match expr {
        Expression::Array(items, _) => items.len(),
        _ => 1,
    }
}

#[derive(Clone, Copy)]
enum NativeArgs {
    None,
    Optional,
    Decimal,
}

/// PostgreSQL native types (prisma-conventions.md §3.2): the Prisma scalar each one needs and
/// the arguments it takes.
fn postgres_native(name: &str) -> Option<(&'static str, NativeArgs)> {
    use NativeArgs::*;
    Some(match name {
        "SmallInt" | "Integer" | "Oid" => ("Int", None),
        "BigInt" => ("BigInt", None),
        "Decimal" => ("Decimal", Decimal),
        "Money" => ("Decimal", None),
        "Inet" | "Citext" | "Text" | "Uuid" | "Xml" => ("String", None),
        "VarChar" | "Char" | "Bit" | "VarBit" => ("String", Optional),
        "Real" | "DoublePrecision" => ("Float", None),
        "ByteA" => ("Bytes", None),
        "Timestamp" | "Timestamptz" | "Time" | "Timetz" => ("DateTime", Optional),
        "Date" => ("DateTime", None),
        "Boolean" => ("Boolean", None),
        "Json" | "JsonB" => ("Json", None),
        _ => return Option::None,
    })
}
