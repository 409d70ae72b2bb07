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
//! Parsing of each file (quotes, `export `, comments, `$VAR` / `${VAR}` expansion) is dotenvy's.
//! Files are expanded lowest priority first, so a value may refer to a variable from a
//! lower-priority file or from the real environment; unknown variables expand to "".

use std::collections::BTreeMap;
use std::io::Read;
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
    /// Directory the default chain is looked up in (relative explicit paths are relative to the
    /// current directory, as a shell user expects). Empty means the current directory.
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

    #[error("could not parse env file {} at line {line}{}", .path.display(), .key.as_deref().map(|k| format!(" ({k})")).unwrap_or_default())]
    Parse { path: PathBuf, line: usize, key: Option<String> },
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
    /// key → (value, index into `loaded`) of the highest-priority file defining it.
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

        let mut env = Env { searched: candidates.clone(), ..Env::default() };
        let mut contents = Vec::new();
        for path in candidates {
            match std::fs::read(&path) {
                Ok(bytes) => {
                    env.loaded.push(path);
                    contents.push(bytes);
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Error::NotFound { path }),
                // A directory or unreadable file in the chain is a mistake worth reporting.
                Err(source) => return Err(Error::Read { path, source }),
            }
        }

        // Per file first, so a syntax error names its file and line, and each key's source is known.
        for (i, (path, bytes)) in env.loaded.iter().zip(&contents).enumerate() {
            for item in dotenvy::from_read_iter(bytes.as_slice()) {
                let (key, value) = item.map_err(|e| parse_error(path, bytes, e))?;
                // Entry API keeps the first (highest-priority) file as the source.
                env.from_files.entry(key).or_insert((value, i));
            }
        }

        // Then all files as one stream, lowest priority first, so `$VAR` in a file can see
        // variables of the files below it (dotenvy expands against earlier lines + process env).
        let mut merged: Box<dyn Read + '_> = Box::new(std::io::empty());
        for bytes in contents.iter().rev() {
            merged = Box::new(merged.chain(bytes.as_slice()).chain(&b"\n"[..]));
        }
        let mut expanded = BTreeMap::new();
        for item in dotenvy::from_read_iter(merged) {
            // Each file parsed on its own above, so an error here has no better location.
            let (key, value) = item.map_err(|_| Error::Parse {
                path: env.loaded.first().cloned().unwrap_or_default(),
                line: 0,
                key: None,
            })?;
            expanded.insert(key, value);
        }
        for (key, (value, _)) in env.from_files.iter_mut() {
            if let Some(v) = expanded.remove(key) {
                *value = v;
            }
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

    /// Where [`Env::get`] would take `key` from.
    pub fn source(&self, key: &str) -> Option<EnvSource<'_>> {
        if std::env::var_os(key).is_some() {
            return Some(EnvSource::Process);
        }
        self.from_files.get(key).map(|&(_, i)| EnvSource::File(&self.loaded[i]))
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

/// Turns dotenvy's error (which quotes the offending line, possibly a secret) into file + line.
fn parse_error(path: &Path, bytes: &[u8], err: dotenvy::Error) -> Error {
    match err {
        dotenvy::Error::LineParse(bad, _) => {
            let text = String::from_utf8_lossy(bytes);
            let line = text.find(bad.as_str()).map_or(0, |at| text[..at].matches('\n').count() + 1);
            let head = bad.trim_start();
            let head = head.strip_prefix("export ").unwrap_or(head);
            let key = head
                .split_once('=')
                .map(|(k, _)| k.trim())
                .filter(|k| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.'))
                .map(str::to_owned);
            Error::Parse { path: path.to_path_buf(), line, key }
        }
        dotenvy::Error::Io(source) => Error::Read { path: path.to_path_buf(), source },
        _ => Error::Parse { path: path.to_path_buf(), line: 0, key: None },
    }
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
        EnvOptions { base_dir: dir.to_path_buf(), files: EnvFiles::Default, node_env: Some(node_env.to_owned()) }
    }

    // Keys carry a test-specific prefix so the real environment cannot interfere.
    #[test]
    fn next_js_priority_order() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, ".env", "DPT1_A=env\nDPT1_B=env\nDPT1_C=env\nDPT1_D=env\nDPT1_E=env\n");
        write(d, ".env.development", "DPT1_A=dev\nDPT1_B=dev\nDPT1_C=dev\n");
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
        let names: Vec<_> = env.loaded_files().iter().map(|p| p.strip_prefix(d).unwrap().to_path_buf()).collect();
        assert_eq!(
            names,
            [".env.development.local", ".env.local", ".env.development", ".env", "prisma/.env"].map(PathBuf::from)
        );
        assert_eq!(env.source("DPT1_C"), Some(EnvSource::File(&d.join(".env.development"))));
    }

    #[test]
    fn test_env_skips_env_local() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), ".env.local", "DPT2_A=local\n");
        write(dir.path(), ".env.test", "DPT2_A=test\n");
        let env = Env::load(&opts(dir.path(), "test")).unwrap();
        assert_eq!(env.get("DPT2_A").as_deref(), Some("test"));
        assert!(!env.searched_files().iter().any(|p| p.ends_with(".env.local")));
    }

    #[test]
    fn process_environment_wins() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), ".env", "PATH=/from-dotenv\n");
        let env = Env::load(&opts(dir.path(), "development")).unwrap();
        assert_eq!(env.get("PATH"), std::env::var("PATH").ok());
        assert_eq!(env.source("PATH"), Some(EnvSource::Process));
    }

    #[test]
    fn syntax_quotes_export_comments_and_expansion() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), ".env", "DPT3_HOST=db.internal\n# comment\n");
        write(
            dir.path(),
            ".env.local",
            "export DPT3_USER=app # trailing comment\n\
             DPT3_URL=\"postgres://${DPT3_USER}@$DPT3_HOST/x\"\n\
             DPT3_SINGLE='no $DPT3_USER here'\n\
             DPT3_MULTI=\"a\\nb\"\n",
        );
        let env = Env::load(&opts(dir.path(), "development")).unwrap();
        assert_eq!(env.get("DPT3_USER").as_deref(), Some("app"));
        assert_eq!(env.get("DPT3_URL").as_deref(), Some("postgres://app@db.internal/x"));
        assert_eq!(env.get("DPT3_SINGLE").as_deref(), Some("no $DPT3_USER here"));
        assert_eq!(env.get("DPT3_MULTI").as_deref(), Some("a\nb"));
    }

    #[test]
    fn explicit_files_replace_chain_and_later_wins() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), ".env", "DPT4_A=default\n");
        write(dir.path(), "one.env", "DPT4_A=one\nDPT4_B=one\n");
        write(dir.path(), "two.env", "DPT4_A=two\n");
        let files = EnvFiles::Explicit(vec![dir.path().join("one.env"), dir.path().join("two.env")]);
        let env = Env::load(&EnvOptions { files, ..opts(dir.path(), "development") }).unwrap();
        assert_eq!(env.get("DPT4_A").as_deref(), Some("two"));
        assert_eq!(env.get("DPT4_B").as_deref(), Some("one"));
        assert_eq!(env.loaded_files(), [dir.path().join("two.env"), dir.path().join("one.env")]);

        let files = EnvFiles::Explicit(vec![dir.path().join("missing.env")]);
        let err = Env::load(&EnvOptions { files, ..opts(dir.path(), "development") }).unwrap_err();
        assert!(matches!(err, Error::NotFound { .. }), "{err}");

        let env = Env::load(&EnvOptions { files: EnvFiles::Disabled, ..opts(dir.path(), "development") }).unwrap();
        assert_eq!(env.get("DPT4_A"), None);
        assert!(env.loaded_files().is_empty());
    }

    #[test]
    fn parse_errors_name_file_and_line_but_not_the_value() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), ".env", "DPT5_OK=1\nDPT5_URL=\"postgres://u:s3cret@h/db\n");
        let err = Env::load(&opts(dir.path(), "development")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains(".env") && msg.contains("line 2"), "{msg}");
        assert!(!msg.contains("s3cret"), "{msg}");
    }
}
