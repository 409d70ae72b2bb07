//! `drizzle-port baseline`: mark a migrations folder as already applied in a live database.
//!
//! Wiring in src/cli/mod.rs (one variant in the subcommand enum, one match arm):
//!
//! ```text
//! Baseline(baseline::BaselineArgs),            // in `enum Command`
//! Command::Baseline(args) => baseline::run(&args),   // returns ExitCode, prints its own output
//! ```
//!
//! Before marking, the live database is compared with each journal entry's snapshot
//! (`migrate::verify`): only the longest prefix of entries the database reflects is marked, the
//! rest is left for `drizzle-kit migrate`. `--no-verify` marks every entry without looking;
//! `--print` never connects, so it cannot verify and says so.
//!
//! Streams: data (`--print` SQL, `--json` envelope) on stdout, everything for humans on stderr.
//! Exit codes: 0 success (also "already baselined"), 2 the database matches no entry's snapshot
//! (nothing written), 1 any error. No message ever contains the database password: connection
//! errors name host, port, user and database only.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use drizzle_port::connect::postgres as pg;
use drizzle_port::migrate::{self, HistoryTarget, Layout, MigrationsFolder, Verification};

const AFTER_HELP: &str = "\
Examples:
  drizzle-port baseline
      Compare the database (from drizzle.config, the Prisma datasource or DATABASE_URL, read
      from the environment or the env files .env.development.local, .env.local,
      .env.development, .env, prisma/.env) with each migration's meta/NNNN_snapshot.json in
      drizzle.config's `out` and mark the migrations it already reflects as applied.
  drizzle-port baseline --migrations drizzle --url \"postgres://app@db:5432/app?sslmode=verify-full\"
  drizzle-port baseline --migrations drizzle --url prod.db
      The same on a SQLite file (or a libsql:// URL with --auth-token).
  drizzle-port baseline --migrations drizzle --url prod.db --busy-timeout 30s
      Wait up to 30 s (default 5 s) for another connection's lock on the SQLite file.
  drizzle-port baseline --migrations drizzle --print > baseline.sql
      Write the SQL instead of running it (review it, then `psql -f baseline.sql`). Offline:
      nothing is verified.
  drizzle-port baseline --migrations drizzle --no-verify
      Mark every migration without comparing (a folder without snapshots, or drift you accept).

Only the longest run of migrations, from the first, whose last snapshot equals the database is
marked; later ones are named and left for `drizzle-kit migrate`. When no snapshot matches, the
differences are printed as `check` prints them, nothing is written and the exit code is 2.
--no-verify marks every migration without looking. Running baseline twice changes nothing.
--migrations, --migrations-schema/--migrations-table and the URL default to the project's
drizzle.config (`out`, `migrations.schema/table`, `dbCredentials.url`); without one the URL is the
Prisma datasource's `directUrl` (else `url`) or DATABASE_URL.

Exit codes: 0 marked or already marked, 2 the database matches no migration, 1 error.";

/// Arguments of `drizzle-port baseline`.
#[derive(Debug, Clone, clap::Args)]
#[command(
    about = "Mark the migrations an existing database already has as applied (verified against their snapshots)",
    after_help = AFTER_HELP
)]
pub struct BaselineArgs {
    /// drizzle-kit migrations folder, containing meta/_journal.json [default: drizzle.config `out`]
    #[arg(long = "migrations", value_name = "DIR", alias = "out")]
    pub migrations_flag: Option<PathBuf>,

    /// Database: a PostgreSQL URL, or for a SQLite journal a file path, `file:` URL or
    /// `libsql://` / `https://` URL, or the name of a variable that holds one [default:
    /// drizzle.config `dbCredentials.url`, else the Prisma datasource's `directUrl`/`url`, else
    /// DATABASE_URL, from the environment or env files]
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,

    /// Print the SQL script instead of running it (no database connection, so no verification)
    #[arg(long)]
    pub print: bool,

    /// Mark every migration as applied without comparing the database with their snapshots
    #[arg(long)]
    pub no_verify: bool,

