//! Plan pieces both dialects share: the builder a column gets, the `.default(…)` it carries and
//! what drizzle-kit's snapshot stores for it. Each dialect's `plan.rs` decides which to use.

use serde_json::Value;

use super::names::{js_string, template_escape};
use crate::model::ObjectName;

/// A `customType` the schema file must declare once.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CustomType {
    /// SQL type name (`bytea`, `citext`, `tsvector`, SQLite's declared `DATETIME`).
    pub sql: String,
    /// TypeScript type of the values (`Buffer`, `string`).
    pub ts_data: &'static str,
    /// What `dataType()` returns where it is not `sql`: drizzle-kit 1.0 reads a SQLite declared
    /// type back as its affinity's name (`DATETIME` is `numeric`), so 1.0 output declares that.
    pub data_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Builder {
    /// A core builder (`integer`, `varchar` …), with its options object (without braces) if any.
    Core {
        function: &'static str,
        options: Vec<(String, String)>,
    },
    /// A column of a declared enum (`pgEnum`, or a SQLite `text` with its values).
    Enum(ObjectName),
    Custom(CustomType),
}

impl Builder {
    /// The core builder function, if it is one (`"integer"`).
    pub fn core_function(&self) -> Option<&'static str> {
        match self {
            Builder::Core { function, .. } => Some(function),
            _ => None,
        }
    }
}

pub(crate) fn core(function: &'static str, options: Vec<(String, String)>) -> Builder {
    Builder::Core { function, options }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DefaultPlan {
    /// TypeScript argument of `.default(…)` (a literal or a `sql` template).
    pub ts: String,
    /// What drizzle-kit stores in the snapshot for it.
    pub snapshot: Value,
    pub uses_sql: bool,
    /// What our migration writes, where it is not the snapshot's SQL: the spelling Prisma's DDL
    /// used, when drizzle's own would build another catalog (`'0'` stores `'0'::numeric`, `0`
    /// stores `0`).
    pub migration: Option<String>,
}

impl DefaultPlan {
    /// The SQL our migration writes for this default.
    pub(crate) fn migration_sql(&self) -> String {
        self.migration
            .clone()
            .unwrap_or_else(|| super::sql::default_sql(&self.snapshot))
    }

    /// A `sql` template default, stored verbatim.
    pub(crate) fn sql(expr: &str) -> DefaultPlan {
        DefaultPlan {
            ts: format!("sql`{}`", template_escape(expr)),
            snapshot: Value::String(expr.to_string()),
            uses_sql: true,
            migration: None,
        }
    }

    /// A string default: a JS literal, stored quoted as SQL (`'it''s'`).
    pub(crate) fn text(s: &str) -> DefaultPlan {
        DefaultPlan {
            ts: js_string(s),
            snapshot: Value::String(quoted(s)),
            uses_sql: false,
            migration: None,
        }
    }

    /// A number default: the JS literal when it prints the same, else `sql`.
    pub(crate) fn number(n: &str) -> DefaultPlan {
        match js_number(n) {
            Some(js) => DefaultPlan {
                ts: js.clone(),
                snapshot: serde_json::from_str(&js).unwrap_or(Value::String(js)),
                uses_sql: false,
                migration: None,
            },
            None => DefaultPlan::sql(n),
        }
    }

    pub(crate) fn boolean(b: bool) -> DefaultPlan {
        DefaultPlan {
            ts: b.to_string(),
            snapshot: Value::Bool(b),
            uses_sql: false,
            migration: None,
        }
    }
}

/// A SQL string literal.
pub(crate) fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// JavaScript's `String(Number(text))` for the decimal literals Prisma allows, if it round-trips.
pub(crate) fn js_number(text: &str) -> Option<String> {
    let value: f64 = text.parse().ok()?;
    if !value.is_finite() {
        return None;
    }
    let printed = if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    };
    (printed == text).then_some(printed)
}

/// The custom types `schema.ts` declares, in first-use order.
pub fn custom_types<'a>(builders: impl IntoIterator<Item = &'a Builder>) -> Vec<CustomType> {
    let mut out: Vec<CustomType> = Vec::new();
    for builder in builders {
        if let Builder::Custom(ct) = builder {
            if !out.contains(ct) {
                out.push(ct.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn js_numbers_only_when_they_round_trip() {
        assert_eq!(js_number("100").as_deref(), Some("100"));
        assert_eq!(js_number("-0.25").as_deref(), Some("-0.25"));
        assert_eq!(js_number("1.0"), None);
        assert_eq!(js_number("9007199254740993"), None);
    }
}
