//! Lowering: a validated Prisma AST becomes a [`model::Schema`] with exactly the physical names,
//! types and defaults Prisma Migrate would create (see `docs/prisma-mapping.md`), plus the ORM facts
//! only Prisma knows (field and relation names, client defaults, `@updatedAt`, documentation).

use std::collections::HashMap;

use heck::ToSnakeCase;

use super::ast::{self, Argument, Arity, Attribute, Expression, FieldType, ModelKind, Span, Top};
use super::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::model::{
    self, Check, ClientDefault, Column, ColumnType, DefaultValue, Dialect, Enum, EnumValue,
    ForeignKey, Index, IndexColumn, ObjectName, PrimaryKey, ReferentialAction, RelationField,
    SortOrder, Table, TableOrigin, View,
};

const SCALARS: &[&str] = &[
    "String", "Boolean", "Int", "BigInt", "Float", "Decimal", "DateTime", "Json", "Bytes",
];

/// Lowers a validated AST. Problems validation could not see (they need the whole picture) come
/// back as diagnostics instead of a schema.
pub fn lower(ast: &ast::SchemaAst) -> Result<model::Schema, Diagnostics> {
    let mut cx = Lowering::new(ast);
    let schema = cx.run();
    if cx.diagnostics.has_errors() {
        Err(cx.diagnostics)
    } else {
        Ok(schema)
    }
}

struct Datasource {
    dialect: Dialect,
    relation_mode_prisma: bool,
    extensions: Vec<model::Extension>,
}

struct Lowering<'a> {
    models: Vec<&'a ast::Model>,
    views: Vec<&'a ast::Model>,
    enums: Vec<&'a ast::Enum>,
    datasource: Datasource,
    diagnostics: Diagnostics,
    /// Database names of tables and enums, by Prisma name.
    model_index: HashMap<&'a str, usize>,
    enum_index: HashMap<&'a str, usize>,
}

fn error(span: Span, message: impl Into<String>) -> Diagnostic {
    Diagnostic {
        message: message.into(),
        span,
        help: None,
        severity: Severity::Error,
    }
}

// ---------------------------------------------------------------------------------------------
// AST access helpers

fn attribute<'a>(attrs: &'a [Attribute], name: &str) -> Option<&'a Attribute> {
    attrs.iter().find(|a| a.name.name == name)
}

fn attributes<'a>(attrs: &'a [Attribute], name: &'a str) -> impl Iterator<Item = &'a Attribute> {
    attrs.iter().filter(move |a| a.name.name == name)
}

/// Named argument, or the positional one at `position` (Prisma's "default argument").
fn argument<'a>(
    args: &'a [Argument],
    name: &str,
    position: Option<usize>,
) -> Option<&'a Expression> {
    if let Some(a) = args
        .iter()
        .find(|a| a.name.as_ref().is_some_and(|n| n.name == name))
    {
        return Some(&a.value);
    }
    let position = position?;
    args.iter()
        .filter(|a| a.name.is_none())
        .nth(position)
        .map(|a| &a.value)
}

fn string_arg(args: &[Argument], name: &str, position: Option<usize>) -> Option<String> {
    match argument(args, name, position)? {
        Expression::String(s, _) => Some(s.clone()),
        _ => None,
    }
}

fn constant_arg(args: &[Argument], name: &str) -> Option<String> {
    match argument(args, name, None)? {
        Expression::Constant(s, _) => Some(s.clone()),
        _ => None,
    }
}

/// `[a, b(sort: Desc)]` → the names and their argument lists.
fn field_list(expr: Option<&Expression>) -> Vec<(String, Vec<Argument>, Span)> {
    match expr {
        Some(Expression::Array(items, _)) => items
            .iter()
            .filter_map(|item| match item {
                Expression::Constant(name, span) => Some((name.clone(), Vec::new(), *span)),
                Expression::Function(name, args, span) => Some((name.clone(), args.clone(), *span)),
                _ => None,
            })
            .collect(),
        Some(Expression::Constant(name, span)) => vec![(name.clone(), Vec::new(), *span)],
        _ => Vec::new(),
    }
}

/// Prisma's constraint-name rule: cut the base at a char boundary so base + suffix fits the limit.
pub fn constraint_name(base: &str, suffix: &str, limit: usize) -> String {
    let max = limit.saturating_sub(suffix.len());
    let mut cut = base;
    if base.len() >= max {
        let mut end = max;
        while !base.is_char_boundary(end) {
            end -= 1;
        }
        cut = &base[..end];
    }
    format!("{cut}{suffix}")
}

fn take_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

