//! Prisma front end: parsing and validation.
//!
//! 1. Real schemas (`$DRIZZLE_PORT_SHARED` corpus and probes, default `../shared`, skipped when
//!    absent; and the repository's own `samples/`) parse without diagnostics and validate clean.
//! 2. The invalid fixtures in `tests/fixtures/invalid/` each get an error at the position and
//!    with the wording their header asks for.
//! 3. Targeted cases for each construct of the language.
//! 4. A property test: random mutations of real schemas never panic, and every span stays inside
//!    its file on char boundaries.

use crate::common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::shared::shared_dir;

use drizzle_port::prisma::ast::*;
use drizzle_port::prisma::diagnostics::{Diagnostic, SchemaErrors};
use drizzle_port::prisma::parse::parse;
use drizzle_port::prisma::validate::validate;
use drizzle_port::prisma::{Diagnostics, SourceSet};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

/// Every schema of the shared corpus and probes: corpus entries are folders (one or more
/// `.prisma` files); probes are single files plus folders (multi-file schemas).
fn shared_schemas() -> Vec<PathBuf> {
    let Some(shared) = shared_dir() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for sub in ["corpus", "probes"] {
        let Ok(entries) = std::fs::read_dir(shared.join(sub)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let is_schema_file = path.extension().is_some_and(|e| e == "prisma");
            let is_schema_dir = path.is_dir() && SourceSet::load(&path).is_ok();
            if is_schema_file || is_schema_dir {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn samples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn check(sources: &SourceSet) -> (SchemaAst, Diagnostics, Diagnostics) {
    let (ast, parse_diags) = parse(sources);
    let validate_diags = validate(&ast, sources);
    (ast, parse_diags, validate_diags)
}

fn render(sources: &SourceSet, diags: &Diagnostics) -> String {
    SchemaErrors::new(diags, sources).render_plain()
}

const HEADER: &str = "datasource db {\n  provider = \"postgresql\"\n}\n\n";

/// Parses `body` after a PostgreSQL datasource; returns the AST and all diagnostics.
fn run(body: &str) -> (SchemaAst, Vec<Diagnostic>, SourceSet) {
    let sources = SourceSet::from_str("schema.prisma", format!("{HEADER}{body}"));
    let (ast, mut diags, v) = check(&sources);
    diags.extend(v);
    (ast, diags.into_vec(), sources)
}

fn parse_only(text: &str) -> (SchemaAst, Vec<Diagnostic>) {
    let sources = SourceSet::from_str("schema.prisma", text);
    let (ast, diags) = parse(&sources);
    (ast, diags.into_vec())
}

fn models(ast: &SchemaAst) -> Vec<&Model> {
    ast.tops
        .iter()
        .filter_map(|t| if let Top::Model(m) = t { Some(m) } else { None })
        .collect()
}

fn model<'a>(ast: &'a SchemaAst, name: &str) -> &'a Model {
    models(ast)
        .into_iter()
        .find(|m| m.name.name == name)
        .unwrap_or_else(|| panic!("no model {name}"))
}

fn field<'a>(model: &'a Model, name: &str) -> &'a Field {
    model
        .fields
        .iter()
        .find(|f| f.name.name == name)
        .unwrap_or_else(|| panic!("no field {name}"))
}

fn enum_decl<'a>(ast: &'a SchemaAst, name: &str) -> &'a Enum {
    ast.tops
        .iter()
        .find_map(|t| match t {
            Top::Enum(e) if e.name.name == name => Some(e),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no enum {name}"))
}

fn attr<'a>(attrs: &'a [Attribute], name: &str) -> &'a Attribute {
    attrs
        .iter()
        .find(|a| a.name.name == name)
        .unwrap_or_else(|| panic!("no attribute {name}"))
}

fn text(sources: &SourceSet, span: Span) -> &str {
    &sources.files[span.file].text[span.start..span.end]
}

/// Asserts exactly one diagnostic, at `line:col` (1-based, counted in the whole file including
/// [`HEADER`]) and containing `needle`.
#[track_caller]
fn one_error(body: &str, line: usize, col: usize, needle: &str) {
    let (_, diags, sources) = run(body);
    let rendered = render(&sources, &diags.iter().cloned().collect());
    assert_eq!(
        diags.len(),
        1,
        "expected one diagnostic for:\n{body}\ngot:\n{rendered}"
    );
    let d = &diags[0];
    assert_eq!(
        sources.line_col(d.span),
        Some((line, col)),
        "position of `{}`:\n{rendered}",
        d.message
    );
    assert!(
        d.message.to_lowercase().contains(&needle.to_lowercase()),
        "message `{}` lacks `{needle}`",
        d.message
    );
}

/// All AST spans and diagnostic spans lie inside their file and on char boundaries.
fn assert_spans_valid(sources: &SourceSet, ast: &SchemaAst, diags: &[Diagnostic]) {
    let ok = |span: Span| {
        let Some(file) = sources.files.get(span.file) else {
            return false;
        };
        span.start <= span.end
            && span.end <= file.text.len()
            && file.text.is_char_boundary(span.start)
            && file.text.is_char_boundary(span.end)
    };
    for d in diags {
        assert!(
            ok(d.span),
            "diagnostic span {:?} out of bounds: {}",
            d.span,
            d.message
        );
    }
    let mut spans = Vec::new();
    collect_spans(ast, &mut spans);
    for span in spans {
        assert!(ok(span), "AST span {span:?} out of bounds");
    }
}

