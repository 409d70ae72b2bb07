//! Catalog text → model values: `format_type` spellings into [`ColumnType`], `pg_get_expr`
//! defaults into [`DefaultValue`]. Pure functions, so every rule is unit-tested here.
//!
//! The acceptance test is catalog equality after re-creating the schema from our own baseline,
//! so a default only becomes a typed value when re-creating it from that value stores the very
//! same expression; anything else stays [`DefaultValue::Expression`] with PostgreSQL's own text,
//! which re-parses to the same expression by construction.

use crate::model::{typed_literal, ColumnType, DefaultValue};

/// What the catalog says about a column's type.
#[derive(Debug, Clone, Default)]
pub struct TypeFacts<'a> {
    /// `format_type(element type, atttypmod)`: `timestamp(3) without time zone`, `"Role"`.
    pub base_sql: &'a str,
    /// Schema and name of the element type.
    pub base_schema: &'a str,
    pub base_name: &'a str,
    /// `pg_type.typtype` of the element type: `b`ase, `e`num, `d`omain, `r`ange, `c`omposite, …
    pub base_kind: &'a str,
}

fn parse_u32(text: &str) -> Option<u32> {
    text.trim().parse().ok()
}

/// `name(args)rest` → (`args`, `rest`) when `text` starts with `name(`.
fn with_parens<'t>(text: &'t str, name: &str) -> Option<(&'t str, &'t str)> {
    let rest = text.strip_prefix(name)?.strip_prefix('(')?;
    let close = rest.find(')')?;
    Some((&rest[..close], &rest[close + 1..]))
}

/// `timestamp(3) with time zone` / `time without time zone` → (precision, with time zone).
fn datetime(text: &str, name: &str) -> Option<(Option<u32>, bool)> {
    let (precision, rest) = match with_parens(text, name) {
        Some((p, rest)) => (Some(parse_u32(p)?), rest),
        None => (None, text.strip_prefix(name)?),
    };
    match rest {
        " with time zone" => Some((precision, true)),
        " without time zone" => Some((precision, false)),
        _ => None,
    }
}

/// The model type of a column's element type.
pub fn column_type(facts: &TypeFacts) -> ColumnType {
    let sql = facts.base_sql;
    if facts.base_kind == "e" {
        return ColumnType::Enum {
            schema: (facts.base_schema != "public").then(|| facts.base_schema.to_string()),
            name: facts.base_name.to_string(),
        };
    }
    // Domains, ranges, composites and pseudo types keep their spelling; so do base types that
    // live outside pg_catalog (extensions), except citext by its usual unqualified name.
    let builtin = facts.base_kind == "b" && facts.base_schema == "pg_catalog";
    if !builtin {
        return if facts.base_kind == "b" && sql == "citext" {
            ColumnType::Citext
        } else {
            ColumnType::Unsupported {
                sql: sql.to_string(),
            }
        };
    }
    let simple = match sql {
        "boolean" => Some(ColumnType::Boolean),
        "smallint" => Some(ColumnType::SmallInt),
        "integer" => Some(ColumnType::Integer),
        "bigint" => Some(ColumnType::BigInt),
        "real" => Some(ColumnType::Real),
        "double precision" => Some(ColumnType::DoublePrecision),
        "money" => Some(ColumnType::Money),
        "text" => Some(ColumnType::Text),
        "uuid" => Some(ColumnType::Uuid),
        "xml" => Some(ColumnType::Xml),
        "inet" => Some(ColumnType::Inet),
        "cidr" => Some(ColumnType::Cidr),
        "macaddr" => Some(ColumnType::MacAddr),
        "macaddr8" => Some(ColumnType::MacAddr8),
        "oid" => Some(ColumnType::Oid),
        "bytea" => Some(ColumnType::Bytes),
        "json" => Some(ColumnType::Json),
        "jsonb" => Some(ColumnType::Jsonb),
        "date" => Some(ColumnType::Date),
        "numeric" => Some(ColumnType::Numeric {
            precision: None,
            scale: None,
        }),
        "character varying" => Some(ColumnType::VarChar { length: None }),
        "bit varying" => Some(ColumnType::VarBit { length: None }),
        _ => None,
    };
    if let Some(t) = simple {
        return t;
    }
    let parsed = (|| {
        if let Some((args, "")) = with_parens(sql, "numeric") {
            let (p, s) = args.split_once(',')?;
            return Some(ColumnType::Numeric {
                precision: Some(parse_u32(p)?),
                scale: Some(parse_u32(s)?),
            });
        }
        if let Some((n, "")) = with_parens(sql, "character varying") {
            return Some(ColumnType::VarChar {
                length: Some(parse_u32(n)?),
            });
        }
        if let Some((n, "")) = with_parens(sql, "character") {
            return Some(ColumnType::Char {
                length: Some(parse_u32(n)?),
            });
        }
        if let Some((n, "")) = with_parens(sql, "bit varying") {
            return Some(ColumnType::VarBit {
                length: Some(parse_u32(n)?),
            });
        }
        if let Some((n, "")) = with_parens(sql, "bit") {
            return Some(ColumnType::Bit {
                length: Some(parse_u32(n)?),
            });
        }
        if let Some((precision, with_time_zone)) = datetime(sql, "timestamp") {
            return Some(ColumnType::Timestamp {
                precision,
                with_time_zone,
            });
        }
        if let Some((precision, with_time_zone)) = datetime(sql, "time") {
            return Some(ColumnType::Time {
                precision,
                with_time_zone,
            });
        }
        if let Some(rest) = sql.strip_prefix("interval") {
            // `interval`, `interval(3)`, `interval day to second(3)`, `interval year`.
            let (fields, precision) = match rest.find('(') {
                Some(open) => {
                    let close = rest.find(')')?;
                    if close != rest.len() - 1 {
                        return None;
                    }
                    (&rest[..open], Some(parse_u32(&rest[open + 1..close])?))
                }
                None => (rest, None),
            };
            if !fields.is_empty() && !fields.starts_with(' ') {
                return None;
            }
            let fields = fields.trim();
            return Some(ColumnType::Interval {
                fields: (!fields.is_empty()).then(|| fields.to_string()),
                precision,
            });
        }
        None
    })();
    parsed.unwrap_or_else(|| ColumnType::Unsupported {
        sql: sql.to_string(),
    })
}