fn take_bytes(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    let mut end = n;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn quote_sql_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

impl<'a> Lowering<'a> {
    fn new(ast: &'a ast::SchemaAst) -> Self {
        let mut models = Vec::new();
        let mut views = Vec::new();
        let mut enums = Vec::new();
        let mut datasource = None;
        for top in &ast.tops {
            match top {
                Top::Model(m) if m.kind == ModelKind::Model => models.push(m),
                Top::Model(m) if m.kind == ModelKind::View => views.push(m),
                Top::Enum(e) => enums.push(e),
                Top::Config(c) if c.kind == ast::ConfigKind::Datasource && datasource.is_none() => {
                    datasource = Some(c)
                }
                _ => {}
            }
        }
        let mut diagnostics = Diagnostics::default();
        let datasource = match datasource {
            Some(c) => read_datasource(c, &mut diagnostics),
            None => {
                diagnostics.push(error(
                    Span::default(),
                    "the schema has no `datasource` block",
                ));
                Datasource {
                    dialect: Dialect::Postgresql,
                    relation_mode_prisma: false,
                    extensions: vec![],
                }
            }
        };
        let model_index = models
            .iter()
            .enumerate()
            .map(|(i, m)| (m.name.name.as_str(), i))
            .collect();
        let enum_index = enums
            .iter()
            .enumerate()
            .map(|(i, e)| (e.name.name.as_str(), i))
            .collect();
        Lowering {
            models,
            views,
            enums,
            datasource,
            diagnostics,
            model_index,
            enum_index,
        }
    }

    fn limit(&self) -> usize {
        match self.datasource.dialect {
            Dialect::Postgresql => 63,
            Dialect::Sqlite => 10_000,
        }
    }

    /// `@@schema("x")` → `Some("x")`, `None` for the default namespace (`public`).
    fn namespace(&self, attrs: &[Attribute]) -> Option<String> {
        let name =
            attribute(attrs, "schema").and_then(|a| string_arg(&a.arguments, "name", Some(0)))?;
        if self.datasource.dialect == Dialect::Postgresql && name == "public" {
            None
        } else {
            Some(name)
        }
    }

    /// The table's name as the database keeps it: PostgreSQL cuts identifiers to 63 bytes, and
    /// drizzle (which does not) must name the table it will find.
    fn table_name(&self, model: &ast::Model) -> String {
        let name = attribute(&model.attributes, "map")
            .and_then(|a| string_arg(&a.arguments, "name", Some(0)))
            .unwrap_or_else(|| model.name.name.clone());
        take_bytes(&name, self.limit()).to_string()
    }

    fn table_ref(&self, model: &ast::Model) -> ObjectName {
        ObjectName::new(self.namespace(&model.attributes), self.table_name(model))
    }

    /// Cut to 63 bytes like [`Self::table_name`].
    fn column_name(&self, field: &ast::Field) -> String {
        let name = attribute(&field.attributes, "map")
            .and_then(|a| string_arg(&a.arguments, "name", Some(0)))
            .unwrap_or_else(|| field.name.name.clone());
        take_bytes(&name, self.limit()).to_string()
    }

    fn model(&self, name: &str) -> Option<&'a ast::Model> {
        self.model_index.get(name).map(|&i| self.models[i])
    }

    fn enum_decl(&self, name: &str) -> Option<&'a ast::Enum> {
        self.enum_index.get(name).map(|&i| self.enums[i])
    }

    fn enum_db_name(&self, e: &ast::Enum) -> String {
        attribute(&e.attributes, "map")
            .and_then(|a| string_arg(&a.arguments, "name", Some(0)))
            .unwrap_or_else(|| e.name.name.clone())
    }

    fn enum_label(value: &ast::EnumValue) -> String {
        attribute(&value.attributes, "map")
            .and_then(|a| string_arg(&a.arguments, "name", Some(0)))
            .unwrap_or_else(|| value.name.name.clone())
    }

    fn is_scalar_field(&self, field: &ast::Field) -> bool {
        match &field.field_type {
            FieldType::Unsupported { .. } => true,
            FieldType::Named(n) => self.model(&n.name).is_none(),
        }
    }

    fn field<'m>(model: &'m ast::Model, name: &str) -> Option<&'m ast::Field> {
        model.fields.iter().find(|f| f.name.name == name)
    }

    fn run(&mut self) -> model::Schema {
        let mut schema = model::Schema {
            extensions: std::mem::take(&mut self.datasource.extensions),
            ..model::Schema::new(self.datasource.dialect)
        };
        // SQLite has no enum types: its enum columns are TEXT (see `column_type`), but the enum is
        // kept so renderers can still type the column with its values.
        for e in self.enums.clone() {
            schema.enums.push(self.lower_enum(e));
        }
        for m in self.models.clone() {
            let table = self.lower_model(m);
            schema.tables.push(table);
        }
        for v in self.views.clone() {
            schema.views.push(self.lower_view(v));
        }
        self.lower_relations(&mut schema);
        let mut namespaces: Vec<String> = Vec::new();
        let used = schema
            .tables
            .iter()
            .map(|t| &t.schema)
            .chain(schema.enums.iter().map(|e| &e.schema))
            .chain(schema.views.iter().map(|v| &v.schema));
        for s in used.flatten() {
            if !namespaces.contains(s) {
                namespaces.push(s.clone());
            }
        }
        namespaces.sort();
        schema.namespaces = namespaces;
        schema
    }

    fn lower_enum(&self, e: &ast::Enum) -> Enum {
        Enum {
            schema: self.namespace(&e.attributes),
            name: self.enum_db_name(e),
            orm_name: Some(e.name.name.clone()),
            values: e
                .values
                .iter()
                .map(|v| EnumValue {
                    label: Self::enum_label(v),
                    orm_name: Some(v.name.name.clone()),
                    documentation: v.documentation.clone(),
                })
                .collect(),
            documentation: e.documentation.clone(),
        }
    }

    fn lower_view(&mut self, v: &ast::Model) -> View {
        let mut columns = Vec::new();
        for f in &v.fields {
            if self.is_scalar_field(f) {
                columns.push(self.lower_column(v, f, &v.name.name));
            }
        }
        View {
            schema: self.namespace(&v.attributes),
            name: self.table_name(v),
            orm_name: Some(v.name.name.clone()),
            columns,
            definition: None,
            materialized: false,
            documentation: v.documentation.clone(),
        }
    }

    fn lower_model(&mut self, m: &'a ast::Model) -> Table {
        let name = self.table_name(m);
        let limit = self.limit();
        let mut columns = Vec::new();
        for f in &m.fields {
            if self.is_scalar_field(f) {
                columns.push(self.lower_column(m, f, &name));
            }
        }

        // Primary key: `@id` on a field or `@@id([…])`.
        let mut primary_key = None;
        for f in &m.fields {
            if let Some(id) = attribute(&f.attributes, "id") {
                let map = string_arg(&id.arguments, "map", None);
                primary_key = Some(PrimaryKey {
                    name: self.pk_name(&name, map),
                    columns: vec![self.column_name(f)],
                });
            }
        }
        if let Some(id) = attribute(&m.attributes, "id") {
            let cols = field_list(argument(&id.arguments, "fields", Some(0)));
            let map = string_arg(&id.arguments, "map", None);
            primary_key = Some(PrimaryKey {
                name: self.pk_name(&name, map),
                columns: cols
                    .iter()
                    .filter_map(|(f, _, _)| Self::field(m, f).map(|f| self.column_name(f)))
                    .collect(),
            });
        }

        if self.datasource.dialect == Dialect::Sqlite {
            self.sqlite_autoincrement(m, &mut columns, primary_key.as_ref());
        }

        // Indexes in Prisma's DDL order: field `@unique`s, then `@@index`, `@@unique`, `@@fulltext`.
        let mut indexes = Vec::new();
        for f in &m.fields {
            if let Some(u) = attribute(&f.attributes, "unique") {
                let col = self.column_name(f);
                let sort = constant_arg(&u.arguments, "sort");
                indexes.push(Index {
                    name: string_arg(&u.arguments, "map", None).unwrap_or_else(|| {
                        constraint_name(&format!("{name}_{col}"), "_key", limit)
                    }),
                    unique: true,
                    method: "btree".into(),
                    columns: vec![IndexColumn {
                        expression: col,
                        is_expression: false,
                        order: if sort.as_deref() == Some("Desc") {
                            SortOrder::Desc
                        } else {
                            SortOrder::Asc
                        },
                        nulls: None,
                        opclass: None,
                    }],
                    predicate: None,
                    include: vec![],
                });
            }
        }
        for kind in ["index", "unique", "fulltext"] {
            for attr in attributes(&m.attributes, kind) {
                if kind == "fulltext" {
                    self.diagnostics.push(error(
                        attr.span,
                        "`@@fulltext` is not supported on this provider (MySQL and MongoDB only)",
                    ));
                    continue;
                }
                indexes.push(self.lower_index(m, &name, attr, kind == "unique"));
            }
        }

        Table {
            schema: self.namespace(&m.attributes),
            name,
            orm_name: Some(m.name.name.clone()),
            origin: TableOrigin::Model,
            documentation: m.documentation.clone(),
            comment: None,
            columns,
            primary_key,
            indexes,
            unique_constraints: vec![],
            foreign_keys: vec![],
            checks: Vec::<Check>::new(),
            relations: vec![],
            rls_enabled: false,
            policies: vec![],
        }
    }

    /// Prisma's SQLite rules for `autoincrement()`: every single-column `Int` primary key is
    /// `INTEGER PRIMARY KEY AUTOINCREMENT`, with or without `@default(autoincrement())` (it then
    /// carries [`DefaultValue::Autoincrement`], SQLite's sequence); a `BigInt` id keeps no default
    /// (`BIGINT NOT NULL PRIMARY KEY`); on any other field `autoincrement()` is an error, as in
    /// Prisma. An explicit literal default on such an `Int` id (`@id @default(5)`, which Prisma
    /// writes as `AUTOINCREMENT DEFAULT 5`) gives way to the autoincrement.
    fn sqlite_autoincrement(
        &mut self,
        m: &ast::Model,
        columns: &mut [Column],
        primary_key: Option<&PrimaryKey>,
    ) {
        let single_pk = primary_key
            .filter(|pk| pk.columns.len() == 1)
            .map(|pk| pk.columns[0].clone());
        for col in columns.iter_mut() {
            let is_id = single_pk.as_deref() == Some(col.name.as_str());
            if is_id && col.column_type == ColumnType::Integer {
                col.default = Some(DefaultValue::Autoincrement);
            } else if col.default == Some(DefaultValue::Autoincrement) {
                if is_id {
                    col.default = None;
                } else {
                    let span = m
                        .fields
                        .iter()
                        .find(|f| Some(f.name.name.as_str()) == col.orm_name.as_deref())
                        .and_then(|f| attribute(&f.attributes, "default"))
                        .map(|a| a.span)
                        .unwrap_or(m.name.span);
                    self.diagnostics.push(error(
                        span,
                        "the `autoincrement()` default value is used on a non-id field even though the datasource does not support this (SQLite: only a single-field `@id`)",
                    ));
                }
            }
        }
    }

    fn pk_name(&self, table: &str, map: Option<String>) -> Option<String> {
        match self.datasource.dialect {
            // SQLite keeps no name for a primary key.
            Dialect::Sqlite => None,
            Dialect::Postgresql => {
                Some(map.unwrap_or_else(|| constraint_name(table, "_pkey", self.limit())))
            }
        }
    }

    fn lower_index(
        &mut self,
        m: &ast::Model,
        table: &str,
        attr: &Attribute,
        unique: bool,
    ) -> Index {
        let fields = field_list(argument(&attr.arguments, "fields", Some(0)));
        let mut columns = Vec::new();
        let mut names = Vec::new();
        for (field_name, args, span) in &fields {
            let Some(field) = Self::field(m, field_name) else {
                self.diagnostics.push(error(
                    *span,
                    format!("unknown field `{field_name}` in index"),
                ));
                continue;
            };
            let col = self.column_name(field);
            names.push(col.clone());
            let order = match constant_arg(args, "sort").as_deref() {
                Some("Desc") => SortOrder::Desc,
                _ => SortOrder::Asc,
            };
            let opclass = match argument(args, "ops", None) {
                Some(Expression::Constant(c, _)) => Some(opclass_name(c)),
                Some(Expression::Function(f, a, _)) if f == "raw" => {
                    string_arg(a, "value", Some(0))
                }
                _ => None,
            };
            columns.push(IndexColumn {
                expression: col,
                is_expression: false,
                order,
                nulls: None,
                opclass,
            });
        }
        let suffix = if unique { "_key" } else { "_idx" };
        let name = string_arg(&attr.arguments, "map", None)
            .or_else(|| {
                if unique {
                    None
                } else {
                    string_arg(&attr.arguments, "name", None)
                }
            })
            .unwrap_or_else(|| {
                constraint_name(
                    &format!("{table}_{}", names.join("_")),
                    suffix,
                    self.limit(),
                )
            });
        let method = constant_arg(&attr.arguments, "type")
            .map(|t| t.to_ascii_lowercase())
            .unwrap_or_else(|| "btree".into());
        let predicate = match argument(&attr.arguments, "where", None) {
            Some(Expression::Function(f, a, _)) if f == "raw" => {
                string_arg(a, "value", Some(0)).map(|s| format!("({s})"))
            }
            Some(Expression::Object(entries, _)) => {
                Some(format!("({})", self.where_object(m, entries)))
            }
            _ => None,
        };
        Index {
            name,
            unique,
            method,
            columns,
            predicate,
            include: vec![],
        }
    }

    /// Object-form partial index predicate: `{ deleted: false, email: { not: null } }`.
    fn where_object(&self, m: &ast::Model, entries: &[(ast::Ident, Expression)]) -> String {
        let mut parts = Vec::new();
        for (key, value) in entries {
            let col = Self::field(m, &key.name)
                .map(|f| self.column_name(f))
                .unwrap_or_else(|| key.name.clone());
            let col = quote_ident(&col);
            match value {
                Expression::Object(inner, _) => {
                    for (op, v) in inner {
                        match (op.name.as_str(), literal_sql(v)) {
                            ("not", None) => parts.push(format!("{col} IS NOT NULL")),
                            ("not", Some(v)) => parts.push(format!("{col} <> {v}")),
                            ("equals", None) => parts.push(format!("{col} IS NULL")),
                            ("equals", Some(v)) => parts.push(format!("{col} = {v}")),
                            ("gt", Some(v)) => parts.push(format!("{col} > {v}")),
                            ("gte", Some(v)) => parts.push(format!("{col} >= {v}")),
                            ("lt", Some(v)) => parts.push(format!("{col} < {v}")),
                            ("lte", Some(v)) => parts.push(format!("{col} <= {v}")),
                            (_, v) => parts
                                .push(format!("{col} = {}", v.unwrap_or_else(|| "NULL".into()))),
                        }
                    }
                }
                other => match literal_sql(other) {
                    None => parts.push(format!("{col} IS NULL")),
                    Some(v) => parts.push(format!("{col} = {v}")),
                },
            }
        }
        parts.join(" AND ")
    }

    fn lower_column(&mut self, m: &ast::Model, f: &ast::Field, table: &str) -> Column {
        let name = self.column_name(f);
        let (column_type, raw_scalar, prisma_type) = self.column_type(m, f);
        let list = f.arity == Arity::List;
        let mut col = Column {
            name,
            orm_name: Some(f.name.name.clone()),
            raw_type: if list {
                format!("{raw_scalar}[]")
            } else {
                raw_scalar.clone()
            },
            column_type,
            dimensions: u32::from(list),
            // Prisma never makes a scalar list NOT NULL.
            nullable: f.arity != Arity::Required,
            default: None,
            client_default: None,
            updated_at: attribute(&f.attributes, "updatedAt").is_some(),
            identity: None,
            generated: None,
            documentation: f.documentation.clone(),
            comment: None,
        };
        if let Some(d) = attribute(&f.attributes, "default") {
            if let Some(value) = argument(&d.arguments, "value", Some(0)) {
                self.lower_default(&mut col, value, &prisma_type, &raw_scalar, table);
            }
        }
        if col.default == Some(DefaultValue::Autoincrement)
            && self.datasource.dialect == Dialect::Postgresql
        {
            col.raw_type = match col.column_type {
                ColumnType::SmallInt => "SMALLSERIAL".into(),
                ColumnType::BigInt => "BIGSERIAL".into(),
                _ => "SERIAL".into(),
            };
        }
        col
    }

    /// The column type, Prisma's SQL spelling of it, and the Prisma scalar (or enum) name.
    fn column_type(&mut self, m: &ast::Model, f: &ast::Field) -> (ColumnType, String, String) {
        let type_name = match &f.field_type {
            FieldType::Unsupported { raw, .. } => {
                return (
                    ColumnType::Unsupported { sql: raw.clone() },
                    raw.clone(),
                    "Unsupported".into(),
                )
            }
            FieldType::Named(n) => n.name.clone(),
        };
        if let Some(e) = self.enum_decl(&type_name) {
            let db_name = self.enum_db_name(e);
            let schema = self.namespace(&e.attributes);
            return match self.datasource.dialect {
                // Stored as TEXT without a CHECK, as Prisma creates it; the type names the enum.
                Dialect::Sqlite => (
                    ColumnType::Enum {
                        schema: None,
                        name: db_name,
                    },
                    "TEXT".into(),
                    type_name,
                ),
                Dialect::Postgresql => {
                    let raw = match &schema {
                        Some(s) => format!("{}.{}", quote_ident(s), quote_ident(&db_name)),
                        None => quote_ident(&db_name),
                    };
                    (
                        ColumnType::Enum {
                            schema,
                            name: db_name,
                        },
                        raw,
                        type_name,
                    )
                }
            };
        }
        if !SCALARS.contains(&type_name.as_str()) {
            self.diagnostics.push(error(
                f.field_type.span(),
                format!("type `{type_name}` is neither a built-in scalar type nor a model or enum"),
            ));
            return (
                ColumnType::Unsupported {
                    sql: type_name.clone(),
                },
                type_name.clone(),
                type_name,
            );
        }
        let native = f
            .attributes
            .iter()
            .find(|a| a.name.name.contains('.') && !a.name.name.starts_with('.'));
        if self.datasource.dialect == Dialect::Sqlite {
            let (t, raw) = sqlite_type(&type_name);
            return (t, raw.into(), type_name);
        }
        if let Some(native) = native {
            let native_name = native.name.name.split('.').nth(1).unwrap_or_default();
            let nums: Vec<u32> = native
                .arguments
                .iter()
                .filter_map(|a| match &a.value {
                    Expression::Numeric(n, _) => n.parse().ok(),
                    _ => None,
                })
                .collect();
            match pg_native_type(native_name, &nums) {
                Some((t, raw)) => return (t, raw, type_name),
                None => {
                    self.diagnostics.push(error(
                        native.name.span,
                        format!("native type `{native_name}` is not supported for PostgreSQL"),
                    ));
                }
            }
        }
        let _ = m;
        let (t, raw) = pg_default_type(&type_name);
        (t, raw.into(), type_name)
    }

    fn lower_default(
        &mut self,
        col: &mut Column,
        value: &Expression,
        prisma_type: &str,
        raw_scalar: &str,
        _table: &str,
    ) {
        let list = col.dimensions > 0;
        match value {
            Expression::Function(name, args, span) => match name.as_str() {
                "autoincrement" => col.default = Some(DefaultValue::Autoincrement),
                "now" => col.default = Some(DefaultValue::Now),
                "dbgenerated" => {
                    col.default = string_arg(args, "value", Some(0))
                        .filter(|s| !s.is_empty())
                        .map(DefaultValue::Expression)
                }
                "uuid" => {
                    col.client_default = Some(ClientDefault::Uuid {
                        version: numeric_arg(args).map(|n| n as u8),
                    })
                }
                "cuid" => {
                    col.client_default = Some(ClientDefault::Cuid {
                        version: numeric_arg(args).map(|n| n as u8),
                    })
                }
                "nanoid" => {
                    col.client_default = Some(ClientDefault::Nanoid {
                        length: numeric_arg(args),
                    })
                }
                "ulid" => col.client_default = Some(ClientDefault::Ulid),
                "auto" => {}
                other => self.diagnostics.push(error(
                    *span,
                    format!("unknown default function `{other}()`"),
                )),
            },
            Expression::Array(items, _) if list => {
                let elements: Vec<String> = items
                    .iter()
                    .map(|item| {
                        self.scalar_default_sql(item, prisma_type)
                            .unwrap_or_else(|| "NULL".into())
                    })
                    .collect();
                col.default = Some(DefaultValue::Expression(format!(
                    "ARRAY[{}]::{raw_scalar}[]",
                    elements.join(", ")
                )));
            }
            _ if list => {
                self.diagnostics.push(error(
                    value.span(),
                    "the default of a list field must be a list",
                ));
            }
            Expression::Constant(c, span) => {
                if let Some(e) = self.enum_decl(prisma_type) {
                    match e.values.iter().find(|v| &v.name.name == c) {
                        Some(v) => col.default = Some(DefaultValue::EnumValue(Self::enum_label(v))),
                        None => self.diagnostics.push(error(
                            *span,
                            format!("`{c}` is not a value of enum `{prisma_type}`"),
                        )),
                    }
                } else if c == "true" || c == "false" {
                    col.default = Some(DefaultValue::Boolean(c == "true"));
                } else {
                    self.diagnostics.push(error(
                        *span,
                        format!("`{c}` is not a valid default value here"),
                    ));
                }
            }
            Expression::Numeric(n, _) => col.default = Some(DefaultValue::Number(n.clone())),
            Expression::String(s, span) => match prisma_type {
                "String" => col.default = Some(DefaultValue::String(s.clone())),
                "Decimal" => col.default = Some(DefaultValue::Number(s.clone())),
                "DateTime" => match datetime_literal(s) {
                    Some(lit) => {
                        col.default = Some(DefaultValue::Expression(quote_sql_string(&lit)))
                    }
                    None => self
                        .diagnostics
                        .push(error(*span, format!("`{s}` is not an RFC 3339 date-time"))),
                },
                "Json" => col.default = Some(DefaultValue::Expression(self.json_default(s))),
                "Bytes" => match base64_to_hex(s) {
                    Some(hex) => {
                        col.default = Some(DefaultValue::Expression(self.bytes_default(&hex)))
                    }
                    None => self
                        .diagnostics
                        .push(error(*span, "the default of a Bytes field must be base64")),
                },
                _ => col.default = Some(DefaultValue::String(s.clone())),
            },
            Expression::Array(_, span) | Expression::Object(_, span) => self.diagnostics.push(
                error(*span, "this default value is not valid for a scalar field"),
            ),
        }
    }

    fn json_default(&self, text: &str) -> String {
        quote_sql_string(text)
    }

    fn bytes_default(&self, hex: &str) -> String {
        match self.datasource.dialect {
            Dialect::Postgresql => format!("'\\x{hex}'"),
            Dialect::Sqlite => format!("'{hex}'"),
        }
    }

    /// One element of a list default, as Prisma renders it inside `ARRAY[…]`.
    fn scalar_default_sql(&self, value: &Expression, prisma_type: &str) -> Option<String> {
        match value {
            Expression::Numeric(n, _) => Some(n.clone()),
            Expression::String(s, _) => match prisma_type {
                "DateTime" => datetime_literal(s).map(|l| quote_sql_string(&l)),
                "Decimal" => Some(s.clone()),
                "Bytes" => base64_to_hex(s).map(|h| self.bytes_default(&h)),
                _ => Some(quote_sql_string(s)),
            },
            Expression::Constant(c, _) => {
                if let Some(e) = self.enum_decl(prisma_type) {
                    e.values
                        .iter()
                        .find(|v| &v.name.name == c)
                        .map(|v| quote_sql_string(&Self::enum_label(v)))
                } else {
                    Some(c.clone())
                }
            }
            _ => None,
        }
    }

    // -----------------------------------------------------------------------------------------
    // Relations

    fn lower_relations(&mut self, schema: &mut model::Schema) {
        // Group relation fields by (unordered model pair, relation name), in declaration order.
        let mut groups: Vec<((String, String, String), Vec<Side<'a>>)> = Vec::new();
        let mut group_index: HashMap<(String, String, String), usize> = HashMap::new();
        for m in self.models.clone() {
            for f in &m.fields {
                let FieldType::Named(t) = &f.field_type else {
                    continue;
                };
                let Some(target) = self.model(&t.name) else {
                    continue;
                };
                let rel = attribute(&f.attributes, "relation");
                let name = rel.and_then(|r| string_arg(&r.arguments, "name", Some(0)));
                let (a, b) = if m.name.name <= target.name.name {
                    (m.name.name.clone(), target.name.name.clone())
                } else {
                    (target.name.name.clone(), m.name.name.clone())
                };
                let key = (a, b, name.clone().unwrap_or_default());
                let side = Side {
                    model: m,
                    field: f,
                    target,
                };
                match group_index.get(&key) {
                    Some(&i) => groups[i].1.push(side),
                    None => {
                        group_index.insert(key.clone(), groups.len());
                        groups.push((key, vec![side]));
                    }
                }
            }
        }

        let table_pos: HashMap<String, usize> = schema
            .tables
            .iter()
            .enumerate()
            .filter_map(|(i, t)| t.orm_name.clone().map(|n| (n, i)))
            .collect();

        let mut join_tables = Vec::new();
        for ((a, b, explicit), sides) in groups {
            let relation_name = if explicit.is_empty() {
                format!("{a}To{b}")
            } else {
                explicit.clone()
            };
            let many_to_many = sides.len() == 2
                && sides.iter().all(|s| s.field.arity == Arity::List)
                && sides.iter().all(|s| {
                    attribute(&s.field.attributes, "relation")
                        .is_none_or(|r| argument(&r.arguments, "fields", None).is_none())
                });
            if many_to_many {
                // Field A is the one on model A; for self relations the one whose name sorts first.
                let mut ordered: Vec<&Side> = sides.iter().collect();
                ordered.sort_by(|x, y| {
                    (&x.model.name.name, &x.field.name.name)
                        .cmp(&(&y.model.name.name, &y.field.name.name))
                });
                let table_a = &schema.tables[table_pos[&ordered[0].model.name.name]];
                let table_b = &schema.tables[table_pos[&ordered[1].model.name.name]];
                if let Some(join) = self.implicit_join_table(
                    &relation_name,
                    (ordered[0].model, table_a),
                    (ordered[1].model, table_b),
                ) {
                    for (side, letter) in ordered.iter().zip(["A", "B"]) {
                        let pos = table_pos[&side.model.name.name];
                        schema.tables[pos].relations.push(RelationField {
                            name: side.field.name.name.clone(),
                            relation_name: format!("{relation_name}_{letter}"),
                            target: join.object_name(),
                            many: true,
                            fields: vec![],
                            references: vec![],
                            documentation: side.field.documentation.clone(),
                        });
                    }
                    join_tables.push(join);
                }
                continue;
            }
            for side in &sides {
                let pos = table_pos[&side.model.name.name];
                let rel = attribute(&side.field.attributes, "relation");
                let fields = field_list(rel.and_then(|r| argument(&r.arguments, "fields", None)));
                let references =
                    field_list(rel.and_then(|r| argument(&r.arguments, "references", None)));
                let target_ref = self.table_ref(side.target);
                let mut rf = RelationField {
                    name: side.field.name.name.clone(),
                    relation_name: relation_name.clone(),
                    target: target_ref.clone(),
                    many: side.field.arity == Arity::List,
                    fields: vec![],
                    references: vec![],
                    documentation: side.field.documentation.clone(),
                };
                if !fields.is_empty() {
                    let cols: Vec<String> = fields
                        .iter()
                        .filter_map(|(f, _, _)| {
                            Self::field(side.model, f).map(|f| self.column_name(f))
                        })
                        .collect();
                    let ref_cols: Vec<String> = references
                        .iter()
                        .filter_map(|(f, _, _)| {
                            Self::field(side.target, f).map(|f| self.column_name(f))
                        })
                        .collect();
                    rf.fields = cols.clone();
                    rf.references = ref_cols.clone();
                    if !self.datasource.relation_mode_prisma {
                        let rel = rel.expect("fields come from @relation");
                        let any_required = fields.iter().any(|(f, _, _)| {
                            Self::field(side.model, f).is_some_and(|f| f.arity == Arity::Required)
                        });
                        let on_delete = constant_arg(&rel.arguments, "onDelete")
                            .and_then(|a| action(&a))
                            .unwrap_or(if any_required {
                                ReferentialAction::Restrict
                            } else {
                                ReferentialAction::SetNull
                            });
                        let on_update = constant_arg(&rel.arguments, "onUpdate")
                            .and_then(|a| action(&a))
                            .unwrap_or(ReferentialAction::Cascade);
                        let table_name = schema.tables[pos].name.clone();
                        let name = string_arg(&rel.arguments, "map", None).unwrap_or_else(|| {
                            constraint_name(
                                &format!("{table_name}_{}", cols.join("_")),
                                "_fkey",
                                self.limit(),
                            )
                        });
                        schema.tables[pos].foreign_keys.push(ForeignKey {
                            name,
                            columns: cols,
                            referenced_table: target_ref,
                            referenced_columns: ref_cols,
                            on_delete,
                            on_update,
                            deferrable: None,
                        });
                    }
                }
                schema.tables[pos].relations.push(rf);
            }
        }
        schema.tables.extend(join_tables);
    }

    /// The join table Prisma creates for an implicit many-to-many relation (`_AToB`).
    fn implicit_join_table(
        &mut self,
        relation_name: &str,
        (model_a, table_a): (&ast::Model, &Table),
        (model_b, table_b): (&ast::Model, &Table),
    ) -> Option<Table> {
        let limit = self.limit();
        let table_name = take_chars(&format!("_{relation_name}"), limit).to_string();
        let key_column = |table: &Table| -> Option<Column> {
            let pk = table.primary_key.as_ref()?;
            let col = table.column(pk.columns.first()?)?;
            let raw_type = if col.default == Some(DefaultValue::Autoincrement) {
                match col.column_type {
                    ColumnType::SmallInt => "SMALLINT".to_string(),
                    ColumnType::BigInt => "BIGINT".to_string(),
                    _ => "INTEGER".to_string(),
                }
            } else {
                col.raw_type.clone()
            };
            Some(Column::new("", &raw_type, col.column_type.clone(), false))
        };
        let (Some(mut a), Some(mut b)) = (key_column(table_a), key_column(table_b)) else {
            self.diagnostics.push(error(
                model_a.name.span,
                format!("the implicit many-to-many relation `{relation_name}` needs a single-field @id on both models"),
            ));
            return None;
        };
        a.name = "A".into();
        b.name = "B".into();
        let target_a = self.table_ref(model_a);
        let target_b = self.table_ref(model_b);
        let ref_col = |t: &Table| -> String {
            t.primary_key
                .as_ref()
                .and_then(|pk| pk.columns.first().cloned())
                .unwrap_or_default()
        };
        let (ref_a, ref_b) = (ref_col(table_a), ref_col(table_b));
        let plain = |expression: &str| IndexColumn {
            expression: expression.into(),
            is_expression: false,
            order: SortOrder::Asc,
            nulls: None,
            opclass: None,
        };
        let short = take_chars(&table_name, limit - 8);
        let mut indexes = Vec::new();
        let mut primary_key = None;
        match self.datasource.dialect {
            // Prisma 6+ gives the PostgreSQL join table a primary key; other connectors a unique index.
            Dialect::Postgresql => {
                primary_key = Some(PrimaryKey {
                    name: Some(format!("{short}_AB_pkey")),
                    columns: vec!["A".into(), "B".into()],
                })
            }
            Dialect::Sqlite => indexes.push(Index {
                name: format!("{}_AB_unique", take_chars(&table_name, limit - 10)),
                unique: true,
                method: "btree".into(),
                columns: vec![plain("A"), plain("B")],
                predicate: None,
                include: vec![],
            }),
        }
        indexes.push(Index {
            name: format!("{short}_B_index"),
            unique: false,
            method: "btree".into(),
            columns: vec![plain("B")],
            predicate: None,
            include: vec![],
        });
        let fk_base = take_bytes(&table_name, limit - 7);
        let mut foreign_keys = Vec::new();
        if !self.datasource.relation_mode_prisma {
            for (letter, target, col) in [("A", &target_a, &ref_a), ("B", &target_b, &ref_b)] {
                foreign_keys.push(ForeignKey {
                    name: format!("{fk_base}_{letter}_fkey"),
                    columns: vec![letter.into()],
                    referenced_table: target.clone(),
                    referenced_columns: vec![col.clone()],
                    on_delete: ReferentialAction::Cascade,
                    on_update: ReferentialAction::Cascade,
                    deferrable: None,
                });
            }
        }
        // Same model, or two models whose camelCase names coincide (`User` and `user`).
        let same = heck::ToLowerCamelCase::to_lower_camel_case(model_a.name.name.as_str())
            == heck::ToLowerCamelCase::to_lower_camel_case(model_b.name.name.as_str());
        let join_field = |m: &ast::Model, letter: &str| {
            let base = heck::ToLowerCamelCase::to_lower_camel_case(m.name.name.as_str());
            if same {
                format!("{base}{letter}")
            } else {
                base
            }
        };
        let relations = vec![
            RelationField {
                name: join_field(model_a, "A"),
                relation_name: format!("{relation_name}_A"),
                target: target_a.clone(),
                many: false,
                fields: vec!["A".into()],
                references: vec![ref_a],
                documentation: None,
            },
            RelationField {
                name: join_field(model_b, "B"),
                relation_name: format!("{relation_name}_B"),
                target: target_b,
                many: false,
                fields: vec!["B".into()],
                references: vec![ref_b],
                documentation: None,
            },
        ];
        Some(Table {
            schema: target_a.schema.clone(),
            name: table_name,
            orm_name: None,
            origin: TableOrigin::ImplicitManyToMany,
            documentation: None,
            comment: None,
            columns: vec![a, b],
            primary_key,
            indexes,
            unique_constraints: vec![],
            foreign_keys,
            checks: vec![],
            relations,
            rls_enabled: false,
            policies: vec![],
        })
    }
}