    /// Schema of the history table [default: drizzle.config `migrations.schema`, else drizzle]
    #[arg(long = "migrations-schema", value_name = "SCHEMA", value_parser = non_empty)]
    pub migrations_schema_flag: Option<String>,

    /// Name of the history table [default: drizzle.config `migrations.table`, else __drizzle_migrations]
    #[arg(long = "migrations-table", value_name = "TABLE", value_parser = non_empty)]
    pub migrations_table_flag: Option<String>,

    #[command(flatten)]
    pub project: super::project::ProjectArgs,

    /// The migrations folder in use (resolved from the flag or the config).
    #[arg(skip)]
    pub migrations: PathBuf,
    #[arg(skip)]
    pub migrations_schema: String,
    #[arg(skip)]
    pub migrations_table: String,
    /// The database URL, resolved up front (its absence only matters when connecting).
    #[arg(skip)]
    pub resolved_url: Option<Result<super::project::DbUrl, String>>,
    #[arg(skip)]
    pub config_token: Option<String>,
    /// `LIBSQL_AUTH_TOKEN` / `TURSO_AUTH_TOKEN` from the environment or the env files.
    #[arg(skip)]
    pub env_token: Option<String>,

    /// Print one JSON result object on stdout
    #[arg(long)]
    pub json: bool,

    /// Auth token for a remote libSQL / Turso database [default: LIBSQL_AUTH_TOKEN, TURSO_AUTH_TOKEN]
    #[arg(long, value_name = "TOKEN", hide_env_values = true)]
    pub auth_token: Option<String>,

    /// How long to wait for another connection's lock on a SQLite file (reading, then the
    /// history write): milliseconds, or a number with `ms` or `s` (`250ms`, `10s`)
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = super::parse_busy_timeout)]
    pub busy_timeout: Duration,
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
            E::Snapshot(_) => Failure::new("migrations_folder_error", message).help(
                "verifying needs every migration's meta/NNNN_snapshot.json; \
                 --no-verify marks the migrations without comparing",
            ),
            E::HistoryConflict { .. } => Failure::new("history_conflict_error", message),
            E::Database { .. } | E::Sqlite { .. } | E::Introspect(_) => {
                Failure::new("database_error", message)
            }
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

/// What a run that did not fail produced.
enum Success {
    Script(String),
    Applied(Applied),
    /// No entry's snapshot equals the database: nothing was written (exit 2).
    Refused(Verification),
}

/// A baseline recorded (or found already recorded).
struct Applied {
    outcome: migrate::BaselineOutcome,
    /// `None` with `--no-verify`.
    verification: Option<Verification>,
    /// Tags of the entries marked (now or before): the verified prefix, or all.
    marked: Vec<String>,
    /// Tags of the entries after it, left for `drizzle-kit migrate`.
    left: Vec<String>,
    /// Of those, the ones the history table already passes, so the migrator would skip them.
    skipped: Vec<String>,
}

impl Applied {
    fn new(
        folder: &MigrationsFolder,
        outcome: migrate::BaselineOutcome,
        verification: Option<Verification>,
    ) -> Applied {
        let n = verification
            .as_ref()
            .map_or(folder.migrations.len(), |v| v.matched);
        let (marked, left) = folder.migrations.split_at(n);
        let tags = |m: &[migrate::Migration]| m.iter().map(|m| m.entry.tag.clone()).collect();
        Applied {
            // drizzle-orm 1.0 runs every folder not recorded by name, whatever its time.
            skipped: match folder.layout {
                Layout::Journal => migrate::skipped_by_history(left, &outcome.existing),
                Layout::Folders => Vec::new(),
            },
            marked: tags(marked),
            left: tags(left),
            outcome,
            verification,
        }
    }
}

/// `--print` never connects: say that the script marks everything unverified.
fn note_unverified(args: &BaselineArgs) {
    if !args.no_verify {
        eprintln!(
            "note: --print does not connect, so it did not verify that the database reflects these \
             migrations; `drizzle-port check {} DATABASE_URL` compares it with the latest snapshot",
            args.migrations.display()
        );
    }
}

