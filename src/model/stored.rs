//! How PostgreSQL prints back (`pg_get_expr`) the literal defaults Prisma's DDL writes. drizzle-kit
//! 1.0 `push` compares the text it reads from the catalog (casts trimmed off the end only) with the
//! text it derives from `schema.ts`, so the 1.0 flavour writes these defaults in the catalog's own
//! spelling: `ARRAY['a', 'b']::TEXT[]` is stored as `ARRAY['a'::text, 'b'::text]`, a `timestamp`
//! literal loses its zone, a `box` is stored upper corner first. The 1.0 renderer writes these
//! spellings; `compare` takes them as the canonical form. Each function answers `None` where it
//! cannot be sure; the caller then keeps the spelling it had.

use chrono::{DateTime, FixedOffset, Timelike, Utc};

use super::ColumnType;

/// `format_type`'s spelling of a column's (element) type, for the types whose literals Prisma
/// writes.
fn type_name(column_type: &ColumnType) -> Option<String> {
    let with_length = |base: &str, length: &Option<u32>| match length {
        Some(n) => format!("{base}({n})"),
        None => base.to_string(),
    };
    Some(match column_type {
        ColumnType::Boolean => "boolean".into(),
        ColumnType::SmallInt => "smallint".into(),
        ColumnType::Integer => "integer".into(),
        ColumnType::BigInt => "bigint".into(),
        ColumnType::Real => "real".into(),
        ColumnType::DoublePrecision => "double precision".into(),
        ColumnType::Numeric {
            precision: Some(p),
            scale,
        } => format!("numeric({p},{})", scale.unwrap_or(0)),
        ColumnType::Numeric { .. } => "numeric".into(),
        ColumnType::Text => "text".into(),
        ColumnType::VarChar { length } => with_length("character varying", length),
        ColumnType::Char { length: Some(n) } => format!("character({n})"),
        ColumnType::Uuid => "uuid".into(),
        ColumnType::Date => "date".into(),
        ColumnType::Timestamp {
            precision,
            with_time_zone,
        } => {
            let zone = if *with_time_zone { "with" } else { "without" };
            match precision {
                Some(p) => format!("timestamp({p}) {zone} time zone"),
                None => format!("timestamp {zone} time zone"),
            }
        }
        ColumnType::Enum { schema, name } => {
            let name = identifier(name);
            match schema.as_deref() {
                Some(s) if s != "public" => format!("{}.{name}", identifier(s)),
                _ => name,
            }
        }
        _ => return None,
    })
}