/// A decimal literal as PostgreSQL prints numeric constants: digits, optional fraction.
fn is_plain_number(text: &str) -> bool {
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text, None),
    };
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// The model default for `pg_get_expr(adbin)` of a column of type `column_type` (element type
/// cast spelled `base_cast`) with `dimensions` array dimensions. Serial detection happens before.
pub fn default_value(
    expr: &str,
    column_type: &ColumnType,
    base_cast: &str,
    dimensions: u32,
) -> DefaultValue {
    let verbatim = || DefaultValue::Expression(expr.to_string());
    if dimensions > 0 {
        return verbatim();
    }
    match expr {
        "true" | "false" if *column_type == ColumnType::Boolean => {
            return DefaultValue::Boolean(expr == "true")
        }
        "CURRENT_TIMESTAMP" => return DefaultValue::Now,
        _ => {}
    }
    if column_type.is_number() && is_plain_number(expr) {
        return DefaultValue::Number(expr.to_string());
    }
    let Some((content, cast)) = typed_literal(expr) else {
        return verbatim();
    };
    // Only a cast to the column's own type is what PostgreSQL adds by itself when it stores
    // `DEFAULT 'content'`; any other cast is part of the expression.
    if cast != base_cast {
        return verbatim();
    }
    if column_type.is_number() {
        let unsigned = content.strip_prefix('-').unwrap_or(&content);
        return if is_plain_number(unsigned) {
            DefaultValue::Number(content)
        } else {
            verbatim()
        };
    }
    match column_type {
        ColumnType::Enum { .. } => DefaultValue::EnumValue(content),
        ColumnType::Boolean => verbatim(),
        _ => DefaultValue::String(content),
    }
}

