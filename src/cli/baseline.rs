//! `drizzle-port baseline`: mark a migrations folder as already applied in a live database.
//!
//! Wiring in src/cli/mod.rs (one variant in the subcommand enum, one match arm):
//!
//! ```text
//! Baseline(baseline::BaselineArgs),            // in `enum Command`
//! Command::Baseline(args) => baseline::run(&args),   // returns ExitCode, prints its own output
//! ```
//!
//! Streams: data (`--print` SQL, `--json` envelope) on stdout, everything for humans on stderr.
//! Exit codes: 0 success (also "already baselined"), 1 any error. No message ever contains the
//! database password: connection errors name host, port, user and database only.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use drizzle_port::env::{Env, EnvFiles, EnvOptions, EnvSource};
use drizzle_port::migrate::{self, HistoryTarget, MigrationsFolder};
use drizzle_port::pg;

const AFTER_HELP: &str = "\
Examples:
  drizzle-port baseline --migrations drizzle
      Mark every migration in ./drizzle as applied, using DATABASE_URL from the environment
      or from .env files (.env.development.local, .env.local, .env.development, .env, prisma/.env).
  drizzle-port baseline --migrations drizzle --print > baseline.sql
      Write the SQL instead of running it (review it, then `psql -f baseline.sql`).
  drizzle-port baseline --migrations drizzle --url \"postgres://app@db:5432/app?sslmode=verify-full\"

Afterwards `drizzle-kit migrate` skips the baselined migrations and applies only newer ones.
Use --migrations-schema/--migrations-table when drizzle.config sets migrations.schema/table.";

/// Arguments of `drizzle-port baseline`.
#[derive(Debug, Clone, clap::Args)]
#[command(
    about = "Mark a drizzle-kit migrations folder as applied in an existing database",
    after_help = AFTER_HELP
)]
pub struct BaselineArgs {
    /// drizzle-kit migrations folder (drizzle.config `out`), containing meta/_journal.json
    #[arg(long, value_name = "DIR", alias = "out")]
    pub migrations: PathBuf,

    /// Database: a PostgreSQL URL, or for a SQLite journal a file path, `file:` URL or
    /// `libsql://` / `https://` URL [default: DATABASE_URL from the environment or env files]
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,

    /// Print the SQL script instead of running it (no database connection)
    #[arg(long)]
    pub print: bool,

    /// Schema of the history table (drizzle.config `migrations.schema`)
    #[arg(long, value_name = "SCHEMA", default_value = "drizzle", value_parser = non_empty)]
    pub migrations_schema: String,

    /// Name of the history table (drizzle.config `migrations.table`)
    #[arg(long, value_name = "TABLE", default_value = "__drizzle_migrations", value_parser = non_empty)]
    pub migrations_table: String,

    /// Load this env file instead of the default chain; repeatable, later files win
    #[arg(long = "env-file", value_name = "PATH")]
    pub env_files: Vec<PathBuf>,

    /// Do not load any env file
    #[arg(long, conflicts_with = "env_files")]
    pub no_env_file: bool,

    /// Print one JSON result object on stdout
    #[arg(long)]
    pub json: bool,

    /// Auth token for a remote libSQL / Turso database [default: LIBSQL_AUTH_TOKEN, TURSO_AUTH_TOKEN]
    #[arg(long, value_name = "TOKEN", hide_env_values = true)]
    pub auth_token: Option<String>,
}

fn non_empty(value: &str) -> Result<String, String> {
    if value.is_empty() {
        Err("must not be empty".to_owned())
    } else {
        Ok(value.to_owned())
    }
}

/// A failure as shown to the user: a stable code for `--json`, one message line, an optional hint.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{message}")]
struct Failure {
    code: &'static str,
    message: String,
    #[help]
    help: Option<String>,
}

impl Failure {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        Failure {
            code,
            message: message.into(),
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl From<migrate::Error> for Failure {
    fn from(err: migrate::Error) -> Self {
        use migrate::Error as E;
        let message = err.to_string();
        match err {
            E::FolderMissing { .. }
            | E::JournalMissing { .. }
            | E::JournalInvalid { .. }
            | E::SqlFileMissing { .. }
            | E::Read { .. } => Failure::new("migrations_folder_error", message),
            E::HistoryConflict { .. } => Failure::new("history_conflict_error", message),
            E::Database { .. } | E::Sqlite { .. } => Failure::new("database_error", message),
        }
    }
}

impl From<pg::Error> for Failure {
    fn from(err: pg::Error) -> Self {
        let help = match &err {
            pg::Error::TlsNotSupported { .. } => Some("use sslmode=prefer or sslmode=disable for this server"),
            pg::Error::Tls { .. } => {
                Some("pass the server's CA with sslrootcert=/path/ca.pem, or use sslmode=require to skip verification")
            }
            pg::Error::Unreachable { .. } | pg::Error::Timeout { .. } => {
                Some("check that PostgreSQL is running and that host and port in the URL are right")
            }
            _ => None,
        };
        let failure = Failure::new("connection_error", err.to_string());
        match help {
            Some(h) => failure.help(h),
            None => failure,
        }
    }
}

/// What a successful run produced.
enum Success {
    Script(String),
    Applied(migrate::BaselineOutcome),
}

/// Runs the command; prints results and errors itself and returns the exit code.
pub fn run(args: &BaselineArgs) -> ExitCode {
    let result = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            Failure::new(
                "internal_error",
                format!("could not start the async runtime: {e}"),
            )
        })
        .and_then(|rt| rt.block_on(execute(args)));
    match result {
        Ok(success) => {
            report_success(args, &success);
            ExitCode::SUCCESS
        }
        Err(failure) => {
            report_failure(args, failure);
            ExitCode::FAILURE
        }
    }
}

