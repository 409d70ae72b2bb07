//! Static evaluation of a JavaScript/TypeScript config file with oxc: finds the exported object
//! (`export default {…}`, `export default defineConfig({…})`, `module.exports = {…}`, or a
//! top-level `const` one of those names) and turns it into a [`Value`] tree. Expressions that
//! cannot be known without running the file become [`Value::Dynamic`] carrying their source
//! text and position, so only a setting that is actually needed turns into an error.

use std::cell::Cell;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use oxc_allocator::Allocator;
use oxc_ast::ast::{
    Argument, AssignmentTarget, BindingPattern, Expression, ObjectPropertyKind, PropertyKey,
    Statement,
};
use oxc_span::{GetSpan, SourceType, Span};

use super::{ConfigError, Field, Part, Text};

/// A statically known value with where it was written.
#[derive(Debug, Clone)]
pub struct Node {
    pub value: Value,
    /// `file:line:col`.
    pub location: String,
}

#[derive(Debug, Clone)]
pub enum Value {
    Text(Text),
    Number(f64),
    Bool(bool),
    Null,
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
    /// Source text of an expression that needs running the file.
    Dynamic(String),
}

impl Node {
    /// The property `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Object(props) => props.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A nested property, `a.b.c`.
    pub fn path(&self, dotted: &str) -> Option<&Node> {
        dotted.split('.').try_fold(self, |node, key| node.get(key))
    }

    fn dynamic(&self, key: &str) -> Option<Field<()>> {
        match &self.value {
            Value::Dynamic(expr) => Some(Field::Dynamic {
                location: self.location.clone(),
                key: key.to_owned(),
                expr: expr.clone(),
            }),
            _ => None,
        }
    }

    fn shape(&self, key: &str, want: &str) -> ConfigError {
        ConfigError::Shape {
            location: self.location.clone(),
            message: format!("`{key}` should be {want}"),
        }
    }
}

/// The text setting at `dotted` in `root`.
pub fn text_field(root: &Node, dotted: &str) -> Result<Field<Text>, ConfigError> {
    let Some(node) = root.path(dotted) else {
        return Ok(Field::Absent);
    };
    if let Some(d) = node.dynamic(dotted) {
        return Ok(d.without_value());
    }
    match &node.value {
        Value::Text(t) => Ok(Field::Set(t.clone())),
        Value::Null => Ok(Field::Absent),
        _ => Err(node.shape(dotted, "a string")),
    }
}

/// A literal string setting (a path, a name); `process.env` is not accepted here.
pub fn string_field(root: &Node, dotted: &str) -> Result<Field<String>, ConfigError> {
    Ok(match text_field(root, dotted)? {
        Field::Set(t) => match t.as_literal() {
            Some(s) => Field::Set(s),
            None => {
                let node = root.path(dotted).expect("found above");
                Field::Dynamic {
                    location: node.location.clone(),
                    key: dotted.to_owned(),
                    expr: format!("process.env.{}", t.env_names().join(", ")),
                }
            }
        },
        other => other.without_value(),
    })
}

/// A string or an array of strings (`schema`, `schemaFilter`, `tablesFilter`).
pub fn strings_field(root: &Node, dotted: &str) -> Result<Field<Vec<String>>, ConfigError> {
    let Some(node) = root.path(dotted) else {
        return Ok(Field::Absent);
    };
    if let Some(d) = node.dynamic(dotted) {
        return Ok(d.without_value());
    }
    let one = |n: &Node| -> Result<Option<String>, Field<Vec<String>>> {
        match &n.value {
            Value::Text(t) => t.as_literal().map(Some).ok_or_else(|| Field::Dynamic {
                location: n.location.clone(),
                key: dotted.to_owned(),
                expr: format!("process.env.{}", t.env_names().join(", ")),
            }),
            Value::Dynamic(expr) => Err(Field::Dynamic {
                location: n.location.clone(),
                key: dotted.to_owned(),
                expr: expr.clone(),
            }),
            _ => Ok(None),
        }
    };
    match &node.value {
        Value::Array(items) => {
            let mut out = Vec::new();
            for item in items {
                match one(item) {
                    Ok(Some(s)) => out.push(s),
                    Ok(None) => return Err(item.shape(dotted, "an array of strings")),
                    Err(d) => return Ok(d),
                }
            }
            Ok(Field::Set(out))
        }
        _ => match one(node) {
            Ok(Some(s)) => Ok(Field::Set(vec![s])),
            Ok(None) => Err(node.shape(dotted, "a string or an array of strings")),
            Err(d) => Ok(d),
        },
    }
}