/// `quote_ident` for the names we meet: plain lowercase identifiers stay bare.
fn identifier(name: &str) -> String {
    let plain = name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// A one-dimensional `ARRAY[…]::TYPE[]` of literals (what Prisma writes for a list default) as
/// PostgreSQL stores it for a column of `element` type: each element with the cast PostgreSQL
/// prints for it.
pub fn array(expr: &str, element: &ColumnType) -> Option<String> {
    let body = expr.strip_prefix("ARRAY[")?;
    let (items, rest) = split_items(body)?;
    if !rest.starts_with("::") || !rest.ends_with("[]") || items.is_empty() {
        return None;
    }
    let target = type_name(element)?;
    let stored: Option<Vec<String>> = items
        .iter()
        .map(|item| element_literal(item, element, &target))
        .collect();
    Some(format!("ARRAY[{}]", stored?.join(", ")))
}

/// The items of `a, 'b, c', 3]…` up to the closing bracket, and what follows it.
fn split_items(body: &str) -> Option<(Vec<&str>, &str)> {
    let mut items = Vec::new();
    let mut start = 0;
    let mut in_string = false;
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' => in_string = !in_string,
            b'[' | b'(' if !in_string => return None,
            b',' if !in_string => {
                items.push(body[start..i].trim());
                start = i + 1;
            }
            b']' if !in_string => {
                let last = body[start..i].trim();
                if !last.is_empty() || !items.is_empty() {
                    items.push(last);
                }
                return Some((items, &body[i + 1..]));
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// One array element as PostgreSQL prints it.
fn element_literal(item: &str, element: &ColumnType, target: &str) -> Option<String> {
    if let Some(content) = string_content(item) {
        let content = match element {
            ColumnType::Timestamp { .. } | ColumnType::Date => datetime(&content, element)?,
            ColumnType::Text
            | ColumnType::VarChar { .. }
            | ColumnType::Char { length: Some(_) }
            | ColumnType::Enum { .. } => content,
            ColumnType::Uuid if content == content.to_ascii_lowercase() => content,
            _ => return None,
        };
        return Some(format!("'{}'::{target}", content.replace('\'', "''")));
    }
    match element {
        ColumnType::Boolean if item == "true" || item == "false" => Some(item.to_string()),
        ColumnType::SmallInt
        | ColumnType::Integer
        | ColumnType::BigInt
        | ColumnType::Real
        | ColumnType::DoublePrecision
        | ColumnType::Numeric { .. } => number_element(item, element, target),
        _ => None,
    }
}

/// A number literal coerced to a numeric element type: PostgreSQL parses it as an `integer`,
/// a `bigint` or a `numeric` constant (negatives folded into the constant, printed quoted) and
/// prints the implicit coercion to the element type as a cast.
fn number_element(item: &str, element: &ColumnType, target: &str) -> Option<String> {
    let negative = item.starts_with('-');
    let digits = item.strip_prefix('-').unwrap_or(item);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let value: i64 = item.parse().ok()?;
        if i32::try_from(value).is_ok() {
            let constant = if negative {
                format!("'{item}'::integer")
            } else {
                item.to_string()
            };
            return Some(match element {
                ColumnType::Integer => constant,
                _ => format!("({constant})::{target}"),
            });
        }
        return Some(match element {
            ColumnType::BigInt => format!("'{item}'::bigint"),
            ColumnType::Integer | ColumnType::SmallInt => return None,
            _ => format!("('{item}'::bigint)::{target}"),
        });
    }
    // A decimal: a `numeric` constant, bare when positive.
    let (whole, fraction) = digits.split_once('.')?;
    let decimal = !whole.is_empty()
        && !fraction.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit());
    if !decimal {
        return None;
    }
    Some(match element {
        ColumnType::Numeric {
            precision: None, ..
        } if negative => format!("'{item}'::numeric"),
        ColumnType::Numeric {
            precision: None, ..
        } => item.to_string(),
        ColumnType::Numeric { .. } if negative => format!("'{item}'::{target}"),
        ColumnType::Numeric { .. } => format!("{item}::{target}"),
        ColumnType::Real | ColumnType::DoublePrecision if negative => {
            format!("('{item}'::numeric)::{target}")
        }
        ColumnType::Real | ColumnType::DoublePrecision => format!("({item})::{target}"),
        _ => return None,
    })
}

/// The content of a `'…'` literal (quotes doubled inside), if `item` is exactly one.
pub fn string_content(item: &str) -> Option<String> {
    let inner = item.strip_prefix('\'')?.strip_suffix('\'')?;
    let unpaired = inner.replace("''", "").contains('\'');
    (!unpaired).then(|| inner.replace("''", "'"))
}

/// A date-time literal as Prisma writes it (`2024-03-05 10:20:30.123 +02:00`) as PostgreSQL
/// prints it back for a `timestamp`, `timestamptz` or `date` column: the zone dropped (a
/// `timestamp` ignores it), the instant in UTC (the session zone drizzle-kit and PostgreSQL
/// default to), or the date alone; trailing fractional zeros dropped. `None` when the column's
/// precision would round the value.
pub fn datetime(literal: &str, column_type: &ColumnType) -> Option<String> {
    let parsed: DateTime<FixedOffset> =
        DateTime::parse_from_str(literal, "%Y-%m-%d %H:%M:%S%.f %:z").ok()?;
    match column_type {
        ColumnType::Date => Some(parsed.format("%Y-%m-%d").to_string()),
        ColumnType::Timestamp {
            precision,
            with_time_zone,
        } => {
            let digits = fraction_digits(parsed.nanosecond())?;
            if digits.len() > precision.unwrap_or(6) as usize {
                return None;
            }
            let fraction = if digits.is_empty() {
                String::new()
            } else {
                format!(".{digits}")
            };
            Some(if *with_time_zone {
                let utc = parsed.with_timezone(&Utc);
                format!("{}{fraction}+00", utc.format("%Y-%m-%d %H:%M:%S"))
            } else {
                format!(
                    "{}{fraction}",
                    parsed.naive_local().format("%Y-%m-%d %H:%M:%S")
                )
            })
        }
        _ => None,
    }
}

/// Microsecond digits without trailing zeros; `None` below a microsecond (PostgreSQL rounds).
fn fraction_digits(nanos: u32) -> Option<String> {
    if !nanos.is_multiple_of(1000) {
        return None;
    }
    let micros = format!("{:06}", nanos / 1000);
    Some(micros.trim_end_matches('0').to_string())
}

/// A `box` literal as PostgreSQL stores it: upper-right corner first, `(x1,y1),(x2,y2)`.
pub fn box_literal(text: &str) -> Option<String> {
    let numbers: Vec<f64> = text
        .split(|c: char| matches!(c, '(' | ')' | ',') || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<f64>().ok().filter(|v| v.is_finite()))
        .collect::<Option<_>>()?;
    let [x1, y1, x2, y2] = numbers[..] else {
        return None;
    };
    let shown = |v: f64| {
        // float8out prints the shortest round-trip form, as Rust's `Display` does for these.
        if v == 0.0 {
            "0".to_string()
        } else {
            format!("{v}")
        }
    };
    Some(format!(
        "({},{}),({},{})",
        shown(x1.max(x2)),
        shown(y1.max(y2)),
        shown(x1.min(x2)),
        shown(y1.min(y2))
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each expectation is what PostgreSQL 15's `pg_get_expr` printed for Prisma's DDL.
    #[test]
    fn arrays_as_postgresql_prints_them() {
        let text = ColumnType::Text;
        assert_eq!(
            array("ARRAY['a', 'b''c']::TEXT[]", &text).unwrap(),
            "ARRAY['a'::text, 'b''c'::text]"
        );
        let color = ColumnType::Enum {
            schema: None,
            name: "Color".into(),
        };
        assert_eq!(
            array("ARRAY['RED', 'green']::\"Color\"[]", &color).unwrap(),
            "ARRAY['RED'::\"Color\", 'green'::\"Color\"]"
        );
        let other = ColumnType::Enum {
            schema: Some("other".into()),
            name: "E2".into(),
        };
        assert_eq!(
            array("ARRAY['a']::other.\"E2\"[]", &other).unwrap(),
            "ARRAY['a'::other.\"E2\"]"
        );
        assert_eq!(
            array(
                "ARRAY[0.5, -1.25, 1, -2]::DOUBLE PRECISION[]",
                &ColumnType::DoublePrecision
            )
            .unwrap(),
            "ARRAY[(0.5)::double precision, ('-1.25'::numeric)::double precision, \
             (1)::double precision, ('-2'::integer)::double precision]"
        );
        assert_eq!(
            array("ARRAY[1, -2, 3000000000]::BIGINT[]", &ColumnType::BigInt).unwrap(),
            "ARRAY[(1)::bigint, ('-2'::integer)::bigint, '3000000000'::bigint]"
        );
        assert_eq!(
            array("ARRAY[1, -2]::INTEGER[]", &ColumnType::Integer).unwrap(),
            "ARRAY[1, '-2'::integer]"
        );
        let decimal = ColumnType::Numeric {
            precision: Some(10),
            scale: Some(2),
        };
        assert_eq!(
            array("ARRAY[1, -2, 0.5, -1.5]::DECIMAL(10,2)[]", &decimal).unwrap(),
            "ARRAY[(1)::numeric(10,2), ('-2'::integer)::numeric(10,2), 0.5::numeric(10,2), \
             '-1.5'::numeric(10,2)]"
        );
        let stamp = ColumnType::Timestamp {
            precision: Some(3),
            with_time_zone: false,
        };
        assert_eq!(
            array(
                "ARRAY['2024-12-31 23:59:59.120 +02:00']::TIMESTAMP(3)[]",
                &stamp
            )
            .unwrap(),
            "ARRAY['2024-12-31 23:59:59.12'::timestamp(3) without time zone]"
        );
        let varchar = ColumnType::VarChar { length: Some(10) };
        assert_eq!(
            array("ARRAY['a']::VARCHAR(10)[]", &varchar).unwrap(),
            "ARRAY['a'::character varying(10)]"
        );
        // Empty arrays and what we cannot be sure of keep their spelling.
        assert_eq!(array("ARRAY[]::TEXT[]", &text), None);
        assert_eq!(
            array(
                "ARRAY[1e3]::DOUBLE PRECISION[]",
                &ColumnType::DoublePrecision
            ),
            None
        );
    }

    #[test]
    fn datetimes_as_postgresql_prints_them() {
        let stamp = |precision, with_time_zone| ColumnType::Timestamp {
            precision,
            with_time_zone,
        };
        assert_eq!(
            datetime("2021-06-01 18:30:00 +02:00", &stamp(Some(3), false)).unwrap(),
            "2021-06-01 18:30:00"
        );
        assert_eq!(
            datetime("2020-01-15 09:00:00.250 +00:00", &stamp(Some(3), false)).unwrap(),
            "2020-01-15 09:00:00.25"
        );
        assert_eq!(
            datetime("2024-03-05 10:20:30 +02:00", &stamp(Some(3), true)).unwrap(),
            "2024-03-05 08:20:30+00"
        );
        assert_eq!(
            datetime("2024-12-31 00:00:00 +00:00", &ColumnType::Date).unwrap(),
            "2024-12-31"
        );
        // Precision 0 would round `.5`.
        assert_eq!(
            datetime("2024-12-31 23:59:59.5 +00:00", &stamp(Some(0), false)),
            None
        );
    }

    #[test]
    fn boxes_upper_corner_first() {
        assert_eq!(box_literal("((0,0),(1,1))").unwrap(), "(1,1),(0,0)");
        assert_eq!(box_literal("((2.5,-1),(0,3))").unwrap(), "(2.5,3),(0,-1)");
        assert_eq!(box_literal("((0,0),(1))"), None);
    }
}
