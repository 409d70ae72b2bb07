//! Parser for the Prisma Schema Language: text → [`SchemaAst`] plus [`Diagnostics`].
//!
//! It follows Prisma's pest grammar (`psl/schema-ast/src/parser/datamodel.pest`, summarised in
//! `prisma-conventions.md` §1) and is built in two layers:
//!
//! * **Tokens and expressions** are nom 8 parsers over `&str`: identifiers, paths, numbers,
//!   JSON-style strings, arrays, objects, function calls, argument lists, attributes and field
//!   types. Offsets come from the remaining input (`src.len() - rest.len()`), so every span lies
//!   on a char boundary of the file by construction.
//! * **Lines and blocks** are driven by hand, because PSL is line-based and recovery is by line,
//!   like Prisma's `CATCH_ALL` / `BLOCK_LEVEL_CATCH_ALL`: a line that does not parse yields one
//!   diagnostic at the offending token and parsing resumes on the next line. Whatever was parsed
//!   of a field before the error is kept, so one typo does not cascade into "unknown field"
//!   errors later.
//!
//! Problems that do not stop a line (an unknown escape in a string, a trailing comma, legacy
//! `Type!`) are reported where they are and the line still counts, as Prisma does.
//!
//! Whitespace between tokens is spaces, tabs and the other Unicode space separators, never a
//! line break: every declaration, attribute list and expression sits on one line. Line breaks are
//! `\n`, `\r\n` and `\r`. The parser never panics, and runs in time linear in the input (nesting
//! is capped at [`MAX_NESTING`]).

use std::cell::{Cell, RefCell};

use nom::bytes::complete::take_while;
use nom::character::complete::{char, digit1, satisfy};
use nom::combinator::{opt, recognize};
use nom::error::{ErrorKind, ParseError};
use nom::multi::many0_count;
use nom::{IResult, Parser};

use super::ast::*;
use super::diagnostics::{Diagnostic, Diagnostics};
use super::source::SourceSet;

/// Deepest nesting of arrays, objects and argument lists; deeper input is an error rather than a
/// stack overflow.
pub const MAX_NESTING: u32 = 64;

/// Parses every file of `sources`; top-level declarations are concatenated in file order.
pub fn parse(sources: &SourceSet) -> (SchemaAst, Diagnostics) {
    let mut ast = SchemaAst::default();
    let mut diagnostics = Diagnostics::new();
    for (file, source) in sources.files.iter().enumerate() {
        let (tops, diags) = parse_file(&source.text, file);
        ast.tops.extend(tops);
        diagnostics.extend(diags);
    }
    (ast, diagnostics)
}

/// Parses the text of one file; spans carry `file`.
pub fn parse_file(text: &str, file: FileId) -> (Vec<Top>, Diagnostics) {
    let cx = Cx::new(text, file);
    let tops = cx.schema();
    (tops, cx.diagnostics.into_inner().into_iter().collect())
}

// ---------------------------------------------------------------------------------------------
// Characters
// ---------------------------------------------------------------------------------------------

/// PSL `WHITESPACE`: Unicode space separators (category Zs) and tab.
fn is_hspace(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// First character of an identifier. Digits are allowed here (validation rejects names starting
/// with a number, with a better message than a parse error).
fn is_ident_start(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

fn is_eol(c: char) -> bool {
    c == '\n' || c == '\r'
}

fn ws(i: &str) -> &str {
    i.trim_start_matches(is_hspace)
}

/// True at a line break or the end of the input.
fn at_eol(i: &str) -> bool {
    i.chars().next().is_none_or(is_eol)
}

/// Consumes one line break (`\r\n`, `\n` or `\r`), if any.
fn eol(i: &str) -> &str {
    i.strip_prefix("\r\n")
        .or_else(|| i.strip_prefix('\n'))
        .or_else(|| i.strip_prefix('\r'))
        .unwrap_or(i)
}

/// The rest of the current line (without its line break) and what follows it.
fn split_line(i: &str) -> (&str, &str) {
    let end = i.find(is_eol).unwrap_or(i.len());
    i.split_at(end)
}

/// Skips to the start of the next line.
fn skip_line(i: &str) -> &str {
    eol(split_line(i).1)
}

/// Byte length of the token starting at `i`, used to underline "unexpected …" errors: a word, a
/// string literal (to its closing quote on this line), or one character.
fn token_len(i: &str) -> usize {
    let Some(c) = i.chars().next() else { return 0 };
    if is_eol(c) {
        0
    } else if is_ident_char(c) {
        i.find(|c| !is_ident_char(c)).unwrap_or(i.len())
    } else if c == '"' {
        let line = split_line(i).0;
        let mut escaped = false;
        for (pos, c) in line.char_indices().skip(1) {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => return pos + 1,
                _ => escaped = false,
            }
        }
        line.len()
    } else if i.starts_with("@@") || i.starts_with("//") || i.starts_with("/*") {
        2
    } else {
        c.len_utf8()
    }
}

/// A name starting with `_` (an identifier must start with a letter or digit).
fn invalid_name(at: &str) -> PErr<'_> {
    let len = at.find(|c: char| !is_ident_char(c)).unwrap_or(at.len());
    PErr::new(
        at,
        format!(
            "invalid name `{}`: a name must start with a letter",
            &at[..len]
        ),
    )
    .len(len)
    .help("names start with a letter and continue with letters, digits and `_`")
}

/// How an error names the token at `i`: `` `foo` ``, "the end of the line", "the end of the file".
fn describe(i: &str) -> String {
    match i.chars().next() {
        None => "the end of the file".to_string(),
        Some(c) if is_eol(c) => "the end of the line".to_string(),
        Some(_) => {
            let token = &i[..token_len(i)];
            let mut shown: String = token.chars().take(40).collect();
            if shown.len() < token.len() {
                shown.push('…');
            }
            format!("`{shown}`")
        }
    }
}

// ---------------------------------------------------------------------------------------------
// nom plumbing
// ---------------------------------------------------------------------------------------------

/// A parse error: where, how much to underline, and what to say. `msg: None` means "nothing
/// matched here", which callers turn into a message that knows the context.
#[derive(Debug)]
struct PErr<'a> {
    at: &'a str,
    len: Option<usize>,
    msg: Option<String>,
    help: Option<String>,
}