struct Side<'a> {
    model: &'a ast::Model,
    field: &'a ast::Field,
    target: &'a ast::Model,
}

fn numeric_arg(args: &[Argument]) -> Option<u32> {
    match argument(args, "value", Some(0))? {
        Expression::Numeric(n, _) => n.parse().ok(),
        _ => None,
    }
}

fn literal_sql(e: &Expression) -> Option<String> {
    match e {
        Expression::Numeric(n, _) => Some(n.clone()),
        Expression::String(s, _) => Some(quote_sql_string(s)),
        Expression::Constant(c, _) if c == "null" => None,
        Expression::Constant(c, _) => Some(c.clone()),
        _ => None,
    }
}

fn action(name: &str) -> Option<ReferentialAction> {
    Some(match name {
        "Cascade" => ReferentialAction::Cascade,
        "Restrict" => ReferentialAction::Restrict,
        "NoAction" => ReferentialAction::NoAction,
        "SetNull" => ReferentialAction::SetNull,
        "SetDefault" => ReferentialAction::SetDefault,
        _ => return None,
    })
}

/// `JsonbPathOps` → `jsonb_path_ops`, `Int4MinMaxMultiOps` → `int4_minmax_multi_ops`.
fn opclass_name(constant: &str) -> String {
    // PostgreSQL spells these as one word (`timestamptz`, `minmax`), snake_case would split them.
    let mut name = constant.to_string();
    for (from, to) in [
        ("MinMax", "Minmax"),
        ("TimestampTz", "Timestamptz"),
        ("TimeTz", "Timetz"),
        ("VarBit", "Varbit"),
        ("MacAddr", "Macaddr"),
    ] {
        name = name.replace(from, to);
    }
    name.to_snake_case()
}

