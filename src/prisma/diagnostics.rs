//! Errors and warnings about a schema, each pointing at a [`Span`], gathered across parsing and
//! validation (nothing stops at the first one), and rendered at the edge: [`SchemaErrors`] is a
//! `miette` report for the CLI, [`SchemaErrors::render_plain`] a colourless rustc-style text for
//! tests, `NO_COLOR` and pipes.

use std::fmt;
use std::sync::Arc;

use miette::{LabeledSpan, NamedSource, SourceCode, SourceSpan};

use crate::prisma::ast::Span;
use crate::prisma::source::{self, LineIndex, SourceSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub message: String,
    pub span: Span,
    pub help: Option<String>,
    pub severity: Severity,
}

impl Diagnostic {
    pub fn error(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            message: message.into(),
            span,
            help: None,
            severity: Severity::Error,
        }
    }

    pub fn warning(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            message: message.into(),
            span,
            help: None,
            severity: Severity::Warning,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// An ordered collection of diagnostics.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Shorthand for `push(Diagnostic::error(span, message))`.
    pub fn error(&mut self, span: Span, message: impl Into<String>) {
        self.push(Diagnostic::error(span, message));
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| !d.is_error())
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn as_slice(&self) -> &[Diagnostic] {
        &self.items
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }

    /// Stable sort by file, then position: the order a reader expects.
    pub fn sort_by_position(&mut self) {
        self.items
            .sort_by_key(|d| (d.span.file, d.span.start, d.span.end));
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<T: IntoIterator<Item = Diagnostic>>(&mut self, iter: T) {
        self.items.extend(iter);
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<T: IntoIterator<Item = Diagnostic>>(iter: T) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

/// The diagnostics of one schema together with the text they point into, ready to print.
///
/// As a `miette::Diagnostic` it is a summary line with one related report per diagnostic, each
/// with its own `NamedSource` (so multi-file schemas render with the right file name) and a
/// label on the span; [`SchemaErrors::render_plain`] gives the same content without colours or
/// box drawing.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{summary}")]
pub struct SchemaErrors {
    summary: String,
    /// Every diagnostic, in position order.
    all: Vec<Diagnostic>,
    /// The first [`SchemaErrors::SHOWN`] of them, ready to print: a hostile input never turns
    /// into megabytes of errors.
    #[related]
    reports: Vec<SchemaReport>,
}

impl SchemaErrors {
    /// Keeps the given diagnostics (sorted by position) and the text of the files they point into.
    pub fn new(diagnostics: &Diagnostics, sources: &SourceSet) -> Self {
        let mut diagnostics = diagnostics.clone();
        diagnostics.sort_by_position();
        // One shared copy per file, however many diagnostics point into it.
        let files: Vec<(NamedSource<Arc<str>>, Arc<LineIndex>)> = sources
            .files
            .iter()
            .map(|f| {
                let source =
                    NamedSource::new(f.path.display().to_string(), Arc::from(f.text.as_str()));
                (source, Arc::new(LineIndex::new(&f.text)))
            })
            .collect();

        let errors = diagnostics.errors().count();
        let warnings = diagnostics.len() - errors;
        let summary = match (errors, warnings) {
            (0, 0) => "the Prisma schema has no problems".to_string(),
            (0, w) => format!("the Prisma schema has {}", plural(w, "warning")),
            (e, 0) => format!("the Prisma schema is invalid: {}", plural(e, "error")),
            (e, w) => format!(
                "the Prisma schema is invalid: {}, {}",
                plural(e, "error"),
                plural(w, "warning")
            ),
        };

        let summary = if diagnostics.len() > Self::SHOWN {
            format!("{summary} (the first {} shown)", Self::SHOWN)
        } else {
            summary
        };
        let all = diagnostics.as_slice().to_vec();
        let reports = diagnostics
            .into_iter()
            .take(Self::SHOWN)
            .map(|diagnostic| {
                let (source, lines) = files.get(diagnostic.span.file).cloned().unzip();
                let excerpt = source
                    .as_ref()
                    .zip(lines.as_ref())
                    .and_then(|(source, lines)| {
                        let text: &str = source.inner();
                        let range = source::line_range(text, diagnostic.span.start);
                        if text[range.clone()].chars().count() <= Excerpt::MAX_CHARS {
                            return None;
                        }
                        let start = floor_boundary(
                            text,
                            diagnostic.span.start.clamp(range.start, range.end),
                        );
                        let end = floor_boundary(text, diagnostic.span.end.clamp(start, range.end));
                        let shown = Excerpt::of(text, range, start, end);
                        let (line, col) = lines.line_col(text, diagnostic.span.start);
                        let name = format!("{}:{line}:{col}", source.name());
                        let span = SourceSpan::new(shown.start.into(), shown.end - shown.start);
                        Some((NamedSource::new(name, Arc::from(shown.text.as_str())), span))
                    });
                SchemaReport {
                    diagnostic,
                    source,
                    lines,
                    excerpt,
                }
            })
            .collect();
        SchemaErrors {
            summary,
            all,
            reports,
        }
    }

    /// How many diagnostics are printed at most.
    pub const SHOWN: usize = 50;

    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.all.iter()
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics().any(Diagnostic::is_error)
    }

    /// Colourless rustc-style text, one block per diagnostic, blocks separated by a blank line:
    ///
    /// ```text
    /// error: unknown escape sequence `\q`
    ///   --> schema.prisma:6:23
    ///    |
    ///  6 |   x String @default("a\qb")
    ///    |                       ^^
    /// ```
    ///
    /// The caret line copies the tabs of the source line so carets stay aligned; a span running
    /// over several lines is underlined to the end of its first line.
    pub fn render_plain(&self) -> String {
        let mut out = String::new();
        for (i, report) in self.reports.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            report.render_plain(&mut out);
        }
        out
    }
}

/// One diagnostic with the file it points into.
#[derive(Debug)]
struct SchemaReport {
    diagnostic: Diagnostic,
    /// `None` when the span's file is not in the source set (nothing to quote).
    source: Option<NamedSource<Arc<str>>>,
    lines: Option<Arc<LineIndex>>,
    /// For a very long line: the shown window as its own source (named `file:line:col`) and
    /// the span inside it, so miette never prints the whole line.
    excerpt: Option<(NamedSource<Arc<str>>, SourceSpan)>,
}

impl SchemaReport {
    fn render_plain(&self, out: &mut String) {
        use std::fmt::Write as _;
        let d = &self.diagnostic;
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{kind}: {}", d.message);
        let mut pad = "  ".to_string();
        if let (Some(source), Some(lines)) = (&self.source, &self.lines) {
            let text: &str = source.inner();
            let (line, col) = lines.line_col(text, d.span.start);
            let range = source::line_range(text, d.span.start);
            let start = floor_boundary(text, d.span.start.clamp(range.start, range.end));
            let end = floor_boundary(text, d.span.end.clamp(start, range.end));
            let width = line.to_string().len().max(2);
            pad = " ".repeat(width);
            let shown = Excerpt::of(text, range, start, end);
            // Tabs are kept so the carets line up under the same columns as the source.
            let indent: String = shown.text[..shown.start]
                .chars()
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let carets = "^".repeat(shown.text[shown.start..shown.end].chars().count().max(1));
            let _ = writeln!(out, "{pad}--> {}:{line}:{col}", source.name());
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{line:>width$} | {}", shown.text);
            let _ = writeln!(out, "{pad} | {indent}{carets}");
        }
        if let Some(help) = &d.help {
            let _ = writeln!(out, "{pad} = help: {help}");
        }
    }
}

impl fmt::Display for SchemaReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for SchemaReport {}

// Written by hand rather than derived because the severity comes from the data (the derive only
// takes a fixed one).
impl miette::Diagnostic for SchemaReport {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        match &self.excerpt {
            Some((excerpt, _)) => Some(excerpt as &dyn SourceCode),
            None => self.source.as_ref().map(|s| s as &dyn SourceCode),
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if let Some((_, span)) = &self.excerpt {
            return Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
                None, *span,
            ))));
        }
        let text = self.source.as_ref()?.inner();
        let start = floor_boundary(text, self.diagnostic.span.start);
        let end = floor_boundary(text, self.diagnostic.span.end.max(start));
        let span = SourceSpan::new(start.into(), end - start);
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            None, span,
        ))))
    }
}

