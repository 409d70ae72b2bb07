//! The neutral schema model every source produces and every renderer consumes.
//!
//! Plain owned data with serde, so `drizzle-port model SOURCE` dumps it as YAML that reads like the
//! schema, and a YAML file is accepted back as a source. Physical facts (names, types, defaults,
//! constraints) sit beside ORM-level facts that only Prisma knows (field names, relation names,
//! client-side defaults, `@updatedAt`, documentation). Things we cannot classify are kept as explicit
//! `Unsupported` values, never dropped.

pub mod affinity;
pub mod naming;
pub mod stored;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    Postgresql,
    Sqlite,
}

impl Dialect {
    /// The spelling drizzle-kit and the model YAML use.
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Postgresql => "postgresql",
            Dialect::Sqlite => "sqlite",
        }
    }
}

/// What kind of source a schema came from: decides what it can know (a drizzle-kit snapshot has
/// no comments, a Prisma schema no views' SQL, only Prisma knows client defaults).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Prisma,
    Database,
    Migrations,
    Model,
}

#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    pub dialect: Dialect,
    /// Where it came from (a path or a redacted URL), for reports.
    pub source: Option<String>,
    /// Schemas (namespaces) other than the default one that the objects live in, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub namespaces: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enums: Vec<Enum>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sequences: Vec<Sequence>,
    pub tables: Vec<Table>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub views: Vec<View>,
    /// Domains (`CREATE DOMAIN`): drizzle cannot create them; columns of a domain type keep the
    /// domain's name as a custom type, and the baseline creates the domain before the tables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<Domain>,
    /// Roles that policies name (other than `public` and the `current_user` family): they exist
    /// already; schema.ts declares them with `pgRole(name).existing()`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
}

#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    pub schema: Option<String>,
    pub name: String,
    /// Base type as SQL (`integer`, `character varying(20)`, `text[]`).
    pub base_type: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_null: bool,
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,
    pub comment: Option<String>,
}

/// A row level security policy (`CREATE POLICY`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub name: String,
    /// `PERMISSIVE` (true) or `RESTRICTIVE`.
    #[serde(default = "default_true")]
    pub permissive: bool,
    /// `ALL`, `SELECT`, `INSERT`, `UPDATE` or `DELETE`.
    #[serde(default = "default_command")]
    pub command: String,
    /// Role names; `public` for everyone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    pub using: Option<String>,
    pub with_check: Option<String>,
}

impl Policy {
    /// `PERMISSIVE` or `RESTRICTIVE`, as SQL and drizzle-kit spell it.
    pub fn kind(&self) -> &'static str {
        if self.permissive {
            "PERMISSIVE"
        } else {
            "RESTRICTIVE"
        }
    }

    /// The roles it applies to, `public` when none is named.
    pub fn roles_or_public(&self) -> Vec<&str> {
        if self.roles.is_empty() {
            vec!["public"]
        } else {
            self.roles.iter().map(String::as_str).collect()
        }
    }
}

fn default_true() -> bool {
    true
}

fn default_command() -> String {
    "ALL".to_string()
}

/// Reference to a table or type: `schema: None` is the default namespace (`public`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectName {
    pub schema: Option<String>,
    pub name: String,
}

impl ObjectName {
    pub fn new(schema: Option<String>, name: impl Into<String>) -> Self {
        ObjectName {
            schema,
            name: name.into(),
        }
    }
}

impl std::fmt::Display for ObjectName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.schema {
            Some(s) => write!(f, "{s}.{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extension {
    pub name: String,
    pub schema: Option<String>,
    pub version: Option<String>,
}

#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enum {
    pub schema: Option<String>,
    /// Database type name.
    pub name: String,
    /// Name in the ORM (the Prisma enum name) when known.
    pub orm_name: Option<String>,
    pub values: Vec<EnumValue>,
    pub documentation: Option<String>,
}

impl Enum {
    pub fn object_name(&self) -> ObjectName {
        ObjectName::new(self.schema.clone(), self.name.clone())
    }
}