fn pg_default_type(prisma: &str) -> (ColumnType, &'static str) {
    match prisma {
        "String" => (ColumnType::Text, "TEXT"),
        "Boolean" => (ColumnType::Boolean, "BOOLEAN"),
        "Int" => (ColumnType::Integer, "INTEGER"),
        "BigInt" => (ColumnType::BigInt, "BIGINT"),
        "Float" => (ColumnType::DoublePrecision, "DOUBLE PRECISION"),
        "Decimal" => (
            ColumnType::Numeric {
                precision: Some(65),
                scale: Some(30),
            },
            "DECIMAL(65,30)",
        ),
        "DateTime" => (
            ColumnType::Timestamp {
                precision: Some(3),
                with_time_zone: false,
            },
            "TIMESTAMP(3)",
        ),
        "Json" => (ColumnType::Jsonb, "JSONB"),
        "Bytes" => (ColumnType::Bytes, "BYTEA"),
        _ => (ColumnType::Text, "TEXT"),
    }
}

fn sqlite_type(prisma: &str) -> (ColumnType, &'static str) {
    match prisma {
        "String" => (ColumnType::Text, "TEXT"),
        "Boolean" => (ColumnType::Boolean, "BOOLEAN"),
        "Int" => (ColumnType::Integer, "INTEGER"),
        "BigInt" => (ColumnType::BigInt, "BIGINT"),
        "Float" => (ColumnType::Real, "REAL"),
        "Decimal" => (
            ColumnType::Numeric {
                precision: None,
                scale: None,
            },
            "DECIMAL",
        ),
        "DateTime" => (
            ColumnType::Timestamp {
                precision: None,
                with_time_zone: false,
            },
            "DATETIME",
        ),
        "Json" => (ColumnType::Jsonb, "JSONB"),
        "Bytes" => (ColumnType::Bytes, "BLOB"),
        _ => (ColumnType::Text, "TEXT"),
    }
}

