//! `.env` files, read the way a Next.js or Prisma project expects, without touching the process
//! environment.
//!
//! Default chain, highest priority first (Next.js `@next/env` order, then Prisma ≤ 6's lowest
//! location), all relative to one base directory:
//!
//! 1. `.env.$NODE_ENV.local`
//! 2. `.env.local` (skipped when `NODE_ENV=test`, as Next.js does, so tests are reproducible)
//! 3. `.env.$NODE_ENV`
//! 4. `.env`
//! 5. `prisma/.env`
//!
//! `NODE_ENV` comes from the real environment (default `development`). Real environment variables
//! always win over files. `--env-file` replaces the chain (later files override earlier ones, like
//! `node --env-file`); `--no-env-file` turns loading off.
//!
//! File syntax is dotenv 16's (what `@next/env` and drizzle-kit use): `KEY=value`, `KEY: value`,
//! `export KEY=…`, `#` comments (an unquoted `#` starts one), `'…'`, `"…"` (with `\n`, `\r`) and
//! `` `…` `` values that may span lines. Lines that are not assignments are skipped, as dotenv does.
//!
//! Expansion follows dotenv-expand (`$VAR`, `${VAR}`, `${VAR:-default}`, nested defaults, `\$` for a
//! literal `$`), with three deliberate differences, all aimed at getting the same `DATABASE_URL`
//! that drizzle-kit (which does not expand at all) and the app see:
//! - a reference resolves to the variable's final value, whichever file defines it (Next.js only
//!   sees files of higher priority, so `.env.local` could not use a `$HOST` from `.env`);
//! - a reference to a variable defined nowhere is kept as written instead of becoming "", so a
//!   password containing `$` keeps working;
//! - single-quoted values are literal, as in a shell.
//!
//! dotenvy was considered and not used: its `$VAR` stops at `_` (`$DB_HOST` reads `$DB` + `_HOST`,
//! allan2/dotenvy#170) and it expands each file on its own, so cross-file references cannot work.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Which files to load.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum EnvFiles {
    /// The Next.js / Prisma chain described in the module docs; missing files are skipped.
    #[default]
    Default,
    /// Exactly these files (`--env-file`, repeatable); each must exist. Later ones win.
    Explicit(Vec<PathBuf>),
    /// `--no-env-file`: only the real environment.
    Disabled,
}

/// How to load the environment.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EnvOptions {
    /// Directory the default chain is looked up in; empty means the current directory, which
    /// also keeps the reported file names short (`.env.local`). Explicit files are used as given.
    pub base_dir: PathBuf,
    pub files: EnvFiles,
    /// Overrides `NODE_ENV` from the real environment when choosing the chain.
    pub node_env: Option<String>,
}

/// Why env files could not be loaded. Messages never contain values (they may be secrets).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("env file {} not found", .path.display())]
    NotFound { path: PathBuf },

    #[error("could not read env file {}: {source}", .path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Where a value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvSource<'a> {
    Process,
    File(&'a Path),
}

/// The process environment plus the loaded files, read-only.
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// key → (expanded value, index into `loaded` of the highest-priority file defining it).
    from_files: BTreeMap<String, (String, usize)>,
    /// Highest priority first.
    loaded: Vec<PathBuf>,
    searched: Vec<PathBuf>,
}

impl Env {
    /// Loads the files chosen by `opts`. Never modifies the process environment.
    pub fn load(opts: &EnvOptions) -> Result<Env, Error> {
        let (candidates, must_exist) = match &opts.files {
            EnvFiles::Disabled => return Ok(Env::default()),
            // Highest priority first everywhere below, so the last `--env-file` comes first.
            EnvFiles::Explicit(paths) => (paths.iter().rev().cloned().collect::<Vec<_>>(), true),
            EnvFiles::Default => {
                let node_env = opts
                    .node_env
                    .clone()
                    .or_else(|| std::env::var("NODE_ENV").ok())
                    .filter(|v| !v.is_empty())
                    .unwrap_or_else(|| "development".to_owned());
                (default_chain(&opts.base_dir, &node_env), false)
            }
        };

        let mut env = Env {
            searched: candidates.clone(),
            ..Env::default()
        };
        let mut raw: BTreeMap<String, (Assignment, usize)> = BTreeMap::new();
        for path in candidates {
            let bytes = match std::fs::read(&path) {
                Ok(bytes) => bytes,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => continue,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(Error::NotFound { path })
                }
                // A directory or unreadable file in the chain is a mistake worth reporting.
                Err(source) => return Err(Error::Read { path, source }),
            };
            let index = env.loaded.len();
            env.loaded.push(path);
            // Within a file the last assignment wins (dotenv); across files the first file seen
            // (highest priority) keeps the key.
            let mut this_file = BTreeMap::new();
            for assignment in parse(&String::from_utf8_lossy(&bytes)) {
                this_file.insert(assignment.key.clone(), assignment);
            }
            for (key, assignment) in this_file {
                raw.entry(key).or_insert((assignment, index));
            }
        }

