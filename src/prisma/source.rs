//! Schema text as read from disk: one `.prisma` file, or a folder of them (Prisma's multi-file
//! schemas, GA since 6.7). Every [`Span`] in the AST points into one [`SourceFile`] of a
//! [`SourceSet`] by its index ([`FileId`]).

use std::collections::HashSet;
use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::prisma::ast::{FileId, Span};

/// One schema file and its full text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path as found (the folder given to [`SourceSet::load`] joined with the relative path),
    /// or the name given to [`SourceSet::from_str`].
    pub path: PathBuf,
    pub text: String,
}

/// All files of one schema, in the order their declarations are read (sorted by path).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceSet {
    pub files: Vec<SourceFile>,
}

/// Why a schema could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("cannot read `{}`: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("no `.prisma` file in the folder `{}`", dir.display())]
    NoSchemaFiles { dir: PathBuf },
    /// Not a regular file, too large, or not UTF-8 (with the position of the first bad byte).
    #[error(transparent)]
    Input(#[from] crate::input::InputError),
}

impl SourceError {
    fn io(path: &Path, source: io::Error) -> Self {
        SourceError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        SourceFile {
            path: path.into(),
            text: text.into(),
        }
    }

    /// 1-based line and column of a byte offset. Columns count characters, not bytes. Lines end
    /// at `\n`, `\r\n` or a lone `\r` (all three are line breaks in PSL). An offset past the end
    /// is clamped to the end, one inside a multi-byte character to that character's start.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col(&self.text, offset)
    }

    /// Byte range of the line holding `offset`, without its line break.
    pub fn line_range(&self, offset: usize) -> Range<usize> {
        line_range(&self.text, offset)
    }

    /// Text of the line holding `offset`, without its line break.
    pub fn line_text(&self, offset: usize) -> &str {
        &self.text[self.line_range(offset)]
    }
}

/// Start offsets of the lines of one text, for many position look-ups (rendering thousands of
/// diagnostics of a large file must not rescan it from the top for each one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                _ => {}
            }
        }
        LineIndex { starts }
    }

    /// Same as [`SourceFile::line_col`], for the text this index was built from.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset);
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1].min(offset);
        (line, 1 + text[start..offset].chars().count())
    }
}

/// See [`SourceFile::line_col`]: the 1-based line and column of `offset` in `text`.
pub fn line_col_of(text: &str, offset: usize) -> (usize, usize) {
    line_col(text, offset)
}

/// See [`SourceFile::line_col`].
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset);
    let range = line_range(text, offset);
    let line = 1 + count_line_breaks(&text[..range.start]);
    let col = 1 + text[range.start..offset].chars().count();
    (line, col)
}

/// See [`SourceFile::line_range`].
pub(crate) fn line_range(text: &str, offset: usize) -> Range<usize> {
    let offset = floor_char_boundary(text, offset);
    let start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let end = text[offset..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| offset + i);
    start..end
}

impl SourceSet {
    /// Reads a schema: `path` is either one file (read whatever its extension) or a folder, walked
    /// recursively like Prisma's loader: symlinks are followed (a folder reached twice is read
    /// once, so link cycles end), every `*.prisma` file is taken, and files are sorted by their
    /// path relative to the folder (`/`-separated string order, as the Prisma oracle sorts).
    pub fn load(path: &Path) -> Result<SourceSet, SourceError> {
        let meta = fs::metadata(path).map_err(|e| SourceError::io(path, e))?;
        if !meta.is_dir() {
            let text = crate::input::read_text(path)?;
            return Ok(SourceSet {
                files: vec![SourceFile::new(path, text)],
            });
        }

        let mut found = Vec::new();
        let mut seen_dirs = HashSet::new();
        let mut seen_files = HashSet::new();
        walk(path, path, &mut seen_dirs, &mut seen_files, &mut found)?;
        if found.is_empty() {
            return Err(SourceError::NoSchemaFiles {
                dir: path.to_path_buf(),
            });
        }
        found.sort_by(|a, b| a.0.cmp(&b.0));

        let mut files = Vec::with_capacity(found.len());
        for (_, file) in found {
            let text = crate::input::read_text(&file)?;
            files.push(SourceFile::new(file, text));
        }
        Ok(SourceSet { files })
    }

