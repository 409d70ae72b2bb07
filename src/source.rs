//! Where a schema comes from: a `.prisma` file or folder, a model YAML, or (later) a live database.
//! (Finding the schema when none is named is `config::prisma::discover_schema`.)

use std::path::{Path, PathBuf};

use crate::connect::sqlite;
use crate::introspect;
pub use crate::model::SourceKind;
use crate::model::{Dialect, Schema};
use crate::prisma;

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error(transparent)]
    Prisma(#[from] prisma::LoadError),
    #[error("cannot read `{}`: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("`{}` is not a valid model YAML: {message}", path.display())]
    Yaml { path: PathBuf, message: String },
    #[error("no Prisma schema found: looked for {looked}. Name one: `drizzle-port convert path/to/schema.prisma`")]
    NotFound { looked: String },
    #[error("live database sources ({scheme}://) are not supported by this version yet; convert the Prisma schema instead")]
    DatabaseNotSupported { scheme: String },
    /// Reading a live PostgreSQL database failed (one line, never the password).
    #[error(transparent)]
    Introspect(#[from] introspect::Error),
    /// Two sides of a comparison in different dialects.
    #[error("cannot compare a {} schema with a {} one", .left.as_str(), .right.as_str())]
    DialectMismatch { left: Dialect, right: Dialect },
    /// Hybrid mode (`--url`) misused.
    #[error("{0}")]
    Hybrid(String),
    /// A drizzle-kit migrations folder whose snapshot cannot be read.
    #[error(transparent)]
    Snapshot(#[from] introspect::migrations::SnapshotError),
    /// An input file that is not a bounded, regular UTF-8 text file.
    #[error(transparent)]
    Input(#[from] crate::input::InputError),
    /// A project config file that cannot be read.
    #[error("{0}")]
    Config(String),
    /// One file of a multi-file schema folder named on its own.
    #[error("{file} is part of a schema folder ({count} .prisma files in {dir}): pass the folder, `{dir}`")]
    PartOfFolder {
        file: String,
        dir: String,
        count: usize,
    },
    /// A source that holds no table: an output would be empty, which is never what was meant.
    #[error("{display} has no tables: {why}")]
    Empty { display: String, why: String },
}

/// Is this argument a database URL rather than a path?
pub fn url_scheme(source: &str) -> Option<&str> {
    let (scheme, _) = source.split_once("://")?;
    scheme
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '+')
        .then_some(scheme)
}

/// How to read a source.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Database schemas to introspect (default: `public`).
    pub schemas: Vec<String>,
    /// Token for a remote libSQL server (`--auth-token`, or
    /// [`crate::config::env::Env::libsql_auth_token`]); nothing is looked up here.
    pub auth_token: Option<String>,
    /// How long a SQLite file waits for another connection's lock; `None`:
    /// [`crate::connect::sqlite::DEFAULT_BUSY_TIMEOUT`].
    pub busy_timeout: Option<std::time::Duration>,
}

impl LoadOptions {
    /// How to read a PostgreSQL source: the named schemas, else `public`.
    pub fn postgres(&self) -> introspect::PgIntrospectOptions {
        let mut opts = introspect::PgIntrospectOptions::default();
        if !self.schemas.is_empty() {
            opts.schemas = self.schemas.clone();
        }
        opts
    }

    /// The options for reading a database to compare with `other`: `public` plus every schema
    /// `other` uses, unless schemas were named.
    pub fn covering(&self, other: &Schema) -> LoadOptions {
        let mut options = self.clone();
        if options.schemas.is_empty() && !other.namespaces.is_empty() {
            options.schemas = std::iter::once("public".to_string())
                .chain(other.namespaces.iter().filter(|n| *n != "public").cloned())
                .collect();
        }
        options
    }
}

/// A loaded source: the model, what was left out or read with a loss, and a printable name
/// (a database URL with its password redacted).
#[derive(Debug, Clone)]
pub struct Loaded {
    pub schema: Schema,
    pub notes: Vec<String>,
    pub display: String,
    pub kind: SourceKind,
}

impl Loaded {
    /// A PostgreSQL database read from `url`, named by the URL without its password.
    pub fn database(url: &str, schema: Schema, notes: Vec<String>) -> Loaded {
        Loaded {
            schema,
            notes,
            display: crate::connect::postgres::redact_url(url),
            kind: SourceKind::Database,
        }
    }

    /// Itself when it holds at least one table, else an error saying what usually causes that.
    pub fn require_tables(self, options: &LoadOptions) -> Result<Loaded, SourceError> {
        if !self.schema.tables.is_empty() {
            return Ok(self);
        }
        let why = match self.kind {
            SourceKind::Prisma => "the schema declares no model; is this the right schema file or folder? (a schema folder needs every .prisma file in it)".to_string(),
            SourceKind::Database if self.schema.dialect == crate::model::Dialect::Postgresql => {
                let schemas = if options.schemas.is_empty() {
                    "public".to_string()
                } else {
                    options.schemas.join(", ")
                };
                format!("the database schema(s) {schemas} hold no table; is the database empty, or do the tables live in another schema (--schemas)?")
            }
            SourceKind::Database => "the database is empty; is this the right file or URL?".to_string(),
            SourceKind::Migrations => "its latest snapshot holds no table".to_string(),
            SourceKind::Model => "the model lists no table".to_string(),
        };
        Err(SourceError::Empty {
            display: self.display,
            why,
        })
    }
}

/// Is this source a PostgreSQL connection string (URL or `key=value` form)?
pub fn is_postgres(source: &str) -> bool {
    match url_scheme(source) {
        Some(scheme) => {
            scheme.eq_ignore_ascii_case("postgres") || scheme.eq_ignore_ascii_case("postgresql")
        }
        None => crate::connect::postgres::is_key_value_string(source),
    }
}

/// The kind of `source` without reading it.
pub fn kind_of(source: &str) -> SourceKind {
    let path = Path::new(source);
    if sqlite::is_sqlite_source(source)
        || url_scheme(source).is_some()
        || crate::connect::postgres::is_key_value_string(source)
    {
        SourceKind::Database
    } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
        SourceKind::Model
    } else if introspect::migrations::is_migrations_folder(path) {
        SourceKind::Migrations
    } else {
        SourceKind::Prisma
    }
}