        let mut expander = Expander {
            raw: &raw,
            done: BTreeMap::new(),
            in_progress: BTreeSet::new(),
        };
        let keys: Vec<String> = raw.keys().cloned().collect();
        for key in keys {
            let value = expander.file_value(&key).unwrap_or_default();
            let index = raw.get(&key).map_or(0, |(_, i)| *i);
            env.from_files.insert(key, (value, index));
        }
        Ok(env)
    }

    /// The value of `key`: the real environment first, then the files in priority order.
    pub fn get(&self, key: &str) -> Option<String> {
        if let Some(value) = std::env::var_os(key) {
            return Some(value.to_string_lossy().into_owned());
        }
        self.from_files.get(key).map(|(value, _)| value.clone())
    }

    /// The auth token of a remote libSQL / Turso server: `LIBSQL_AUTH_TOKEN`, then
    /// `TURSO_AUTH_TOKEN`, each as [`Env::get`] finds it. Empty values count as unset.
    pub fn libsql_auth_token(&self) -> Option<String> {
        ["LIBSQL_AUTH_TOKEN", "TURSO_AUTH_TOKEN"]
            .iter()
            .find_map(|key| self.get(key).filter(|t| !t.trim().is_empty()))
    }

    /// Where [`Env::get`] would take `key` from.
    pub fn source(&self, key: &str) -> Option<EnvSource<'_>> {
        if std::env::var_os(key).is_some() {
            return Some(EnvSource::Process);
        }
        self.from_files
            .get(key)
            .and_then(|&(_, i)| self.loaded.get(i))
            .map(|p| EnvSource::File(p))
    }

    /// Files that existed and were loaded, highest priority first.
    pub fn loaded_files(&self) -> &[PathBuf] {
        &self.loaded
    }

    /// Every file that was looked for, highest priority first (for "DATABASE_URL is not set; looked in …").
    pub fn searched_files(&self) -> &[PathBuf] {
        &self.searched
    }
}

/// The default chain for `node_env`, highest priority first.
pub fn default_chain(base_dir: &Path, node_env: &str) -> Vec<PathBuf> {
    let mut names = vec![format!(".env.{node_env}.local")];
    if node_env != "test" {
        names.push(".env.local".to_owned());
    }
    names.push(format!(".env.{node_env}"));
    names.push(".env".to_owned());
    let mut paths: Vec<PathBuf> = names.into_iter().map(|n| base_dir.join(n)).collect();
    paths.push(base_dir.join("prisma").join(".env"));
    paths
}

/// One `KEY=value` as written, quotes removed, before expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Assignment {
    key: String,
    value: String,
    /// False for single-quoted values.
    expand: bool,
}

/// dotenv 16's `parse`, by hand: same line shapes, same quote handling, never fails.
fn parse(text: &str) -> Vec<Assignment> {
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < text.len() {
        match parse_assignment(&text, pos) {
            Some((assignment, next)) => {
                out.push(assignment);
                pos = next;
            }
            None => pos = line_end(&text, pos) + 1,
        }
    }
    out
}

fn line_end(text: &str, from: usize) -> usize {
    text[from..].find('\n').map_or(text.len(), |i| from + i)
}

fn skip_blanks(text: &str, mut i: usize) -> usize {
    while text[i..].starts_with([' ', '\t']) {
        i += 1;
    }
    i
}