#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// Database label.
    pub label: String,
    pub orm_name: Option<String>,
    pub documentation: Option<String>,
}

#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sequence {
    pub schema: Option<String>,
    pub name: String,
    pub increment: Option<i64>,
    pub min_value: Option<i64>,
    pub max_value: Option<i64>,
    pub start: Option<i64>,
    pub cache: Option<i64>,
    #[serde(default)]
    pub cycle: bool,
}

/// A sequence's options with PostgreSQL's defaults filled in (a bigint sequence), so an explicit
/// `START 1` equals an implied one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SequenceOptions {
    pub increment: i64,
    pub min_value: i64,
    pub max_value: i64,
    pub start: i64,
    pub cache: i64,
    pub cycle: bool,
}

impl Sequence {
    /// The options PostgreSQL gives this sequence.
    pub fn options(&self) -> SequenceOptions {
        SequenceOptions::filled(
            [
                self.increment,
                self.min_value,
                self.max_value,
                self.start,
                self.cache,
            ],
            self.cycle,
            i64::MAX,
        )
    }
}

impl SequenceOptions {
    /// Fills unset `[increment, min, max, start, cache]` the way PostgreSQL does for a sequence
    /// whose type tops out at `type_max` (the bounds flip for a descending sequence).
    fn filled(set: [Option<i64>; 5], cycle: bool, type_max: i64) -> Self {
        let [increment, min_value, max_value, start, cache] = set;
        let increment = increment.unwrap_or(1);
        let descending = increment < 0;
        let min_value = min_value.unwrap_or(if descending { -type_max - 1 } else { 1 });
        let max_value = max_value.unwrap_or(if descending { -1 } else { type_max });
        SequenceOptions {
            increment,
            min_value,
            max_value,
            start: start.unwrap_or(if descending { max_value } else { min_value }),
            cache: cache.unwrap_or(1),
            cycle,
        }
    }

