//! Typed rows of the catalog queries, one struct per query with one field per selected column
//! (same name, same order). Decoding uses `try_get`: a missing column or an unexpected type is a
//! [`RowError`] naming the query and the column, never a panic. The structs are plain serde data,
//! so a database's rows can be recorded once and lowered again in a test without a server.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tokio_postgres::types::FromSqlOwned;

use super::queries::{self, Query};
use crate::introspect::rows::catalog_row;
use crate::introspect::RowError;

/// A result row read by column name: a live `tokio_postgres::Row`, or a recorded one in tests.
pub trait Cells {
    /// The value of `column` (the `index`th, unused: PostgreSQL reads by name), or why it cannot
    /// be read as a `T`.
    fn cell<T: FromSqlOwned + DeserializeOwned>(
        &self,
        index: usize,
        column: &str,
    ) -> Result<T, String>;
}

impl Cells for tokio_postgres::Row {
    fn cell<T: FromSqlOwned + DeserializeOwned>(
        &self,
        _: usize,
        column: &str,
    ) -> Result<T, String> {
        self.try_get(column).map_err(|e| e.to_string())
    }
}

/// A row struct and the query it decodes.
pub trait CatalogRow: Sized {
    const QUERY: Query;
    fn decode(row: &impl Cells) -> Result<Self, RowError>;
}

catalog_row! {
    /// `namespaces.sql`: a selected schema that exists.
    NamespaceRow from queries::NAMESPACES {
        name: String,
    }
}

catalog_row! {
    /// `relations.sql`: a table, partitioned table, view, materialized view or foreign table.
    RelationRow from queries::RELATIONS {
        oid: u32,
        schema: String,
        name: String,
        kind: String,
        is_partition: bool,
        inherits: bool,
        from_extension: bool,
        row_security: bool,
        force_row_security: bool,
        policies: i64,
        triggers: i64,
        comment: Option<String>,
        definition: Option<String>,
    }
}

catalog_row! {
    /// `columns.sql`: a column of a table or view; `base_*` describe an array's element type.
    ColumnRow from queries::COLUMNS {
        table_oid: u32,
        attnum: i32,
        name: String,
        type_sql: String,
        is_array: bool,
        dims: i32,
        not_null: bool,
        default_sql: Option<String>,
        identity: String,
        generated: String,
        comment: Option<String>,
        base_schema: String,
        base_name: String,
        base_kind: String,
        base_sql: String,
        base_cast: String,
        collation: Option<String>,
    }
}

catalog_row! {
    /// `constraints.sql`: a primary key, unique, foreign key, check or exclusion constraint.
    ConstraintRow from queries::CONSTRAINTS {
        table_oid: u32,
        name: String,
        kind: String,
        columns: Vec<String>,
        ref_schema: Option<String>,
        ref_table: Option<String>,
        ref_columns: Vec<String>,
        on_update: String,
        on_delete: String,
        match_type: String,
        deferrable: bool,
        deferred: bool,
        validated: bool,
        no_inherit: bool,
        check_sql: Option<String>,
        definition: Option<String>,
        nulls_not_distinct: bool,
    }
}

catalog_row! {
    /// `indexes.sql`: an index no constraint owns; per key column its name or expression, the
    /// indoption bits and a non-default operator class; INCLUDE columns after the key columns.
    IndexRow from queries::INDEXES {
        table_oid: u32,
        name: String,
        is_unique: bool,
        method: String,
        key_count: i32,
        columns: Vec<String>,
        is_expression: Vec<bool>,
        options: Vec<i32>,
        opclasses: Vec<Option<String>>,
        predicate: Option<String>,
        nulls_not_distinct: bool,
        valid: bool,
    }
}

catalog_row! {
    /// `enums.sql`: an enum with its labels in sort order.
    EnumRow from queries::ENUMS {
        schema: String,
        name: String,
        labels: Vec<String>,
        comment: Option<String>,
    }
}

catalog_row! {
    /// `sequences.sql`: a sequence, and the column that owns it (`owner_kind` `a` serial, `i`
    /// identity).
    SequenceRow from queries::SEQUENCES {
        schema: String,
        name: String,
        regclass: String,
        type_sql: String,
        start: i64,
        increment: i64,
        min_value: i64,
        max_value: i64,
        cache: i64,
        cycle: bool,
        owner_table: Option<u32>,
        owner_column: Option<i32>,
        owner_kind: Option<String>,
    }
}

catalog_row! {
    /// `extensions.sql`: an installed extension.
    ExtensionRow from queries::EXTENSIONS {
        name: String,
        schema: String,
        version: String,
    }
}

catalog_row! {
    /// `policies.sql`: a row level security policy.
    PolicyRow from queries::POLICIES {
        table_oid: u32,
        name: String,
        permissive: bool,
        command: String,
        roles: Vec<String>,
        using_sql: Option<String>,
        check_sql: Option<String>,
    }
}

catalog_row! {
    /// `domains.sql`: a domain with its CHECK constraints by name.
    DomainRow from queries::DOMAINS {
        schema: String,
        name: String,
        base_type: String,
        not_null: bool,
        default_sql: Option<String>,
        check_names: Vec<String>,
        check_sql: Vec<String>,
        comment: Option<String>,
    }
}

/// The rows of every catalog query: everything [`super::lower`] needs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CatalogRows {
    pub namespaces: Vec<NamespaceRow>,
    pub relations: Vec<RelationRow>,
    pub columns: Vec<ColumnRow>,
    pub constraints: Vec<ConstraintRow>,
    pub indexes: Vec<IndexRow>,
    pub enums: Vec<EnumRow>,
    pub sequences: Vec<SequenceRow>,
    pub extensions: Vec<ExtensionRow>,
    pub policies: Vec<PolicyRow>,
    pub domains: Vec<DomainRow>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Map, Value};

    /// A recorded row: column name → JSON value.
    impl Cells for Map<String, Value> {
        fn cell<T: FromSqlOwned + DeserializeOwned>(
            &self,
            _: usize,
            column: &str,
        ) -> Result<T, String> {
            let value = self.get(column).ok_or("no such column")?;
            serde_json::from_value(value.clone()).map_err(|e| e.to_string())
        }
    }

    fn row(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => unreachable!("a JSON object"),
        }
    }

    #[test]
    fn a_complete_row_decodes() {
        let r = row(json!({ "name": "pgcrypto", "schema": "public", "version": "1.3" }));
        assert_eq!(
            ExtensionRow::decode(&r).unwrap(),
            ExtensionRow {
                name: "pgcrypto".into(),
                schema: "public".into(),
                version: "1.3".into(),
            }
        );
    }

    #[test]
    fn a_missing_column_names_query_and_column() {
        let r = row(json!({ "name": "pgcrypto", "schema": "public" }));
        let err = ExtensionRow::decode(&r).unwrap_err();
        assert_eq!((err.query, err.column), ("extensions", "version"));
        assert_eq!(
            err.to_string(),
            "the extensions query returned an unexpected row: column `version`: no such column"
        );
    }

    #[test]
    fn a_wrong_type_names_query_and_column() {
        let r =
            row(json!({ "schema": "public", "name": "mood", "labels": "happy", "comment": null }));
        let err = EnumRow::decode(&r).unwrap_err();
        assert_eq!((err.query, err.column), ("enums", "labels"));
        assert!(err.reason.contains("expected a sequence"), "{}", err.reason);
    }
}