/// Parses the assignment starting on the line at `start`; returns it and where the next line begins.
fn parse_assignment(text: &str, start: usize) -> Option<(Assignment, usize)> {
    let mut i = skip_blanks(text, start);
    if let Some(rest) = text[i..].strip_prefix("export") {
        if rest.starts_with([' ', '\t']) {
            i = skip_blanks(text, i + "export".len());
        }
    }
    let key_len = text[i..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'))
        .unwrap_or(text.len() - i);
    if key_len == 0 {
        return None;
    }
    let key = &text[i..i + key_len];
    i = skip_blanks(text, i + key_len);
    // `KEY=value`, or dotenv's YAML-ish `KEY: value` (the colon needs a blank after it).
    let equals = text[i..].starts_with('=');
    let colon = text[i..].starts_with(':') && text[i + 1..].starts_with([' ', '\t']);
    if !(equals || colon) {
        return None;
    }
    i += 1;
    i = skip_blanks(text, i);

    let quote = text[i..]
        .chars()
        .next()
        .filter(|c| matches!(c, '\'' | '"' | '`'));
    if let Some(q) = quote {
        if let Some(close) = closing_quote(text, i, q) {
            let mut value = text[i + 1..close].to_owned();
            if q == '"' {
                value = value.replace("\\n", "\n").replace("\\r", "\r");
            }
            let next = line_end(text, close) + 1;
            return Some((
                Assignment {
                    key: key.to_owned(),
                    value,
                    expand: q != '\'',
                },
                next,
            ));
        }
    }
    // Unquoted (or a quote that does not close properly): up to a comment or the end of the line.
    let end = line_end(text, i);
    let value_end = text[i..end].find('#').map_or(end, |h| i + h);
    let mut value = text[i..value_end].trim().to_owned();
    let first = value.chars().next();
    if value.len() >= 2
        && matches!(first, Some('\'' | '"' | '`'))
        && value.ends_with(first.unwrap_or(' '))
    {
        value = value[1..value.len() - 1].to_owned();
    }
    if first == Some('"') {
        value = value.replace("\\n", "\n").replace("\\r", "\r");
    }
    Some((
        Assignment {
            key: key.to_owned(),
            value,
            expand: first != Some('\''),
        },
        end + 1,
    ))
}

/// The closing quote for the value opening at `open`, as dotenv's regex finds it: the first
/// unescaped quote if only blanks or a comment follow it on its line, else (backtracking) the
/// latest escaped one that satisfies that.
fn closing_quote(text: &str, open: usize, q: char) -> Option<usize> {
    let tail_ok = |close: usize| {
        let rest = text[close + 1..line_end(text, close)].trim_start();
        rest.is_empty() || rest.starts_with('#')
    };
    let mut escaped = Vec::new();
    let mut chars = text[open + 1..]
        .char_indices()
        .map(|(k, c)| (open + 1 + k, c))
        .peekable();
    while let Some((k, c)) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|&(_, n)| n == q) {
            if let Some((k2, _)) = chars.next() {
                escaped.push(k2);
            }
        } else if c == q {
            if tail_ok(k) {
                return Some(k);
            }
            break;
        }
    }
    escaped.into_iter().rev().find(|&k| tail_ok(k))
}

/// Expands file values on demand, memoized, with cycles broken (a cyclic reference stays as written).
struct Expander<'a> {
    raw: &'a BTreeMap<String, (Assignment, usize)>,
    done: BTreeMap<String, String>,
    in_progress: BTreeSet<String>,
}

impl Expander<'_> {
    /// The expanded value of a key defined in a file.
    fn file_value(&mut self, key: &str) -> Option<String> {
        if let Some(v) = self.done.get(key) {
            return Some(v.clone());
        }
        let (assignment, _) = self.raw.get(key)?;
        if !self.in_progress.insert(key.to_owned()) {
            return None;
        }
        let value = if assignment.expand {
            self.expand(&assignment.value)
        } else {
            assignment.value.clone()
        };
        self.in_progress.remove(key);
        self.done.insert(key.to_owned(), value.clone());
        Some(value)
    }

    /// A referenced variable: the real environment first, then the files.
    fn lookup(&mut self, name: &str) -> Option<String> {
        match std::env::var_os(name) {
            Some(v) => Some(v.to_string_lossy().into_owned()),
            None => self.file_value(name),
        }
    }

    fn expand(&mut self, value: &str) -> String {
        let mut out = String::with_capacity(value.len());
        let mut i = 0;
        while i < value.len() {
            let rest = &value[i..];
            if rest.starts_with("\\$") {
                out.push('$');
                i += 2;
            } else if let Some(after) = rest.strip_prefix("${") {
                match self.braced(after) {
                    Some((text, used)) => {
                        out.push_str(&text);
                        i += 2 + used;
                    }
                    None => {
                        out.push_str("${");
                        i += 2;
                    }
                }
            } else if let Some(after) = rest.strip_prefix('$') {
                let len = name_len(after);
                if len == 0 {
                    out.push('$');
                    i += 1;
                } else {
                    let name = &after[..len];
                    match self.lookup(name) {
                        Some(v) => out.push_str(&v),
                        None => {
                            out.push('$');
                            out.push_str(name);
                        }
                    }
                    i += 1 + len;
                }
            } else {
                let c = rest.chars().next().unwrap_or(' ');
                out.push(c);
                i += c.len_utf8();
            }
        }
        out
    }

    /// `NAME}` or `NAME:-default}` after `${`: the replacement and how many bytes it used.
    fn braced(&mut self, after: &str) -> Option<(String, usize)> {
        let len = name_len(after);
        if len == 0 {
            return None;
        }
        let name = &after[..len];
        let rest = &after[len..];
        if rest.starts_with('}') {
            let text = self.lookup(name).unwrap_or_else(|| format!("${{{name}}}"));
            return Some((text, len + 1));
        }
        let default_src = rest.strip_prefix(":-")?;
        // The default ends at the `}` matching our `${`, so nested `${…}` defaults work.
        let mut depth = 0usize;
        let mut end = None;
        let bytes = default_src.as_bytes();
        let mut k = 0;
        while k < bytes.len() {
            match bytes[k] {
                b'$' if bytes.get(k + 1) == Some(&b'{') => {
                    depth += 1;
                    k += 1;
                }
                b'}' if depth == 0 => {
                    end = Some(k);
                    break;
                }
                b'}' => depth -= 1,
                _ => {}
            }
            k += 1;
        }
        let end = end?;
        let text = match self.lookup(name).filter(|v| !v.is_empty()) {
            Some(v) => v,
            None => self.expand(&default_src[..end]),
        };
        Some((text, len + 2 + end + 1))
    }
}

