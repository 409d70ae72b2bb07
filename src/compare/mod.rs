//! Differences between two models of the same database, in words a reviewer reads: what `check`
//! prints, and what the hybrid converter reports where Prisma and the database disagree.
//!
//! Works on models and on what was read for it, never on a connection: [`literals`] says which
//! literal spellings to ask a database about and applies the answers, [`hybrid`] merges a Prisma
//! schema into a database's model, [`history`] explains differences with Prisma's migrations,
//! [`sql`] holds the canonical SQL text the comparison uses.
//!
//! The comparison is physical (names, types, nullability, defaults, keys, indexes, constraints,
//! enum labels in order); ORM-level facts (field names, relation names, client defaults) are
//! compared only when both sides know them. Objects are matched by name; column order is not a
//! difference (`ADD COLUMN` appends, so real databases rarely keep the schema's order).

pub mod history;
pub mod hybrid;
pub mod literals;
pub mod sql;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::model::{
    Column, ColumnType, Deferrable, Dialect, Enum, ForeignKey, Index, NullsOrder, ObjectName,
    ReferentialAction, Schema, SortOrder, SourceKind, Table, UniqueConstraint,
};

/// What to compare, from what each side can know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiffOptions {
    /// Views: a Prisma `view` block has no definition and Prisma Migrate never creates one.
    pub views: bool,
    /// Comments: neither Prisma nor a drizzle-kit snapshot has them.
    pub comments: bool,
    /// Row level security and policies: Prisma has none of them.
    pub policies: bool,
    /// Extensions: drizzle-kit snapshots do not record them, Prisma only with `extensions = […]`.
    pub extensions: bool,
    /// Client defaults and `@updatedAt`: only Prisma schemas and model YAML carry them.
    pub client_semantics: bool,
    /// What a drizzle-kit snapshot cannot record (the baseline SQL does): DEFERRABLE, index
    /// INCLUDE columns, the order and NULLS placement of expression index columns.
    pub beyond_snapshot: bool,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            views: true,
            comments: true,
            policies: true,
            extensions: true,
            client_semantics: true,
            beyond_snapshot: true,
        }
    }
}

impl DiffOptions {
    /// What two sources can both know.
    pub fn for_sides(left: SourceKind, right: SourceKind) -> DiffOptions {
        let any = |k: SourceKind| left == k || right == k;
        let both_semantic = |k: SourceKind| matches!(k, SourceKind::Prisma | SourceKind::Model);
        DiffOptions {
            views: !any(SourceKind::Prisma),
            comments: !any(SourceKind::Prisma) && !any(SourceKind::Migrations),
            policies: !any(SourceKind::Prisma),
            extensions: !any(SourceKind::Migrations),
            client_semantics: both_semantic(left) && both_semantic(right),
            beyond_snapshot: !any(SourceKind::Migrations),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    Schema,
    Extension,
    Enum,
    Sequence,
    Table,
    View,
}

impl ObjectKind {
    fn word(self) -> &'static str {
        match self {
            ObjectKind::Schema => "schema",
            ObjectKind::Extension => "extension",
            ObjectKind::Enum => "enum",
            ObjectKind::Sequence => "sequence",
            ObjectKind::Table => "table",
            ObjectKind::View => "view",
        }
    }
}

/// Whether the item exists on one side only or differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    OnlyLeft,
    OnlyRight,
    Differs,
}

/// One difference. `left`/`right` hold each side's value (a definition in SQL words) where there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    pub kind: ObjectKind,
    /// The table, enum, view … it belongs to (`public.User` is printed `User`).
    pub object: String,
    /// The part of it: `column email`, `index User_email_key`, `primary key`, … (`None`: the object).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    pub change: Change,
    /// What differs (`type`, `default`, `label order`, `name` …) for [`Change::Differs`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aspect: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub right: Option<String>,
    /// Where such a difference usually comes from, when we can tell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The Prisma migration that last touched the object (`path:line (name)`), when a history
    /// was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

impl Difference {
    fn new(kind: ObjectKind, object: &str, item: Option<String>, change: Change) -> Difference {
        Difference {
            kind,
            object: object.to_string(),
            item,
            change,
            aspect: None,
            left: None,
            right: None,
            hint: None,
            origin: None,
        }
    }

    fn differs(
        kind: ObjectKind,
        object: &str,
        item: Option<String>,
        aspect: &str,
        left: String,
        right: String,
    ) -> Difference {
        Difference {
            aspect: Some(aspect.to_string()),
            left: Some(left),
            right: Some(right),
            ..Difference::new(kind, object, item, Change::Differs)
        }
    }

    /// What one side alone has, with that side's `detail` (a definition in SQL words).
    fn one_side(
        kind: ObjectKind,
        object: &str,
        item: Option<String>,
        change: Change,
        detail: Option<String>,
    ) -> Difference {
        let mut d = Difference::new(kind, object, item, change);
        if change == Change::OnlyLeft {
            d.left = detail;
        } else {
            d.right = detail;
        }
        d
    }

    fn with_hint(mut self, hint: &str) -> Difference {
        self.hint = Some(hint.to_string());
        self
    }