/// `@db.X(args)` on PostgreSQL → type and Prisma's SQL spelling.
fn pg_native_type(name: &str, args: &[u32]) -> Option<(ColumnType, String)> {
    let one = args.first().copied();
    let paren = |base: &str| match one {
        Some(n) => format!("{base}({n})"),
        None => base.to_string(),
    };
    Some(match name {
        "SmallInt" => (ColumnType::SmallInt, "SMALLINT".into()),
        "Integer" => (ColumnType::Integer, "INTEGER".into()),
        "BigInt" => (ColumnType::BigInt, "BIGINT".into()),
        "Decimal" => match (args.first(), args.get(1)) {
            (Some(p), Some(s)) => (
                ColumnType::Numeric {
                    precision: Some(*p),
                    scale: Some(*s),
                },
                format!("DECIMAL({p},{s})"),
            ),
            (Some(p), None) => (
                ColumnType::Numeric {
                    precision: Some(*p),
                    scale: None,
                },
                format!("DECIMAL({p})"),
            ),
            _ => (
                ColumnType::Numeric {
                    precision: None,
                    scale: None,
                },
                "DECIMAL".into(),
            ),
        },
        "Money" => (ColumnType::Money, "MONEY".into()),
        "Inet" => (ColumnType::Inet, "INET".into()),
        "Oid" => (ColumnType::Oid, "OID".into()),
        "Citext" => (ColumnType::Citext, "CITEXT".into()),
        "Real" => (ColumnType::Real, "REAL".into()),
        "DoublePrecision" => (ColumnType::DoublePrecision, "DOUBLE PRECISION".into()),
        "VarChar" => (ColumnType::VarChar { length: one }, paren("VARCHAR")),
        "Char" => (ColumnType::Char { length: one }, paren("CHAR")),
        "Text" => (ColumnType::Text, "TEXT".into()),
        "ByteA" => (ColumnType::Bytes, "BYTEA".into()),
        "Timestamp" => (
            ColumnType::Timestamp {
                precision: one,
                with_time_zone: false,
            },
            paren("TIMESTAMP"),
        ),
        "Timestamptz" => (
            ColumnType::Timestamp {
                precision: one,
                with_time_zone: true,
            },
            paren("TIMESTAMPTZ"),
        ),
        "Time" => (
            ColumnType::Time {
                precision: one,
                with_time_zone: false,
            },
            paren("TIME"),
        ),
        "Timetz" => (
            ColumnType::Time {
                precision: one,
                with_time_zone: true,
            },
            paren("TIMETZ"),
        ),
        "Date" => (ColumnType::Date, "DATE".into()),
        "Boolean" => (ColumnType::Boolean, "BOOLEAN".into()),
        "Bit" => (ColumnType::Bit { length: one }, paren("BIT")),
        "VarBit" => (ColumnType::VarBit { length: one }, paren("VARBIT")),
        "Uuid" => (ColumnType::Uuid, "UUID".into()),
        "Xml" => (ColumnType::Xml, "XML".into()),
        "Json" => (ColumnType::Json, "JSON".into()),
        "JsonB" => (ColumnType::Jsonb, "JSONB".into()),
        _ => return None,
    })
}