/// PostgreSQL's `makeObjectName(name1, name2, label)`: `name1_name2_label`, with the two names
/// shortened alternately (longer first) until it fits in 63 bytes, cut on character boundaries.
/// That is how `serial` names its sequence.
pub fn make_object_name(name1: &str, name2: &str, label: &str) -> String {
    const MAX: usize = 63;
    // One underscore between the names, one before the label.
    let overhead = 1 + label.len() + 1;
    let avail = MAX.saturating_sub(overhead);
    let (mut n1, mut n2) = (name1.len(), name2.len());
    while n1 + n2 > avail {
        if n1 > n2 {
            n1 -= 1;
        } else {
            n2 -= 1;
        }
    }
    let clip = |s: &str, mut n: usize| {
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        s[..n].to_string()
    };
    format!("{}_{}_{label}", clip(name1, n1), clip(name2, n2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts<'a>(sql: &'a str) -> TypeFacts<'a> {
        TypeFacts {
            base_sql: sql,
            base_schema: "pg_catalog",
            base_name: sql,
            base_kind: "b",
        }
    }

    #[test]
    fn parses_format_type_spellings() {
        let cases = [
            ("integer", ColumnType::Integer),
            ("double precision", ColumnType::DoublePrecision),
            (
                "numeric(65,30)",
                ColumnType::Numeric {
                    precision: Some(65),
                    scale: Some(30),
                },
            ),
            (
                "character varying(80)",
                ColumnType::VarChar { length: Some(80) },
            ),
            ("character varying", ColumnType::VarChar { length: None }),
            ("character(2)", ColumnType::Char { length: Some(2) }),
            ("bit(8)", ColumnType::Bit { length: Some(8) }),
            ("bit varying(32)", ColumnType::VarBit { length: Some(32) }),
            (
                "timestamp(3) without time zone",
                ColumnType::Timestamp {
                    precision: Some(3),
                    with_time_zone: false,
                },
            ),
            (
                "timestamp with time zone",
                ColumnType::Timestamp {
                    precision: None,
                    with_time_zone: true,
                },
            ),
            (
                "time(2) with time zone",
                ColumnType::Time {
                    precision: Some(2),
                    with_time_zone: true,
                },
            ),
            (
                "interval day to second(3)",
                ColumnType::Interval {
                    fields: Some("day to second".into()),
                    precision: Some(3),
                },
            ),
            (
                "interval(6)",
                ColumnType::Interval {
                    fields: None,
                    precision: Some(6),
                },
            ),
            (
                "bpchar",
                ColumnType::Unsupported {
                    sql: "bpchar".into(),
                },
            ),
            (
                "tsvector",
                ColumnType::Unsupported {
                    sql: "tsvector".into(),
                },
            ),
        ];
        for (sql, expected) in cases {
            assert_eq!(column_type(&facts(sql)), expected, "{sql}");
        }
        let enum_facts = TypeFacts {
            base_sql: "billing.\"Currency\"",
            base_schema: "billing",
            base_name: "Currency",
            base_kind: "e",
        };
        assert_eq!(
            column_type(&enum_facts),
            ColumnType::Enum {
                schema: Some("billing".into()),
                name: "Currency".into()
            }
        );
    }

    #[test]
    fn defaults_only_typed_when_exact() {
        let text = ColumnType::Text;
        assert_eq!(
            default_value("'It''s'::text", &text, "text", 0),
            DefaultValue::String("It's".into())
        );
        assert_eq!(
            default_value("'x'::character varying", &text, "text", 0),
            DefaultValue::Expression("'x'::character varying".into())
        );
        assert_eq!(
            default_value("'-3'::integer", &ColumnType::Integer, "integer", 0),
            DefaultValue::Number("-3".into())
        );
        assert_eq!(
            default_value("250", &ColumnType::Integer, "integer", 0),
            DefaultValue::Number("250".into())
        );
        assert_eq!(
            default_value("true", &ColumnType::Boolean, "boolean", 0),
            DefaultValue::Boolean(true)
        );
        assert_eq!(
            default_value("CURRENT_TIMESTAMP", &text, "text", 0),
            DefaultValue::Now
        );
        assert_eq!(
            default_value("'{}'::text[]", &text, "text", 1),
            DefaultValue::Expression("'{}'::text[]".into())
        );
        assert_eq!(
            default_value("(now() + '7 days'::interval)", &text, "text", 0),
            DefaultValue::Expression("(now() + '7 days'::interval)".into())
        );
        assert_eq!(
            default_value("'a'::text || 'b'::text", &text, "text", 0),
            DefaultValue::Expression("'a'::text || 'b'::text".into())
        );
    }

    #[test]
    fn serial_sequence_names_match_postgres() {
        assert_eq!(make_object_name("Show", "id", "seq"), "Show_id_seq");
        let long = "a".repeat(60);
        let name = make_object_name(&long, "identifier", "seq");
        assert_eq!(name.len(), 63);
        assert!(name.ends_with("_identifier_seq"));
    }
}