async fn execute(args: &BaselineArgs) -> Result<Success, Failure> {
    let folder = MigrationsFolder::read(&args.migrations)?;
    if folder.journal.dialect.is_sqlite() {
        return execute_sqlite(args, &folder).await;
    }
    if !folder.journal.dialect.is_postgres() {
        return Err(Failure::new(
            "unsupported_dialect_error",
            format!(
                "{} is a {} migrations folder; baseline supports PostgreSQL only for now",
                args.migrations.display(),
                folder.journal.dialect.as_str()
            ),
        ));
    }
    if folder.migrations.is_empty() {
        return Err(Failure::new(
            "migrations_folder_error",
            format!(
                "{} has no migrations in meta/_journal.json",
                args.migrations.display()
            ),
        )
        .help("generate the baseline migration first"));
    }
    let target = HistoryTarget {
        schema: args.migrations_schema.clone(),
        table: args.migrations_table.clone(),
    };
    let plan = migrate::plan(&folder, &target);
    if args.print {
        return Ok(Success::Script(migrate::plan_sql(&plan)));
    }

    let url = database_url(args)?;
    let parsed = pg::parse_url(&url)?;
    if !parsed.ignored_params.is_empty() {
        eprintln!(
            "warning: ignoring connection parameters drizzle-port does not use: {}",
            parsed.ignored_params.join(", ")
        );
    }
    let opts = pg::ConnectOptions {
        // The baseline is a handful of tiny statements; anything slower is waiting on a lock.
        statement_timeout: Some(Duration::from_secs(60)),
        ..pg::ConnectOptions::default()
    };
    let mut client = pg::connect_parsed(&parsed, &opts).await?;
    let outcome = migrate::apply_postgres(&mut client, &plan).await.map_err(|err| {
        let conflict = matches!(err, migrate::Error::HistoryConflict { .. });
        let failure = Failure::from(err);
        if conflict {
            failure.help(format!(
                "nothing was written; inspect the history with: SELECT * FROM {} ORDER BY created_at",
                target.quoted()
            ))
        } else {
            failure
        }
    })?;
    Ok(Success::Applied(outcome))
}

/// The SQLite / libSQL baseline: `--url` (or DATABASE_URL) is a file path, a `file:` URL or a
/// `libsql://` / `https://` URL with `--auth-token` (or LIBSQL_AUTH_TOKEN / TURSO_AUTH_TOKEN).
async fn execute_sqlite(
    args: &BaselineArgs,
    folder: &MigrationsFolder,
) -> Result<Success, Failure> {
    use drizzle_port::introspect::sqlite as lite;
    if folder.migrations.is_empty() {
        return Err(Failure::new(
            "migrations_folder_error",
            format!(
                "{} has no migrations in meta/_journal.json",
                args.migrations.display()
            ),
        )
        .help("generate the baseline migration first"));
    }
    let target = HistoryTarget {
        schema: String::new(),
        table: args.migrations_table.clone(),
    };
    let plan = migrate::plan(folder, &target);
    if args.print {
        return Ok(Success::Script(migrate::plan_sql_sqlite(&plan)));
    }
    let url = database_url(args)?;
    let postgres_url = matches!(
        drizzle_port::source::url_scheme(&url)
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("postgres" | "postgresql")
    ) || pg::is_key_value_string(&url);
    if postgres_url {
        return Err(Failure::new(
            "dialect_mismatch_error",
            format!(
                "{} is a SQLite migrations folder, but the database URL is a PostgreSQL connection string",
                args.migrations.display()
            ),
        )
        .help("pass the SQLite database (a file path, file: URL or libsql:// URL) with --url"));
    }
    let options = lite::SqliteIntrospectOptions {
        auth_token: args
            .auth_token
            .clone()
            .filter(|t| !t.is_empty())
            .or_else(|| {
                if args.no_env_file {
                    ["LIBSQL_AUTH_TOKEN", "TURSO_AUTH_TOKEN"]
                        .iter()
                        .find_map(|k| std::env::var(k).ok().filter(|t| !t.is_empty()))
                } else {
                    lite::auth_token_from_env()
                }
            }),
        ..Default::default()
    };
    let timeout = options.timeout;
    let sqlite_target = lite::target_of(&url);
    let work = async {
        let conn = lite::connect_writable(&sqlite_target, &options)
            .await
            .map_err(|e| Failure::new("connection_error", e.to_string()))?;
        migrate::apply_sqlite(&conn, &plan).await.map_err(|err| {
            let conflict = matches!(err, migrate::Error::HistoryConflict { .. });
            let failure = Failure::from(err);
            if conflict {
                failure.help(format!(
                    "nothing was written; inspect the history with: SELECT * FROM \"{}\" ORDER BY created_at",
                    target.table
                ))
            } else {
                failure
            }
        })
    };
    let outcome = tokio::time::timeout(timeout, work).await.map_err(|_| {
        Failure::new(
            "connection_error",
            format!(
                "baseline of {} timed out after {}s",
                lite::redact(&url),
                timeout.as_secs()
            ),
        )
    })??;
    Ok(Success::Applied(outcome))
}