    /// The options as SQL writes them (`INCREMENT BY 1 MINVALUE 1 … CACHE 1 [CYCLE]`): the
    /// renderer's DDL and the comparison's report both use this one spelling.
    pub fn sql_words(&self) -> String {
        format!(
            "INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {}{}",
            self.increment,
            self.min_value,
            self.max_value,
            self.start,
            self.cache,
            if self.cycle { " CYCLE" } else { "" }
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableOrigin {
    /// A model / a table of the database.
    #[default]
    Model,
    /// The join table Prisma creates for an implicit many-to-many relation.
    ImplicitManyToMany,
}

#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub schema: Option<String>,
    pub name: String,
    /// Prisma model name, when known (TS naming starts from it).
    pub orm_name: Option<String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub origin: TableOrigin,
    pub documentation: Option<String>,
    pub comment: Option<String>,
    pub columns: Vec<Column>,
    pub primary_key: Option<PrimaryKey>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<Index>,
    /// UNIQUE *constraints* (Prisma makes unique indexes instead; databases may hold both).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unique_constraints: Vec<UniqueConstraint>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKey>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,
    /// ORM-level relation fields declared on this table.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<RelationField>,
    /// `ALTER TABLE … ENABLE ROW LEVEL SECURITY`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub rls_enabled: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<Policy>,
}

impl Table {
    /// A table with no columns, keys, indexes or ORM facts yet.
    pub fn new(schema: Option<String>, name: impl Into<String>) -> Table {
        Table {
            schema,
            name: name.into(),
            ..Table::default()
        }
    }

    pub fn object_name(&self) -> ObjectName {
        ObjectName::new(self.schema.clone(), self.name.clone())
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

fn is_false(v: &bool) -> bool {
    !*v
}

#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub name: String,
    /// Prisma field name, when known.
    pub orm_name: Option<String>,
    /// Type as the database spells it (`TIMESTAMP(3)`, `VARCHAR(255)`, `"Role"`), beside the parsed one.
    pub raw_type: String,
    #[serde(rename = "type")]
    pub column_type: ColumnType,
    /// Array dimensions (0 = scalar).
    #[serde(default, skip_serializing_if = "is_default")]
    pub dimensions: u32,
    pub nullable: bool,
    /// Database default.
    pub default: Option<DefaultValue>,
    /// Default produced by the client (Prisma `uuid()`, `cuid()` …): no database effect.
    pub client_default: Option<ClientDefault>,
    /// Prisma `@updatedAt`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub updated_at: bool,
    pub identity: Option<Identity>,
    /// `GENERATED ALWAYS AS (expr) STORED`.
    pub generated: Option<String>,
    pub documentation: Option<String>,
    pub comment: Option<String>,
}

impl Column {
    /// A plain column: no default, identity, generated expression or ORM facts.
    pub fn new(name: &str, raw_type: &str, column_type: ColumnType, nullable: bool) -> Column {
        Column {
            name: name.to_string(),
            orm_name: None,
            raw_type: raw_type.to_string(),
            column_type,
            dimensions: 0,
            nullable,
            default: None,
            client_default: None,
            updated_at: false,
            identity: None,
            generated: None,
            documentation: None,
            comment: None,
        }
    }
}

/// Column types, dialect-neutral where possible. Lengths and precisions are `None` when unspecified.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ColumnType {
    Boolean,
    SmallInt,
    Integer,
    BigInt,
    Real,
    DoublePrecision,
    Numeric {
        precision: Option<u32>,
        scale: Option<u32>,
    },
    Money,
    Text,
    VarChar {
        length: Option<u32>,
    },
    Char {
        length: Option<u32>,
    },
    Citext,
    Uuid,
    Xml,
    Inet,
    Cidr,
    MacAddr,
    MacAddr8,
    Oid,
    Bit {
        length: Option<u32>,
    },
    VarBit {
        length: Option<u32>,
    },
    Bytes,
    Json,
    Jsonb,
    Date,
    Time {
        precision: Option<u32>,
        #[serde(default, skip_serializing_if = "is_false")]
        with_time_zone: bool,
    },
    Timestamp {
        precision: Option<u32>,
        #[serde(default, skip_serializing_if = "is_false")]
        with_time_zone: bool,
    },
    Interval {
        fields: Option<String>,
        precision: Option<u32>,
    },
    Enum {
        schema: Option<String>,
        name: String,
    },
    /// SQLite's declared types that only carry affinity (`DATETIME`, `DECIMAL`, `JSONB`, …) or any
    /// database type we do not classify: the raw spelling is the truth.
    Unsupported {
        sql: String,
    },
}

impl ColumnType {
    /// A number type (integers, floats, numeric).
    pub fn is_number(&self) -> bool {
        matches!(
            self,
            ColumnType::SmallInt
                | ColumnType::Integer
                | ColumnType::BigInt
                | ColumnType::Real
                | ColumnType::DoublePrecision
                | ColumnType::Numeric { .. }
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum DefaultValue {
    /// A string literal (unquoted content).
    String(String),
    /// A number as written (`-1`, `1.50`), never rounded.
    Number(String),
    Boolean(bool),
    /// An enum label.
    EnumValue(String),
    /// `CURRENT_TIMESTAMP` / `now()`.
    Now,
    /// Integer column fed by an owned sequence (`serial`, Prisma `autoincrement()`).
    Autoincrement,
    /// Any other SQL expression, verbatim (`gen_random_uuid()`, `ARRAY[1, 2]::INTEGER[]`, a cast literal).
    Expression(String),
}

/// `-12`, `3.50`: an optional minus, digits, at most one `.` between digits.
pub fn is_decimal_literal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|c| *c == '.').count() <= 1
        && !digits.starts_with('.')
        && !digits.ends_with('.')
}

/// Splits `'content'::cast` (PostgreSQL's spelling of a typed literal) into the unescaped content
/// and the cast. `None` for anything else, including `E'…'` strings.
pub fn typed_literal(expr: &str) -> Option<(String, &str)> {
    let body = expr.strip_prefix('\'')?;
    let mut content = String::new();
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            if matches!(chars.peek(), Some((_, '\''))) {
                chars.next();
                content.push('\'');
                continue;
            }
            let cast = body[i + 1..].strip_prefix("::")?;
            return Some((content, cast));
        }
        content.push(c);
    }
    None
}

#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ClientDefault {
    Uuid { version: Option<u8> },
    Cuid { version: Option<u8> },
    Nanoid { length: Option<u32> },
    Ulid,
}

