//! A live database as one side of a command, read over one connection: its model, the spellings
//! of the other side's literal defaults it rewrites, and Prisma's record of the migrations it
//! ran. Orchestration only: connecting is [`crate::connect`]'s, reading [`crate::introspect`]'s,
//! comparing and merging [`crate::compare`]'s.

use std::path::Path;

use tokio_postgres::Client;

use crate::compare::{self, hybrid::merge, literals, Diff, DiffOptions};
use crate::connect::postgres::{self as pg, ConnectOptions};
use crate::introspect::{self, postgres as pg_read};
use crate::model::{Schema, SourceKind};
use crate::prisma::history::History;
use crate::source::{self, LoadOptions, Loaded, SourceError};

/// A database read to be compared with another side.
#[derive(Debug)]
pub struct DatabaseRead {
    pub loaded: Loaded,
    /// Why the other side's literal defaults are compared as written (asking the database failed).
    pub literal_warning: Option<introspect::Error>,
    /// Where the database's `_prisma_migrations` and the history given disagree.
    pub history_notes: Vec<String>,
}

/// Reads the database `url` to compare `other` with it, on one connection for PostgreSQL: its
/// model, the database's spelling of `other`'s literal defaults it rewrites (taken into `other`
/// where they are the same value), and, when `history` is given, its `_prisma_migrations`
/// against that history. A source that is no database is loaded and returned as it is.
pub fn read_to_compare(
    url: &str,
    options: &LoadOptions,
    other: &mut Schema,
    history: Option<&History>,
) -> Result<DatabaseRead, SourceError> {
    if source::is_postgres(url) {
        return read_postgres(url, options, other, history);
    }
    let loaded = source::load_with(url, options)?;
    let history_notes = match history {
        Some(history) if loaded.kind == SourceKind::Database => {
            let busy_timeout = options
                .busy_timeout
                .unwrap_or(crate::connect::sqlite::DEFAULT_BUSY_TIMEOUT);
            let applied =
                introspect::prisma_migrations(url, options.auth_token.clone(), busy_timeout);
            compare::history::applied_notes(history, applied)
        }
        _ => Vec::new(),
    };
    Ok(DatabaseRead {
        loaded,
        literal_warning: None,
        history_notes,
    })
}

fn read_postgres(
    url: &str,
    options: &LoadOptions,
    other: &mut Schema,
    history: Option<&History>,
) -> Result<DatabaseRead, SourceError> {
    let opts = options.postgres();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| introspect::Error::Runtime(e.to_string()))?;
    runtime.block_on(async {
        let connect = ConnectOptions {
            connect_timeout: opts.connect_timeout,
            ..ConnectOptions::default()
        };
        let client = pg::connect(url, connect)
            .await
            .map_err(introspect::Error::from)?;
        let (mut schema, report) = pg_read::introspect_postgres_with_report(&client, &opts).await?;
        schema.source = Some(pg::redact_url(url));
        let literal_warning = align_literals(&mut [other], &schema, &client).await.err();
        let history_notes = match history {
            Some(history) => compare::history::applied_notes(
                history,
                pg_read::prisma_migrations_with(&client).await,
            ),
            None => Vec::new(),
        };
        Ok(DatabaseRead {
            loaded: Loaded::database(url, schema, report.notes),
            literal_warning,
            history_notes,
        })
    })
}

/// Gives each of `sides` the database's default wherever the PostgreSQL database behind `client`
/// (whose model is `database`) reads the side's literal as the very value it stores; the
/// questions of all sides are asked together, once, and none when no default differs that way.
pub async fn align_literals(
    sides: &mut [&mut Schema],
    database: &Schema,
    client: &Client,
) -> Result<(), introspect::Error> {
    let read_only: Vec<&Schema> = sides.iter().map(|s| &**s).collect();
    let questions = literals::literal_questions(&read_only, database);
    if questions.is_empty() {
        return Ok(());
    }
    let pairs: Vec<(String, String)> = questions
        .iter()
        .map(|q| (q.text.clone(), q.sql_type.clone()))
        .collect();
    let spellings = pg_read::canonical_literals_with(client, &pairs).await?;
    let answers = literals::answers(questions, spellings);
    for side in sides.iter_mut() {
        literals::align_literals(side, database, &answers);
    }
    Ok(())
}

/// A Prisma schema (or model) merged into the live database it was migrated into.
#[derive(Debug)]
pub struct HybridRead {
    /// The merged model, named after both sources, with the database's notes.
    pub loaded: Loaded,
    /// Where the two disagreed (left = the schema, right = the database), each explained by the
    /// Prisma migration that last touched it where there is a history.
    pub disagreements: Diff,
    /// Where the history and the database's record of it disagree.
    pub history_notes: Vec<String>,
    /// Why literal defaults were compared as written, if they were.
    pub literal_warning: Option<introspect::Error>,
}

