//! Attribute arguments as Prisma's validator reads them: which names each attribute takes, which
//! one may be given positionally (its default argument), and what kind of value each one holds.
//! An argument Prisma does not know is an error there ("No such argument."), not something to
//! ignore: a typo such as `onDealete: Cascade` would otherwise change the DDL silently.
//!
//! Native type attributes (`@db.VarChar(…)`) are not covered: Prisma checks only their count and
//! values (see `validate.rs`), not their names.

use super::ast::{Argument, Attribute, Expression, Span};
use super::diagnostics::{Diagnostic, Diagnostics};

/// The kind of value an argument holds, in Prisma's words ("Expected a string value …").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Anything (a default value: checked against the field type elsewhere).
    Any,
    String,
    /// A bare name such as `Cascade` or `Hash`.
    Constant,
    /// `true` or `false`.
    Boolean,
    Numeric,
    /// A field or a list of fields: `a` or `[a, b]` (relation `fields`/`references`).
    ConstantList,
    /// Index fields: `a` or `[a, b(sort: Desc), c(ops: raw("…"))]`.
    IndexFields,
    /// Partial index condition: `raw("…")` or `{ … }`.
    Where,
}

/// What one attribute accepts.
pub struct Spec {
    /// The argument a positional value stands for (`@map("x")` ≡ `@map(name: "x")`).
    pub default: Option<&'static str>,
    /// Every accepted name with the kind of its value (the default argument included).
    pub named: &'static [(&'static str, Kind)],
    /// Arguments that must be present.
    pub required: &'static [&'static str],
}

const NONE: Spec = Spec {
    default: None,
    named: &[],
    required: &[],
};
const MAP: Spec = Spec {
    default: Some("name"),
    named: &[("name", Kind::String)],
    required: &["name"],
};

/// Field attribute `@name` (not native types).
pub fn field_spec(name: &str) -> Option<&'static Spec> {
    const ID: Spec = Spec {
        default: None,
        named: &[
            ("map", Kind::String),
            ("length", Kind::Numeric),
            ("sort", Kind::Constant),
            ("clustered", Kind::Boolean),
        ],
        required: &[],
    };
    const UNIQUE: Spec = Spec {
        default: None,
        named: &[
            ("map", Kind::String),
            ("length", Kind::Numeric),
            ("sort", Kind::Constant),
            ("clustered", Kind::Boolean),
        ],
        required: &[],
    };
    const DEFAULT: Spec = Spec {
        default: Some("value"),
        named: &[("value", Kind::Any), ("map", Kind::String)],
        required: &["value"],
    };
    const RELATION: Spec = Spec {
        default: Some("name"),
        named: &[
            ("name", Kind::String),
            ("fields", Kind::ConstantList),
            ("references", Kind::ConstantList),
            ("onDelete", Kind::Constant),
            ("onUpdate", Kind::Constant),
            ("map", Kind::String),
        ],
        required: &[],
    };
    Some(match name {
        "id" => &ID,
        "unique" => &UNIQUE,
        "default" => &DEFAULT,
        "relation" => &RELATION,
        "map" => &MAP,
        "updatedAt" | "ignore" | "shardKey" => &NONE,
        _ => return None,
    })
}

/// Model attribute `@@name`.
pub fn model_spec(name: &str) -> Option<&'static Spec> {
    const ID: Spec = Spec {
        default: Some("fields"),
        named: &[
            ("fields", Kind::IndexFields),
            ("name", Kind::String),
            ("map", Kind::String),
            ("clustered", Kind::Boolean),
        ],
        required: &["fields"],
    };
    const UNIQUE: Spec = Spec {
        default: Some("fields"),
        named: &[
            ("fields", Kind::IndexFields),
            ("name", Kind::String),
            ("map", Kind::String),
            ("clustered", Kind::Boolean),
            ("where", Kind::Where),
        ],
        required: &["fields"],
    };
    const INDEX: Spec = Spec {
        default: Some("fields"),
        named: &[
            ("fields", Kind::IndexFields),
            ("name", Kind::String),
            ("map", Kind::String),
            ("type", Kind::Constant),
            ("clustered", Kind::Boolean),
            ("where", Kind::Where),
        ],
        required: &["fields"],
    };
    const FULLTEXT: Spec = Spec {
        default: Some("fields"),
        named: &[("fields", Kind::IndexFields), ("map", Kind::String)],
        required: &["fields"],
    };
    const SHARD_KEY: Spec = Spec {
        default: Some("fields"),
        named: &[("fields", Kind::IndexFields)],
        required: &["fields"],
    };
    Some(match name {
        "id" => &ID,
        "unique" => &UNIQUE,
        "index" => &INDEX,
        "fulltext" => &FULLTEXT,
        "shardKey" => &SHARD_KEY,
        "map" | "schema" => &MAP,
        "ignore" => &NONE,
        _ => return None,
    })
}

/// `@map` on an enum value and `@@map`/`@@schema` on an enum.
pub fn enum_spec(name: &str) -> Option<&'static Spec> {
    matches!(name, "map" | "schema").then_some(&MAP)
}