/// Runs the command; prints results and errors itself and returns the exit code.
pub fn run(args: &BaselineArgs) -> ExitCode {
    let args = &match resolve(args) {
        Ok(a) => a,
        Err(failure) => {
            report_failure(args, failure);
            return ExitCode::FAILURE;
        }
    };
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
        Ok(success @ Success::Refused(_)) => {
            report_success(args, &success);
            ExitCode::from(2)
        }
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
    // A convert killed in the middle of replacing this folder is finished first.
    drizzle_port::migrate::output::recover(&args.migrations)
        .map_err(|e| Failure::new("migrations_folder_error", e.to_string()))?;
    let folder = MigrationsFolder::read(&args.migrations)?;
    let sqlite = folder.journal.dialect.is_sqlite();
    if !sqlite && !folder.journal.dialect.is_postgres() {
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
            match folder.layout {
                Layout::Journal => format!(
                    "{} has no migrations in {}",
                    args.migrations.display(),
                    Layout::Journal.journal()
                ),
                Layout::Folders => {
                    format!("{} has no migration folders", args.migrations.display())
                }
            },
        )
        .help("generate the baseline migration first"));
    }
    if sqlite {
        return execute_sqlite(args, &folder).await;
    }
    let target = HistoryTarget {
        schema: args.migrations_schema.clone(),
        table: args.migrations_table.clone(),
    };
    let plan = migrate::plan(&folder, &target);
    if args.print {
        note_unverified(args);
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
    // One connection reads the database and then records the history.
    let verification = if args.no_verify {
        None
    } else {
        Some(migrate::verify_postgres(&client, &folder, &target).await?)
    };
    let plan = match &verification {
        None => plan,
        Some(v) => match v.restrict(plan) {
            Some(plan) => plan,
            None => return Ok(Success::Refused(v.clone())),
        },
    };
    let outcome = migrate::apply_postgres(&mut client, &plan)
        .await
        .map_err(|err| apply_failure(err, &target.quoted()))?;
    Ok(Success::Applied(Applied::new(
        &folder,
        outcome,
        verification,
    )))
}

/// A failed history write; a conflict says how to look at the history `table` (as SQL names it).
fn apply_failure(err: migrate::Error, table: &str) -> Failure {
    let conflict = matches!(err, migrate::Error::HistoryConflict { .. });
    let failure = Failure::from(err);
    if conflict {
        failure.help(format!(
            "nothing was written; inspect the history with: SELECT * FROM {table} ORDER BY created_at"
        ))
    } else {
        failure
    }
}