/// `--url`, else `DATABASE_URL` from the real environment or the env files (announced on stderr).
fn database_url(args: &BaselineArgs) -> Result<String, Failure> {
    if let Some(url) = &args.url {
        return Ok(url.clone());
    }
    let files = if args.no_env_file {
        EnvFiles::Disabled
    } else if args.env_files.is_empty() {
        EnvFiles::Default
    } else {
        EnvFiles::Explicit(args.env_files.clone())
    };
    let env = Env::load(&EnvOptions {
        files,
        ..EnvOptions::default()
    })
    .map_err(|e| Failure::new("env_file_error", e.to_string()))?;
    if !env.loaded_files().is_empty() && !args.json {
        let names: Vec<String> = env
            .loaded_files()
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        eprintln!("Loaded env from {}", names.join(", "));
    }
    match env.get("DATABASE_URL").filter(|url| !url.trim().is_empty()) {
        Some(url) => {
            if let (Some(EnvSource::File(path)), false) = (env.source("DATABASE_URL"), args.json) {
                eprintln!("Using DATABASE_URL from {}", path.display());
            }
            Ok(url)
        }
        None => {
            let searched: Vec<String> = env
                .searched_files()
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            let looked = if searched.is_empty() {
                "the environment".to_owned()
            } else {
                format!("the environment and {}", searched.join(", "))
            };
            Err(Failure::new(
                "missing_url_error",
                format!("no database URL: DATABASE_URL is not set (looked in {looked})"),
            )
            .help("pass --url postgres://USER@HOST:5432/DB, or set DATABASE_URL"))
        }
    }
}

fn report_success(args: &BaselineArgs, success: &Success) {
    match success {
        Success::Script(sql) => {
            if args.json {
                print_stdout(&serde_json::json!({ "status": "ok", "sql": sql }).to_string());
            } else {
                print_stdout(sql.trim_end());
            }
        }
        Success::Applied(outcome) => {
            if args.json {
                let status = if outcome.is_noop() {
                    "no_changes"
                } else {
                    "ok"
                };
                let envelope = serde_json::json!({
                    "status": status,
                    "history": {
                        "table": outcome.table,
                        "inserted": outcome.inserted.len(),
                        "alreadyApplied": outcome.already_applied.len(),
                        "migrations": outcome.inserted.iter().map(|r| r.tag.as_str()).collect::<Vec<_>>(),
                    }
                });
                print_stdout(&envelope.to_string());
                return;
            }
            if outcome.is_noop() {
                eprintln!(
                    "Already baselined: nothing to do ({} already records it)",
                    outcome.table
                );
                return;
            }
            for row in &outcome.already_applied {
                eprintln!("· {} was already recorded in {}", row.tag, outcome.table);
            }
            for row in &outcome.inserted {
                eprintln!("✔ Marked {} as applied in {}", row.tag, outcome.table);
            }
            eprintln!(
                "Next: `drizzle-kit migrate` will skip these and apply only newer migrations."
            );
        }
    }
}

fn report_failure(args: &BaselineArgs, failure: Failure) {
    if args.json {
        let mut error = serde_json::json!({ "code": failure.code, "message": failure.message });
        if let Some(help) = &failure.help {
            error["help"] = serde_json::Value::String(help.clone());
        }
        print_stdout(&serde_json::json!({ "status": "error", "error": error }).to_string());
    } else {
        eprintln!("{:?}", miette::Report::new(failure));
    }
}

/// Writes a line to stdout; a closed pipe (`| head`) is not an error worth a panic.
fn print_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let text = drizzle_port::connect::secrets::scrub(text);
    let _ = writeln!(out, "{text}").and_then(|()| out.flush());
}