/// The part of one source line a diagnostic shows: the whole line, or for a very long one (a
/// minified or hostile file) a window around the span, marked with `…` where it was cut, so a
/// diagnostic stays a few lines long whatever the input.
struct Excerpt {
    text: String,
    /// Byte range of the span inside `text`.
    start: usize,
    end: usize,
}

impl Excerpt {
    const MAX_CHARS: usize = 160;
    const BEFORE: usize = 60;

    /// `line` is the byte range of the line in `text`; `start..end` the span, inside it.
    fn of(text: &str, line: std::ops::Range<usize>, start: usize, end: usize) -> Excerpt {
        let whole = &text[line.clone()];
        if whole.chars().count() <= Self::MAX_CHARS {
            return Excerpt {
                text: whole.to_string(),
                start: start - line.start,
                end: end - line.start,
            };
        }
        let from = text[line.start..start]
            .char_indices()
            .rev()
            .nth(Self::BEFORE - 1)
            .map_or(line.start, |(i, _)| line.start + i);
        let to = text[from..line.end]
            .char_indices()
            .nth(Self::MAX_CHARS)
            .map_or(line.end, |(i, _)| from + i);
        let lead = if from > line.start { "…" } else { "" };
        let tail = if to < line.end { "…" } else { "" };
        let span_end = end.min(to).max(start.min(to));
        Excerpt {
            text: format!("{lead}{}{tail}", &text[from..to]),
            start: lead.len() + start.min(to) - from,
            end: lead.len() + span_end - from,
        }
    }
}

fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
