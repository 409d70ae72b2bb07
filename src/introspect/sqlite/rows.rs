//! Typed rows of the catalog queries, one struct per query with one field per selected column,
//! in the order the query selects them. A missing column or a value of an unexpected type is a
//! [`RowError`] naming the query and the column, never a panic. The structs are plain serde data,
//! so a database's rows can be recorded once and lowered again in a test without a database.

use libsql::Value;
use serde::{Deserialize, Serialize};

use super::queries::{self, Query};
use crate::introspect::rows::catalog_row;
use crate::introspect::RowError;

/// A Rust value one SQLite cell decodes into.
pub trait Cell: Sized {
    fn from_cell(value: &Value) -> Result<Self, String>;
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "NULL",
        Value::Integer(_) => "an integer",
        Value::Real(_) => "a real",
        Value::Text(_) => "text",
        Value::Blob(_) => "a blob",
    }
}

impl Cell for String {
    fn from_cell(value: &Value) -> Result<Self, String> {
        match value {
            Value::Text(s) => Ok(s.clone()),
            other => Err(format!("expected text, found {}", kind_of(other))),
        }
    }
}

impl Cell for i64 {
    fn from_cell(value: &Value) -> Result<Self, String> {
        match value {
            Value::Integer(n) => Ok(*n),
            other => Err(format!("expected an integer, found {}", kind_of(other))),
        }
    }
}

/// SQLite has no boolean: a flag is an integer, 0 or 1.
impl Cell for bool {
    fn from_cell(value: &Value) -> Result<Self, String> {
        i64::from_cell(value).map(|n| n != 0)
    }
}

impl<T: Cell> Cell for Option<T> {
    fn from_cell(value: &Value) -> Result<Self, String> {
        match value {
            Value::Null => Ok(None),
            other => T::from_cell(other).map(Some),
        }
    }
}

/// A result row's cells, read by position (SQLite rows have no names here).
pub trait Cells {
    /// Column `index` (named `column` in the row struct), or why it cannot be read as a `T`.
    fn cell<T: Cell>(&self, index: usize, column: &str) -> Result<T, String>;
}

impl<R: AsRef<[Value]>> Cells for R {
    fn cell<T: Cell>(&self, index: usize, _column: &str) -> Result<T, String> {
        let row = self.as_ref();
        row.get(index)
            .ok_or_else(|| format!("no such column (the row has {})", row.len()))
            .and_then(T::from_cell)
    }
}

/// A row struct and the query it decodes.
pub trait CatalogRow: Sized {
    const QUERY: Query;
    /// Decodes the cells of one row, in the query's column order.
    fn decode(row: &impl Cells) -> Result<Self, RowError>;
}

catalog_row! {
    /// `objects.sql`: a table, view or index with the SQL that created it (none for the indexes
    /// SQLite makes for UNIQUE and PRIMARY KEY constraints).
    ObjectRow from queries::OBJECTS {
        kind: String,
        name: String,
        table: String,
        sql: Option<String>,
    }
}

catalog_row! {
    /// `columns.sql`: a column of a table or view (`hidden` 1 for a virtual table's hidden
    /// column, 2 / 3 for a VIRTUAL / STORED generated one).
    ColumnRow from queries::COLUMNS {
        table: String,
        cid: i64,
        name: String,
        declared_type: String,
        not_null: bool,
        default_sql: Option<String>,
        pk: i64,
        hidden: i64,
    }
}

catalog_row! {
    /// `indexes.sql`: an index of a table; origin `c` (CREATE INDEX), `u` (UNIQUE), `pk`.
    IndexRow from queries::INDEXES {
        table: String,
        seq: i64,
        name: String,
        unique: bool,
        origin: String,
        partial: bool,
    }
}

catalog_row! {
    /// `index_columns.sql`: a key column of an index (`cid` -2 an expression, -1 the rowid).
    IndexColumnRow from queries::INDEX_COLUMNS {
        index: String,
        seqno: i64,
        cid: i64,
        name: Option<String>,
        desc: bool,
        collation: Option<String>,
    }
}

catalog_row! {
    /// `foreign_keys.sql`: one column pair of a foreign key (`to` NULL for an implicit primary
    /// key).
    ForeignKeyRow from queries::FOREIGN_KEYS {
        table: String,
        id: i64,
        seq: i64,
        referenced_table: String,
        from: String,
        to: Option<String>,
        on_update: String,
        on_delete: String,
    }
}

/// The rows of every catalog query: everything [`super::lower`] needs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CatalogRows {
    pub objects: Vec<ObjectRow>,
    pub columns: Vec<ColumnRow>,
    pub indexes: Vec<IndexRow>,
    pub index_columns: Vec<IndexColumnRow>,
    pub foreign_keys: Vec<ForeignKeyRow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Value {
        Value::Text(s.into())
    }

    #[test]
    fn a_complete_row_decodes() {
        let row = [text("table"), text("User"), text("User"), Value::Null];
        assert_eq!(
            ObjectRow::decode(&row).unwrap(),
            ObjectRow {
                kind: "table".into(),
                name: "User".into(),
                table: "User".into(),
                sql: None,
            }
        );
    }

    #[test]
    fn a_missing_column_names_query_and_column() {
        let row = [text("table"), text("User"), text("User")];
        let err = ObjectRow::decode(&row).unwrap_err();
        assert_eq!((err.query, err.column), ("schema objects", "sql"));
        assert_eq!(
            err.to_string(),
            "the schema objects query returned an unexpected row: column `sql`: no such column (the row has 3)"
        );
    }

    #[test]
    fn a_wrong_type_names_query_and_column() {
        let row = [
            text("User"),
            Value::Integer(0),
            text("id"),
            text("INTEGER"),
            text("yes"),
            Value::Null,
            Value::Integer(1),
            Value::Integer(0),
        ];
        let err = ColumnRow::decode(&row).unwrap_err();
        assert_eq!((err.query, err.column), ("columns", "not_null"));
        assert_eq!(err.reason, "expected an integer, found text");
    }
}