/// RFC 3339 → Prisma's SQL literal text `YYYY-MM-DD HH:MM:SS[.fff] +HH:MM` (offset kept as written).
fn datetime_literal(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    if s.len() < 19
        || !s.is_ascii()
        || !(bytes[10] == b'T' || bytes[10] == b't' || bytes[10] == b' ')
    {
        return None;
    }
    let date = &s[..10];
    let time = &s[11..19];
    let digits_ok = |part: &str, seps: &[usize]| {
        part.char_indices().all(|(i, c)| {
            if seps.contains(&i) {
                !c.is_ascii_digit()
            } else {
                c.is_ascii_digit()
            }
        })
    };
    if !digits_ok(date, &[4, 7]) || !digits_ok(time, &[2, 5]) {
        return None;
    }
    let mut rest = &s[19..];
    let mut fraction = String::new();
    if let Some(r) = rest.strip_prefix('.') {
        let n = r.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        fraction = format!(".{}", &r[..n]);
        rest = &r[n..];
    }
    let offset = match rest {
        "Z" | "z" => "+00:00".to_string(),
        o if o.len() == 6 && (o.starts_with('+') || o.starts_with('-')) && &o[3..4] == ":" => {
            o.to_string()
        }
        _ => return None,
    };
    Some(format!("{date} {time}{fraction} {offset}"))
}