/// The SQLite / libSQL baseline: `--url` (or DATABASE_URL) is a file path, a `file:` URL or a
/// `libsql://` / `https://` URL with `--auth-token` (or LIBSQL_AUTH_TOKEN / TURSO_AUTH_TOKEN).
async fn execute_sqlite(
    args: &BaselineArgs,
    folder: &MigrationsFolder,
) -> Result<Success, Failure> {
    use drizzle_port::connect::sqlite as lite;
    let target = HistoryTarget {
        schema: String::new(),
        table: args.migrations_table.clone(),
    };
    let plan = migrate::plan(folder, &target);
    if args.print {
        note_unverified(args);
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
    let options = lite::ConnectOptions {
        auth_token: args
            .auth_token
            .clone()
            .filter(|t| !t.is_empty())
            .or_else(|| args.config_token.clone())
            .or_else(|| args.env_token.clone()),
        busy_timeout: args.busy_timeout,
        ..Default::default()
    };
    // The overall limit must leave room for the waits (reading, then the write lock).
    let timeout = options.timeout.max(args.busy_timeout * 3);
    let sqlite_target = lite::target_of(&url);
    let work = async {
        let conn = lite::connect_writable(&sqlite_target, &options)
            .await
            .map_err(|e| Failure::new("connection_error", e.to_string()))?;
        // One connection reads the database and then records the history.
        let verification = if args.no_verify {
            None
        } else {
            let display = lite::display_of(&sqlite_target);
            Some(migrate::verify_sqlite(&conn, &display, folder, &target).await?)
        };
        let plan = match &verification {
            None => plan,
            Some(v) => match v.restrict(plan) {
                Some(plan) => plan,
                None => return Ok(Success::Refused(v.clone())),
            },
        };
        let outcome = migrate::apply_sqlite(&conn, &plan)
            .await
            .map_err(|err| apply_failure(err, &format!("\"{}\"", target.table)))?;
        Ok::<_, Failure>(Success::Applied(Applied::new(
            folder,
            outcome,
            verification,
        )))
    };
    tokio::time::timeout(timeout, work).await.map_err(|_| {
        Failure::new(
            "connection_error",
            format!(
                "baseline of {} timed out after {}s",
                lite::redact(&url),
                timeout.as_secs()
            ),
        )
    })?
}

/// Fills in what flags left open from the project: folder, history table, URL.
fn resolve(args: &BaselineArgs) -> Result<BaselineArgs, Failure> {
    let project = super::project::Project::load(&args.project, !args.json)
        .map_err(|e| Failure::new("config_error", e))?;
    let config_err =
        |e: drizzle_port::config::ConfigError| Failure::new("config_error", e.to_string());
    let mut out = args.clone();
    let drizzle = project.drizzle.as_ref();
    out.migrations = match (&args.migrations_flag, drizzle) {
        (Some(dir), _) => dir.clone(),
        (None, Some(d)) => d
            .out_path("--migrations DIR")
            .map_err(config_err)?
            .ok_or_else(|| {
                Failure::new(
                    "missing_migrations_error",
                    format!("{} names no `out` folder", d.path.display()),
                )
                .help("pass --migrations DIR")
            })?,
        (None, None) => {
            return Err(Failure::new(
                "missing_migrations_error",
                "no migrations folder: no drizzle.config in this directory names `out`",
            )
            .help("pass --migrations DIR, or run from the folder that holds drizzle.config.ts"))
        }
    };
    let from_config = |field: Option<&drizzle_port::config::Field<String>>, flag: &str| {
        field.map_or(Ok(None), |f| f.get(flag))
    };
    out.migrations_schema = match &args.migrations_schema_flag {
        Some(s) => s.clone(),
        None => from_config(
            drizzle.map(|d| &d.migrations_schema),
            "--migrations-schema SCHEMA",
        )
        .map_err(config_err)?
        .unwrap_or_else(|| "drizzle".to_owned()),
    };
    out.migrations_table = match &args.migrations_table_flag {
        Some(s) => s.clone(),
        None => from_config(
            drizzle.map(|d| &d.migrations_table),
            "--migrations-table TABLE",
        )
        .map_err(config_err)?
        .unwrap_or_else(|| "__drizzle_migrations".to_owned()),
    };
    out.resolved_url = Some(match &args.url {
        Some(url) => project.url_argument(url, true),
        None => project.database_url(true),
    });
    out.env_token = project.env.libsql_auth_token();
    if let Some(d) = drizzle {
        if let Ok(Some(token)) = d.auth_token.get("--auth-token TOKEN") {
            out.config_token = token.resolve(&|n| project.env.get(n)).ok();
        }
    }
    Ok(out)
}

/// The URL resolved from the flag or the project (its origin announced on stderr).
fn database_url(args: &BaselineArgs) -> Result<String, Failure> {
    match args.resolved_url.clone() {
        Some(Ok(db)) => {
            if !args.json && db.origin != super::project::Origin::Flag {
                eprintln!("Using {}", db.origin.describe());
            }
            Ok(db.url)
        }
        Some(Err(message)) => Err(Failure::new("missing_url_error", message)
            .help("pass --url postgres://USER@HOST:5432/DB, or set that variable in .env (the first one named)")),
        None => Err(Failure::new("missing_url_error", "no database URL")),
    }
}

fn report_success(args: &BaselineArgs, success: &Success) {
    match success {
        Success::Script(sql) => {
            if args.json {
                print_stdout(
                    &serde_json::json!({ "status": "ok", "verified": false, "sql": sql })
                        .to_string(),
                );
            } else {
                print_stdout(sql.trim_end());
            }
        }
        Success::Applied(applied) => report_applied(args, applied),
        Success::Refused(verification) => report_refusal(args, verification),
    }
}

fn report_applied(args: &BaselineArgs, applied: &Applied) {
    let outcome = &applied.outcome;
    let matching = applied.verification.as_ref().and_then(|v| v.matching());
    if args.json {
        let status = if outcome.is_noop() {
            "no_changes"
        } else {
            "ok"
        };
        let envelope = serde_json::json!({
            "status": status,
            "verified": applied.verification.is_some(),
            "matched": matching.map(|m| serde_json::json!({ "migration": m.tag, "snapshot": m.snapshot })),
            "marked": applied.marked,
            "left": applied.left,
            "skippedByHistory": applied.skipped,
            "differences": [],
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
    match matching {
        Some(m) => eprintln!(
            "✔ Verified: the database matches the snapshot of {} ({})",
            m.tag, m.snapshot
        ),
        None => eprintln!(
            "warning: --no-verify: marking every migration without comparing the database with its snapshots"
        ),
    }
    if outcome.is_noop() {
        eprintln!(
            "Already baselined: nothing to do ({} already records it)",
            outcome.table
        );
    } else {
        for row in &outcome.already_applied {
            eprintln!("· {} was already recorded in {}", row.tag, outcome.table);
        }
        for row in &outcome.inserted {
            eprintln!("✔ Marked {} as applied in {}", row.tag, outcome.table);
        }
    }
    for tag in &applied.left {
        if applied.skipped.contains(tag) {
            eprintln!(
                "warning: {tag} is not reflected by the database, but {} already holds a newer or equal row: \
                 drizzle-kit migrate will skip it (compare with `drizzle-port check`)",
                outcome.table
            );
        } else {
            eprintln!("· {tag} is not applied yet: left for `drizzle-kit migrate`");
        }
    }
    if !outcome.is_noop() {
        eprintln!(
            "Next: `drizzle-kit migrate` will skip the marked migrations and apply only newer ones."
        );
    }
}

/// No entry's snapshot equals the database: the closest entry's differences, as `check` prints
/// them (to stderr: here they explain a refusal, they are not the command's data).
fn report_refusal(args: &BaselineArgs, verification: &Verification) {
    let count = verification.compared.len();
    let message = format!(
        "refusing to baseline: the database matches none of the {count} migration snapshot{} in {}; nothing was written",
        if count == 1 { "" } else { "s" },
        args.migrations.display()
    );
    let help = "make the database match a migration (or generate a migration for the change), \
                then run baseline again; --no-verify marks every migration without comparing";
    let closest = verification.closest();
    if args.json {
        let envelope = serde_json::json!({
            "status": "refused",
            "verified": true,
            "marked": [],
            "left": verification.compared.iter().rev().map(|e| e.tag.as_str()).collect::<Vec<_>>(),
            "closest": closest.map(|c| serde_json::json!({ "migration": c.tag, "snapshot": c.snapshot })),
            "differences": closest.map(|c| c.diff.differences.clone()).unwrap_or_default(),
            "error": { "code": "drift", "message": message, "help": help },
        });
        print_stdout(&envelope.to_string());
        return;
    }
    if let Some(c) = closest {
        let database = "the database";
        eprintln!("Comparing {} ({}) with {database}:\n", c.tag, c.snapshot);
        eprint!("{}", c.diff.render(&c.tag, database));
        eprintln!(
            "\n{} difference(s) between {} and {database}.",
            c.diff.differences.len(),
            c.tag
        );
    }
    eprintln!(
        "{:?}",
        miette::Report::new(Failure::new("drift", message).help(help))
    );
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