/// Checks the arguments of `attr` against `spec`; `shown` is how the attribute is written
/// (`@relation`, `@@index`). `text` gives the source text under a span.
pub fn check(
    attr: &Attribute,
    spec: &Spec,
    shown: &str,
    text: &dyn Fn(Span) -> String,
    diags: &mut Diagnostics,
) {
    let head = Span::new(
        attr.span.file,
        attr.span.start,
        attr.name.span.end.max(attr.span.start),
    );
    let allowed = || {
        if spec.named.is_empty() {
            format!("`{shown}` takes no arguments")
        } else {
            let names: Vec<&str> = spec.named.iter().map(|(n, _)| *n).collect();
            format!("`{shown}` takes {}", names.join(", "))
        }
    };
    let unnamed: Vec<&Argument> = attr.arguments.iter().filter(|a| a.name.is_none()).collect();
    if spec.default.is_some() && unnamed.len() > 1 {
        let values: Vec<String> = unnamed.iter().map(|a| text(a.value.span())).collect();
        diags.push(
            Diagnostic::error(
                unnamed[1].span,
                format!(
                    "you provided multiple unnamed arguments to `{shown}`. This is not possible. Did you forget the brackets? Did you mean `[{}]`?",
                    values.join(", ")
                ),
            )
            .with_help(allowed()),
        );
    }
    let mut seen: Vec<&str> = Vec::new();
    for (i, arg) in attr.arguments.iter().enumerate() {
        let (name, span) = match &arg.name {
            Some(n) => (n.name.as_str(), n.span),
            // Only the first positional argument stands for the default argument; more are
            // reported above.
            None => match spec.default {
                Some(d) if unnamed.first().is_some_and(|u| std::ptr::eq(*u, arg)) => (d, arg.span),
                Some(_) => continue,
                None => {
                    diags.push(
                        Diagnostic::error(
                            arg.span,
                            format!(
                                "no such argument: `{shown}` takes no unnamed argument, found `{}`",
                                text(arg.value.span())
                            ),
                        )
                        .with_help(allowed()),
                    );
                    continue;
                }
            },
        };
        let Some((_, kind)) = spec.named.iter().find(|(n, _)| *n == name) else {
            let help = match spec.named.iter().find(|(n, _)| edit_distance(n, name) <= 2) {
                Some((close, _)) => format!("did you mean `{close}`? {}", allowed()),
                None => allowed(),
            };
            diags.push(
                Diagnostic::error(
                    span,
                    format!("no such argument: `{name}` is not an argument of `{shown}`"),
                )
                .with_help(help),
            );
            continue;
        };
        if seen.contains(&name) {
            let as_unnamed =
                spec.default == Some(name) && attr.arguments[..i].iter().any(|a| a.name.is_none());
            let msg = if as_unnamed {
                format!("argument \"{name}\" is already specified as unnamed argument")
            } else {
                format!("argument \"{name}\" is already specified")
            };
            diags.push(Diagnostic::error(span, msg));
            continue;
        }
        seen.push(name);
        check_kind(&arg.value, *kind, text, diags);
    }
    // `@default(value:)` is dropped by the parser, which reports it as missing a value already.
    let written = text(attr.span);
    for required in spec.required {
        if !seen.contains(required) && !written.contains(&format!("{required}:")) {
            diags.push(Diagnostic::error(
                head,
                format!("argument \"{required}\" is missing in `{shown}`"),
            ));
        }
    }
}

/// Prisma's name for what a value is ("received functional value `now()`").
fn received(value: &Expression) -> &'static str {
    match value {
        Expression::Numeric(..) => "numeric",
        Expression::String(..) => "string",
        Expression::Constant(..) => "literal",
        Expression::Function(..) => "functional",
        Expression::Array(..) => "array",
        Expression::Object(..) => "object",
    }
}

fn mismatch(
    value: &Expression,
    expected: &str,
    text: &dyn Fn(Span) -> String,
    diags: &mut Diagnostics,
) {
    diags.push(Diagnostic::error(
        value.span(),
        format!(
            "expected a {expected} value, but received {} value `{}`",
            received(value),
            text(value.span())
        ),
    ));
}

fn check_kind(
    value: &Expression,
    kind: Kind,
    text: &dyn Fn(Span) -> String,
    diags: &mut Diagnostics,
) {
    match (kind, value) {
        (Kind::Any, _)
        | (Kind::String, Expression::String(..))
        | (Kind::Numeric, Expression::Numeric(..))
        | (Kind::Constant, Expression::Constant(..))
        | (Kind::Where, Expression::Object(..)) => {}
        (Kind::Where, Expression::Function(f, ..)) if f == "raw" => {}
        (Kind::Boolean, Expression::Constant(c, _)) if c == "true" || c == "false" => {}
        (Kind::String, _) => mismatch(value, "string", text, diags),
        (Kind::Numeric, _) => mismatch(value, "numeric", text, diags),
        (Kind::Constant, _) => mismatch(value, "constant", text, diags),
        (Kind::Boolean, _) => mismatch(value, "boolean", text, diags),
        (Kind::Where, _) => diags.push(Diagnostic::error(
            value.span(),
            "the `where` argument must be either a raw() function call or an object literal, e.g. `where: raw(\"status = 'active'\")` or `where: { active: true }`",
        )),
        (Kind::ConstantList, Expression::Array(items, _)) => {
            for item in items {
                if !matches!(item, Expression::Constant(..)) {
                    mismatch(item, "constant", text, diags);
                }
            }
        }
        (Kind::ConstantList, Expression::Constant(..)) => {}
        (Kind::ConstantList, _) => mismatch(value, "constant", text, diags),
        (Kind::IndexFields, Expression::Array(items, _)) => {
            for item in items {
                if !matches!(item, Expression::Constant(..) | Expression::Function(..)) {
                    mismatch(item, "constant literal", text, diags);
                }
            }
        }
        (Kind::IndexFields, Expression::Constant(..) | Expression::Function(..)) => {}
        (Kind::IndexFields, _) => mismatch(value, "constant literal", text, diags),
    }
}

/// Levenshtein distance, for "did you mean" on a misspelt argument name (`onDealete`).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::edit_distance;

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("onDelete", "onDelete"), 0);
        assert_eq!(edit_distance("onDelete", "onDealete"), 1);
        assert_eq!(edit_distance("references", "refrences"), 1);
        assert_eq!(edit_distance("map", "name"), 3);
    }
}