fn base64_to_hex(s: &str) -> Option<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits: u32 = 0;
    let mut nbits = 0;
    let mut out = String::new();
    for c in s.bytes() {
        if c == b'=' {
            break;
        }
        let v = ALPHABET.iter().position(|&a| a == c)? as u32;
        bits = (bits << 6) | v;
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push_str(&format!("{:02x}", (bits >> nbits) & 0xff));
        }
    }
    Some(out)
}

fn read_datasource(c: &ast::ConfigBlock, diagnostics: &mut Diagnostics) -> Datasource {
    let prop = |name: &str| {
        c.properties
            .iter()
            .find(|p| p.name.name == name)
            .and_then(|p| p.value.as_ref())
    };
    let dialect = match prop("provider") {
        Some(Expression::String(p, span)) => match p.as_str() {
            "postgresql" | "postgres" => Dialect::Postgresql,
            "sqlite" => Dialect::Sqlite,
            other => {
                diagnostics.push(error(
                    *span,
                    format!("provider `{other}` is not supported yet (postgresql, sqlite)"),
                ));
                Dialect::Postgresql
            }
        },
        _ => {
            diagnostics.push(error(c.name.span, "the datasource has no `provider`"));
            Dialect::Postgresql
        }
    };
    let relation_mode_prisma = matches!(
        prop("relationMode").or_else(|| prop("referentialIntegrity")),
        Some(Expression::String(m, _)) if m == "prisma"
    );
    let mut extensions = Vec::new();
    if let Some(Expression::Array(items, _)) = prop("extensions") {
        for item in items {
            match item {
                Expression::Constant(name, _) => extensions.push(model::Extension {
                    name: name.clone(),
                    schema: None,
                    version: None,
                }),
                Expression::Function(name, args, _) => extensions.push(model::Extension {
                    name: string_arg(args, "map", None).unwrap_or_else(|| name.clone()),
                    schema: string_arg(args, "schema", None),
                    version: string_arg(args, "version", None),
                }),
                _ => {}
            }
        }
    }
    Datasource {
        dialect,
        relation_mode_prisma,
        extensions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraint_names_are_cut_like_prisma() {
        let t = "AVeryLongModelNameThatGoesOnAndOnForeverAndEverAndEver";
        let n = constraint_name(
            &format!("{t}_second_anotherExtremelyLongFieldNameThatIsReallyQuiteLongOk"),
            "_idx",
            63,
        );
        assert_eq!(
            n,
            "AVeryLongModelNameThatGoesOnAndOnForeverAndEverAndEver_seco_idx"
        );
        assert_eq!(constraint_name("User", "_pkey", 63), "User_pkey");
    }

    #[test]
    fn datetime_literals() {
        assert_eq!(
            datetime_literal("2024-03-05T10:20:30.123Z").unwrap(),
            "2024-03-05 10:20:30.123 +00:00"
        );
        assert_eq!(
            datetime_literal("2024-03-05T10:20:30+02:00").unwrap(),
            "2024-03-05 10:20:30 +02:00"
        );
        assert!(datetime_literal("yesterday").is_none());
    }

    #[test]
    fn base64() {
        assert_eq!(base64_to_hex("AQID").unwrap(), "010203");
        assert_eq!(base64_to_hex("").unwrap(), "");
    }

    #[test]
    fn opclasses() {
        assert_eq!(opclass_name("JsonbPathOps"), "jsonb_path_ops");
        assert_eq!(opclass_name("ArrayOps"), "array_ops");
        assert_eq!(opclass_name("Int4MinMaxMultiOps"), "int4_minmax_multi_ops");
        assert_eq!(
            opclass_name("TimestampTzMinMaxOps"),
            "timestamptz_minmax_ops"
        );
        assert_eq!(opclass_name("VarBitMinMaxOps"), "varbit_minmax_ops");
    }
}