    /// One line, with the two sides named `left_name` / `right_name`.
    pub fn describe(&self, left_name: &str, right_name: &str) -> String {
        let what = match &self.item {
            Some(item) => item.clone(),
            None => format!("{} {}", self.kind.word(), self.object),
        };
        let only_in = |side: &str, detail: &Option<String>| {
            let detail = detail.as_ref().map(|d| format!(" ({d})"));
            format!("{what}: only in {side}{}", detail.unwrap_or_default())
        };
        let mut line = match self.change {
            Change::OnlyLeft => only_in(left_name, &self.left),
            Change::OnlyRight => only_in(right_name, &self.right),
            // Values can hold commas (label lists, column lists): `;` separates the sides.
            Change::Differs => format!(
                "{what}: {} differs; {left_name}: {}; {right_name}: {}",
                self.aspect.as_deref().unwrap_or("definition"),
                self.left.as_deref().unwrap_or("nothing"),
                self.right.as_deref().unwrap_or("nothing"),
            ),
        };
        if let Some(hint) = &self.hint {
            line.push_str(&format!(" — {hint}"));
        }
        if let Some(origin) = &self.origin {
            line.push_str(&format!(" [last touched in {origin}]"));
        }
        line
    }
}

/// The differences, in a stable order: by object kind, then object, then as found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Diff {
    pub differences: Vec<Difference>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.differences.is_empty()
    }

    /// Readable report grouped by object: a header line per table/enum/…, one line per difference.
    pub fn render(&self, left_name: &str, right_name: &str) -> String {
        let mut groups: BTreeMap<(ObjectKind, &str), Vec<&Difference>> = BTreeMap::new();
        for d in &self.differences {
            groups.entry((d.kind, &d.object)).or_default().push(d);
        }
        let mut out = String::new();
        for ((kind, object), diffs) in groups {
            let whole = diffs.iter().find(|d| d.item.is_none());
            match whole {
                Some(d) => out.push_str(&format!("{}\n", d.describe(left_name, right_name))),
                None => out.push_str(&format!("{} {object}:\n", kind.word())),
            }
            for d in diffs.iter().filter(|d| d.item.is_some()) {
                out.push_str(&format!("  - {}\n", d.describe(left_name, right_name)));
            }
        }
        out
    }
}

fn qualified(schema: &Option<String>, name: &str) -> String {
    ObjectName::new(schema.clone(), name).to_string()
}

/// `public` is the default namespace whichever way a side spells it.
fn norm_schema(schema: &Option<String>) -> Option<String> {
    schema.clone().filter(|s| s != "public")
}

/// PostgreSQL cuts identifiers to 63 bytes (Prisma does not cut table and column names).
fn ident(name: &str) -> &str {
    if name.len() <= 63 {
        return name;
    }
    let mut end = 63;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

/// How objects are matched across sides: namespace (`public` = none) and name as PostgreSQL
/// keeps it.
pub(crate) fn key(schema: &Option<String>, name: &str) -> (Option<String>, String) {
    (norm_schema(schema), ident(name).to_string())
}

pub(crate) fn find_column<'t>(table: &'t Table, name: &str) -> Option<&'t Column> {
    table.columns.iter().find(|c| ident(&c.name) == ident(name))
}