#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    pub always: bool,
    pub sequence_name: Option<String>,
    pub increment: Option<i64>,
    pub min_value: Option<i64>,
    pub max_value: Option<i64>,
    pub start: Option<i64>,
    pub cache: Option<i64>,
    #[serde(default)]
    pub cycle: bool,
}

impl Identity {
    /// The options PostgreSQL gives the identity's sequence, for a column type whose largest
    /// value is `type_max`.
    pub fn options(&self, type_max: i64) -> SequenceOptions {
        SequenceOptions::filled(
            [
                self.increment,
                self.min_value,
                self.max_value,
                self.start,
                self.cache,
            ],
            self.cycle,
            type_max,
        )
    }
}

#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrimaryKey {
    /// Constraint name (`User_pkey`); `None` where the dialect does not keep one (SQLite).
    pub name: Option<String>,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    #[default]
    Asc,
    Desc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NullsOrder {
    First,
    Last,
}

#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexColumn {
    /// A column name, or an SQL expression when `is_expression`.
    pub expression: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_expression: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    pub order: SortOrder,
    /// Explicit NULLS placement; `None` = the database default for the order.
    pub nulls: Option<NullsOrder>,
    pub opclass: Option<String>,
}

impl IndexColumn {
    /// Where PostgreSQL sorts NULLs for this order when nothing is said: last ascending, first
    /// descending.
    pub fn default_nulls(&self) -> NullsOrder {
        match self.order {
            SortOrder::Asc => NullsOrder::Last,
            SortOrder::Desc => NullsOrder::First,
        }
    }

    /// Where NULLs sort: the explicit placement, else the order's default.
    pub fn nulls_order(&self) -> NullsOrder {
        self.nulls.unwrap_or_else(|| self.default_nulls())
    }
}

#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Index {
    pub name: String,
    pub unique: bool,
    /// Access method in lowercase (`btree`, `hash`, `gin`, `gist`, `spgist`, `brin`).
    #[serde(default = "default_method")]
    pub method: String,
    pub columns: Vec<IndexColumn>,
    /// Partial index predicate (without `WHERE`), as the database prints it.
    pub predicate: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
}

fn default_method() -> String {
    "btree".to_string()
}

#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UniqueConstraint {
    pub name: String,
    pub columns: Vec<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub nulls_not_distinct: bool,
    pub deferrable: Option<Deferrable>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deferrable {
    InitiallyImmediate,
    InitiallyDeferred,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferentialAction {
    #[default]
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl ReferentialAction {
    /// Spelling drizzle uses (`'set null'`); SQL keywords are the same words.
    pub fn drizzle(self) -> &'static str {
        match self {
            ReferentialAction::NoAction => "no action",
            ReferentialAction::Restrict => "restrict",
            ReferentialAction::Cascade => "cascade",
            ReferentialAction::SetNull => "set null",
            ReferentialAction::SetDefault => "set default",
        }
    }
}

#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForeignKey {
    pub name: String,
    pub columns: Vec<String>,
    pub referenced_table: ObjectName,
    pub referenced_columns: Vec<String>,
    #[serde(default)]
    pub on_delete: ReferentialAction,
    #[serde(default)]
    pub on_update: ReferentialAction,
    pub deferrable: Option<Deferrable>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    pub name: String,
    pub expression: String,
}