thread_local! {
    static PARSING_UNTRUSTED: Cell<bool> = const { Cell::new(false) };
}

/// Whether this thread is inside the guarded call of the TypeScript parser, whose panics
/// [`evaluate`] catches and reports as a syntax error: a panic hook uses it to stay quiet then.
pub fn parsing_untrusted() -> bool {
    PARSING_UNTRUSTED.with(Cell::get)
}

/// Parses `text` (the file at `path`) and evaluates its exported config object. A config built
/// entirely by a function call is `Dynamic`, not an error, until a setting from it is needed.
pub fn evaluate(path: &Path, text: &str) -> Result<Node, ConfigError> {
    // A config is a few levels deep; the TypeScript parser's time grows exponentially with the
    // nesting of `<` among brackets (its type-argument lookahead re-parses), so refuse deep
    // nesting first. Found by the `config` fuzz target: 400 bytes of `[[[<…` took over 10 s at
    // 64 levels, then `x<{[V=sC<H` repeated 16 times took 40 s within 64; at 32 such input
    // parses in milliseconds.
    const MAX_DEPTH: usize = 32;
    let mut depth = 0usize;
    for (offset, c) in text.char_indices() {
        match c {
            '(' | '[' | '{' | '<' => depth += 1,
            ')' | ']' | '}' | '>' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_DEPTH {
            let (line, col) = crate::prisma::source::line_col_of(text, offset);
            return Err(ConfigError::Syntax {
                location: format!("{}:{line}:{col}", path.display()),
                message: format!(
                    "nesting deeper than {MAX_DEPTH} levels; a config file is never this deep"
                ),
            });
        }
    }
    let allocator = Allocator::default();
    // `.cts`/`.mts` and unknown extensions parse as TypeScript, which accepts plain JS too.
    let source_type = SourceType::from_path(path).unwrap_or_else(|_| SourceType::ts());
    // oxc_parser 0.146 panics on some hostile input (found by the `config` fuzz target: a
    // string-named import specifier holding `\\u` near a multi-byte character slices inside it;
    // fixed upstream in 0.155, which needs a newer Rust). A parser panic is this file's syntax
    // error, not the tool's crash.
    PARSING_UNTRUSTED.with(|p| p.set(true));
    let parsed = catch_unwind(AssertUnwindSafe(|| {
        oxc_parser::Parser::new(&allocator, text, source_type).parse()
    }));
    PARSING_UNTRUSTED.with(|p| p.set(false));
    let Ok(ret) = parsed else {
        return Err(ConfigError::Syntax {
            location: path.display().to_string(),
            message: "the TypeScript parser cannot read this file; check its syntax, or pass the settings as flags".into(),
        });
    };
    let loc = |offset: u32| {
        let (line, col) = crate::prisma::source::line_col_of(text, offset as usize);
        format!("{}:{line}:{col}", path.display())
    };
    if let Some(first) = ret.diagnostics.iter().next() {
        let offset = first.labels.first().map_or(0, |l| l.offset());
        return Err(ConfigError::Syntax {
            location: loc(offset),
            message: first.message.to_string(),
        });
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let mut ev = Evaluator {
        text,
        path,
        dir,
        consts: HashMap::new(),
    };
    let mut exported = None;
    for stmt in &ret.program.body {
        match stmt {
            Statement::VariableDeclaration(decl) => {
                for d in &decl.declarations {
                    if let (BindingPattern::BindingIdentifier(id), Some(init)) = (&d.id, &d.init) {
                        let node = ev.eval(init);
                        ev.consts.insert(id.name.to_string(), node);
                    }
                }
            }
            Statement::ExportDefaultDeclaration(export) => {
                if let Some(expr) = export.declaration.as_expression() {
                    exported = Some(ev.eval(expr));
                } else {
                    exported = Some(Node {
                        value: Value::Dynamic(ev.source(export.declaration.span())),
                        location: loc(export.declaration.span().start),
                    });
                }
            }
            Statement::ExpressionStatement(s) => {
                if let Expression::AssignmentExpression(a) = &s.expression {
                    if is_module_exports(&a.left) {
                        exported = Some(ev.eval(&a.right));
                    }
                }
            }
            _ => {}
        }
    }
    let node = exported.ok_or_else(|| ConfigError::Shape {
        location: loc(0),
        message: "no `export default` or `module.exports =` found".into(),
    })?;
    if let Value::Dynamic(expr) = &node.value {
        return Err(ConfigError::Dynamic {
            location: node.location.clone(),
            key: "export default".into(),
            expr: expr.clone(),
            flag: "the settings as flags".into(),
        });
    }
    if !matches!(node.value, Value::Object(_)) {
        return Err(ConfigError::Shape {
            location: node.location,
            message: "the exported config is not an object".into(),
        });
    }
    Ok(node)
}

fn is_module_exports(target: &AssignmentTarget) -> bool {
    match target {
        AssignmentTarget::StaticMemberExpression(m) => {
            m.property.name == "exports"
                && matches!(&m.object, Expression::Identifier(id) if id.name == "module")
        }
        _ => false,
    }
}

struct Evaluator<'t> {
    text: &'t str,
    path: &'t Path,
    dir: PathBuf,
    consts: HashMap<String, Node>,
}

impl Evaluator<'_> {
    fn location(&self, span: Span) -> String {
        let (line, col) = crate::prisma::source::line_col_of(self.text, span.start as usize);
        format!("{}:{line}:{col}", self.path.display())
    }

    fn source(&self, span: Span) -> String {
        let s = self
            .text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("");
        // One line in messages: collapse whitespace, keep it short.
        let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if s.chars().count() > 80 {
            format!("{}…", s.chars().take(79).collect::<String>())
        } else {
            s
        }
    }

    fn node(&self, value: Value, span: Span) -> Node {
        Node {
            value,
            location: self.location(span),
        }
    }

    fn dynamic(&self, span: Span) -> Node {
        self.node(Value::Dynamic(self.source(span)), span)
    }

    fn eval(&self, expr: &Expression) -> Node {
        let span = expr.span();
        match expr {
            Expression::StringLiteral(s) => {
                self.node(Value::Text(Text::literal(s.value.to_string())), span)
            }
            Expression::NumericLiteral(n) => self.node(Value::Number(n.value), span),
            Expression::BooleanLiteral(b) => self.node(Value::Bool(b.value), span),
            Expression::NullLiteral(_) => self.node(Value::Null, span),
            Expression::TemplateLiteral(t) => {
                let mut parts = Vec::new();
                for (i, quasi) in t.quasis.iter().enumerate() {
                    let Some(cooked) = &quasi.value.cooked else {
                        return self.dynamic(span);
                    };
                    if !cooked.is_empty() {
                        parts.push(Part::Literal(cooked.to_string()));
                    }
                    if let Some(e) = t.expressions.get(i) {
                        match self.eval(e).value {
                            Value::Text(inner) => parts.extend(inner.parts),
                            _ => return self.dynamic(span),
                        }
                    }
                }
                self.node(Value::Text(Text { parts }), span)
            }
            Expression::ArrayExpression(a) => {
                let mut items = Vec::new();
                for el in &a.elements {
                    match el.as_expression() {
                        Some(e) => items.push(self.eval(e)),
                        None => return self.dynamic(span),
                    }
                }
                self.node(Value::Array(items), span)
            }
            Expression::ObjectExpression(o) => {
                let mut props = Vec::new();
                for prop in &o.properties {
                    let ObjectPropertyKind::ObjectProperty(p) = prop else {
                        return self.dynamic(span);
                    };
                    let key = match &p.key {
                        PropertyKey::StaticIdentifier(id) if !p.computed => id.name.to_string(),
                        PropertyKey::StringLiteral(s) => s.value.to_string(),
                        _ => return self.dynamic(span),
                    };
                    props.push((key, self.eval(&p.value)));
                }
                self.node(Value::Object(props), span)
            }
            Expression::ParenthesizedExpression(p) => self.eval(&p.expression),
            Expression::TSAsExpression(e) => self.eval(&e.expression),
            Expression::TSSatisfiesExpression(e) => self.eval(&e.expression),
            Expression::TSNonNullExpression(e) => self.eval(&e.expression),
            Expression::TSTypeAssertion(e) => self.eval(&e.expression),
            Expression::Identifier(id) => match id.name.as_str() {
                "__dirname" => self.node(Value::Text(Text::literal(self.dir_text())), span),
                "undefined" => self.node(Value::Null, span),
                name => match self.consts.get(name) {
                    Some(node) => node.clone(),
                    None => self.dynamic(span),
                },
            },
            Expression::StaticMemberExpression(m) => {
                // process.env.X
                if let Expression::StaticMemberExpression(inner) = &m.object {
                    if inner.property.name == "env"
                        && matches!(&inner.object, Expression::Identifier(id) if id.name == "process")
                    {
                        return self.env(m.property.name.to_string(), None, span);
                    }
                }
                // import.meta.dirname
                if matches!(&m.object, Expression::ImportMeta(_)) && m.property.name == "dirname" {
                    return self.node(Value::Text(Text::literal(self.dir_text())), span);
                }
                self.dynamic(span)
            }
            Expression::ComputedMemberExpression(m) => {
                // process.env["X"]
                if let (Expression::StaticMemberExpression(inner), Expression::StringLiteral(key)) =
                    (&m.object, &m.expression)
                {
                    if inner.property.name == "env"
                        && matches!(&inner.object, Expression::Identifier(id) if id.name == "process")
                    {
                        return self.env(key.value.to_string(), None, span);
                    }
                }
                self.dynamic(span)
            }
            Expression::LogicalExpression(l) => {
                // process.env.X ?? "default" / || "default"
                use oxc_syntax::operator::LogicalOperator;
                if l.operator == LogicalOperator::And {
                    return self.dynamic(span);
                }
                let left = self.eval(&l.left);
                let right = self.eval(&l.right);
                match (&left.value, &right.value) {
                    (Value::Text(lt), Value::Text(rt)) => {
                        match (lt.parts.as_slice(), rt.as_literal()) {
                            (
                                [Part::Env {
                                    name,
                                    default: None,
                                }],
                                Some(d),
                            ) => self.env(name.clone(), Some(d), span),
                            _ => self.dynamic(span),
                        }
                    }
                    _ => self.dynamic(span),
                }
            }
            Expression::CallExpression(call) => self.call(call, span),
            _ => self.dynamic(span),
        }
    }

    fn env(&self, name: String, default: Option<String>, span: Span) -> Node {
        self.node(
            Value::Text(Text {
                parts: vec![Part::Env { name, default }],
            }),
            span,
        )
    }

    fn dir_text(&self) -> String {
        self.dir.display().to_string()
    }

    fn args(&self, args: &[Argument]) -> Option<Vec<Node>> {
        args.iter()
            .map(|a| a.as_expression().map(|e| self.eval(e)))
            .collect()
    }

    fn call(&self, call: &oxc_ast::ast::CallExpression, span: Span) -> Node {
        let callee = match &call.callee {
            Expression::Identifier(id) => id.name.to_string(),
            Expression::StaticMemberExpression(m) => match &m.object {
                Expression::Identifier(obj) => format!("{}.{}", obj.name, m.property.name),
                _ => return self.dynamic(span),
            },
            _ => return self.dynamic(span),
        };
        let Some(args) = self.args(&call.arguments) else {
            return self.dynamic(span);
        };
        match callee.as_str() {
            // drizzle-kit's and Prisma's identity helpers.
            "defineConfig" if args.len() == 1 => args.into_iter().next().expect("one"),
            // Prisma's `env("X")` from prisma/config.
            "env" if args.len() == 1 => match args[0].value {
                Value::Text(ref t) => match t.as_literal() {
                    Some(name) => self.env(name, None, span),
                    None => self.dynamic(span),
                },
                _ => self.dynamic(span),
            },
            "path.join" | "join" | "path.resolve" | "resolve" | "path.posix.join" => {
                let mut out = PathBuf::new();
                for a in &args {
                    match &a.value {
                        Value::Text(t) => match t.as_literal() {
                            Some(s) => out.push(s),
                            None => return self.dynamic(span),
                        },
                        _ => return self.dynamic(span),
                    }
                }
                // `resolve` of relative parts is relative to the process cwd, which drizzle-kit
                // and Prisma set to the project root, where this file is read from.
                let out = super::clean(&out);
                self.node(Value::Text(Text::literal(out.display().to_string())), span)
            }
            _ => self.dynamic(span),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parser_panic_is_a_syntax_error() {
        // The `config` fuzz target's find (oxc_ast 0.146 `is_string_well_formed_unicode`).
        let text = "import { \"\\\\u\u{e9}\" as x } from \"y\";\nexport default {};\n";
        let err = evaluate(Path::new("drizzle.config.ts"), text)
            .unwrap_err()
            .to_string();
        assert!(err.contains("cannot read this file"), "{err}");
        assert!(!parsing_untrusted());
    }

    /// The `config` fuzz target's second timeout: the TypeScript parser took 40 s on this text
    /// (64 levels of `<`, `{`, `[`), under the first cap.
    #[test]
    fn angle_brackets_among_brackets_are_refused_before_parsing() {
        let hostile = "x<{[V=sC<H".repeat(16);
        let start = std::time::Instant::now();
        let err = evaluate(Path::new("drizzle.config.ts"), &hostile)
            .unwrap_err()
            .to_string();
        assert!(err.contains("nesting deeper than 32 levels"), "{err}");
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
        // Within the cap the same shape parses at once (a syntax error, quickly).
        let start = std::time::Instant::now();
        let err = evaluate(Path::new("drizzle.config.ts"), &"x<{[V=sC<H".repeat(7))
            .unwrap_err()
            .to_string();
        assert!(!err.contains("nesting deeper"), "{err}");
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
    }

    /// Found by the `config` fuzz target: the TypeScript parser spent over 10 s on these 404
    /// bytes. Refused at once for its nesting now.
    #[test]
    fn hostile_nesting_is_refused_before_parsing() {
        let hostile = "mp<[p<[[[[[[[[[[[[[[[[[[[[{[[[[[[WUUUU<i>>o[p<[p<[[[[[[[[[[[[[[{[[U<i>>o[p<[p<[[[[i[[[[mp<[p<[[[[[[[[[[[[[[[[[[[[{[[[[[[UUUUU<i>>o[p<[p<[[[[[[[[[[p<[p<[[[[[[[[[[[[[[{[[U<i>>o[p<[[[[[[[[[[[{[[[[[[WUUUU<i>>o[p<[p<[[[[[[[[[{[[U<i>>o[p<[[[[[[[[[[[{[[[[[[WUUUU<i>>o[p<[p<[[[[[[[[[[[[[[{[[U<i>>o[p<[p<[[[[i[[[[mp<[p<[[[[[[[[[[[[[[[[[[[[{[[[[[[UUUUU<i>>o[p<[p<p<[[[[i[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1!-=[[[[1!-=Z[";
        let err = evaluate(Path::new("drizzle.config.ts"), hostile)
            .unwrap_err()
            .to_string();
        assert!(err.contains("nesting deeper than 32 levels"), "{err}");
    }

    fn eval(src: &str) -> Result<Node, ConfigError> {
        evaluate(Path::new("cfg/drizzle.config.ts"), src)
    }

    #[test]
    fn reads_define_config() {
        let n = eval(
            r#"import { defineConfig } from "drizzle-kit";
import "dotenv/config";
const out = "./db" as const;
export default defineConfig({
  dialect: "postgresql",
  schema: ["./a.ts", `./b.ts`],
  out,
  dbCredentials: { url: process.env.DATABASE_URL!, authToken: process.env["T"] ?? "x" },
  migrations: { table: 'h', schema: "audit" },
}) satisfies unknown;"#,
        )
        .unwrap();
        assert_eq!(
            string_field(&n, "out").unwrap().get("").unwrap().as_deref(),
            Some("./db")
        );
        assert_eq!(
            strings_field(&n, "schema").unwrap().get("").unwrap(),
            Some(vec!["./a.ts".to_string(), "./b.ts".to_string()])
        );
        let url = text_field(&n, "dbCredentials.url")
            .unwrap()
            .get("")
            .unwrap()
            .unwrap();
        assert_eq!(url.env_names(), vec!["DATABASE_URL"]);
        assert_eq!(
            string_field(&n, "migrations.schema")
                .unwrap()
                .get("")
                .unwrap()
                .as_deref(),
            Some("audit")
        );
    }

    #[test]
    fn module_exports_and_path_join() {
        let n = eval(
            r#"const path = require("path");
module.exports = { schema: path.join(__dirname, "prisma"), x: import.meta.dirname };"#,
        )
        .unwrap();
        assert_eq!(
            string_field(&n, "schema")
                .unwrap()
                .get("")
                .unwrap()
                .as_deref(),
            Some("cfg/prisma")
        );
    }

    #[test]
    fn dynamic_names_expression_and_position() {
        let n = eval("export default {\n  out: getOut(),\n};\n").unwrap();
        let err = string_field(&n, "out")
            .unwrap()
            .get("--migrations DIR")
            .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("cfg/drizzle.config.ts:2:8"), "{msg}");
        assert!(msg.contains("getOut()"), "{msg}");
        assert!(msg.contains("--migrations DIR"), "{msg}");
    }

    #[test]
    fn syntax_error_has_position() {
        let err = eval("export default {\n  out: ,\n};\n").unwrap_err();
        assert!(
            err.to_string().contains("cfg/drizzle.config.ts:2:"),
            "{err}"
        );
    }
}
