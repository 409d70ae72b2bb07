//! What both dialects' typed rows share: declaring a row struct and its decoder. Each dialect
//! brings, in scope where it invokes [`catalog_row!`], its `Query` type, its `CatalogRow` trait
//! (the query and `decode`) and its `Cells` trait, which reads one column of a result row as a
//! field's type: PostgreSQL by name with `try_get`, SQLite by position.

/// Declares a row struct whose fields are the query's columns in order, and its decoder: a
/// missing column or a value of an unexpected type is a [`super::RowError`] naming the query and
/// the column.
macro_rules! catalog_row {
    ($(#[$doc:meta])* $name:ident from $query:path { $($field:ident: $ty:ty,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct $name {
            $(pub $field: $ty,)*
        }

        impl CatalogRow for $name {
            const QUERY: Query = $query;

            fn decode(row: &impl Cells) -> Result<Self, $crate::introspect::RowError> {
                // Each field is the next column: by position and by name.
                let mut columns = [$(stringify!($field)),*].into_iter().enumerate();
                Ok($name {
                    $($field: {
                        let (index, column) = columns.next().unwrap_or_default();
                        row.cell::<$ty>(index, column)
                            .map_err(|reason| $crate::introspect::RowError {
                                query: $query.what,
                                column,
                                reason,
                            })?
                    },)*
                })
            }
        }
    };
}
pub(crate) use catalog_row;