/// Matches two sides' objects by `key` (the first of a key on the right): in `left`'s order,
/// `both` compares a pair and `only` reports one the right lacks; then, in `right`'s order,
/// `only` reports what the left lacks (`None`: nothing to report).
fn match_up<'a, T, K: Ord>(
    left: &'a [T],
    right: &'a [T],
    key: impl Fn(&'a T) -> K,
    only: impl Fn(&'a T, Change) -> Option<Difference>,
    mut both: impl FnMut(&'a T, &'a T, &mut Vec<Difference>),
    out: &mut Vec<Difference>,
) {
    let mut rights = BTreeMap::new();
    for b in right {
        rights.entry(key(b)).or_insert(b);
    }
    let mut lefts = BTreeSet::new();
    for a in left {
        let k = key(a);
        match rights.get(&k) {
            Some(b) => both(a, b, out),
            None => out.extend(only(a, Change::OnlyLeft)),
        }
        lefts.insert(k);
    }
    for b in right {
        if !lefts.contains(&key(b)) {
            out.extend(only(b, Change::OnlyRight));
        }
    }
}

/// [`match_up`] for a schema's objects (tables, views, enums, sequences): matched by [`key`],
/// reported under their qualified name with one side's `detail`; `both` gets that name too.
fn match_objects<'a, T>(
    kind: ObjectKind,
    left: &'a [T],
    right: &'a [T],
    name: impl Fn(&'a T) -> (&'a Option<String>, &'a str),
    detail: impl Fn(&'a T) -> Option<String>,
    mut both: impl FnMut(&str, &'a T, &'a T, &mut Vec<Difference>),
    out: &mut Vec<Difference>,
) {
    let qualified_name = |x: &'a T| {
        let (schema, name) = name(x);
        qualified(schema, name)
    };
    match_up(
        left,
        right,
        |x| {
            let (schema, name) = name(x);
            key(schema, name)
        },
        |x, change| {
            let object = qualified_name(x);
            Some(Difference::one_side(kind, &object, None, change, detail(x)))
        },
        |a, b, out| both(&qualified_name(a), a, b, out),
        out,
    );
}

/// drizzle-kit 1.0 records a SQLite column's declared type by its affinity's name (`DATETIME` is
/// `numeric`, see [`crate::model::affinity`]). Where a 1.0 `folder`'s column says the name that
/// `other`'s declared type has, it takes `other`'s type: to drizzle-kit 1.0 the two are one.
pub fn adopt_declared_types(folder: &mut Schema, other: &Schema) {
    for t in &mut folder.tables {
        let Some(o) = other
            .tables
            .iter()
            .find(|o| key(&o.schema, &o.name) == key(&t.schema, &t.name))
        else {
            continue;
        };
        for c in &mut t.columns {
            let Some(oc) = find_column(o, &c.name) else {
                continue;
            };
            let named = crate::model::affinity::drizzle_1_name(&oc.raw_type);
            if c.raw_type != oc.raw_type && named == c.raw_type {
                c.raw_type = oc.raw_type.clone();
                c.column_type = oc.column_type.clone();
            }
        }
    }
}

/// Compares `left` with `right`.
pub fn diff(left: &Schema, right: &Schema, options: &DiffOptions) -> Diff {
    if !options.beyond_snapshot {
        let strip = |s: &Schema| {
            let mut s = s.clone();
            let sqlite = s.dialect == Dialect::Sqlite;
            for t in &mut s.tables {
                // A drizzle-kit SQLite snapshot writes every unique constraint as a unique index
                // (its SQL has no other form): against a folder the two kinds are one.
                if sqlite {
                    for u in std::mem::take(&mut t.unique_constraints) {
                        t.indexes.push(crate::model::Index {
                            name: u.name,
                            unique: true,
                            method: "btree".into(),
                            columns: u
                                .columns
                                .into_iter()
                                .map(|c| crate::model::IndexColumn {
                                    expression: c,
                                    is_expression: false,
                                    order: SortOrder::Asc,
                                    nulls: None,
                                    opclass: None,
                                })
                                .collect(),
                            predicate: None,
                            include: Vec::new(),
                        });
                    }
                }
                t.unique_constraints
                    .iter_mut()
                    .for_each(|u| u.deferrable = None);
                t.foreign_keys.iter_mut().for_each(|f| f.deferrable = None);
                for ix in &mut t.indexes {
                    ix.include.clear();
                    for c in ix.columns.iter_mut().filter(|c| c.is_expression) {
                        c.order = SortOrder::Asc;
                        c.nulls = None;
                    }
                }
            }
            s
        };
        let options = DiffOptions {
            beyond_snapshot: true,
            ..*options
        };
        return diff(&strip(left), &strip(right), &options);
    }
    let mut out = Vec::new();
    // A comparison involving SQLite follows SQLite's rules (no enums, names it does not keep).
    let dialect = if left.dialect == Dialect::Sqlite || right.dialect == Dialect::Sqlite {
        Dialect::Sqlite
    } else {
        Dialect::Postgresql
    };

    // Namespaces are not compared on their own: the objects in them say it.
    if options.extensions && !left.extensions.is_empty() && !right.extensions.is_empty() {
        match_up(
            &left.extensions,
            &right.extensions,
            |e| &e.name,
            |e, change| {
                Some(Difference::new(
                    ObjectKind::Extension,
                    &e.name,
                    None,
                    change,
                ))
            },
            |_, _, _| {},
            &mut out,
        );
    }

    // SQLite has no enum types: Prisma's enums are plain TEXT there.
    if dialect == Dialect::Postgresql {
        diff_enums(left, right, &mut out);
    }
    diff_sequences(left, right, &mut out);

    match_objects(
        ObjectKind::Table,
        &left.tables,
        &right.tables,
        |t| (&t.schema, &t.name),
        |t| Some(format!("{} columns", t.columns.len())),
        |_, l, r, out| diff_table(l, r, options, dialect, out),
        &mut out,
    );

    if options.views {
        match_objects(
            ObjectKind::View,
            &left.views,
            &right.views,
            |v| (&v.schema, &v.name),
            |_| None,
            |name, l, r, out| {
                if l.materialized != r.materialized {
                    out.push(Difference::differs(
                        ObjectKind::View,
                        name,
                        None,
                        "kind",
                        materialized_word(l.materialized),
                        materialized_word(r.materialized),
                    ));
                }
                if let (Some(a), Some(b)) = (&l.definition, &r.definition) {
                    if sql::canonical(a).trim_end_matches(';')
                        != sql::canonical(b).trim_end_matches(';')
                    {
                        out.push(Difference::differs(
                            ObjectKind::View,
                            name,
                            None,
                            "definition",
                            a.trim().to_string(),
                            b.trim().to_string(),
                        ));
                    }
                }
            },
            &mut out,
        );
    }
    out.sort_by(|a, b| (a.kind, &a.object).cmp(&(b.kind, &b.object)));
    Diff { differences: out }
}

fn materialized_word(m: bool) -> String {
    if m { "materialized view" } else { "view" }.to_string()
}

fn labels(e: &Enum) -> String {
    e.values
        .iter()
        .map(|v| v.label.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn diff_enums(left: &Schema, right: &Schema, out: &mut Vec<Difference>) {
    match_objects(
        ObjectKind::Enum,
        &left.enums,
        &right.enums,
        |e| (&e.schema, &e.name),
        |e| Some(labels(e)),
        |name, a, b, out| {
            let la: Vec<&str> = a.values.iter().map(|v| v.label.as_str()).collect();
            let lb: Vec<&str> = b.values.iter().map(|v| v.label.as_str()).collect();
            for (change, mine, theirs) in
                [(Change::OnlyLeft, &la, &lb), (Change::OnlyRight, &lb, &la)]
            {
                for x in mine.iter().filter(|x| !theirs.contains(x)) {
                    let item = Some(format!("label '{x}'"));
                    out.push(Difference::new(ObjectKind::Enum, name, item, change));
                }
            }
            // Order of the labels both sides have (it decides sorting and comparisons in SQL).
            let common_a: Vec<&str> = la.iter().copied().filter(|x| lb.contains(x)).collect();
            let common_b: Vec<&str> = lb.iter().copied().filter(|x| la.contains(x)).collect();
            if common_a != common_b {
                out.push(
                    Difference::differs(
                        ObjectKind::Enum,
                        name,
                        Some("labels".into()),
                        "order",
                        la.join(", "),
                        lb.join(", "),
                    )
                    .with_hint(
                        "ALTER TYPE … ADD VALUE appends, so a database keeps the order of its history",
                    ),
                );
            }
        },
        out,
    );
}

fn diff_sequences(left: &Schema, right: &Schema, out: &mut Vec<Difference>) {
    // With PostgreSQL's defaults filled in, so an explicit `START 1` equals an implied one.
    let describe = |s: &crate::model::Sequence| s.options().sql_words();
    match_objects(
        ObjectKind::Sequence,
        &left.sequences,
        &right.sequences,
        |s| (&s.schema, &s.name),
        |_| None,
        |name, a, b, out| {
            if describe(a) != describe(b) {
                out.push(Difference::differs(
                    ObjectKind::Sequence,
                    name,
                    None,
                    "options",
                    describe(a),
                    describe(b),
                ));
            }
        },
        out,
    );
}

/// A column type in SQL words.
pub fn type_words(column: &Column) -> String {
    let base = match &column.column_type {
        ColumnType::Boolean => "boolean".to_string(),
        ColumnType::SmallInt => "smallint".into(),
        ColumnType::Integer => "integer".into(),
        ColumnType::BigInt => "bigint".into(),
        ColumnType::Real => "real".into(),
        ColumnType::DoublePrecision => "double precision".into(),
        ColumnType::Numeric { precision, scale } => match (precision, scale) {
            (Some(p), Some(s)) => format!("numeric({p},{s})"),
            (Some(p), None) => format!("numeric({p})"),
            _ => "numeric".into(),
        },
        ColumnType::Money => "money".into(),
        ColumnType::Text => "text".into(),
        ColumnType::VarChar { length } => with_len("varchar", *length),
        // PostgreSQL's `char` and `bit` are `char(1)` and `bit(1)`.
        ColumnType::Char { length } => with_len("char", Some(length.unwrap_or(1))),
        ColumnType::Citext => "citext".into(),
        ColumnType::Uuid => "uuid".into(),
        ColumnType::Xml => "xml".into(),
        ColumnType::Inet => "inet".into(),
        ColumnType::Cidr => "cidr".into(),
        ColumnType::MacAddr => "macaddr".into(),
        ColumnType::MacAddr8 => "macaddr8".into(),
        ColumnType::Oid => "oid".into(),
        ColumnType::Bit { length } => with_len("bit", Some(length.unwrap_or(1))),
        ColumnType::VarBit { length } => with_len("varbit", *length),
        ColumnType::Bytes => "bytea".into(),
        ColumnType::Json => "json".into(),
        ColumnType::Jsonb => "jsonb".into(),
        ColumnType::Date => "date".into(),
        ColumnType::Time {
            precision,
            with_time_zone,
        }
        | ColumnType::Timestamp {
            precision,
            with_time_zone,
        } => {
            let name = match column.column_type {
                ColumnType::Time { .. } => "time",
                _ => "timestamp",
            };
            let zone = if *with_time_zone {
                " with time zone"
            } else {
                ""
            };
            format!("{}{zone}", with_len(name, *precision))
        }
        ColumnType::Interval { fields, precision } => format!(
            "{}{}",
            match fields {
                Some(f) => format!("interval {}", f.to_lowercase()),
                None => "interval".into(),
            },
            precision.map(|p| format!("({p})")).unwrap_or_default()
        ),
        ColumnType::Enum { schema, name } => format!("enum {}", qualified(schema, name)),
        ColumnType::Unsupported { sql } => sql.to_lowercase(),
    };
    format!("{base}{}", "[]".repeat(column.dimensions as usize))
}

fn with_len(name: &str, len: Option<u32>) -> String {
    match len {
        Some(n) => format!("{name}({n})"),
        None => name.to_string(),
    }
}

/// Types compare by their SQL words, with SQLite's declared types case-insensitive.
fn type_key(column: &Column, dialect: Dialect) -> String {
    match &column.column_type {
        ColumnType::Enum { .. } if dialect == Dialect::Sqlite => "text".into(),
        ColumnType::Enum { schema, name } => {
            format!(
                "enum {}{}",
                qualified(&norm_schema(schema), name),
                column.dimensions
            )
        }
        // PostgreSQL gives `char` and `bit` without a length the length 1.
        ColumnType::Char { length: None } | ColumnType::Bit { length: None } => {
            let mut c = column.clone();
            c.column_type = match column.column_type {
                ColumnType::Char { .. } => ColumnType::Char { length: Some(1) },
                _ => ColumnType::Bit { length: Some(1) },
            };
            type_words(&c)
        }
        _ => type_words(column)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// Operator classes PostgreSQL uses when none is named, which introspection therefore omits.
fn is_default_opclass(opclass: &str) -> bool {
    const DEFAULTS: &[&str] = &[
        "array_ops",
        "jsonb_ops",
        "tsvector_ops",
        "text_ops",
        "int2_ops",
        "int4_ops",
        "int8_ops",
        "bool_ops",
        "uuid_ops",
        "timestamp_ops",
        "timestamptz_ops",
        "date_ops",
        "numeric_ops",
        "float4_ops",
        "float8_ops",
        "bpchar_ops",
        "bytea_ops",
        "interval_ops",
        "time_ops",
        "timetz_ops",
        "enum_ops",
        "oid_ops",
        "inet_ops",
        "char_ops",
        "name_ops",
    ];
    let op = opclass.to_lowercase();
    DEFAULTS.contains(&op.as_str())
        // brin's defaults are the minmax classes; btree_gist's are gist_<type>_ops.
        || (op.ends_with("_minmax_ops") && !op.contains("multi"))
        || (op.starts_with("gist_") && op.ends_with("_ops"))
}

fn column_words(c: &Column) -> String {
    let mut s = type_words(c);
    if !c.nullable {
        s.push_str(" NOT NULL");
    }
    if let Some(d) = default_words(c) {
        s.push_str(&format!(" DEFAULT {d}"));
    }
    if let Some(id) = &c.identity {
        s.push_str(if id.always {
            " GENERATED ALWAYS AS IDENTITY"
        } else {
            " GENERATED BY DEFAULT AS IDENTITY"
        });
    }
    if let Some(g) = &c.generated {
        s.push_str(&format!(" GENERATED ALWAYS AS ({g})"));
    }
    s
}

fn default_words(c: &Column) -> Option<String> {
    use crate::model::DefaultValue as D;
    c.default.as_ref().map(|d| match d {
        D::String(s) | D::EnumValue(s) => format!("'{}'", s.replace('\'', "''")),
        D::Number(n) => n.clone(),
        D::Boolean(b) => b.to_string(),
        D::Now => "CURRENT_TIMESTAMP".into(),
        D::Autoincrement => "autoincrement (a sequence)".into(),
        D::Expression(e) => e.clone(),
    })
}

fn diff_table(
    l: &Table,
    r: &Table,
    options: &DiffOptions,
    dialect: Dialect,
    out: &mut Vec<Difference>,
) {
    let object = qualified(&l.schema, &l.name);
    let t = ObjectKind::Table;
    let item = |what: &str, name: &str| Some(format!("{what} {name}"));

    // Columns.
    match_up(
        &l.columns,
        &r.columns,
        |c| ident(&c.name),
        |c, change| {
            let item = item("column", &c.name);
            Some(Difference::one_side(
                t,
                &object,
                item,
                change,
                Some(column_words(c)),
            ))
        },
        |a, b, out| {
            let col = item("column", &a.name);
            let mut differs = |aspect: &str, left: String, right: String| {
                out.push(Difference::differs(
                    t,
                    &object,
                    col.clone(),
                    aspect,
                    left,
                    right,
                ));
            };
            if type_key(a, dialect) != type_key(b, dialect) {
                differs("type", type_words(a), type_words(b));
            }
            // SQLite: a PRIMARY KEY column is NOT NULL in effect whatever it declares.
            let pk_col = |tb: &Table| {
                tb.primary_key
                    .as_ref()
                    .is_some_and(|pk| pk.columns.contains(&a.name))
            };
            let sqlite = dialect == Dialect::Sqlite;
            let nullable_a = a.nullable && !(sqlite && pk_col(l));
            let nullable_b = b.nullable && !(sqlite && pk_col(r));
            if nullable_a != nullable_b {
                let words = |n: bool| if n { "NULL" } else { "NOT NULL" }.to_string();
                differs("nullability", words(nullable_a), words(nullable_b));
            }
            if sql::default_key(a, dialect) != sql::default_key(b, dialect) {
                differs(
                    "default",
                    default_words(a).unwrap_or_else(|| "no default".into()),
                    default_words(b).unwrap_or_else(|| "no default".into()),
                );
            }
            let identity = |c: &Column| {
                c.identity.as_ref().map(|i| {
                    if i.always {
                        "GENERATED ALWAYS AS IDENTITY"
                    } else {
                        "GENERATED BY DEFAULT AS IDENTITY"
                    }
                    .to_string()
                })
            };
            if identity(a) != identity(b) {
                differs(
                    "identity",
                    identity(a).unwrap_or_else(|| "no identity".into()),
                    identity(b).unwrap_or_else(|| "no identity".into()),
                );
            }
            if a.generated.as_deref().map(sql::canonical)
                != b.generated.as_deref().map(sql::canonical)
            {
                differs(
                    "generated expression",
                    a.generated.clone().unwrap_or_else(|| "none".into()),
                    b.generated.clone().unwrap_or_else(|| "none".into()),
                );
            }
            if options.client_semantics {
                if a.client_default != b.client_default {
                    let words = |c: &Column| {
                        c.client_default
                            .as_ref()
                            .map(|d| format!("{d:?}").to_lowercase())
                            .unwrap_or_else(|| "none".into())
                    };
                    differs("client default", words(a), words(b));
                }
                if a.updated_at != b.updated_at {
                    differs(
                        "@updatedAt",
                        a.updated_at.to_string(),
                        b.updated_at.to_string(),
                    );
                }
            }
            if options.comments && a.comment != b.comment {
                differs(
                    "comment",
                    a.comment.clone().unwrap_or_else(|| "none".into()),
                    b.comment.clone().unwrap_or_else(|| "none".into()),
                );
            }
        },
        out,
    );

    let pair = TablePair {
        l,
        r,
        dialect,
        object: &object,
    };
    diff_primary_key(&pair, out);
    diff_unique_objects(&pair, out);
    diff_foreign_keys(&pair, out);

    // Checks, by name.
    match_up(
        &l.checks,
        &r.checks,
        |c| &c.name,
        |c, change| {
            let item = item("check", &c.name);
            Some(Difference::one_side(
                t,
                &object,
                item,
                change,
                Some(c.expression.clone()),
            ))
        },
        |a, b, out| {
            if sql::canonical(&a.expression) != sql::canonical(&b.expression) {
                out.push(Difference::differs(
                    t,
                    &object,
                    item("check", &a.name),
                    "expression",
                    a.expression.clone(),
                    b.expression.clone(),
                ))
            }
        },
        out,
    );

    if options.comments && l.comment != r.comment {
        out.push(Difference::differs(
            t,
            &object,
            Some("comment".into()),
            "comment",
            l.comment.clone().unwrap_or_else(|| "none".into()),
            r.comment.clone().unwrap_or_else(|| "none".into()),
        ));
    }
    if options.policies {
        if l.rls_enabled != r.rls_enabled {
            let words = |b: bool| if b { "enabled" } else { "disabled" }.to_string();
            out.push(Difference::differs(
                t,
                &object,
                Some("row level security".into()),
                "state",
                words(l.rls_enabled),
                words(r.rls_enabled),
            ));
        }
        let words = |p: &crate::model::Policy| {
            format!(
                "{} FOR {} TO {} USING ({}) WITH CHECK ({})",
                p.kind(),
                p.command,
                p.roles.join(", "),
                p.using.as_deref().map(sql::canonical).unwrap_or_default(),
                p.with_check
                    .as_deref()
                    .map(sql::canonical)
                    .unwrap_or_default()
            )
        };
        match_up(
            &l.policies,
            &r.policies,
            |p| &p.name,
            |p, change| Some(Difference::new(t, &object, item("policy", &p.name), change)),
            |a, b, out| {
                if words(a) != words(b) {
                    out.push(Difference::differs(
                        t,
                        &object,
                        item("policy", &a.name),
                        "definition",
                        words(a),
                        words(b),
                    ));
                }
            },
            out,
        );
    }
}

/// One table on both sides, as its keys, indexes and constraints are compared.
#[derive(Clone, Copy)]
struct TablePair<'a> {
    l: &'a Table,
    r: &'a Table,
    dialect: Dialect,
    /// The table's qualified name.
    object: &'a str,
}

fn columns_list(cols: &[String]) -> String {
    cols.iter().map(|c| ident(c)).collect::<Vec<_>>().join(", ")
}

fn diff_primary_key(pair: &TablePair, out: &mut Vec<Difference>) {
    let TablePair {
        l,
        r,
        dialect,
        object,
    } = *pair;
    let t = ObjectKind::Table;
    // SQLite keeps no primary key names.
    let named = dialect == Dialect::Postgresql;
    let words = |pk: &crate::model::PrimaryKey| match (&pk.name, named) {
        (Some(n), true) => format!("{n} ({})", columns_list(&pk.columns)),
        _ => format!("({})", columns_list(&pk.columns)),
    };
    match (&l.primary_key, &r.primary_key) {
        (None, None) => {}
        (Some(a), Some(b)) => {
            if columns_list(&a.columns) != columns_list(&b.columns) {
                out.push(Difference::differs(
                    t,
                    object,
                    Some("primary key".into()),
                    "columns",
                    words(a),
                    words(b),
                ));
            } else if named && a.name.is_some() && b.name.is_some() && a.name != b.name {
                out.push(Difference::differs(
                    t,
                    object,
                    Some("primary key".into()),
                    "name",
                    a.name.clone().unwrap_or_default(),
                    b.name.clone().unwrap_or_default(),
                ));
            }
        }
        (Some(pk), None) | (None, Some(pk)) => {
            let (change, other) = if l.primary_key.is_some() {
                (Change::OnlyLeft, r)
            } else {
                (Change::OnlyRight, l)
            };
            let item = Some("primary key".into());
            let mut d = Difference::one_side(t, object, item, change, Some(words(pk)));
            if let Some(ix) = other
                .indexes
                .iter()
                .find(|ix| ix.unique && index_columns_are(ix, &pk.columns))
            {
                d.hint = Some(format!(
                    "on the other side, index {} makes ({}) unique instead{}",
                    ix.name,
                    columns_list(&pk.columns),
                    prisma6_hint(&ix.name)
                ));
            }
            out.push(d);
        }
    }
}

fn prisma6_hint(index: &str) -> &'static str {
    if index.ends_with("_AB_unique") {
        ": an implicit many-to-many join table created before Prisma 6 (6 made it a primary key)"
    } else {
        ""
    }
}

fn index_columns_are(ix: &Index, columns: &[String]) -> bool {
    ix.columns.len() == columns.len()
        && ix
            .columns
            .iter()
            .zip(columns)
            .all(|(c, name)| !c.is_expression && ident(&c.expression) == ident(name))
}

fn index_words(ix: &Index) -> String {
    let cols: Vec<String> = ix
        .columns
        .iter()
        .map(|c| {
            let mut s = if c.is_expression {
                format!("({})", c.expression)
            } else {
                c.expression.clone()
            };
            if let Some(op) = &c.opclass {
                s.push_str(&format!(" {op}"));
            }
            if c.order == SortOrder::Desc {
                s.push_str(" DESC");
            }
            match c.nulls {
                Some(NullsOrder::First) => s.push_str(" NULLS FIRST"),
                Some(NullsOrder::Last) => s.push_str(" NULLS LAST"),
                None => {}
            }
            s
        })
        .collect();
    let mut s = format!(
        "{}INDEX USING {} ({})",
        if ix.unique { "UNIQUE " } else { "" },
        ix.method,
        cols.join(", ")
    );
    if !ix.include.is_empty() {
        s.push_str(&format!(" INCLUDE ({})", ix.include.join(", ")));
    }
    if let Some(p) = &ix.predicate {
        s.push_str(&format!(" WHERE {p}"));
    }
    s
}

/// What makes two indexes the same, apart from the name.
fn index_key(ix: &Index) -> String {
    let cols: Vec<String> = ix
        .columns
        .iter()
        .map(|c| {
            // NULLS placement equal to the order's default is the same index.
            let nulls = match (c.nulls, c.order) {
                (Some(NullsOrder::First), SortOrder::Asc) => "nulls first",
                (Some(NullsOrder::Last), SortOrder::Desc) => "nulls last",
                _ => "",
            };
            let opclass = c
                .opclass
                .as_deref()
                .filter(|op| !is_default_opclass(op) || (ix.method == "gist" && *op == "inet_ops"))
                .unwrap_or("")
                .to_lowercase();
            if c.is_expression {
                // A drizzle-kit snapshot keeps an expression's operator class in its text.
                let text = format!("{} {opclass}", c.expression);
                format!("{}|{:?}|{nulls}", sql::canonical(&text), c.order)
            } else {
                format!("{}|{:?}|{nulls}|{opclass}", ident(&c.expression), c.order)
            }
        })
        .collect();
    format!(
        "{}|{}|{}|{}|{}",
        ix.unique,
        ix.method.to_lowercase(),
        cols.join(","),
        columns_list(&ix.include),
        ix.predicate
            .as_deref()
            .map(sql::canonical)
            .unwrap_or_default()
    )
}

fn unique_words(u: &UniqueConstraint) -> String {
    let mut s = format!("UNIQUE constraint ({})", columns_list(&u.columns));
    if u.nulls_not_distinct {
        s.push_str(" NULLS NOT DISTINCT");
    }
    s.push_str(deferrable_words(u.deferrable));
    s
}

fn deferrable_words(d: Option<Deferrable>) -> &'static str {
    match d {
        None => "",
        Some(Deferrable::InitiallyImmediate) => " DEFERRABLE INITIALLY IMMEDIATE",
        Some(Deferrable::InitiallyDeferred) => " DEFERRABLE INITIALLY DEFERRED",
    }
}

/// Indexes and unique constraints together: a unique index on one side and a unique constraint
/// of the same name on the other are one difference (its kind), not two.
fn diff_unique_objects(pair: &TablePair, out: &mut Vec<Difference>) {
    let TablePair {
        l,
        r,
        dialect,
        object,
    } = *pair;
    // Only PostgreSQL has DEFERRABLE, the usual reason for the swap.
    let swap_hint = if dialect == Dialect::Sqlite {
        "a unique index on one side, a UNIQUE table constraint on the other"
    } else {
        "a unique index replaced by a constraint by hand, e.g. to make it DEFERRABLE"
    };
    let t = ObjectKind::Table;
    let mut found = Vec::new();
    let mut only_left: Vec<&Index> = Vec::new();
    let mut only_right: Vec<&Index> = Vec::new();
    for a in &l.indexes {
        match r.indexes.iter().find(|b| b.name == a.name) {
            Some(b) => {
                if index_key(a) != index_key(b) {
                    found.push(Difference::differs(
                        t,
                        object,
                        Some(format!("index {}", a.name)),
                        "definition",
                        index_words(a),
                        index_words(b),
                    ));
                }
            }
            None => match r.unique_constraints.iter().find(|u| u.name == a.name) {
                Some(u) => found.push(
                    Difference::differs(
                        t,
                        object,
                        Some(format!("index {}", a.name)),
                        "kind",
                        index_words(a),
                        unique_words(u),
                    )
                    .with_hint(swap_hint),
                ),
                None => only_left.push(a),
            },
        }
    }
    for b in &r.indexes {
        if l.indexes.iter().any(|a| a.name == b.name) {
            continue;
        }
        match l.unique_constraints.iter().find(|u| u.name == b.name) {
            Some(u) => found.push(Difference::differs(
                t,
                object,
                Some(format!("unique constraint {}", u.name)),
                "kind",
                unique_words(u),
                index_words(b),
            )),
            None => only_right.push(b),
        }
    }
    // The same index under another name is a rename.
    only_left.retain(
        |a| match only_right.iter().position(|b| index_key(a) == index_key(b)) {
            Some(i) => {
                let b = only_right.remove(i);
                found.push(Difference::differs(
                    t,
                    object,
                    Some(format!("index {}", a.name)),
                    "name",
                    a.name.clone(),
                    b.name.clone(),
                ));
                false
            }
            None => true,
        },
    );
    // The primary key difference already explains a join table's `_AB_unique`.
    let pk_explains = |ix: &Index, this: &Table, other: &Table| {
        this.primary_key.is_none()
            && other
                .primary_key
                .as_ref()
                .is_some_and(|pk| index_columns_are(ix, &pk.columns))
    };
    let sides = [
        (only_left, Change::OnlyLeft, l, r),
        (only_right, Change::OnlyRight, r, l),
    ];
    for (indexes, change, this, other) in sides {
        for ix in indexes
            .into_iter()
            .filter(|ix| !pk_explains(ix, this, other))
        {
            let item = Some(format!("index {}", ix.name));
            found.push(Difference::one_side(
                t,
                object,
                item,
                change,
                Some(index_words(ix)),
            ));
        }
    }

    // A unique constraint named like an index on the other side was reported above, as its kind.
    match_up(
        &l.unique_constraints,
        &r.unique_constraints,
        |u| &u.name,
        |u, change| {
            let other = if change == Change::OnlyLeft { r } else { l };
            if other.indexes.iter().any(|ix| ix.name == u.name) {
                return None;
            }
            let item = Some(format!("unique constraint {}", u.name));
            Some(Difference::one_side(
                t,
                object,
                item,
                change,
                Some(unique_words(u)),
            ))
        },
        |a, b, found| {
            if !r.indexes.iter().any(|ix| ix.name == a.name) && unique_words(a) != unique_words(b) {
                found.push(Difference::differs(
                    t,
                    object,
                    Some(format!("unique constraint {}", a.name)),
                    "definition",
                    unique_words(a),
                    unique_words(b),
                ));
            }
        },
        &mut found,
    );
    out.extend(found);
}

fn action_words(a: ReferentialAction) -> &'static str {
    match a {
        ReferentialAction::NoAction => "NO ACTION",
        ReferentialAction::Restrict => "RESTRICT",
        ReferentialAction::Cascade => "CASCADE",
        ReferentialAction::SetNull => "SET NULL",
        ReferentialAction::SetDefault => "SET DEFAULT",
    }
}

fn fk_words(fk: &ForeignKey) -> String {
    format!(
        "({}) REFERENCES {}({}) ON DELETE {} ON UPDATE {}{}",
        columns_list(&fk.columns),
        qualified(
            &norm_schema(&fk.referenced_table.schema),
            ident(&fk.referenced_table.name)
        ),
        columns_list(&fk.referenced_columns),
        action_words(fk.on_delete),
        action_words(fk.on_update),
        deferrable_words(fk.deferrable)
    )
}

fn diff_foreign_keys(pair: &TablePair, out: &mut Vec<Difference>) {
    let TablePair {
        l,
        r,
        dialect,
        object,
    } = *pair;
    let t = ObjectKind::Table;
    // SQLite keeps a foreign key's name only in the CREATE TABLE text: match by definition.
    let same_name = |a: &ForeignKey, b: &ForeignKey| {
        if dialect == Dialect::Sqlite {
            fk_words(a) == fk_words(b)
        } else {
            a.name == b.name
        }
    };
    let one_side = |fk: &ForeignKey, change| {
        let item = Some(format!("foreign key {}", fk.name));
        Difference::one_side(t, object, item, change, Some(fk_words(fk)))
    };
    let mut only_left: Vec<&ForeignKey> = Vec::new();
    for a in &l.foreign_keys {
        match r.foreign_keys.iter().find(|b| same_name(a, b)) {
            Some(b) if fk_words(a) != fk_words(b) => out.push(Difference::differs(
                t,
                object,
                Some(format!("foreign key {}", a.name)),
                "definition",
                fk_words(a),
                fk_words(b),
            )),
            Some(_) => {}
            None => only_left.push(a),
        }
    }
    let mut only_right: Vec<&ForeignKey> = r
        .foreign_keys
        .iter()
        .filter(|b| !l.foreign_keys.iter().any(|a| same_name(a, b)))
        .collect();
    for a in only_left {
        match only_right.iter().position(|b| fk_words(a) == fk_words(b)) {
            Some(i) => {
                let b = only_right.remove(i);
                out.push(
                    Difference::differs(
                        t,
                        object,
                        Some(format!("foreign key {}", a.name)),
                        "name",
                        a.name.clone(),
                        b.name.clone(),
                    )
                    .with_hint("same definition under another name, e.g. from an older Prisma naming scheme"),
                );
            }
            None => out.push(one_side(a, Change::OnlyLeft)),
        }
    }
    out.extend(
        only_right
            .into_iter()
            .map(|b| one_side(b, Change::OnlyRight)),
    );
}
