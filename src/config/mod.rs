//! Project configuration read into plain settings: `drizzle.config.*`, `prisma.config.*`,
//! `package.json` and the Prisma schema's `datasource`. The CLI hands in the project root; nothing
//! here looks at the working directory or the environment by itself (env values are resolved by the
//! caller through [`env::Env`], the one reader of env files and the process environment).
//!
//! Config files are TypeScript or JavaScript, so they are parsed with oxc and only what is static
//! is evaluated ([`js`]). Anything else becomes an error naming the expression, its file:line:col
//! and the flag that replaces it, raised only when that setting is actually needed.

pub mod drizzle;
pub mod env;
pub mod js;
pub mod prisma;
pub mod project;

use std::path::{Component, Path, PathBuf};

/// Why a config file could not give a setting.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{location}: {message}")]
    Syntax { location: String, message: String },
    /// A setting whose expression cannot be evaluated without running the file.
    #[error("{location}: `{key}: {expr}` cannot be read without running the file (drizzle-port reads string literals, template strings, path.join/resolve with __dirname, and process.env.X / env(\"X\") for URLs and tokens); pass {flag} instead")]
    Dynamic {
        location: String,
        key: String,
        expr: String,
        flag: String,
    },
    #[error("{location}: {message}")]
    Shape { location: String, message: String },
}

/// A string setting: literal text, or text that names environment variables
/// (`process.env.X`, `env("X")`, `` `${process.env.X}` ``), resolved by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Literal(String),
    /// `process.env.NAME`, optionally `?? "default"` / `|| "default"`.
    Env {
        name: String,
        default: Option<String>,
    },
}

impl Text {
    pub fn literal(s: impl Into<String>) -> Text {
        Text {
            parts: vec![Part::Literal(s.into())],
        }
    }

    /// The text when it names no variable.
    pub fn as_literal(&self) -> Option<String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(s) => out.push_str(s),
                Part::Env { .. } => return None,
            }
        }
        Some(out)
    }

    /// The variables it names, in order.
    pub fn env_names(&self) -> Vec<&str> {
        self.parts
            .iter()
            .filter_map(|p| match p {
                Part::Env { name, .. } => Some(name.as_str()),
                Part::Literal(_) => None,
            })
            .collect()
    }

    /// The text with every variable looked up; `Err(name)` for the first one that is unset.
    pub fn resolve(&self, lookup: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(s) => out.push_str(s),
                Part::Env { name, default } => {
                    match lookup(name).filter(|v| !v.is_empty()).or(default.clone()) {
                        Some(v) => out.push_str(&v),
                        None => return Err(name.clone()),
                    }
                }
            }
        }
        Ok(out)
    }
}

/// A setting as found in a file: absent, a value, or an expression that is not static.
#[derive(Debug, Default)]
pub enum Field<T> {
    #[default]
    Absent,
    Set(T),
    Dynamic {
        location: String,
        key: String,
        expr: String,
    },
}

impl<T> Field<T> {
    /// The same setting with its value (if any) turned by `f`; absent and dynamic stay as they are.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Field<U> {
        match self {
            Field::Set(v) => Field::Set(f(v)),
            other => other.without_value(),
        }
    }

    /// A dynamic expression stays one, of any type; anything else is absent.
    pub fn without_value<U>(self) -> Field<U> {
        match self {
            Field::Absent | Field::Set(_) => Field::Absent,
            Field::Dynamic {
                location,
                key,
                expr,
            } => Field::Dynamic {
                location,
                key,
                expr,
            },
        }
    }
}

impl<T: Clone> Field<T> {
    /// The value, or the error that names `flag` as the way around a dynamic expression.
    pub fn get(&self, flag: &str) -> Result<Option<T>, ConfigError> {
        match self {
            Field::Absent => Ok(None),
            Field::Set(v) => Ok(Some(v.clone())),
            Field::Dynamic {
                location,
                key,
                expr,
            } => Err(ConfigError::Dynamic {
                location: location.clone(),
                key: key.clone(),
                expr: expr.clone(),
                flag: flag.to_owned(),
            }),
        }
    }

    /// The value when it is static (for hints that may quietly do without it).
    pub fn value(&self) -> Option<&T> {
        match self {
            Field::Set(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, Field::Absent)
    }
}

/// `base` joined with `rel`, lexically cleaned: `.` joined with `./prisma` is `prisma`, not
/// `././prisma`. `..` is kept (no symlink is resolved).
pub fn join_clean(base: &Path, rel: &Path) -> PathBuf {
    clean(&base.join(rel))
}

/// Drops `.` components and folds `x/..` where `x` is a normal component.
pub fn clean(path: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

/// `path` relative to `base` when it lies below it, else as it is; spelled `./x` for drizzle.config.
pub fn config_relative(base: &Path, path: &Path) -> String {
    let path = clean(path);
    let base = clean(base);
    let rel = if base == Path::new(".") {
        path.clone()
    } else {
        path.strip_prefix(&base)
            .map(Path::to_path_buf)
            .unwrap_or(path.clone())
    };
    let text = rel.display().to_string().replace('\\', "/");
    if rel.is_absolute() || text.starts_with("../") || text == ".." {
        text
    } else if text == "." {
        "./".to_owned()
    } else {
        format!("./{text}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_paths() {
        assert_eq!(
            join_clean(Path::new("."), Path::new("./prisma")),
            PathBuf::from("prisma")
        );
        assert_eq!(clean(Path::new("a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(
            config_relative(Path::new("."), Path::new("drizzle")),
            "./drizzle"
        );
        assert_eq!(
            config_relative(Path::new("."), Path::new("./db/migrations")),
            "./db/migrations"
        );
    }

    #[test]
    fn text_resolves() {
        let t = Text {
            parts: vec![
                Part::Literal("a".into()),
                Part::Env {
                    name: "X".into(),
                    default: None,
                },
            ],
        };
        assert_eq!(t.resolve(&|_| Some("b".into())), Ok("ab".into()));
        assert_eq!(t.resolve(&|_| None), Err("X".into()));
    }
}