/// An ORM relation field (Prisma's `author User @relation(…)`, `posts Post[]`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationField {
    /// Field name in the ORM (`author`, `posts`).
    pub name: String,
    /// Relation name that pairs the two sides (Prisma's explicit or generated name).
    pub relation_name: String,
    /// Table the field points to (for a many-to-many field: the join table).
    pub target: ObjectName,
    /// `one` or `many`.
    pub many: bool,
    /// Columns of *this* table that reference `target` (the owning `fields:` side); empty on the
    /// back side. Kept apart from foreign keys: `relationMode = "prisma"` has relations but no FKs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// Referenced columns of `target`, parallel to `fields`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    pub documentation: Option<String>,
}

#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct View {
    pub schema: Option<String>,
    pub name: String,
    pub orm_name: Option<String>,
    pub columns: Vec<Column>,
    /// SQL definition; `None` when the view is known only by its shape (Prisma `view` blocks).
    pub definition: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub materialized: bool,
    pub documentation: Option<String>,
}

impl Schema {
    /// A schema with nothing in it yet, for a reader to fill.
    pub fn new(dialect: Dialect) -> Schema {
        Schema {
            dialect,
            source: None,
            namespaces: Vec::new(),
            extensions: Vec::new(),
            enums: Vec::new(),
            sequences: Vec::new(),
            tables: Vec::new(),
            views: Vec::new(),
            domains: Vec::new(),
            roles: Vec::new(),
        }
    }

    pub fn table(&self, name: &ObjectName) -> Option<&Table> {
        self.tables
            .iter()
            .find(|t| t.schema == name.schema && t.name == name.name)
    }

    pub fn to_yaml(&self) -> Result<String, serde_yaml::Error> {
        serde_yaml::to_string(self)
    }

    pub fn from_yaml(text: &str) -> Result<Schema, serde_yaml::Error> {
        // The YAML parser's time grows with the square of flow nesting (`[[[[…`): a model is a
        // few levels deep, so refuse hostile nesting before parsing.
        const MAX_DEPTH: usize = 64;
        let (mut depth, mut quote) = (0usize, None);
        for c in text.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '[' | '{') => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Err(serde::de::Error::custom(format!(
                            "nesting deeper than {MAX_DEPTH} levels; a model is never this deep"
                        )));
                    }
                }
                (None, ']' | '}') => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        let schema: Schema = serde_yaml::from_str(text)?;
        schema
            .check_namespaces()
            .map_err(<serde_yaml::Error as serde::de::Error>::custom)?;
        Ok(schema)
    }

    /// Every schema a table, enum, sequence, view or domain names is one of `namespaces` (the
    /// renderers declare each namespace once and refer to it). A hand-written model may break
    /// that; the sources never do.
    pub fn check_namespaces(&self) -> Result<(), String> {
        let objects = self
            .tables
            .iter()
            .map(|t| ("table", &t.name, &t.schema))
            .chain(self.enums.iter().map(|e| ("enum", &e.name, &e.schema)))
            .chain(
                self.sequences
                    .iter()
                    .map(|q| ("sequence", &q.name, &q.schema)),
            )
            .chain(self.views.iter().map(|v| ("view", &v.name, &v.schema)))
            .chain(self.domains.iter().map(|d| ("domain", &d.name, &d.schema)));
        for (kind, name, schema) in objects {
            if let Some(ns) = schema.as_ref().filter(|ns| !self.namespaces.contains(ns)) {
                return Err(format!(
                    "{kind} {name} is in schema `{ns}`, which `namespaces` does not list"
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod yaml_input_tests {
    use super::*;

    #[test]
    fn a_misspelled_key_is_an_error_not_a_silent_default() {
        let err = Schema::from_yaml("dialect: postgresql\ntables:\n  - name: t\n    colums: []\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `colums`"), "{err}");
        let err = Schema::from_yaml(&"[".repeat(1000))
            .unwrap_err()
            .to_string();
        assert!(err.contains("nesting deeper than"), "{err}");
    }
}