fn collect_spans(ast: &SchemaAst, out: &mut Vec<Span>) {
    fn expr(e: &Expression, out: &mut Vec<Span>) {
        out.push(e.span());
        match e {
            Expression::Function(_, args, _) => args.iter().for_each(|a| arg(a, out)),
            Expression::Array(items, _) => items.iter().for_each(|i| expr(i, out)),
            Expression::Object(entries, _) => entries.iter().for_each(|(k, v)| {
                out.push(k.span);
                expr(v, out);
            }),
            _ => {}
        }
    }
    fn arg(a: &Argument, out: &mut Vec<Span>) {
        out.push(a.span);
        if let Some(n) = &a.name {
            out.push(n.span);
        }
        expr(&a.value, out);
    }
    fn attrs(list: &[Attribute], out: &mut Vec<Span>) {
        for a in list {
            out.push(a.span);
            out.push(a.name.span);
            a.arguments.iter().for_each(|x| arg(x, out));
        }
    }
    for top in &ast.tops {
        match top {
            Top::Model(m) => {
                out.extend([m.span, m.name.span]);
                for f in &m.fields {
                    out.extend([f.span, f.name.span, f.field_type.span()]);
                    attrs(&f.attributes, out);
                }
                attrs(&m.attributes, out);
            }
            Top::Enum(e) => {
                out.extend([e.span, e.name.span]);
                for v in &e.values {
                    out.extend([v.span, v.name.span]);
                    attrs(&v.attributes, out);
                }
                attrs(&e.attributes, out);
            }
            Top::Config(c) => {
                out.extend([c.span, c.name.span]);
                for p in &c.properties {
                    out.extend([p.span, p.name.span]);
                    if let Some(v) = &p.value {
                        expr(v, out);
                    }
                }
            }
            Top::TypeAlias(a) => {
                out.extend([a.span, a.name.span, a.base.span]);
                attrs(&a.attributes, out);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 1. real schemas
// ---------------------------------------------------------------------------------------------

#[test]
fn shared_corpus_and_probes_are_clean() {
    let schemas = shared_schemas();
    for path in &schemas {
        let sources = SourceSet::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (ast, parse_diags, validate_diags) = check(&sources);
        assert!(
            parse_diags.is_empty(),
            "{}:\n{}",
            path.display(),
            render(&sources, &parse_diags)
        );
        assert!(
            !validate_diags.has_errors(),
            "{}:\n{}",
            path.display(),
            render(&sources, &validate_diags)
        );
        assert!(!ast.tops.is_empty(), "{}: no declarations", path.display());
        assert_spans_valid(&sources, &ast, parse_diags.as_slice());
    }
    if shared_dir().is_some() {
        assert!(
            schemas.len() >= 5,
            "expected the corpus and probes, found {}",
            schemas.len()
        );
    }
}

#[test]
fn samples_are_clean() {
    for path in samples() {
        let Ok(sources) = SourceSet::load(&path) else {
            continue;
        };
        let (_, parse_diags, validate_diags) = check(&sources);
        assert!(
            parse_diags.is_empty(),
            "{}:\n{}",
            path.display(),
            render(&sources, &parse_diags)
        );
        assert!(
            !validate_diags.has_errors(),
            "{}:\n{}",
            path.display(),
            render(&sources, &validate_diags)
        );
    }
}

#[test]
fn multi_file_probe_concatenates_in_path_order() {
    let Some(shared) = shared_dir() else { return };
    let dir = shared.join("probes/pg_multifile");
    if !dir.is_dir() {
        return;
    }
    let sources = SourceSet::load(&dir).unwrap();
    let names: Vec<String> = sources
        .files
        .iter()
        .map(|f| {
            f.path
                .strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert!(names.len() >= 2);
    let (ast, diags) = parse(&sources);
    assert!(diags.is_empty());
    // Spans point into the file each declaration came from.
    for top in &ast.tops {
        if let Top::Model(m) = top {
            assert_eq!(text(&sources, m.name.span), m.name.name);
        }
    }
}

#[test]
fn folder_walk_follows_symlinks_without_looping() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("b/nested")).unwrap();
    std::fs::write(root.join("schema.prisma"), HEADER).unwrap();
    std::fs::write(
        root.join("b/nested/post.prisma"),
        "model Post {\n  id Int @id\n}\n",
    )
    .unwrap();
    std::fs::write(root.join("a-notes.txt"), "not a schema").unwrap();
    #[cfg(unix)]
    {
        // A cycle and a second path to the same file must not duplicate anything.
        std::os::unix::fs::symlink(root, root.join("b/loop")).unwrap();
        std::os::unix::fs::symlink(root.join("b/nested/post.prisma"), root.join("link.prisma"))
            .unwrap();
        std::os::unix::fs::symlink(root.join("missing"), root.join("dangling.prisma")).unwrap();
    }
    let sources = SourceSet::load(root).unwrap();
    let rel: Vec<String> = sources
        .files
        .iter()
        .map(|f| {
            f.path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(rel, ["b/nested/post.prisma", "schema.prisma"]);
    let (ast, parse_diags, validate_diags) = check(&sources);
    assert!(
        parse_diags.is_empty() && !validate_diags.has_errors(),
        "{}",
        render(&sources, &validate_diags)
    );
    assert_eq!(models(&ast).len(), 1);

    let empty = tempfile::tempdir().unwrap();
    assert!(SourceSet::load(empty.path()).is_err());
    assert!(SourceSet::load(&root.join("nope.prisma")).is_err());
}

// ---------------------------------------------------------------------------------------------
// 2. invalid fixtures
// ---------------------------------------------------------------------------------------------

#[test]
fn invalid_fixtures_report_the_expected_error() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "prisma"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    for path in &files {
        let sources = SourceSet::load(path).unwrap();
        let header = sources.files[0]
            .text
            .lines()
            .find_map(|l| l.strip_prefix("// error: "))
            .map(str::to_string);
        let Some(header) = header else { continue };
        let (pos, needle) = header.split_once(' ').unwrap_or((header.as_str(), ""));
        let (line, col) = pos.split_once(':').expect("header position is line:col");
        let want = (
            line.parse::<usize>().unwrap(),
            col.parse::<usize>().unwrap(),
        );
        let (ast, mut diags, v) = check(&sources);
        diags.extend(v);
        assert_spans_valid(&sources, &ast, diags.as_slice());
        let hit = diags.errors().any(|d| {
            sources.line_col(d.span) == Some(want)
                && d.message.to_lowercase().contains(&needle.to_lowercase())
        });
        if !hit {
            failures.push(format!(
                "{}: want {}:{} `{needle}`\n{}",
                path.file_name().unwrap().to_string_lossy(),
                want.0,
                want.1,
                render(&sources, &diags)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// 3. targeted cases
// ---------------------------------------------------------------------------------------------

#[test]
fn doc_comments_attach_like_prisma() {
    let (ast, diags, _) = run(concat!(
        "/// first line\n",
        "///second\n",
        "model A {\n",
        "  /// field doc\n",
        "\n",
        "  id Int @id /// trailing\n",
        "  // plain comment\n",
        "  x Int\n",
        "  /// doc for y\n",
        "  // plain, same block\n",
        "  y Int\n",
        "}\n",
        "\n",
        "/// detached by a blank line\n",
        "\n",
        "enum E {\n",
        "  /// value doc\n",
        "  V1 /// more\n",
        "  V2\n",
        "}\n",
    ));
    assert!(diags.is_empty(), "{diags:?}");
    let a = model(&ast, "A");
    assert_eq!(a.documentation.as_deref(), Some("first line\nsecond"));
    assert_eq!(
        field(a, "id").documentation.as_deref(),
        Some("field doc\ntrailing")
    );
    assert_eq!(field(a, "x").documentation, None);
    assert_eq!(field(a, "y").documentation.as_deref(), Some("doc for y"));
    let e = enum_decl(&ast, "E");
    assert_eq!(e.documentation, None);
    assert_eq!(
        e.values[0].documentation.as_deref(),
        Some("value doc\nmore")
    );
    assert_eq!(e.values[1].documentation, None);
}

#[test]
fn crlf_cr_and_missing_final_newline() {
    let lf = format!("{HEADER}/// Doc\nmodel A {{\n  id Int @id // c\n  n String?\n}}");
    let crlf = lf.replace('\n', "\r\n");
    let cr = lf.replace('\n', "\r");
    let (reference, diags) = parse_only(&lf);
    assert!(diags.is_empty());
    for text in [crlf, cr] {
        let sources = SourceSet::from_str("s.prisma", text.clone());
        let (ast, diags, v) = check(&sources);
        assert!(diags.is_empty() && v.is_empty(), "{}", render(&sources, &v));
        let a = model(&ast, "A");
        assert_eq!(a.documentation.as_deref(), Some("Doc"));
        assert_eq!(field(a, "n").arity, Arity::Optional);
        assert_eq!(models(&ast).len(), models(&reference).len());
        // Line numbers count `\r\n` and `\r` as one break each.
        assert_eq!(sources.line_col(field(a, "n").name.span), Some((8, 3)));
    }
}

#[test]
fn block_comments_everywhere_prisma_allows_them() {
    let (ast, diags, _) = run(concat!(
        "/* top\n   level */\n",
        "/* before */ model A { /* after brace */\n",
        "  id Int @id /* trailing */\n",
        "  /**\n   * multi-line inside\n   */\n",
        "  x Int /* trailing that\n  spans lines */\n",
        "  /* leading */ y Int\n",
        "} /* after close */\n",
    ));
    assert!(diags.is_empty(), "{diags:?}");
    let a = model(&ast, "A");
    assert_eq!(a.fields.len(), 3);
    assert!(matches!(&field(a, "y").field_type, FieldType::Named(t) if t.name == "Int"));
}

#[test]
fn attributes_arguments_and_expressions() {
    let (ast, diags, sources) = run(concat!(
        "generator client {\n  provider = \"prisma-client\"\n  previewFeatures = [\"partialIndexes\"]\n}\n",
        "model Post {\n",
        "  id      Int      @id() @default(autoincrement())\n",
        "  title   String   @db.VarChar(255) @map(name: \"post_title\")\n",
        "  body    String\n",
        "  price   Decimal  @default(-1.50)\n",
        "  deleted Boolean  @default(false)\n",
        "  tsv     Unsupported(\"tsvector\")?\n",
        "  uid     String   @default(dbgenerated(\"gen_random_uuid()\")) @db.Uuid\n",
        "  tags    String[]\n",
        "  @@index([tags, body(ops: raw(\"gin_trgm_ops\"))], type: Gin)\n",
        "  @@index([title(sort: Desc)])\n",
        "  @@index([body], where: { deleted: false, price: { not: null } })\n",
        "}\n",
    ));
    assert!(
        diags.is_empty(),
        "{}",
        render(&sources, &diags.iter().cloned().collect())
    );
    let post = model(&ast, "Post");
    let id = field(post, "id");
    assert_eq!(attr(&id.attributes, "id").arguments.len(), 0);
    let Expression::Function(f, args, _) = &attr(&id.attributes, "default").arguments[0].value
    else {
        panic!()
    };
    assert_eq!((f.as_str(), args.len()), ("autoincrement", 0));

    let title = field(post, "title");
    let varchar = attr(&title.attributes, "db.VarChar");
    assert_eq!(
        varchar.arguments[0].value,
        Expression::Numeric("255".into(), varchar.arguments[0].value.span())
    );
    assert_eq!(text(&sources, varchar.span), "@db.VarChar(255)");
    let map = attr(&title.attributes, "map");
    assert_eq!(
        map.arguments[0].name.as_ref().map(|n| n.name.as_str()),
        Some("name")
    );
    assert!(matches!(&map.arguments[0].value, Expression::String(s, _) if s == "post_title"));
    assert_eq!(
        text(&sources, map.arguments[0].span),
        "name: \"post_title\""
    );

    let price = field(post, "price");
    assert!(
        matches!(&attr(&price.attributes, "default").arguments[0].value, Expression::Numeric(n, _) if n == "-1.50")
    );
    assert!(
        matches!(&field(post, "deleted").attributes[0].arguments[0].value, Expression::Constant(c, _) if c == "false")
    );
    let tsv = field(post, "tsv");
    assert!(matches!(&tsv.field_type, FieldType::Unsupported { raw, .. } if raw == "tsvector"));
    assert_eq!(tsv.arity, Arity::Optional);
    assert_eq!(
        text(&sources, tsv.field_type.span()),
        "Unsupported(\"tsvector\")"
    );
    assert_eq!(field(post, "tags").arity, Arity::List);

    let index = &post.attributes[0];
    let Expression::Array(items, _) = &index.arguments[0].value else {
        panic!()
    };
    let Expression::Function(name, args, _) = &items[1] else {
        panic!()
    };
    assert_eq!(name, "body");
    let Expression::Function(raw, raw_args, _) = &args[0].value else {
        panic!()
    };
    assert_eq!(raw, "raw");
    assert!(matches!(&raw_args[0].value, Expression::String(s, _) if s == "gin_trgm_ops"));
    assert!(matches!(&index.arguments[1].value, Expression::Constant(c, _) if c == "Gin"));

    let partial = &post.attributes[2];
    let Expression::Object(entries, span) = &partial.arguments[1].value else {
        panic!()
    };
    assert_eq!(
        text(&sources, *span),
        "{ deleted: false, price: { not: null } }"
    );
    assert_eq!(entries[0].0.name, "deleted");
    let Expression::Object(nested, _) = &entries[1].1 else {
        panic!()
    };
    assert_eq!(nested[0].0.name, "not");
    assert!(matches!(&nested[0].1, Expression::Constant(c, _) if c == "null"));
}

#[test]
fn config_blocks_keep_old_keys() {
    let (ast, diags) = parse_only(concat!(
        "datasource db {\n",
        "  provider             = \"postgresql\"\n",
        "  url                  = env(\"DATABASE_URL\")\n",
        "  directUrl            = env(\"DIRECT_URL\") // comment\n",
        "  shadowDatabaseUrl    = \"postgres://x\"\n",
        "  referentialIntegrity = \"prisma\"\n",
        "  extensions           = [pg_trgm, citext(schema: \"public\")]\n",
        "}\n",
        "generator client {\n  provider = \"prisma-client-js\"\n  previewFeatures = [\"metrics\"]\n}\n",
    ));
    assert!(diags.is_empty(), "{diags:?}");
    let Top::Config(ds) = &ast.tops[0] else {
        panic!()
    };
    assert_eq!(ds.kind, ConfigKind::Datasource);
    let keys: Vec<&str> = ds.properties.iter().map(|p| p.name.name.as_str()).collect();
    assert_eq!(
        keys,
        [
            "provider",
            "url",
            "directUrl",
            "shadowDatabaseUrl",
            "referentialIntegrity",
            "extensions"
        ]
    );
    assert!(
        matches!(&ds.properties[1].value, Some(Expression::Function(f, a, _)) if f == "env" && a.len() == 1)
    );
    let sources = SourceSet::from_str(
        "s.prisma",
        format!("{}\nmodel A {{\n  id Int @id\n}}\n", ds_text()),
    );
    let (_, _, v) = check(&sources);
    assert!(
        v.is_empty(),
        "url/directUrl are accepted: {}",
        render(&sources, &v)
    );
}

fn ds_text() -> &'static str {
    "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n  directUrl = env(\"DIRECT\")\n}\n"
}

#[test]
fn string_escapes_and_surrogates() {
    let (ast, diags, _) =
        run("model A {\n  id Int @id\n  s String @default(\"q\\\"\\\\\\/\\b\\f\\n\\r\\t \\u00e9 \\ud83d\\ude00 it's\")\n}\n");
    assert!(diags.is_empty(), "{diags:?}");
    let s = field(model(&ast, "A"), "s");
    let Expression::String(value, _) = &s.attributes[0].arguments[0].value else {
        panic!()
    };
    assert_eq!(value, "q\"\\/\u{8}\u{c}\n\r\t é 😀 it's");
}

#[test]
fn string_errors() {
    one_error(
        "model A {\n  id Int @id\n  s String @default(\"a\\qb\")\n}\n",
        7,
        23,
        "unknown escape sequence `\\q`",
    );
    one_error(
        "model A {\n  id Int @id\n  s String @default(\"\\ud83d x\")\n}\n",
        7,
        22,
        "invalid unicode escape",
    );
    one_error(
        "model A {\n  id Int @id\n  s String @default(\"\\ude00\")\n}\n",
        7,
        22,
        "lone low surrogate",
    );
    one_error(
        "model A {\n  id Int @id\n  s String @default(\"\\u12g4\")\n}\n",
        7,
        22,
        "invalid unicode escape",
    );
    one_error(
        "model A {\n  id Int @id\n  s String @default(\"a\tb\")\n}\n",
        7,
        23,
        "control character",
    );
    one_error(
        "model A {\n  id Int @id\n  s String @default(\"open)\n}\n",
        7,
        21,
        "unterminated string literal",
    );
}

#[test]
fn unicode_identifiers_and_whitespace() {
    let (ast, diags, sources) =
        run("model Café {\n  naïve\u{a0}Int\u{3000}@id\n  名前 String @map(\"名前\")\n  emoji String @default(\"😀\")\n}\n");
    assert!(diags.is_empty(), "{diags:?}");
    let m = model(&ast, "Café");
    assert_eq!(text(&sources, field(m, "名前").name.span), "名前");
    assert_eq!(
        sources.line_col(field(m, "名前").field_type.span()),
        Some((7, 6))
    );
}

#[test]
fn type_alias_view_and_composite_type() {
    let (ast, diags) =
        parse_only("type Alias = String @default(\"x\")\nview V {\n  id Int @unique\n}\ntype Address {\n  street String\n}\n");
    assert!(diags.is_empty(), "{diags:?}");
    assert!(
        matches!(&ast.tops[0], Top::TypeAlias(a) if a.name.name == "Alias" && a.base.name == "String" && a.attributes.len() == 1)
    );
    assert_eq!(model(&ast, "V").kind, ModelKind::View);
    assert_eq!(model(&ast, "Address").kind, ModelKind::CompositeType);
    let (_, diags, _) = run("type Alias = Int\nmodel A {\n  id Int @id\n}\n");
    assert!(
        diags.iter().any(|d| d.message.contains("type aliases")),
        "{diags:?}"
    );
}

#[test]
fn syntax_errors_point_at_the_offending_token() {
    // Two declarations on one line.
    one_error(
        "model A {\n  id Int @id name String\n}\n",
        6,
        14,
        "one declaration per line",
    );
    one_error(
        "model A { id Int @id }\n",
        5,
        11,
        "one declaration per line",
    );
    one_error("model A {\n  id Int @id @@map(\"a\")\n}\n", 6, 14, "@@");
    one_error(
        "model A {\n  id Int @id\n  @@map(\"a\") @@index([id])\n}\n",
        7,
        14,
        "one declaration per line",
    );
    // Trailing commas.
    one_error(
        "model A {\n  id Int @id\n  @@index([id],)\n}\n",
        7,
        15,
        "trailing comma",
    );
    one_error(
        "model A {\n  id Int @id\n  @@index([id,])\n}\n",
        7,
        14,
        "trailing comma",
    );
    // Legacy forms.
    one_error("model A {\n  id: Int @id\n}\n", 6, 5, "legacy colon");
    one_error("model A {\n  id Int! @id\n}\n", 6, 9, "legacy required");
    one_error(
        "model A {\n  id Int @id\n  xs [Int]\n}\n",
        7,
        6,
        "legacy list",
    );
    one_error(
        "model A {\n  id Int @id\n  xs Int[]?\n}\n",
        7,
        11,
        "optional lists are not supported",
    );
    // Numbers.
    one_error(
        "model A {\n  id Int @id @default(1e5)\n}\n",
        6,
        23,
        "invalid number `1e5`",
    );
    one_error(
        "model A {\n  id Int @id @default(1.)\n}\n",
        6,
        23,
        "invalid number",
    );
    one_error(
        "model A {\n  id Int @id @default(--1)\n}\n",
        6,
        23,
        "expected a digit",
    );
    // Blocks and braces.
    one_error("model A {\n  id Int @id\n", 5, 9, "unterminated block");
    one_error(
        "model A {\n  id Int @id\n}\n}\n",
        8,
        1,
        "unexpected closing brace",
    );
    one_error(
        "model A {\n  id Int @id }\n",
        6,
        14,
        "must be on a line of its own",
    );
    one_error(
        "model A {\n  id Int @id\n  /* open\n}\n",
        7,
        3,
        "unterminated comment",
    );
    one_error("foo Bar {\n  x y\n}\n", 5, 1, "unknown block type `foo`");
    one_error(
        "model A {\n  id Int @id\n  % junk\n}\n",
        7,
        3,
        "not a valid field",
    );
    one_error(
        "model A {\n  id Int @id\n  location\n}\n",
        7,
        3,
        "missing type",
    );
    one_error(
        "model _A {\n  id Int @id\n}\n",
        5,
        7,
        "must start with a letter",
    );
    one_error(
        "model A {\n  id Int @id @default(value:)\n}\n",
        6,
        23,
        "missing a value",
    );
    one_error(
        "model A {\n  id Int @id @map(\"x\"\n}\n",
        6,
        22,
        "expected `,` or `)`",
    );
    one_error(
        "model A {\n  id Int @id @default([[[1]]]]\n}\n",
        6,
        30,
        "expected `,` or `)`",
    );
}

#[test]
fn recovery_continues_on_the_next_line() {
    let (ast, diags, sources) = run(concat!(
        "model A {\n",
        "  id Int @id\n",
        "  $$$ garbage\n",
        "  name String @default(1e5)\n",
        "  ok String\n",
        "}\n",
        "@@@ top-level garbage\n",
        "model B {\n",
        "  id Int @id\n",
        "}\n",
    ));
    let rendered = render(&sources, &diags.iter().cloned().collect());
    assert_eq!(diags.len(), 3, "{rendered}");
    let a = model(&ast, "A");
    // The field before a broken attribute is kept, so later checks do not cascade.
    assert_eq!(
        a.fields
            .iter()
            .map(|f| f.name.name.as_str())
            .collect::<Vec<_>>(),
        ["id", "name", "ok"]
    );
    assert_eq!(model(&ast, "B").fields.len(), 1);
}

#[test]
fn unclosed_block_ends_at_the_next_declaration() {
    let (ast, diags, _) = run("model A {\n  id Int @id\n\nmodel B {\n  id Int @id\n}\n");
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(diags[0].message.contains("not closed"));
    assert_eq!(models(&ast).len(), 2);
}

#[test]
fn semantic_errors() {
    one_error(
        "model A {\n  id Int @id\n  x Strng\n}\n",
        7,
        5,
        "unknown type `Strng`",
    );
    one_error(
        "model A {\n  id Int @id\n  x Int @foo\n}\n",
        7,
        9,
        "attribute not known",
    );
    one_error(
        "model A {\n  id Int @id\n  x Int\n  x String\n}\n",
        8,
        3,
        "already defined",
    );
    one_error(
        "model A {\n  id Int @id\n}\nmodel A {\n  id Int @id\n}\n",
        8,
        7,
        "already exists",
    );
    one_error("enum E {\n  X\n  X\n}\n", 7, 3, "already defined");
    one_error(
        "model A {\n  id Int @id\n  @@index([nope])\n}\n",
        7,
        12,
        "unknown field",
    );
    one_error(
        "model A {\n  id Int @id @default(now())\n}\n",
        6,
        23,
        "cannot be used on fields of type `Int`",
    );
    one_error(
        "model A {\n  id String @id @default(autoincrement())\n}\n",
        6,
        26,
        "cannot be used",
    );
    one_error(
        "model A {\n  id String @id @default(shortid())\n}\n",
        6,
        26,
        "unknown function",
    );
    one_error(
        "model A {\n  id Int @id\n  t String @updatedAt\n}\n",
        7,
        12,
        "DateTime",
    );
    one_error(
        "model A {\n  id Int @id\n  t String @db.VarChar(1, 2)\n}\n",
        7,
        12,
        "at most one argument",
    );
    one_error(
        "model A {\n  id Int @id\n  t Int @db.Text\n}\n",
        7,
        9,
        "not compatible",
    );
    one_error(
        "model A {\n  id Int @id\n  t DateTime @db.Timestamptz(7)\n}\n",
        7,
        14,
        "0 to 6",
    );
    one_error(
        "model 1A {\n  id Int @id\n}\n",
        5,
        7,
        "must not start with a number",
    );
    one_error("model A {\n  x Int\n}\n", 5, 7, "unique criteria");
    one_error(
        "model A {\n  id Int @id\n  @@schema(\"x\")\n}\n",
        7,
        3,
        "schemas",
    );
    one_error(
        "type T {\n  x Int\n}\nmodel A {\n  id Int @id\n}\n",
        5,
        1,
        "composite types are not supported",
    );
}

#[test]
fn relation_checks() {
    let base = "model U {\n  id Int @id\n  posts P[]\n}\n";
    let ok = format!("{base}model P {{\n  id Int @id\n  uId Int\n  u U @relation(fields: [uId], references: [id])\n}}\n");
    let (_, diags, _) = run(&ok);
    assert!(diags.is_empty(), "{diags:?}");
    // No back-relation.
    one_error("model U {\n  id Int @id\n}\nmodel P {\n  id Int @id\n  uId Int\n  u U @relation(fields: [uId], references: [id])\n}\n", 11, 3, "no opposite relation field");
    // `fields` without `references`, count mismatch, unknown names.
    one_error(
        &format!("{base}model P {{\n  id Int @id\n  uId Int\n  u U @relation(fields: [uId])\n}}\n"),
        12,
        7,
        "references",
    );
    one_error(&format!("{base}model P {{\n  id Int @id\n  uId Int\n  u U @relation(fields: [uId, id], references: [id])\n}}\n"), 12, 7, "same number");
    one_error(&format!("{base}model P {{\n  id Int @id\n  uId Int\n  u U @relation(fields: [nope], references: [id])\n}}\n"), 12, 26, "unknown field");
    // Missing `fields` on the one side of a one-to-many.
    one_error(
        &format!("{base}model P {{\n  id Int @id\n  u U\n}}\n"),
        11,
        3,
        "must specify `fields`",
    );
    // Ambiguity.
    one_error("model U {\n  id Int @id\n  a P[]\n  b P[]\n}\nmodel P {\n  id Int @id\n  x Int\n  y Int\n  u U @relation(fields: [x], references: [id])\n  v U @relation(fields: [y], references: [id])\n}\n", 7, 3, "ambiguous relation");
    one_error(
        "model T {\n  id Int @id\n  parent T?\n  children T[]\n}\n",
        7,
        3,
        "ambiguous self-relation",
    );
    // Named self-relation is fine.
    let (_, diags, _) = run("model T {\n  id Int @id\n  pId Int?\n  parent T? @relation(\"tree\", fields: [pId], references: [id])\n  children T[] @relation(\"tree\")\n}\n");
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn datasource_checks() {
    let no_ds = SourceSet::from_str("s.prisma", "model A {\n  id Int @id\n}\n");
    let (_, _, v) = check(&no_ds);
    assert!(v.iter().any(|d| d.message.contains("no `datasource`")));
    let two = SourceSet::from_str(
        "s.prisma",
        format!("{HEADER}datasource b {{\n  provider = \"sqlite\"\n}}\n"),
    );
    let (_, _, v) = check(&two);
    assert!(v
        .iter()
        .any(|d| d.message.contains("more than one datasource")));
    let bad = SourceSet::from_str("s.prisma", "datasource db {\n  provider = \"oracle\"\n}\n");
    let (_, _, v) = check(&bad);
    assert_eq!(v.len(), 1);
    assert_eq!(bad.line_col(v.as_slice()[0].span), Some((2, 14)));
}

#[test]
fn render_plain_format() {
    let sources = SourceSet::from_str(
        "schema.prisma",
        format!("{HEADER}model A {{\n  id Int @id\n  s String @default(\"a\\qb\")\n}}\n"),
    );
    let (_, diags) = parse(&sources);
    let out = SchemaErrors::new(&diags, &sources).render_plain();
    let expected = concat!(
        "error: unknown escape sequence `\\q`\n",
        "  --> schema.prisma:7:23\n",
        "   |\n",
        " 7 |   s String @default(\"a\\qb\")\n",
        "   |                       ^^\n",
        "   = help: valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX; a Windows path needs `\\\\` for each backslash\n",
    );
    assert_eq!(out, expected);
}

#[test]
fn miette_report_names_the_file_and_position() {
    use miette::{GraphicalReportHandler, GraphicalTheme};
    let sources = SourceSet::from_files([
        ("schema.prisma", HEADER.to_string()),
        (
            "models/a.prisma",
            "model A {\n  id Int @id\n  x Strng\n}\n".to_string(),
        ),
    ]);
    let (ast, mut diags, v) = check(&sources);
    diags.extend(v);
    let report = SchemaErrors::new(&diags, &sources);
    assert!(report.has_errors());
    let mut out = String::new();
    GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .render_report(&mut out, &report)
        .unwrap();
    assert!(out.contains("models/a.prisma:3:5"), "{out}");
    assert!(out.contains("unknown type `Strng`"), "{out}");
    assert_spans_valid(&sources, &ast, diags.as_slice());
}

// ---------------------------------------------------------------------------------------------
// 4. property test: mutations never panic, spans stay valid
// ---------------------------------------------------------------------------------------------

const BUILT_IN_SAMPLE: &str = concat!(
    "// a small schema used when the shared corpus is absent\n",
    "generator client {\n  provider = \"prisma-client-js\"\n}\n",
    "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n}\n",
    "/// A user\nmodel User {\n  id    Int     @id @default(autoincrement())\n",
    "  email String  @unique @db.VarChar(255)\n  name  String? @map(\"full_name\")\n",
    "  role  Role    @default(USER)\n  posts Post[]\n  tags  String[] @default([\"a\", \"b\"])\n",
    "  @@index([email(sort: Desc)], map: \"user_email\")\n  @@map(\"users\")\n}\n",
    "model Post {\n  id       String @id @default(dbgenerated(\"gen_random_uuid()\")) @db.Uuid\n",
    "  authorId Int\n  author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade)\n",
    "  body     String /* trailing */\n  tsv      Unsupported(\"tsvector\")?\n",
    "  @@index([body(ops: raw(\"gin_trgm_ops\"))], type: Gin, where: { authorId: { not: null } })\n}\n",
    "enum Role {\n  USER  @map(\"user\")\n  ADMIN // c\n  @@map(\"roles\")\n}\n",
    "type Alias = String\n/* block\n comment */\n",
);

fn seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut texts = vec![BUILT_IN_SAMPLE.to_string()];
        for path in shared_schemas() {
            if let Ok(set) = SourceSet::load(&path) {
                // Large files are cut to their first 40 KB (at a char boundary) to keep the test fast.
                texts.extend(set.files.into_iter().map(|f| {
                    let mut end = f.text.len().min(40_000);
                    while !f.text.is_char_boundary(end) {
                        end -= 1;
                    }
                    f.text[..end].to_string()
                }));
            }
        }
        texts
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete {
        at: prop::sample::Index,
        len: usize,
    },
    Duplicate {
        at: prop::sample::Index,
        len: usize,
    },
    Insert {
        at: prop::sample::Index,
        text: String,
    },
    Truncate {
        at: prop::sample::Index,
    },
}

fn insertion() -> impl Strategy<Value = String> {
    let tokens = prop::sample::select(vec![
        "{",
        "}",
        "(",
        ")",
        "[",
        "]",
        "\"",
        "\\",
        "\\u",
        "\\ud83d",
        "@",
        "@@",
        "//",
        "///",
        "/*",
        "*/",
        ":",
        ",",
        "?",
        "!",
        "=",
        "-",
        ".",
        "\n",
        "\r",
        "\r\n",
        "\t",
        "\u{0}",
        "\u{1f}",
        "\u{feff}",
        "\u{a0}",
        "\u{2028}",
        "é",
        "名",
        "😀",
        "model X {",
        "enum E {",
        "type T = Int",
        "datasource d {",
        "@relation(",
        "Unsupported(\"x\")",
        "1e5",
        "-",
        "0.",
        "{ a: { not: 1 } }",
    ])
    .prop_map(str::to_string);
    let bytes = prop::collection::vec(any::<u8>(), 1..8)
        .prop_map(|b| String::from_utf8_lossy(&b).into_owned());
    let chars = prop::collection::vec(any::<char>(), 1..4).prop_map(|c| c.into_iter().collect());
    prop_oneof![4 => tokens, 1 => bytes, 1 => chars]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<prop::sample::Index>(), 1..64usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        2 => (any::<prop::sample::Index>(), 1..64usize).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
        4 => (any::<prop::sample::Index>(), insertion()).prop_map(|(at, text)| Mutation::Insert { at, text }),
        1 => any::<prop::sample::Index>().prop_map(|at| Mutation::Truncate { at }),
    ]
}

/// A char boundary of `text` chosen by `at`.
fn boundary(text: &str, at: &prop::sample::Index) -> usize {
    let mut pos = at.index(text.len() + 1);
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}

fn apply(text: &mut String, m: &Mutation) {
    match m {
        Mutation::Delete { at, len } => {
            let start = boundary(text, at);
            let mut end = (start + len).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            text.replace_range(start..end, "");
        }
        Mutation::Duplicate { at, len } => {
            let start = boundary(text, at);
            let mut end = (start + len).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            let copy = text[start..end].to_string();
            text.insert_str(end, &copy);
        }
        Mutation::Insert { at, text: insert } => {
            let pos = boundary(text, at);
            text.insert_str(pos, insert);
        }
        Mutation::Truncate { at } => {
            let pos = boundary(text, at);
            text.truncate(pos);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_schemas_never_panic(
        seed in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
        split in any::<bool>(),
    ) {
        let seeds = seeds();
        let mut text = seeds[seed.index(seeds.len())].clone();
        for m in &mutations {
            apply(&mut text, m);
        }
        // Sometimes as two files, so file ids other than 0 are exercised.
        let sources = if split {
            let mid = boundary(&text, &seed);
            SourceSet::from_files([("a.prisma", text[..mid].to_string()), ("b/c.prisma", text[mid..].to_string())])
        } else {
            SourceSet::from_str("schema.prisma", text)
        };
        let (ast, mut diags, v) = check(&sources);
        diags.extend(v);
        assert_spans_valid(&sources, &ast, diags.as_slice());
        // Rendering must not panic either.
        let _ = SchemaErrors::new(&diags, &sources).render_plain();
    }
}