/// Hybrid input: `loaded` (a Prisma schema or model YAML) merged into the database at `url`, read
/// over one connection. `prisma_migrations` names Prisma's migrations folder when prisma.config
/// does (else it is looked for beside the schema).
pub fn hybrid(
    loaded: Loaded,
    url: &str,
    options: &LoadOptions,
    prisma_migrations: Option<&Path>,
) -> Result<HybridRead, SourceError> {
    if loaded.kind == SourceKind::Database || loaded.kind == SourceKind::Migrations {
        return Err(SourceError::Hybrid(
            "--url needs a Prisma schema (or model YAML) as SOURCE".into(),
        ));
    }
    let history = (loaded.kind == SourceKind::Prisma)
        .then(|| History::locate(Path::new(&loaded.display), prisma_migrations))
        .flatten();
    let mut loaded = loaded;
    let database = read_to_compare(
        url,
        &options.covering(&loaded.schema),
        &mut loaded.schema,
        history.as_ref(),
    )?;
    if database.loaded.kind != SourceKind::Database {
        return Err(SourceError::Hybrid(format!(
            "--url must name a database, not `{}`",
            database.loaded.display
        )));
    }
    let mut merged = merge(&loaded.schema, &database.loaded.schema)
        .map_err(|e| SourceError::Hybrid(e.to_string()))?;
    if let Some(history) = &history {
        compare::history::explain(history, &mut merged.disagreements);
    }
    Ok(HybridRead {
        loaded: Loaded {
            schema: merged.schema,
            notes: database.loaded.notes,
            display: format!("{} + {}", loaded.display, database.loaded.display),
            kind: SourceKind::Database,
        },
        disagreements: merged.disagreements,
        history_notes: database.history_notes,
        literal_warning: database.literal_warning,
    })
}

/// Two sides compared, as `check` reports them.
#[derive(Debug)]
pub struct Checked {
    pub left: Loaded,
    pub right: Loaded,
    /// Each difference explained by the Prisma migration that last touched it, where a Prisma
    /// side has a history.
    pub differences: Diff,
    /// Where a Prisma side's history and the database's record of it disagree.
    pub history_notes: Vec<String>,
    /// Why literal defaults were compared as written, if they were.
    pub literal_warning: Option<introspect::Error>,
}

/// Compares the sources `left` and `right` (a database side over one connection).
/// `prisma_migrations` names Prisma's migrations folder when prisma.config does.
pub fn check(
    left: &str,
    right: &str,
    options: &LoadOptions,
    prisma_migrations: Option<&Path>,
) -> Result<Checked, SourceError> {
    // A database side reads the schemas the other side uses, so load the other one first.
    let left_is_db = source::kind_of(left) == SourceKind::Database;
    let (first, second) = if left_is_db {
        (right, left)
    } else {
        (left, right)
    };
    let history_of = |side: &Loaded| {
        (side.kind == SourceKind::Prisma)
            .then(|| History::locate(Path::new(&side.display), prisma_migrations))
            .flatten()
    };
    let mut first = source::load_with(first, options)?;
    let covering = options.covering(&first.schema);
    let (second, history, history_notes, literal_warning) =
        if first.kind != SourceKind::Database && source::kind_of(second) == SourceKind::Database {
            let history = history_of(&first);
            let read = read_to_compare(second, &covering, &mut first.schema, history.as_ref())?;
            (
                read.loaded,
                history,
                read.history_notes,
                read.literal_warning,
            )
        } else {
            let second = source::load_with(second, &covering)?;
            let history = history_of(&first).or_else(|| history_of(&second));
            (second, history, Vec::new(), None)
        };
    let (mut left, mut right) = if left_is_db {
        (second, first)
    } else {
        (first, second)
    };
    if left.schema.dialect != right.schema.dialect {
        return Err(SourceError::DialectMismatch {
            left: left.schema.dialect,
            right: right.schema.dialect,
        });
    }
    // A drizzle-kit 1.0 SQLite folder names declared types by affinity.
    let drizzle_1_sqlite = |side: &Loaded| {
        side.kind == SourceKind::Migrations
            && side.schema.dialect == crate::model::Dialect::Sqlite
            && crate::migrate::layout::Layout::detect(Path::new(&side.display))
                == Some(crate::migrate::layout::Layout::Folders)
    };
    if drizzle_1_sqlite(&left) {
        compare::adopt_declared_types(&mut left.schema, &right.schema);
    } else if drizzle_1_sqlite(&right) {
        compare::adopt_declared_types(&mut right.schema, &left.schema);
    }
    let mut differences = compare::diff(
        &left.schema,
        &right.schema,
        &DiffOptions::for_sides(left.kind, right.kind),
    );
    if let Some(history) = &history {
        compare::history::explain(history, &mut differences);
    }
    Ok(Checked {
        left,
        right,
        differences,
        history_notes,
        literal_warning,
    })
}