impl<'a> ParseError<&'a str> for PErr<'a> {
    fn from_error_kind(at: &'a str, _kind: ErrorKind) -> Self {
        PErr {
            at,
            len: None,
            msg: None,
            help: None,
        }
    }

    fn append(_: &'a str, _: ErrorKind, other: Self) -> Self {
        other
    }

    /// Of two alternatives, report the one that got further.
    fn or(self, other: Self) -> Self {
        if other.at.len() <= self.at.len() {
            other
        } else {
            self
        }
    }
}

impl<'a> PErr<'a> {
    fn new(at: &'a str, msg: impl Into<String>) -> Self {
        PErr {
            at,
            len: None,
            msg: Some(msg.into()),
            help: None,
        }
    }

    fn len(mut self, len: usize) -> Self {
        self.len = Some(len);
        self
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

type PResult<'a, T> = IResult<&'a str, T, PErr<'a>>;

/// A committed failure (no alternative will be tried).
fn failure<T>(e: PErr<'_>) -> PResult<'_, T> {
    Err(nom::Err::Failure(e))
}

/// "Nothing matched here": lets the caller try something else or say what it expected.
fn no_match<T>(at: &str) -> PResult<'_, T> {
    Err(nom::Err::Error(PErr {
        at,
        len: None,
        msg: None,
        help: None,
    }))
}

/// Turns "nothing matched" into a committed failure with a message about the context.
fn expect<'a, T>(res: PResult<'a, T>, at: &'a str, msg: impl FnOnce() -> String) -> PResult<'a, T> {
    match res {
        Err(nom::Err::Error(_)) => failure(PErr::new(at, msg())),
        other => other,
    }
}

/// Unwraps a line-level result into the error to report.
fn into_perr(e: nom::Err<PErr<'_>>) -> PErr<'_> {
    match e {
        nom::Err::Error(e) | nom::Err::Failure(e) => e,
        // Only streaming parsers return `Incomplete`; all of ours are `complete`.
        nom::Err::Incomplete(_) => PErr {
            at: "",
            len: None,
            msg: None,
            help: None,
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Documentation comments
// ---------------------------------------------------------------------------------------------

/// `///` lines waiting for the declaration below them. Mirrors Prisma: a run of consecutive
/// comment lines is one comment block; the last block before a field or enum value is its
/// documentation even across blank lines inside a block, while at the top level the block must
/// sit directly above the declaration. Only `///` lines contribute text.
#[derive(Default)]
struct Docs {
    lines: Vec<String>,
    /// A comment block is waiting to be taken.
    pending: bool,
    /// The previous line was a comment line, so the next one extends the same block.
    in_run: bool,
}

impl Docs {
    fn comment_line(&mut self, doc: Option<&str>) {
        if !self.in_run {
            self.lines.clear();
        }
        self.in_run = true;
        self.pending = true;
        if let Some(doc) = doc {
            self.lines.push(doc.to_string());
        }
    }

    /// A line that is neither a comment nor the declaration that takes the docs.
    fn other_line(&mut self) {
        self.in_run = false;
    }

    /// A blank line at the top level drops the docs; inside a block it only ends the run.
    fn blank_line(&mut self, top_level: bool) {
        self.in_run = false;
        if top_level {
            self.pending = false;
        }
    }

    fn take(&mut self) -> Option<String> {
        self.in_run = false;
        if !std::mem::take(&mut self.pending) || self.lines.is_empty() {
            self.lines.clear();
            return None;
        }
        Some(std::mem::take(&mut self.lines).join("\n"))
    }
}

/// Text of a `///` comment: what follows the slashes, leading whitespace trimmed (as Prisma's
/// `parse_doc_comment` does).
fn doc_text(comment: &str) -> Option<&str> {
    comment
        .strip_prefix("///")
        .map(|t| t.trim_start_matches(is_hspace))
}

fn append_doc(doc: &mut Option<String>, more: String) {
    match doc {
        Some(existing) => {
            existing.push('\n');
            existing.push_str(&more);
        }
        None => *doc = Some(more),
    }
}

// ---------------------------------------------------------------------------------------------
// The parser
// ---------------------------------------------------------------------------------------------

const BLOCK_KEYWORDS: [&str; 6] = ["model", "view", "type", "enum", "datasource", "generator"];

struct Cx<'a> {
    src: &'a str,
    file: FileId,
    diagnostics: RefCell<Vec<Diagnostic>>,
    depth: Cell<u32>,
    /// Set while parsing the rest of a `{` line, whose `}` closes the block without a second error.
    one_line_block: Cell<bool>,
    /// An unterminated `/*` swallowed the rest of the input (blocks left open by it are not
    /// reported again).
    comment_ran_to_end: Cell<bool>,
}

/// How a block's body lines are read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    Model,
    Enum,
    Config,
}

impl<'a> Cx<'a> {
    fn new(src: &'a str, file: FileId) -> Self {
        Cx {
            src,
            file,
            diagnostics: RefCell::new(Vec::new()),
            depth: Cell::new(0),
            one_line_block: Cell::new(false),
            comment_ran_to_end: Cell::new(false),
        }
    }

    // --- positions and diagnostics ---

    fn off(&self, rest: &str) -> usize {
        self.src.len().saturating_sub(rest.len())
    }

    /// Span from `start` (input before) to `end` (input after).
    fn span(&self, start: &str, end: &str) -> Span {
        Span::new(
            self.file,
            self.off(start),
            self.off(end).max(self.off(start)),
        )
    }

    fn span_len(&self, at: &str, len: usize) -> Span {
        let start = self.off(at);
        Span::new(self.file, start, start + len.min(at.len()))
    }

    fn error(&self, span: Span, msg: impl Into<String>) {
        self.diagnostics
            .borrow_mut()
            .push(Diagnostic::error(span, msg));
    }

    fn error_help(&self, span: Span, msg: impl Into<String>, help: impl Into<String>) {
        self.diagnostics
            .borrow_mut()
            .push(Diagnostic::error(span, msg).with_help(help));
    }

    fn report(&self, e: PErr<'a>) {
        let len = e.len.unwrap_or_else(|| token_len(e.at));
        let msg = e
            .msg
            .unwrap_or_else(|| format!("unexpected {}", describe(e.at)));
        let mut d = Diagnostic::error(self.span_len(e.at, len), msg);
        d.help = e.help;
        self.diagnostics.borrow_mut().push(d);
    }

    /// Reports a failed line and returns the start of the next line.
    fn recover(&self, e: PErr<'a>) -> &'a str {
        let resume = skip_line(e.at);
        self.report(e);
        resume
    }

    // --- comments ---

    /// Skips a `/* … */` comment starting at `i`. Returns the input after the comment and
    /// whether it was terminated. An unterminated one is reported once and runs to the end of
    /// the input: no `*/` follows, so everything after it is what the author meant to comment
    /// out, and reading it as declarations would only add noise.
    fn block_comment(&self, i: &'a str) -> (&'a str, bool) {
        let body = &i[2..];
        if let Some(end) = body.find("*/") {
            return (&body[end + 2..], true);
        }
        self.error_help(
            self.span_len(i, 2),
            "unterminated comment: this `/*` has no closing `*/`",
            "close the comment with `*/`, or use `//` for a line comment",
        );
        self.comment_ran_to_end.set(true);
        (&i[i.len()..], false)
    }

    // --- tokens ---

    fn ident_str(&self, i: &'a str) -> PResult<'a, &'a str> {
        recognize((satisfy(is_ident_start), take_while(is_ident_char))).parse(i)
    }

    fn ident(&self, i: &'a str) -> PResult<'a, Ident> {
        let (rest, name) = self.ident_str(i)?;
        Ok((
            rest,
            Ident {
                name: name.to_string(),
                span: self.span(i, rest),
            },
        ))
    }

    /// `path = identifier ("." identifier?)*`, e.g. `db.VarChar`.
    fn path(&self, i: &'a str) -> PResult<'a, Ident> {
        let (rest, text) = recognize((
            |j| self.ident_str(j),
            many0_count((char('.'), opt(|j| self.ident_str(j)))),
        ))
        .parse(i)?;
        Ok((
            rest,
            Ident {
                name: text.to_string(),
                span: self.span(i, rest),
            },
        ))
    }

    /// Runs `f` one nesting level deeper, refusing absurd depths.
    fn nested<T>(&self, i: &'a str, f: impl FnOnce(&'a str) -> PResult<'a, T>) -> PResult<'a, T> {
        if self.depth.get() >= MAX_NESTING {
            return failure(
                PErr::new(
                    i,
                    format!("nesting is too deep (more than {MAX_NESTING} levels)"),
                )
                .len(1),
            );
        }
        self.depth.set(self.depth.get() + 1);
        let res = f(i);
        self.depth.set(self.depth.get() - 1);
        res
    }

    // --- expressions ---

    /// `expression = function_call | array | object | number | string | path`.
    fn expression(&self, i: &'a str) -> PResult<'a, Expression> {
        match i.chars().next() {
            Some('[') => self.nested(i, |j| self.array(j)),
            Some('{') => self.nested(i, |j| self.object(j)),
            Some('"') => {
                let (rest, s) = self.string(i)?;
                Ok((rest, Expression::String(s, self.span(i, rest))))
            }
            Some('-' | '0'..='9') => self.number(i),
            Some(c) if is_ident_start(c) => self.path_or_call(i),
            _ => no_match(i),
        }
    }

    /// `-? digit+ (. digit+)?`; anything glued to it (`1e5`, `1.`, `2fa`) is an error.
    fn number(&self, i: &'a str) -> PResult<'a, Expression> {
        let res: PResult<'a, &'a str> =
            recognize((opt(char('-')), digit1, opt((char('.'), digit1)))).parse(i);
        let (rest, text) = match res {
            Ok(ok) => ok,
            Err(_) => {
                return failure(
                    PErr::new(
                        i,
                        format!("expected a digit after `-`, found {}", describe(&i[1..])),
                    )
                    .len(1),
                )
            }
        };
        if rest.starts_with(|c: char| is_ident_char(c) || c == '.') {
            let bad_end = rest
                .find(|c: char| !(is_ident_char(c) || c == '.'))
                .unwrap_or(rest.len());
            let bad = &i[..text.len() + bad_end];
            return failure(
                PErr::new(i, format!("invalid number `{bad}`"))
                    .len(bad.len())
                    .help("numbers are written as digits with an optional `-` and decimal point, without exponent (`-1`, `2.5`)"),
            );
        }
        Ok((
            rest,
            Expression::Numeric(text.to_string(), self.span(i, rest)),
        ))
    }

    /// A constant path (`Cascade`, `db.VarChar`, `true`) or a call (`now()`, `env("X")`).
    fn path_or_call(&self, i: &'a str) -> PResult<'a, Expression> {
        let (rest, path) = self.path(i)?;
        let after = ws(rest);
        if after.starts_with('(') {
            let (rest, args) = self.nested(after, |j| self.arguments(j))?;
            return Ok((
                rest,
                Expression::Function(path.name, args, self.span(i, rest)),
            ));
        }
        Ok((rest, Expression::Constant(path.name, path.span)))
    }

    /// `[a, b]`. A trailing comma is reported and ignored.
    fn array(&self, i: &'a str) -> PResult<'a, Expression> {
        let (mut rest, _) = char('[').parse(i)?;
        let mut items = Vec::new();
        rest = ws(rest);
        if let Some(r) = rest.strip_prefix(']') {
            return Ok((r, Expression::Array(items, self.span(i, r))));
        }
        loop {
            let (r, item) = expect(self.expression(rest), rest, || {
                format!("expected a value in the list, found {}", describe(rest))
            })?;
            items.push(item);
            let r = ws(r);
            if let Some(r) = r.strip_prefix(']') {
                return Ok((r, Expression::Array(items, self.span(i, r))));
            }
            let Some(after_comma) = r.strip_prefix(',') else {
                return failure(PErr::new(
                    r,
                    format!("expected `,` or `]` in the list, found {}", describe(r)),
                ));
            };
            rest = ws(after_comma);
            if let Some(end) = rest.strip_prefix(']') {
                self.error_help(
                    self.span_len(r, 1),
                    "trailing commas are not allowed in lists",
                    "remove the comma",
                );
                return Ok((end, Expression::Array(items, self.span(i, end))));
            }
        }
    }

    /// `{ key: value, … }` (partial-index `where:`). Keys are identifiers.
    fn object(&self, i: &'a str) -> PResult<'a, Expression> {
        let (mut rest, _) = char('{').parse(i)?;
        let mut entries = Vec::new();
        rest = ws(rest);
        if let Some(r) = rest.strip_prefix('}') {
            return Ok((r, Expression::Object(entries, self.span(i, r))));
        }
        loop {
            let (r, key) = expect(self.ident(rest), rest, || {
                format!("expected a key in the object, found {}", describe(rest))
            })?;
            let r = ws(r);
            let Some(r) = r.strip_prefix(':') else {
                return failure(PErr::new(
                    r,
                    format!(
                        "expected `:` after the key `{}`, found {}",
                        key.name,
                        describe(r)
                    ),
                ));
            };
            let r = ws(r);
            let (r, value) = expect(self.expression(r), r, || {
                format!(
                    "expected a value after `{}:`, found {}",
                    key.name,
                    describe(r)
                )
            })?;
            entries.push((key, value));
            let r = ws(r);
            if let Some(r) = r.strip_prefix('}') {
                return Ok((r, Expression::Object(entries, self.span(i, r))));
            }
            let Some(after_comma) = r.strip_prefix(',') else {
                return failure(PErr::new(
                    r,
                    format!("expected `,` or `}}` in the object, found {}", describe(r)),
                ));
            };
            rest = ws(after_comma);
            if let Some(end) = rest.strip_prefix('}') {
                self.error_help(
                    self.span_len(r, 1),
                    "trailing commas are not allowed in objects",
                    "remove the comma",
                );
                return Ok((end, Expression::Object(entries, self.span(i, end))));
            }
        }
    }

    /// `( argument (, argument)* )`; `argument = name: value | value`. A trailing comma and an
    /// argument without a value (`fields:`) are reported and skipped.
    fn arguments(&self, i: &'a str) -> PResult<'a, Vec<Argument>> {
        let (mut rest, _) = char('(').parse(i)?;
        let mut args = Vec::new();
        rest = ws(rest);
        if let Some(r) = rest.strip_prefix(')') {
            return Ok((r, args));
        }
        loop {
            let (r, arg) = self.argument(rest)?;
            args.extend(arg);
            let r = ws(r);
            if let Some(r) = r.strip_prefix(')') {
                return Ok((r, args));
            }
            let Some(after_comma) = r.strip_prefix(',') else {
                return failure(PErr::new(
                    r,
                    format!(
                        "expected `,` or `)` after the argument, found {}",
                        describe(r)
                    ),
                ));
            };
            rest = ws(after_comma);
            if let Some(end) = rest.strip_prefix(')') {
                self.error_help(
                    self.span_len(r, 1),
                    "trailing commas are not allowed in attribute arguments",
                    "remove the comma",
                );
                return Ok((end, args));
            }
        }
    }

    fn argument(&self, i: &'a str) -> PResult<'a, Option<Argument>> {
        // Named argument: an identifier and a colon; anything else is a positional value.
        if let Ok((r, name)) = self.ident(i) {
            let after_name = ws(r);
            if let Some(after_colon) = after_name.strip_prefix(':') {
                let v = ws(after_colon);
                if v.starts_with([',', ')']) {
                    self.error(
                        self.span(i, after_colon),
                        format!("the argument `{}:` is missing a value", name.name),
                    );
                    return Ok((after_colon, None));
                }
                let (rest, value) = expect(self.expression(v), v, || {
                    format!(
                        "expected a value after `{}:`, found {}",
                        name.name,
                        describe(v)
                    )
                })?;
                let span = self.span(i, rest);
                return Ok((
                    rest,
                    Some(Argument {
                        name: Some(name),
                        value,
                        span,
                    }),
                ));
            }
        }
        let (rest, value) = expect(self.expression(i), i, || {
            format!("expected an argument, found {}", describe(i))
        })?;
        Ok((
            rest,
            Some(Argument {
                name: None,
                span: value.span(),
                value,
            }),
        ))
    }

    /// A JSON string literal, decoded. Bad escapes and raw control characters are reported and
    /// the literal still counts; a literal not closed on its line is a failure.
    fn string(&self, i: &'a str) -> PResult<'a, String> {
        let (body, _) = char('"').parse(i)?;
        let mut out = String::new();
        let mut chars = body.char_indices();
        while let Some((pos, c)) = chars.next() {
            match c {
                '"' => return Ok((&body[pos + 1..], out)),
                '\n' | '\r' => break,
                '\\' => {
                    let esc = &body[pos..];
                    let Some((_, e)) = chars.next() else { break };
                    match e {
                        '"' => out.push('"'),
                        '\\' => out.push('\\'),
                        '/' => out.push('/'),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        'u' => {
                            // Only ASCII is consumed here, so skipping chars by count is exact.
                            let (consumed, decoded) = self.unicode_escape(esc);
                            for _ in 2..consumed {
                                chars.next();
                            }
                            out.extend(decoded);
                        }
                        '\n' | '\r' => break,
                        other => {
                            let shown: String = if other.is_control() {
                                format!("\\u{{{:x}}}", other as u32)
                            } else {
                                other.to_string()
                            };
                            self.error_help(
                                self.span_len(esc, 1 + other.len_utf8()),
                                format!("unknown escape sequence `\\{shown}`"),
                                "valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX; a Windows path needs `\\\\` for each backslash",
                            );
                        }
                    }
                }
                c if (c as u32) < 0x20 => {
                    let name = if c == '\t' { " (tab)" } else { "" };
                    self.error_help(
                        self.span_len(&body[pos..], c.len_utf8()),
                        format!("control character U+{:04X}{name} is not allowed inside a string literal", c as u32),
                        "write it as an escape sequence (`\\t`, `\\u0000` …)",
                    );
                }
                c => out.push(c),
            }
        }
        let line = split_line(i).0;
        failure(
            PErr::new(i, "unterminated string literal")
                .len(line.len())
                .help("strings end with `\"` on the same line; write `\\n` for a line break"),
        )
    }

    /// Decodes `\uXXXX` (and a following `\uXXXX` low surrogate) at `esc`. Returns the number of
    /// bytes consumed (at least 2) and the character, reporting invalid sequences.
    fn unicode_escape(&self, esc: &'a str) -> (usize, Option<char>) {
        let hex4 = |s: &str| -> Option<u32> {
            let digits = s.get(..4)?;
            if digits.bytes().all(|b| b.is_ascii_hexdigit()) {
                u32::from_str_radix(digits, 16).ok()
            } else {
                None
            }
        };
        let Some(first) = esc.get(2..).and_then(hex4) else {
            let digits = esc[2..]
                .bytes()
                .take(4)
                .take_while(u8::is_ascii_hexdigit)
                .count();
            self.error_help(
                self.span_len(esc, 2 + digits),
                "invalid unicode escape sequence",
                "`\\u` must be followed by exactly four hexadecimal digits, as in `\\u00e9`",
            );
            return (2 + digits, None);
        };
        match first {
            0xD800..=0xDBFF => {
                let low = esc
                    .get(6..)
                    .filter(|s| s.starts_with("\\u"))
                    .and_then(|s| s.get(2..))
                    .and_then(hex4);
                match low {
                    Some(low @ 0xDC00..=0xDFFF) => {
                        let c = char::from_u32(0x10000 + ((first - 0xD800) << 10) + (low - 0xDC00));
                        (12, c)
                    }
                    _ => {
                        self.error_help(
                            self.span_len(esc, 6),
                            format!("invalid unicode escape sequence `{}`: a lone high surrogate", &esc[..6]),
                            "a character outside the BMP is written as a surrogate pair, as in `\\ud83d\\ude00`",
                        );
                        (6, None)
                    }
                }
            }
            0xDC00..=0xDFFF => {
                self.error_help(
                    self.span_len(esc, 6),
                    format!("invalid unicode escape sequence `{}`: a lone low surrogate", &esc[..6]),
                    "a character outside the BMP is written as a surrogate pair, as in `\\ud83d\\ude00`",
                );
                (6, None)
            }
            cp => (6, char::from_u32(cp)),
        }
    }

    // --- attributes and types ---

    /// `@name(args)` (field attribute) or `@@name(args)` (block attribute), `at` being `@`/`@@`.
    fn attribute(&self, i: &'a str, at: &'static str) -> PResult<'a, Attribute> {
        let Some(r) = i.strip_prefix(at) else {
            return no_match(i);
        };
        // Prisma allows whitespace between `@` and the name.
        let r = ws(r);
        let (r, name) = expect(self.path(r), r, || {
            format!(
                "expected an attribute name after `{at}`, found {}",
                describe(r)
            )
        })?;
        let after = ws(r);
        let (rest, arguments) = if after.starts_with('(') {
            self.nested(after, |j| self.arguments(j))?
        } else {
            (r, Vec::new())
        };
        Ok((
            rest,
            Attribute {
                name,
                arguments,
                span: self.span(i, rest),
            },
        ))
    }

    /// `Name`, `Unsupported("…")`, then `?`, `[]`; legacy `[Type]`, `Type!` and the invalid
    /// `Type[]?` are reported and read as the nearest valid type.
    fn field_type(&self, i: &'a str) -> PResult<'a, (FieldType, Arity)> {
        if let Some(inner) = i.strip_prefix('[') {
            let r = ws(inner);
            let (r, base) = expect(self.base_type(r), r, || {
                format!("expected a type after `[`, found {}", describe(r))
            })?;
            let r = ws(r);
            let Some(end) = r.strip_prefix(']') else {
                return failure(PErr::new(r, format!("expected `]`, found {}", describe(r))));
            };
            self.error_help(
                self.span(i, end),
                "legacy list syntax: lists are written `Type[]`, not `[Type]`",
                "write the field type as `Type[]`",
            );
            return Ok((end, (base, Arity::List)));
        }
        let (r, base) = self.base_type(i)?;
        let after = ws(r);
        if let Some(list_end) = after.strip_prefix("[]") {
            let after_list = ws(list_end);
            if let Some(end) = after_list.strip_prefix('?') {
                self.error_help(
                    self.span(after_list, end),
                    "optional lists are not supported",
                    "use either `Type[]` (a list can be empty) or `Type?`",
                );
                return Ok((end, (base, Arity::List)));
            }
            return Ok((list_end, (base, Arity::List)));
        }
        if let Some(end) = after.strip_prefix('?') {
            return Ok((end, (base, Arity::Optional)));
        }
        if let Some(end) = after.strip_prefix('!') {
            self.error_help(
                self.span(after, end),
                "legacy required marker `!`: fields are required by default",
                "remove the `!`",
            );
            return Ok((end, (base, Arity::Required)));
        }
        Ok((r, (base, Arity::Required)))
    }

    fn base_type(&self, i: &'a str) -> PResult<'a, FieldType> {
        if let Some(r) = i.strip_prefix("Unsupported(") {
            let r = ws(r);
            let (r, raw) = expect(self.string(r), r, || {
                format!("expected the database type as a string, as in `Unsupported(\"tsvector\")`, found {}", describe(r))
            })?;
            let r = ws(r);
            let Some(end) = r.strip_prefix(')') else {
                return failure(PErr::new(
                    r,
                    format!(
                        "expected `)` to close `Unsupported(`, found {}",
                        describe(r)
                    ),
                ));
            };
            return Ok((
                end,
                FieldType::Unsupported {
                    raw,
                    span: self.span(i, end),
                },
            ));
        }
        let (r, name) = self.ident(i)?;
        Ok((r, FieldType::Named(name)))
    }

    /// After a declaration: an optional trailing comment, then the end of the line. Returns the
    /// input after the line break (or at a `}` closing the block on this line) and the text of a
    /// trailing `///` comment. `expected` completes "expected …" in the error message.
    fn line_end(&self, i: &'a str, expected: &str) -> Result<(&'a str, Option<String>), PErr<'a>> {
        let r = ws(i);
        if at_eol(r) {
            return Ok((eol(r), None));
        }
        if r.starts_with("//") {
            let (comment, rest) = split_line(r);
            return Ok((eol(rest), doc_text(comment).map(str::to_string)));
        }
        if r.starts_with("/*") {
            let (after, terminated) = self.block_comment(r);
            if !terminated {
                return Ok((after, None));
            }
            let after = ws(after);
            if at_eol(after) {
                return Ok((eol(after), None));
            }
            if !after.starts_with('}') {
                return Err(PErr::new(
                    after,
                    format!(
                        "unexpected {} after a comment: expected the end of the line",
                        describe(after)
                    ),
                ));
            }
            return Ok((self.closing_brace_on_line(after), None));
        }
        if r.starts_with('}') {
            return Ok((self.closing_brace_on_line(r), None));
        }
        // Another declaration on the same line is the common case; say so plainly.
        Err(if r.starts_with("@@") {
            PErr::new(r, "unexpected `@@`: one declaration per line")
                .help("put each `@@` attribute on a line of its own")
        } else if r.starts_with(is_ident_start) {
            PErr::new(
                r,
                format!("unexpected {}: one declaration per line", describe(r)),
            )
            .help(format!(
                "expected {expected}; put each declaration on a line of its own"
            ))
        } else {
            PErr::new(
                r,
                format!("unexpected {}: expected {expected}", describe(r)),
            )
        })
    }

    /// A `}` after a declaration on the same line: reported (unless the whole block is on the
    /// `{` line, already reported), then left in place so the block loop closes the block.
    fn closing_brace_on_line(&self, at: &'a str) -> &'a str {
        if !self.one_line_block.get() {
            self.error_help(
                self.span_len(at, 1),
                "the closing `}` must be on a line of its own",
                "move `}` to the next line",
            );
        }
        at
    }

    /// `keyword Name {` at `i` (used to end an unclosed block early).
    fn looks_like_block_header(&self, i: &'a str) -> bool {
        let Ok((r, kw)) = self.ident_str(i) else {
            return false;
        };
        if !BLOCK_KEYWORDS.contains(&kw) || !r.starts_with(is_hspace) {
            return false;
        }
        let Ok((r, _)) = self.ident_str(ws(r)) else {
            return false;
        };
        ws(r).starts_with('{')
    }

    // --- top level ---

    fn schema(&self) -> Vec<Top> {
        let mut tops = Vec::new();
        let mut docs = Docs::default();
        let mut i = self.src;
        if let Some(rest) = i.strip_prefix('\u{feff}') {
            self.error_help(
                self.span(i, rest),
                "the file starts with a byte order mark (U+FEFF), which Prisma does not accept",
                "save the file as UTF-8 without BOM",
            );
            i = rest;
        }
        loop {
            i = ws(i);
            let Some(c) = i.chars().next() else { break };
            if is_eol(c) {
                docs.blank_line(true);
                i = eol(i);
            } else if i.starts_with("//") {
                let (comment, rest) = split_line(i);
                docs.comment_line(doc_text(comment));
                i = eol(rest);
            } else if i.starts_with("/*") {
                docs.comment_line(None);
                i = self.block_comment(i).0;
            } else {
                i = self.top_item(i, &mut docs, &mut tops);
            }
        }
        tops
    }

    fn top_item(&self, i: &'a str, docs: &mut Docs, tops: &mut Vec<Top>) -> &'a str {
        let doc = docs.take();
        if let Ok((after_kw, kw)) = self.ident(i) {
            if BLOCK_KEYWORDS.contains(&kw.name.as_str()) {
                return self.block(i, kw, after_kw, doc, tops);
            }
            // `foo {` / `foo Name {`: Prisma's `arbitrary_block`, an unknown kind of block.
            let mut r = ws(after_kw);
            if let Ok((after_name, _)) = self.ident_str(r) {
                r = ws(after_name);
            }
            if let Some(body) = r.strip_prefix('{') {
                self.error_help(
                    kw.span,
                    format!("unknown block type `{}`", kw.name),
                    "a block starts with `model`, `enum`, `view`, `type`, `datasource` or `generator`",
                );
                return self.skip_block(body);
            }
            return self.recover(
                PErr::new(i, format!("unexpected {} at the top level", describe(i)))
                    .help("expected a block such as `model Name {`, `enum Name {`, `datasource db {` or `generator client {`"),
            );
        }
        if i.starts_with('}') {
            return self.recover(
                PErr::new(
                    i,
                    "unexpected closing brace `}`: there is no open block to close",
                )
                .len(1),
            );
        }
        self.recover(
            PErr::new(i, format!("unexpected {} at the top level", describe(i)))
                .help("expected a block such as `model Name {`, `enum Name {`, `datasource db {` or `generator client {`"),
        )
    }

    /// Skips the body of an unknown block: up to a line starting with `}` (consumed), or up to a
    /// line that starts a known block (not consumed), or the end of the input.
    fn skip_block(&self, mut i: &'a str) -> &'a str {
        i = skip_line(i);
        loop {
            let line = ws(i);
            if line.is_empty() {
                return line;
            }
            if let Some(rest) = line.strip_prefix('}') {
                return rest;
            }
            if self.looks_like_block_header(line) {
                return line;
            }
            i = skip_line(line);
        }
    }

    /// A block (or a type alias) starting with keyword `kw` at `start`.
    fn block(
        &self,
        start: &'a str,
        kw: Ident,
        after_kw: &'a str,
        doc: Option<String>,
        tops: &mut Vec<Top>,
    ) -> &'a str {
        let r = ws(after_kw);
        let Ok((after_name, name)) = self.ident(r) else {
            let e = if r.starts_with('_') {
                invalid_name(r)
            } else {
                PErr::new(
                    r,
                    format!("expected a name after `{}`, found {}", kw.name, describe(r)),
                )
            };
            // Parse the body anyway if the line opens one, so its lines are not each reported
            // as top-level garbage; the nameless block itself is dropped.
            return match self.brace_on_line(r) {
                Some(brace) => {
                    self.report(e);
                    let placeholder = Ident {
                        name: String::new(),
                        span: kw.span,
                    };
                    let mut ignored = Vec::new();
                    self.block_with_brace(start, &kw, placeholder, brace, None, &mut ignored)
                }
                None => self.recover(e),
            };
        };

        let r = ws(after_name);
        if kw.name == "type" && r.starts_with('=') {
            return self.type_alias(start, name, &r[1..], tops);
        }
        if r.starts_with('{') {
            return self.block_with_brace(start, &kw, name, r, doc, tops);
        }
        let e = PErr::new(
            r,
            format!(
                "expected `{{` after `{} {}`, found {}",
                kw.name,
                name.name,
                describe(r)
            ),
        )
        .help("a block opens with `{` at the end of its first line");
        // Recover when `{` is later on this line or alone on the next line.
        match self.brace_on_line(r).or_else(|| self.brace_on_next_line(r)) {
            Some(brace) => {
                self.report(e);
                self.block_with_brace(start, &kw, name, brace, doc, tops)
            }
            None => self.recover(e),
        }
    }

    /// A `{` later on the current line (before any comment).
    fn brace_on_line(&self, i: &'a str) -> Option<&'a str> {
        let line = split_line(i).0;
        let line = line.find("//").map_or(line, |c| &line[..c]);
        line.find('{').map(|p| &i[p..])
    }

    /// A line holding just `{` right after the current one (blank lines allowed between).
    fn brace_on_next_line(&self, i: &'a str) -> Option<&'a str> {
        let (rest_of_line, mut next) = split_line(i);
        let rest_of_line = ws(rest_of_line);
        if !(rest_of_line.is_empty() || rest_of_line.starts_with("//")) {
            return None;
        }
        loop {
            next = eol(next);
            let line = ws(next);
            if line.is_empty() {
                return None;
            }
            if at_eol(line) {
                next = line;
                continue;
            }
            return line.starts_with('{').then_some(line);
        }
    }

    /// Parses a block from its `{` (at `brace`) to its `}` and pushes it to `tops`.
    fn block_with_brace(
        &self,
        start: &'a str,
        kw: &Ident,
        name: Ident,
        brace: &'a str,
        doc: Option<String>,
        tops: &mut Vec<Top>,
    ) -> &'a str {
        let what = format!("`{} {}`", kw.name, name.name);
        let kind = match kw.name.as_str() {
            "enum" => BodyKind::Enum,
            "datasource" | "generator" => BodyKind::Config,
            _ => BodyKind::Model,
        };
        let mut fields = Vec::new();
        let mut values = Vec::new();
        let mut properties = Vec::new();
        let mut attributes = Vec::new();
        let rest = self.body(
            brace,
            &what,
            kind,
            &mut fields,
            &mut values,
            &mut properties,
            &mut attributes,
        );
        let span = self.span(start, rest);
        let top = match kw.name.as_str() {
            "enum" => Top::Enum(Enum {
                name,
                values,
                attributes,
                documentation: doc,
                span,
            }),
            "datasource" | "generator" => Top::Config(ConfigBlock {
                kind: if kw.name == "datasource" {
                    ConfigKind::Datasource
                } else {
                    ConfigKind::Generator
                },
                name,
                properties,
                span,
            }),
            other => Top::Model(Model {
                kind: match other {
                    "view" => ModelKind::View,
                    "type" => ModelKind::CompositeType,
                    _ => ModelKind::Model,
                },
                name,
                fields,
                attributes,
                documentation: doc,
                span,
            }),
        };
        tops.push(top);
        rest
    }

    /// `type Name = Base @attr…` (after the `=`).
    fn type_alias(
        &self,
        start: &'a str,
        name: Ident,
        after_eq: &'a str,
        tops: &mut Vec<Top>,
    ) -> &'a str {
        let r = ws(after_eq);
        let base = match self.base_type(r) {
            Ok((r, FieldType::Named(base))) => Ok((r, base)),
            Ok((r, FieldType::Unsupported { span, .. })) => Ok((
                r,
                Ident {
                    name: "Unsupported".to_string(),
                    span,
                },
            )),
            Err(e) => Err(e),
        };
        let (mut r, base) = match expect(base, r, || {
            format!("expected a type after `=`, found {}", describe(r))
        }) {
            Ok(ok) => ok,
            Err(e) => return self.recover(into_perr(e)),
        };
        let mut alias = TypeAlias {
            name,
            base,
            attributes: Vec::new(),
            span: self.span(start, r),
        };
        loop {
            let a = ws(r);
            if !a.starts_with('@') || a.starts_with("@@") {
                break;
            }
            match self.attribute(a, "@") {
                Ok((rest, attr)) => {
                    alias.attributes.push(attr);
                    alias.span = self.span(start, rest);
                    r = rest;
                }
                Err(e) => {
                    tops.push(Top::TypeAlias(alias));
                    return self.recover(into_perr(e));
                }
            }
        }
        tops.push(Top::TypeAlias(alias));
        match self.line_end(r, "an attribute, a comment or the end of the line") {
            Ok((rest, _)) => rest,
            Err(e) => self.recover(e),
        }
    }

    // --- block bodies ---

    /// Reads body lines after the `{` at `brace` up to the closing `}`; returns the input after
    /// it. Lines go to the vector matching `kind`.
    #[allow(clippy::too_many_arguments)]
    fn body(
        &self,
        brace: &'a str,
        what: &str,
        kind: BodyKind,
        fields: &mut Vec<Field>,
        values: &mut Vec<EnumValue>,
        properties: &mut Vec<ConfigProperty>,
        attributes: &mut Vec<Attribute>,
    ) -> &'a str {
        let mut docs = Docs::default();
        let mut i = ws(&brace[1..]);

        // Prisma swallows the rest of the `{` line; we allow only comments there, since
        // anything else would be silently dropped.
        while i.starts_with("/*") {
            let (after, terminated) = self.block_comment(i);
            i = if terminated { ws(after) } else { after };
        }
        if i.starts_with("//") {
            i = skip_line(i);
        } else if at_eol(i) {
            i = eol(i);
        } else {
            let msg = if i.starts_with('}') {
                "the closing `}` must be on a line of its own".to_string()
            } else {
                format!("unexpected {} after `{{`: one declaration per line, and a block's contents start on the next line", describe(i))
            };
            self.error_help(
                self.span_len(i, token_len(i)),
                msg,
                "put `{`, each declaration and `}` on lines of their own",
            );
            self.one_line_block.set(true);
            if !i.starts_with('}') {
                i = self.body_line(i, kind, &mut docs, fields, values, properties, attributes);
            }
            self.one_line_block.set(false);
        }

        loop {
            i = ws(i);
            let Some(c) = i.chars().next() else {
                if !self.comment_ran_to_end.get() {
                    self.error_help(
                        self.span_len(brace, 1),
                        format!("unterminated block: {what} has no closing `}}`"),
                        "add `}` on a line of its own after the block's last line",
                    );
                }
                return i;
            };
            if is_eol(c) {
                docs.blank_line(false);
                i = eol(i);
            } else if let Some(rest) = i.strip_prefix('}') {
                return rest;
            } else if i.starts_with("//") {
                let (comment, rest) = split_line(i);
                docs.comment_line(doc_text(comment));
                i = eol(rest);
            } else if i.starts_with("/*") {
                docs.comment_line(None);
                i = self.block_comment(i).0;
            } else if self.looks_like_block_header(i) {
                self.error_help(
                    self.span_len(i, token_len(i)),
                    format!("{what} is not closed before this block"),
                    "add `}` on a line of its own before this line",
                );
                return i;
            } else {
                i = self.body_line(i, kind, &mut docs, fields, values, properties, attributes);
            }
        }
    }

    /// One declaration line of a block body; returns the start of the next line.
    #[allow(clippy::too_many_arguments)]
    fn body_line(
        &self,
        i: &'a str,
        kind: BodyKind,
        docs: &mut Docs,
        fields: &mut Vec<Field>,
        values: &mut Vec<EnumValue>,
        properties: &mut Vec<ConfigProperty>,
        attributes: &mut Vec<Attribute>,
    ) -> &'a str {
        let res = if i.starts_with("@@") && kind != BodyKind::Config {
            docs.other_line();
            self.block_attribute_line(i, attributes)
        } else if i.starts_with(is_ident_start) {
            match kind {
                BodyKind::Model => self.field_line(i, docs, fields),
                BodyKind::Enum => self.enum_value_line(i, docs, values),
                BodyKind::Config => {
                    docs.other_line();
                    self.property_line(i, properties)
                }
            }
        } else if i.starts_with('_') {
            docs.other_line();
            Err(invalid_name(i))
        } else {
            docs.other_line();
            let expected = match kind {
                BodyKind::Model => "not a valid field or attribute definition",
                BodyKind::Enum => "not a valid enum value or attribute definition",
                BodyKind::Config => "not a valid `key = value` setting",
            };
            let mut e = PErr::new(
                i,
                format!("unexpected {}: this line is {expected}", describe(i)),
            );
            if i.starts_with('@') && kind == BodyKind::Model {
                e = e.help("field attributes go after the field's type on the same line; model attributes start with `@@`");
            }
            Err(e)
        };
        match res {
            Ok(rest) => rest,
            Err(e) => self.recover(e),
        }
    }

    /// Field attributes after a field type or enum value, pushed as they parse.
    fn field_attributes(
        &self,
        mut r: &'a str,
        attrs: &mut Vec<Attribute>,
        end: &mut usize,
    ) -> Result<&'a str, PErr<'a>> {
        loop {
            let a = ws(r);
            if a.starts_with("@@") {
                return Err(PErr::new(
                    a,
                    "unexpected `@@`: block attributes go on a line of their own",
                )
                .len(2)
                .help("field attributes start with a single `@`"));
            }
            if !a.starts_with('@') {
                return Ok(r);
            }
            let (rest, attr) = self.attribute(a, "@").map_err(into_perr)?;
            *end = self.off(rest);
            attrs.push(attr);
            r = rest;
        }
    }

    /// `name Type @attr… // comment`
    fn field_line(
        &self,
        i: &'a str,
        docs: &mut Docs,
        fields: &mut Vec<Field>,
    ) -> Result<&'a str, PErr<'a>> {
        let documentation = docs.take();
        let (r, name) = self.ident(i).map_err(into_perr)?;
        let mut r = ws(r);
        if let Some(after) = r.strip_prefix(':') {
            self.error_help(
                self.span_len(r, 1),
                "legacy colon: field declarations don't use `:`",
                format!("write `{} Type`", name.name),
            );
            r = ws(after);
        }
        let (r, (field_type, arity)) = match self.field_type(r) {
            Ok(ok) => ok,
            Err(nom::Err::Error(_)) => {
                let e = if at_eol(r) || r.starts_with("//") || r.starts_with('}') {
                    PErr::new(i, format!("missing type for the field `{}`", name.name))
                        .len(name.name.len())
                } else {
                    PErr::new(
                        r,
                        format!(
                            "expected a field type after `{}`, found {}",
                            name.name,
                            describe(r)
                        ),
                    )
                };
                return Err(e.help(format!(
                    "declare fields as `{} Type`, e.g. `{} String`",
                    name.name, name.name
                )));
            }
            Err(e) => return Err(into_perr(e)),
        };
        let mut field = Field {
            name,
            field_type,
            arity,
            attributes: Vec::new(),
            documentation,
            span: self.span(i, r),
        };
        let mut end = field.span.end;
        let res = self
            .field_attributes(r, &mut field.attributes, &mut end)
            .and_then(|r| self.line_end(r, "an attribute, a comment or the end of the line"));
        field.span.end = end;
        let res = res.map(|(rest, trailing)| {
            if let Some(doc) = trailing {
                append_doc(&mut field.documentation, doc);
            }
            rest
        });
        fields.push(field);
        res
    }

    /// `VALUE @map("x") // comment`
    fn enum_value_line(
        &self,
        i: &'a str,
        docs: &mut Docs,
        values: &mut Vec<EnumValue>,
    ) -> Result<&'a str, PErr<'a>> {
        let documentation = docs.take();
        let (r, name) = self.ident(i).map_err(into_perr)?;
        let mut value = EnumValue {
            span: name.span,
            name,
            attributes: Vec::new(),
            documentation,
        };
        let mut end = value.span.end;
        let res = self
            .field_attributes(r, &mut value.attributes, &mut end)
            .and_then(|r| self.line_end(r, "an attribute, a comment or the end of the line"));
        value.span.end = end;
        let res = res.map(|(rest, trailing)| {
            if let Some(doc) = trailing {
                append_doc(&mut value.documentation, doc);
            }
            rest
        });
        values.push(value);
        res
    }

    /// `@@name(args) // comment`
    fn block_attribute_line(
        &self,
        i: &'a str,
        attributes: &mut Vec<Attribute>,
    ) -> Result<&'a str, PErr<'a>> {
        let (r, attr) = self.attribute(i, "@@").map_err(into_perr)?;
        attributes.push(attr);
        Ok(self.line_end(r, "a comment or the end of the line")?.0)
    }

    /// `key = value // comment` in a datasource or generator.
    fn property_line(
        &self,
        i: &'a str,
        properties: &mut Vec<ConfigProperty>,
    ) -> Result<&'a str, PErr<'a>> {
        let (r, name) = self.ident(i).map_err(into_perr)?;
        let r = ws(r);
        let Some(r) = r.strip_prefix('=') else {
            return Err(PErr::new(
                r,
                format!("expected `=` after `{}`, found {}", name.name, describe(r)),
            )
            .help(format!("settings are written `{} = value`", name.name)));
        };
        let v = ws(r);
        let (rest, value) =
            if at_eol(v) || v.starts_with("//") || v.starts_with("/*") || v.starts_with('}') {
                (r, None)
            } else {
                let (rest, value) = expect(self.expression(v), v, || {
                    format!(
                        "expected a value after `{} =`, found {}",
                        name.name,
                        describe(v)
                    )
                })
                .map_err(into_perr)?;
                (rest, Some(value))
            };
        let span = self.span(i, if value.is_some() { rest } else { r });
        properties.push(ConfigProperty { name, value, span });
        Ok(self.line_end(rest, "a comment or the end of the line")?.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_one(text: &str) -> (Vec<Top>, Vec<Diagnostic>) {
        let (tops, d) = parse_file(text, 0);
        (tops, d.into_vec())
    }

    #[test]
    fn number_forms() {
        let cx = Cx::new("-1.50 1e5", 0);
        let (_, e) = cx.number("-1.50 1e5").unwrap();
        assert_eq!(e, Expression::Numeric("-1.50".into(), Span::new(0, 0, 5)));
        assert!(cx.number("1e5").is_err());
    }

    #[test]
    fn nesting_is_capped() {
        let deep = format!(
            "model A {{\n  id Int @default({})\n}}\n",
            "[".repeat(10_000)
        );
        let (_, diags) = parse_one(&deep);
        assert!(diags
            .iter()
            .any(|d| d.message.contains("nesting is too deep")));
    }
}