    /// A one-file set, for tests and stdin.
    pub fn from_str(name: impl Into<PathBuf>, text: impl Into<String>) -> SourceSet {
        SourceSet {
            files: vec![SourceFile::new(name, text)],
        }
    }

    /// A set of several in-memory files, kept in the given order.
    pub fn from_files<P, T>(files: impl IntoIterator<Item = (P, T)>) -> SourceSet
    where
        P: Into<PathBuf>,
        T: Into<String>,
    {
        SourceSet {
            files: files
                .into_iter()
                .map(|(p, t)| SourceFile::new(p, t))
                .collect(),
        }
    }

    pub fn file(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id)
    }

    /// 1-based (line, column) of the start of `span`; `None` if the span's file is not in the set.
    pub fn line_col(&self, span: Span) -> Option<(usize, usize)> {
        self.file(span.file).map(|f| f.line_col(span.start))
    }

    /// `path:line:col` of the start of `span`, as printed in diagnostics.
    pub fn location(&self, span: Span) -> Option<String> {
        let file = self.file(span.file)?;
        let (line, col) = file.line_col(span.start);
        Some(format!("{}:{line}:{col}", file.path.display()))
    }
}

/// Collects `(sort key, path)` of every `.prisma` file under `dir`.
fn walk(
    root: &Path,
    dir: &Path,
    seen_dirs: &mut HashSet<PathBuf>,
    seen_files: &mut HashSet<PathBuf>,
    out: &mut Vec<(String, PathBuf)>,
) -> Result<(), SourceError> {
    // Canonical paths make a symlink cycle (or two links to one folder) visit the folder once.
    let canonical = fs::canonicalize(dir).map_err(|e| SourceError::io(dir, e))?;
    if !seen_dirs.insert(canonical) {
        return Ok(());
    }
    let entries = fs::read_dir(dir).map_err(|e| SourceError::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| SourceError::io(dir, e))?;
        let path = entry.path();
        // `fs::metadata` follows symlinks; a dangling link is skipped like a non-schema file.
        let meta = match fs::metadata(&path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(SourceError::io(&path, e)),
        };
        if meta.is_dir() {
            walk(root, &path, seen_dirs, seen_files, out)?;
        } else if meta.is_file() && path.extension().is_some_and(|ext| ext == "prisma") {
            let canonical = fs::canonicalize(&path).map_err(|e| SourceError::io(&path, e))?;
            if seen_files.insert(canonical) {
                out.push((sort_key(root, &path), path));
            }
        }
    }
    Ok(())
}

fn sort_key(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Clamps `offset` into `text`, onto a char boundary, and off the `\n` of a `\r\n` pair (which
/// belongs to the line the `\r` ends).
fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    if offset > 0
        && text.as_bytes()[offset - 1] == b'\r'
        && text.as_bytes().get(offset) == Some(&b'\n')
    {
        offset -= 1;
    }
    offset
}

/// Line breaks in `text`, counting `\r\n` once.
fn count_line_breaks(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut count = 0;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\n' => count += 1,
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => count += 1,
            _ => {}
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_handles_all_line_breaks() {
        let f = SourceFile::new("s.prisma", "ab\ncd\r\nef\rgé h");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(4), (2, 2));
        assert_eq!(f.line_col(7), (3, 1));
        assert_eq!(f.line_col(10), (4, 1));
        // After the two-byte `é`: column counts characters.
        assert_eq!(f.line_col(13), (4, 3));
        // Inside `é` clamps to its start; past the end clamps to the end.
        assert_eq!(f.line_col(12), (4, 2));
        assert_eq!(f.line_col(999), (4, 5));
        assert_eq!(f.line_text(8), "ef");
        assert_eq!(f.line_text(4), "cd");
        let index = LineIndex::new(&f.text);
        for offset in 0..=f.text.len() + 1 {
            assert_eq!(
                index.line_col(&f.text, offset),
                f.line_col(offset),
                "offset {offset}"
            );
        }
    }
}
