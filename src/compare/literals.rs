//! Literals a database spells its own way (`box`, `uuid`, `inet`, `interval`, `time` …): which
//! ones to ask it about, and the answers applied, so that a default written one way in a schema
//! and stored another way is not reported as drift. Asking is the caller's: this module never
//! connects.

use std::collections::HashMap;

use super::{find_column, key, sql};
use crate::model::{Column, ColumnType, Dialect, ObjectName, Schema, Table};

/// A literal whose canonical spelling only the database knows: `text` read as a value of
/// `sql_type` (a `box`, `uuid`, `inet`, `interval` … prints in its own normal form).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LiteralQuestion {
    pub text: String,
    pub sql_type: String,
}

/// Each question's text form after a round trip through its type.
pub type Answers = HashMap<LiteralQuestion, String>;

/// The string content of a default that is one literal (`'x'`, `'x'::type` or a string value).
fn literal_content(column: &Column) -> Option<String> {
    use crate::model::DefaultValue as D;
    match column.default.as_ref()? {
        D::String(s) => Some(s.clone()),
        D::Expression(e) => {
            let e = e.trim();
            match crate::model::typed_literal(e) {
                Some((content, _)) => Some(content),
                None if e.starts_with('\'') && e.ends_with('\'') && e.len() >= 2 => {
                    Some(e[1..e.len() - 1].replace("''", "'"))
                }
                None => None,
            }
        }
        _ => None,
    }
}

/// Column pairs whose defaults differ only possibly by spelling: both one literal, on a scalar
/// column of a type whose text form the database may rewrite.
fn literal_pairs<'a>(
    side: &'a Schema,
    database: &'a Schema,
) -> Vec<(&'a Table, &'a Column, &'a Column)> {
    let mut out = Vec::new();
    for t in &side.tables {
        let Some(d) = database
            .tables
            .iter()
            .find(|d| key(&d.schema, &d.name) == key(&t.schema, &t.name))
        else {
            continue;
        };
        for c in &t.columns {
            let Some(dc) = find_column(d, &c.name) else {
                continue;
            };
            let rewritten = !matches!(
                dc.column_type,
                ColumnType::Text
                    | ColumnType::VarChar { .. }
                    | ColumnType::Char { .. }
                    | ColumnType::Citext
                    | ColumnType::Enum { .. }
            );
            if dc.dimensions == 0
                && rewritten
                && sql::default_key(c, Dialect::Postgresql)
                    != sql::default_key(dc, Dialect::Postgresql)
                && literal_content(c).is_some()
                && literal_content(dc).is_some()
            {
                out.push((t, c, dc));
            }
        }
    }
    out
}

/// What to ask a PostgreSQL `database` before comparing `sides` with it (see [`align_literals`]),
/// each question once.
pub fn literal_questions(sides: &[&Schema], database: &Schema) -> Vec<LiteralQuestion> {
    let mut out: Vec<LiteralQuestion> = sides
        .iter()
        .flat_map(|side| literal_pairs(side, database))
        .filter_map(|(_, c, dc)| {
            Some(LiteralQuestion {
                text: literal_content(c)?,
                sql_type: dc.raw_type.clone(),
            })
        })
        .collect();
    out.sort_by(|a, b| (&a.text, &a.sql_type).cmp(&(&b.text, &b.sql_type)));
    out.dedup();
    out
}

/// The database's spelling of each literal it could read, by question: `spellings` answer
/// `questions` in order (`None`: not a valid value of that type).
pub fn answers(questions: Vec<LiteralQuestion>, spellings: Vec<Option<String>>) -> Answers {
    questions
        .into_iter()
        .zip(spellings)
        .filter_map(|(q, a)| Some((q, a?)))
        .collect()
}

/// Takes the database's default for every column of `side` whose literal the database reads as
/// the very value it stores (`answers`: each question's text form after a round trip through
/// its type), so that only real differences remain.
pub fn align_literals(side: &mut Schema, database: &Schema, answers: &Answers) {
    let mut same: Vec<(ObjectName, String)> = Vec::new();
    for (t, c, dc) in literal_pairs(side, database) {
        let question = LiteralQuestion {
            text: literal_content(c).unwrap_or_default(),
            sql_type: dc.raw_type.clone(),
        };
        if answers.get(&question) == literal_content(dc).as_ref() {
            same.push((t.object_name(), c.name.clone()));
        }
    }
    for (table, column) in same {
        let Some(d) = database
            .tables
            .iter()
            .find(|d| key(&d.schema, &d.name) == key(&table.schema, &table.name))
        else {
            continue;
        };
        let Some(default) = find_column(d, &column).and_then(|dc| dc.default.clone()) else {
            continue;
        };
        if let Some(c) = side
            .tables
            .iter_mut()
            .find(|t| t.object_name() == table)
            .and_then(|t| t.columns.iter_mut().find(|c| c.name == column))
        {
            c.default = Some(default);
        }
    }
}