/// Length of a `\w+` variable name at the start of `s`.
fn name_len(s: &str) -> usize {
    s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn opts(dir: &Path, node_env: &str) -> EnvOptions {
        EnvOptions {
            base_dir: dir.to_path_buf(),
            files: EnvFiles::Default,
            node_env: Some(node_env.to_owned()),
        }
    }

    fn parsed(text: &str) -> Vec<(String, String)> {
        parse(text).into_iter().map(|a| (a.key, a.value)).collect()
    }

    fn pair(k: &str, v: &str) -> (String, String) {
        (k.to_owned(), v.to_owned())
    }

    #[test]
    fn dotenv_line_syntax() {
        let text = "\u{feff}# comment\n\
                    A=1\r\n\
                    export B = two words  # comment\n\
                    C: colon\n\
                    D='single # not comment'\n\
                    E=\"double\\nline\"\n\
                    F=`back`\n\
                    G=\"multi\nline\"\n\
                    H=unquoted#comment\n\
                    I=\n\
                    not an assignment\n\
                    J=\"a\" trailing\n\
                    K=\"esc \\\" quote\"\n\
                    A=last\n";
        assert_eq!(
            parsed(text),
            vec![
                pair("A", "1"),
                pair("B", "two words"),
                pair("C", "colon"),
                pair("D", "single # not comment"),
                pair("E", "double\nline"),
                pair("F", "back"),
                pair("G", "multi\nline"),
                pair("H", "unquoted"),
                pair("I", ""),
                pair("J", "\"a\" trailing"),
                pair("K", "esc \\\" quote"),
                pair("A", "last"),
            ]
        );
    }

    // Keys carry a test-specific prefix so the real environment cannot interfere.
    #[test]
    fn next_js_priority_order() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(
            d,
            ".env",
            "DPT1_A=env\nDPT1_B=env\nDPT1_C=env\nDPT1_D=env\nDPT1_E=env\n",
        );
        write(
            d,
            ".env.development",
            "DPT1_A=dev\nDPT1_B=dev\nDPT1_C=dev\n",
        );
        write(d, ".env.local", "DPT1_A=local\nDPT1_B=local\n");
        write(d, ".env.development.local", "DPT1_A=devlocal\n");
        write(d, "prisma/.env", "DPT1_D=prisma\nDPT1_F=prisma\n");
        let env = Env::load(&opts(d, "development")).unwrap();
        assert_eq!(env.get("DPT1_A").as_deref(), Some("devlocal"));
        assert_eq!(env.get("DPT1_B").as_deref(), Some("local"));
        assert_eq!(env.get("DPT1_C").as_deref(), Some("dev"));
        assert_eq!(env.get("DPT1_D").as_deref(), Some("env"));
        assert_eq!(env.get("DPT1_F").as_deref(), Some("prisma"));
        assert_eq!(env.get("DPT1_MISSING"), None);
        let names: Vec<_> = env
            .loaded_files()
            .iter()
            .map(|p| p.strip_prefix(d).unwrap().to_path_buf())
            .collect();
        assert_eq!(
            names,
            [
                ".env.development.local",
                ".env.local",
                ".env.development",
                ".env",
                "prisma/.env"
            ]
            .map(PathBuf::from)
        );
        assert_eq!(
            env.source("DPT1_C"),
            Some(EnvSource::File(&d.join(".env.development")))
        );
    }

    #[test]
    fn test_env_skips_env_local() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), ".env.local", "DPT2_A=local\n");
        write(dir.path(), ".env.test", "DPT2_A=test\n");
        let env = Env::load(&opts(dir.path(), "test")).unwrap();
        assert_eq!(env.get("DPT2_A").as_deref(), Some("test"));
        assert!(!env
            .searched_files()
            .iter()
            .any(|p| p.ends_with(".env.local")));
    }

    #[test]
    fn process_environment_wins() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), ".env", "PATH=/from-dotenv\nDPT6_P=\"$PATH\"\n");
        let env = Env::load(&opts(dir.path(), "development")).unwrap();
        assert_eq!(env.get("PATH"), std::env::var("PATH").ok());
        assert_eq!(env.source("PATH"), Some(EnvSource::Process));
        assert_eq!(env.get("DPT6_P"), std::env::var("PATH").ok());
    }

    #[test]
    fn expansion() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), ".env", "DPT3_HOST=db.internal\nDPT3_PASS=from-env\nDPT3_URL=postgres://$DPT3_USER:${DPT3_PASS}@$DPT3_HOST/x\n");
        write(
            dir.path(),
            ".env.local",
            "export DPT3_USER=app # trailing comment\n\
             DPT3_PASS=override\n\
             DPT3_SINGLE='no $DPT3_USER here'\n\
             DPT3_ESCAPED=\"cost \\$5\"\n\
             DPT3_UNKNOWN=\"pa$word and ${DPT3_NOPE}\"\n\
             DPT3_DEFAULT=${DPT3_NOPE:-${DPT3_NOPE2:-fallback}}/${DPT3_USER:-unused}\n\
             DPT3_CYCLE_A=$DPT3_CYCLE_B\n\
             DPT3_CYCLE_B=$DPT3_CYCLE_A\n",
        );
        let env = Env::load(&opts(dir.path(), "development")).unwrap();
        // `.env` sees the override from `.env.local` and a key defined only there.
        assert_eq!(
            env.get("DPT3_URL").as_deref(),
            Some("postgres://app:override@db.internal/x")
        );
        assert_eq!(
            env.get("DPT3_SINGLE").as_deref(),
            Some("no $DPT3_USER here")
        );
        assert_eq!(env.get("DPT3_ESCAPED").as_deref(), Some("cost $5"));
        assert_eq!(
            env.get("DPT3_UNKNOWN").as_deref(),
            Some("pa$word and ${DPT3_NOPE}")
        );
        assert_eq!(env.get("DPT3_DEFAULT").as_deref(), Some("fallback/app"));
        assert!(env.get("DPT3_CYCLE_A").is_some());
    }

    #[test]
    fn explicit_files_replace_chain_and_later_wins() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), ".env", "DPT4_A=default\n");
        write(dir.path(), "one.env", "DPT4_A=one\nDPT4_B=one\n");
        write(dir.path(), "two.env", "DPT4_A=two\n");
        let files =
            EnvFiles::Explicit(vec![dir.path().join("one.env"), dir.path().join("two.env")]);
        let env = Env::load(&EnvOptions {
            files,
            ..opts(dir.path(), "development")
        })
        .unwrap();
        assert_eq!(env.get("DPT4_A").as_deref(), Some("two"));
        assert_eq!(env.get("DPT4_B").as_deref(), Some("one"));
        assert_eq!(
            env.loaded_files(),
            [dir.path().join("two.env"), dir.path().join("one.env")]
        );

        let files = EnvFiles::Explicit(vec![dir.path().join("missing.env")]);
        let err = Env::load(&EnvOptions {
            files,
            ..opts(dir.path(), "development")
        })
        .unwrap_err();
        assert!(matches!(err, Error::NotFound { .. }), "{err}");

        let env = Env::load(&EnvOptions {
            files: EnvFiles::Disabled,
            ..opts(dir.path(), "development")
        })
        .unwrap();
        assert_eq!(env.get("DPT4_A"), None);
        assert!(env.loaded_files().is_empty());
    }

    #[test]
    fn a_directory_in_the_chain_is_an_error_without_values() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".env")).unwrap();
        let err = Env::load(&opts(dir.path(), "development")).unwrap_err();
        assert!(matches!(err, Error::Read { .. }), "{err}");
    }
}