/// Loads any supported source into the model.
pub fn load(source: &str) -> Result<Schema, SourceError> {
    load_with(source, &LoadOptions::default()).map(|l| l.schema)
}

/// Loads any supported source, keeping the introspection notes for the loss report.
pub fn load_with(source: &str, options: &LoadOptions) -> Result<Loaded, SourceError> {
    if sqlite::is_sqlite_source(source) {
        let opts = sqlite::ConnectOptions {
            auth_token: options.auth_token.clone().filter(|t| !t.is_empty()),
            busy_timeout: options.busy_timeout.unwrap_or(sqlite::DEFAULT_BUSY_TIMEOUT),
            ..Default::default()
        };
        // The overall limit must leave room for the wait it was given.
        let opts = sqlite::ConnectOptions {
            timeout: opts.timeout.max(opts.busy_timeout * 2),
            ..opts
        };
        let (schema, report) = introspect::sqlite::introspect_sqlite_with_report(source, &opts)?;
        return Ok(Loaded {
            schema,
            notes: report.notes,
            display: sqlite::redact(source),
            kind: SourceKind::Database,
        });
    }
    if is_postgres(source) {
        let (schema, report) =
            introspect::introspect_postgres_url_with_report(source, &options.postgres())?;
        return Ok(Loaded::database(source, schema, report.notes));
    }
    if url_scheme(source).is_some() {
        return Err(SourceError::DatabaseNotSupported {
            scheme: url_scheme(source).unwrap_or_default().to_string(),
        });
    }
    let path = Path::new(source);
    let is_yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
    if is_yaml {
        let text = crate::input::read_text(path)?;
        let schema = Schema::from_yaml(&text).map_err(|e| SourceError::Yaml {
            path: path.into(),
            message: e.to_string(),
        })?;
        return Ok(Loaded {
            schema,
            notes: Vec::new(),
            display: source.to_string(),
            kind: SourceKind::Model,
        });
    }
    if introspect::migrations::is_migrations_folder(path) {
        return Ok(Loaded {
            schema: introspect::migrations::read_migrations_folder(path)?,
            notes: Vec::new(),
            display: source.to_string(),
            kind: SourceKind::Migrations,
        });
    }
    let schema = match prisma::load(path) {
        Ok(schema) => schema,
        Err(e @ prisma::LoadError::Invalid(_)) => {
            // One file of a folder schema misses the others' models and the datasource: dozens of
            // "unknown type" errors would hide the real mistake.
            return Err(part_of_folder(path).unwrap_or(SourceError::Prisma(e)));
        }
        Err(e) => return Err(e.into()),
    };
    Ok(Loaded {
        schema,
        notes: Vec::new(),
        display: source.to_string(),
        kind: SourceKind::Prisma,
    })
}

/// The error for a `.prisma` file that belongs to a schema folder: one of its first three
/// ancestors holds more `.prisma` files and loads as a valid schema as a whole.
fn part_of_folder(path: &Path) -> Option<SourceError> {
    if !path.is_file() {
        return None;
    }
    let mut dir = path.parent();
    for _ in 0..3 {
        let d = dir.filter(|d| !d.as_os_str().is_empty())?;
        if let Ok(set) = prisma::SourceSet::load(d) {
            let count = set.files.len();
            if count > 1 && prisma::lower_sources(&set).is_ok() {
                return Some(SourceError::PartOfFolder {
                    file: path.display().to_string(),
                    dir: d.display().to_string(),
                    count,
                });
            }
        }
        dir = d.parent();
    }
    None
}
