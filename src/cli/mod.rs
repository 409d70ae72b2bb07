//! Command-line edge: argument parsing, error rendering with miette, exit codes. Thin by design:
//! every decision lives in the library.

// Everything the commands print goes through `scrub` (every connection string's password and
// every token the user handed over masked), so no message, JSON field or SQL script can carry a
// secret out, however it was built. Defined before the command modules so they use these too.
macro_rules! println {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stdout(),
            "{}",
            drizzle_port::connect::secrets::scrub(&format!($($arg)*))
        );
    }};
}
macro_rules! print {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(
            std::io::stdout(),
            "{}",
            drizzle_port::connect::secrets::scrub(&format!($($arg)*))
        );
    }};
}
macro_rules! eprintln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "{}",
            drizzle_port::connect::secrets::scrub(&format!($($arg)*))
        );
    }};
}

pub mod baseline;
pub mod check;
pub mod prisma_generator;
pub mod project;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use serde_json::json;

use drizzle_port::config;
use drizzle_port::migrate::{render_project, Layout};
use drizzle_port::prisma::LoadError;
use drizzle_port::render::{Flavour, RenderOptions};
use drizzle_port::source::{self, SourceError};

/// Exit codes shared with drizzle-kit 1.0 and `prisma migrate diff --exit-code`.
pub const EXIT_ERROR: u8 = 1;

#[derive(Parser)]
#[command(
    name = "drizzle-port",
    version,
    about = "Move a project onto Drizzle ORM: a Prisma schema in, schema.ts, relations.ts and a baselined drizzle-kit migration out.",
    after_help = "Examples:\n  drizzle-port convert prisma/schema.prisma -o drizzle\n  drizzle-port baseline           # folder, history table and URL from drizzle.config / .env\n  drizzle-port model prisma/schema.prisma > model.yaml\n  drizzle-port check prisma/schema.prisma DATABASE_URL"
)]
struct Cli {
    /// When to use colours (NO_COLOR and FORCE_COLOR are honoured).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Convert a Prisma schema into schema.ts, relations.ts and a drizzle-kit baseline migration.
    #[command(
        after_help = "Examples:\n  drizzle-port convert prisma/schema.prisma -o drizzle\n  drizzle-port convert prisma/schema -o src/db --name init --force\n  drizzle-port pull \"postgres://user@host/db?sslmode=require\" -o drizzle --schemas public,billing --report losses.json\n  drizzle-port convert prisma/schema.prisma --url -o drizzle  # hybrid, URL from the project\n  drizzle-port convert            # finds the schema like Prisma does, writes drizzle.config.ts\n\nThen mark the baseline as applied on the existing database (URL and folder from drizzle.config.ts):\n  drizzle-port baseline"
    )]
    Convert(ConvertArgs),
    /// Read a live database (PostgreSQL, SQLite, libSQL) into schema.ts, relations.ts and a
    /// drizzle-kit baseline migration.
    #[command(
        after_help = "SOURCE defaults to the project's database: drizzle.config `dbCredentials.url`, the Prisma datasource (`directUrl`, then `url`) or DATABASE_URL, read from the environment or the env files.\n\nExamples:\n  drizzle-port pull\n  drizzle-port pull \"postgres://user@host/db?sslmode=require\" -o drizzle --schemas public,billing\n  drizzle-port pull prod.db -o drizzle"
    )]
    Pull(ConvertArgs),
    /// Print the neutral schema model as YAML (a .yaml model is accepted back as a SOURCE).
    #[command(
        after_help = "Example:\n  drizzle-port model prisma/schema.prisma > model.yaml\n  drizzle-port convert model.yaml -o drizzle"
    )]
    Model(ModelArgs),
    /// Mark a migrations folder as applied in the database's drizzle history table.
    Baseline(baseline::BaselineArgs),
    /// Compare two schemas (Prisma, database, migrations folder, model YAML); exit 2 when they differ.
    Check(check::CheckArgs),
    /// Run as a Prisma generator: `generator drizzle { provider = "drizzle-port prisma-generator" }`
    /// makes `prisma generate` write schema.ts and relations.ts (speaks Prisma's JSON-RPC on
    /// stdin/stderr; not for interactive use).
    #[command(
        after_help = "In schema.prisma:\n  generator drizzle {\n    provider = \"drizzle-port prisma-generator\"\n    output   = \"../src/db\"   // schema.ts and relations.ts\n    baseline = \"true\"        // optional: also the baseline migrations folder\n    out      = \"../drizzle\"   // optional: where that folder goes (default: output)\n  }\nthen: npx prisma generate"
    )]
    PrismaGenerator(prisma_generator::PrismaGeneratorArgs),
}

#[derive(Args)]
struct ConvertArgs {
    /// A .prisma file, a schema folder, a model .yaml, a postgres:// URL, a SQLite file
    /// (`*.db`, `*.sqlite`, `*.sqlite3`, `file:`) or a libsql:// / https:// URL. Default: found like
    /// Prisma does.
    source: Option<String>,
    /// Prisma schema path (same as SOURCE, as Prisma spells it).
    #[arg(long, conflicts_with = "source")]
    schema: Option<String>,
    /// Output folder: schema.ts, relations.ts and the migrations [default: drizzle.config `out`, else drizzle]
    #[arg(short, long)]
    out: Option<PathBuf>,
    /// Migration name: the file is `0000_<name>.sql`.
    #[arg(long, default_value = "baseline")]
    name: String,
    /// Replace what drizzle-port wrote before in OUT (never a migration or an edit of yours).
    #[arg(long)]
    force: bool,
    /// List the files convert would write, replace or remove, and write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print one JSON envelope on stdout instead of text.
    #[arg(long)]
    json: bool,
    /// Database schemas to read from a live database (comma-separated; default: drizzle.config
    /// `schemaFilter`, else public).
    #[arg(
        long,
        value_delimiter = ',',
        alias = "schemaFilter",
        alias = "schema-filter"
    )]
    schemas: Vec<String>,
    /// Write the loss report (what drizzle cannot express) to this JSON file.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    #[command(flatten)]
    access: SourceAccess,
    /// Hybrid mode: the database the Prisma schema was migrated into. Names, types, defaults,
    /// indexes, constraints and enum order come from it; relation names, client defaults,
    /// @updatedAt and docs from the schema. Disagreements are reported.
    /// `--url` alone (or a variable name such as `--url DATABASE_URL`) takes the project's database
    /// URL from drizzle.config, the Prisma datasource or the env files.
    #[arg(long, value_name = "URL", num_args = 0..=1, default_missing_value = "")]
    url: Option<String>,
    /// Which Drizzle the output is for: 0 (drizzle-orm 0.45 / drizzle-kit 0.31) or 1
    /// (1.0.0-rc.5: migration folders, defineRelations) [default: the drizzle-orm or drizzle-kit
    /// version package.json depends on, else 0]
    #[arg(long, value_name = "0|1", value_parser = parse_drizzle)]
    drizzle: Option<Flavour>,
    /// History table for the drizzle.config convert writes (when not drizzle-kit's default).
    #[arg(long, value_name = "TABLE")]
    migrations_table: Option<String>,
    /// History table schema for the drizzle.config convert writes (when not `drizzle`).
    #[arg(long, value_name = "SCHEMA")]
    migrations_schema: Option<String>,
    #[command(flatten)]
    project: project::ProjectArgs,
}

#[derive(Args)]
struct ModelArgs {
    /// A .prisma file, a schema folder or a model .yaml. Default: found like Prisma does.
    source: Option<String>,
}

/// `--drizzle`: a major version drizzle-port writes for.
pub(crate) fn parse_drizzle(value: &str) -> Result<Flavour, String> {
    Flavour::from_major(value).ok_or_else(|| {
        format!("`{value}` is not a Drizzle version drizzle-port writes for: use 0 or 1")
    })
}

/// The flavour to write: `--drizzle`, else what the project's `package.json` depends on, else
/// 0.x (npm's `latest`); with the reason, said to the user.
pub(crate) fn choose_flavour(flag: Option<Flavour>, root: &std::path::Path) -> (Flavour, String) {
    if let Some(flavour) = flag {
        return (flavour, format!("--drizzle {}", flavour.major()));
    }
    if let Some(dep) = config::project::drizzle_dependency(root) {
        if let Some(flavour) = Flavour::from_version_range(&dep.range) {
            let why = format!(
                "{} depends on {} {}",
                config::clean(&dep.package_json).display(),
                dep.package,
                dep.range
            );
            return (flavour, why);
        }
    }
    (
        Flavour::default(),
        "npm's latest drizzle-orm is 0.x; --drizzle 1 writes for 1.0".into(),
    )
}

/// `--busy-timeout`: whole milliseconds, or a number followed by `ms` or `s`.
pub(crate) fn parse_busy_timeout(value: &str) -> Result<Duration, String> {
    let value = value.trim();
    let (number, unit_ms) = if let Some(n) = value.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = value.strip_suffix('s') {
        (n, 1000.0)
    } else {
        (value, 1.0)
    };
    let number: f64 = number
        .trim()
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite() && *n >= 0.0)
        .ok_or_else(|| {
            format!("expected milliseconds or a duration like 250ms or 5s, not `{value}`")
        })?;
    let ms = number * unit_ms;
    // SQLite takes an int of milliseconds.
    if ms > f64::from(i32::MAX) {
        return Err(format!(
            "{value} is longer than SQLite's limit (about 24 days)"
        ));
    }
    Ok(Duration::from_millis(ms.round() as u64))
}

pub(crate) struct Ui {
    color: bool,
}

impl Ui {
    fn new(choice: ColorChoice) -> Ui {
        let env_force = std::env::var("FORCE_COLOR").ok();
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => match env_force.as_deref() {
                Some("0") | Some("false") => false,
                Some(_) => true,
                None => std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal(),
            },
        };
        Ui { color }
    }

    pub(crate) fn success(&self, text: &str) {
        let mark = if self.color {
            "\x1b[32m✔\x1b[0m"
        } else {
            "✔"
        };
        eprintln!("{mark} {text}");
    }
}

/// Registers the secrets of every argument and of the environment variables that hold
/// connection strings or tokens, for [`drizzle_port::connect::secrets::scrub`].
fn register_secrets() {
    use drizzle_port::connect::secrets::register;
    let mut args = std::env::args_os().skip(1).peekable();
    while let Some(arg) = args.next() {
        let arg = arg.to_string_lossy().to_string();
        register(&arg, false);
        if let Some(token) = arg.strip_prefix("--auth-token=") {
            register(token, true);
        } else if arg == "--auth-token" {
            if let Some(token) = args.peek() {
                register(&token.to_string_lossy(), true);
            }
        }
    }
    for (key, value) in std::env::vars_os() {
        let (key, value) = (key.to_string_lossy(), value.to_string_lossy());
        let token = key.ends_with("TOKEN") || key.ends_with("PASSWORD") || key == "PGPASSWORD";
        register(&value, token);
    }
}

pub fn main() -> ExitCode {
    register_secrets();
    // The config reader turns a panic of the TypeScript parser into a syntax error: keep the
    // default panic report out of the way then.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !drizzle_port::config::js::parsing_untrusted() {
            default_hook(info);
        }
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    let _ = e.print();
                }
                // Usage errors quote the offending argument, which may be a connection string.
                _ => {
                    let styled = e.render();
                    let color =
                        std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal();
                    eprint_scrubbed(&if color {
                        styled.ansi().to_string()
                    } else {
                        styled.to_string()
                    });
                }
            }
            // Help and version are successes; usage errors are errors (1, not clap's 2: 2 means drift).
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(EXIT_ERROR),
            };
        }
    };
    let ui = Ui::new(cli.color);
    match cli.command {
        Command::Convert(args) => convert(&args, &ui, false),
        Command::Pull(args) => convert(&args, &ui, true),
        Command::Model(args) => model(&args, &ui),
        Command::Baseline(args) => baseline::run(&args),
        Command::Check(args) => check::run(&args, &ui),
        Command::PrismaGenerator(args) => prisma_generator::run(&args),
    }
}

fn eprint_scrubbed(text: &str) {
    use std::io::Write as _;
    let _ = write!(
        std::io::stderr(),
        "{}",
        drizzle_port::connect::secrets::scrub(text)
    );
}

fn resolve_source(source: Option<&str>) -> Result<String, SourceError> {
    match source {
        Some(s) => Ok(s.to_string()),
        None => {
            let root = Path::new(".");
            let config = config::prisma::find(root)
                .map(|p| config::prisma::load(&config::clean(&p)))
                .transpose()
                .map_err(|e| SourceError::Config(e.to_string()))?;
            match config::prisma::discover_schema(root, config.as_ref())
                .map_err(|e| SourceError::Config(e.to_string()))?
            {
                Some(p) => Ok(p.display().to_string()),
                None => Err(SourceError::NotFound {
                    looked: "the `schema` key of prisma.config.ts, package.json's prisma.schema, prisma/schema.prisma, prisma/schema/, ./schema.prisma".into(),
                }),
            }
        }
    }
}

/// Prints a source error: schema diagnostics with file:line:col and a caret, anything else in one line.
pub(crate) fn print_source_error(ui: &Ui, e: SourceError) {
    match e {
        SourceError::Prisma(LoadError::Invalid(errors)) => {
            if ui.color {
                let report = miette::Report::new(*errors);
                eprintln!("{report:?}");
            } else {
                eprintln!("{}", errors.render_plain());
                eprintln!("{errors}");
            }
        }
        other => eprintln!("error: {other}"),
    }
}

pub(crate) fn source_error_json(e: &SourceError) -> serde_json::Value {
    match e {
        SourceError::Prisma(LoadError::Invalid(errors)) => json!({
            "status": "error",
            "error": {
                "code": "schema_error",
                "message": errors.to_string(),
                "diagnostics": errors.render_plain(),
            }
        }),
        other => {
            json!({ "status": "error", "error": { "code": "source_error", "message": other.to_string() } })
        }
    }
}

/// How a command fails before it has a result: one JSON line on stdout with `--json`, a message
/// on stderr otherwise, and the error exit code either way.
pub(crate) struct Fail<'a> {
    ui: &'a Ui,
    json: bool,
}

impl Fail<'_> {
    /// A source that could not be read.
    pub(crate) fn source(&self, e: SourceError) -> ExitCode {
        if self.json {
            println!("{}", source_error_json(&e));
        } else {
            print_source_error(self.ui, e);
        }
        ExitCode::from(EXIT_ERROR)
    }

    /// Any other failure, under a stable `code` for JSON readers.
    pub(crate) fn message(&self, code: &str, message: String) -> ExitCode {
        if self.json {
            println!(
                "{}",
                json!({ "status": "error", "error": { "code": code, "message": message } })
            );
        } else {
            eprintln!("error: {message}");
        }
        ExitCode::from(EXIT_ERROR)
    }
}

/// How `convert` and `check` reach a remote libSQL database or a locked SQLite file.
#[derive(Args)]
pub(crate) struct SourceAccess {
    /// Auth token for a remote libSQL / Turso database (libsql:// or https:// source).
    #[arg(
        long,
        value_name = "TOKEN",
        env = "LIBSQL_AUTH_TOKEN",
        hide_env_values = true
    )]
    pub auth_token: Option<String>,
    /// How long to wait for another connection's lock on a SQLite file: milliseconds, or a
    /// number with `ms` or `s` (`250ms`, `10s`).
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = parse_busy_timeout)]
    pub busy_timeout: Duration,
}

/// How a command reads its sources: `--schemas`, else drizzle.config's schemaFilter (the schemas
/// the project keeps in drizzle); the Turso token from `--auth-token`, else the env files.
pub(crate) fn load_options(
    project: &project::Project,
    schemas: &[String],
    access: &SourceAccess,
) -> Result<source::LoadOptions, String> {
    let (auth_token, busy_timeout) = (access.auth_token.as_deref(), access.busy_timeout);
    let schemas = match &project.drizzle {
        Some(d) if schemas.is_empty() => d
            .schema_filter
            .get("--schemas LIST")
            .map_err(|e| e.to_string())?
            .unwrap_or_default(),
        _ => schemas.to_vec(),
    };
    Ok(source::LoadOptions {
        schemas,
        auth_token: auth_token
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .or_else(|| project.env.libsql_auth_token()),
        busy_timeout: Some(busy_timeout),
    })
}

fn convert(args: &ConvertArgs, ui: &Ui, pull: bool) -> ExitCode {
    let fail = Fail {
        ui,
        json: args.json,
    };
    let project = match project::Project::load(&args.project, !args.json) {
        Ok(p) => p,
        Err(e) => return fail.message("config_error", e),
    };
    // Where the database URL came from (pull, hybrid): decides what the next steps may say.
    let mut url_origin: Option<project::Origin> = None;
    let explicit = args.source.as_deref().or(args.schema.as_deref());
    let source = match explicit {
        Some(s) if pull && (s.trim().is_empty() || project::is_variable_name(s)) => {
            match project.url_argument(s, true) {
                Ok(db) => {
                    url_origin = Some(db.origin);
                    db.url
                }
                Err(e) => return fail.message("missing_url_error", e),
            }
        }
        Some(s) => s.to_string(),
        None if pull => match project.database_url(true) {
            Ok(db) => {
                if !args.json {
                    eprintln!("Using {}", db.origin.describe());
                }
                url_origin = Some(db.origin);
                db.url
            }
            Err(e) => return fail.message("missing_url_error", e),
        },
        None => match project.prisma_schema() {
            Ok(Some(p)) => p.display().to_string(),
            Ok(None) => {
                return fail.source(SourceError::NotFound {
                    looked: "the `schema` key of prisma.config.ts, package.json's prisma.schema, prisma/schema.prisma, prisma/schema/, ./schema.prisma".into(),
                })
            }
            Err(e) => return fail.message("config_error", e.to_string()),
        },
    };
    let out = match (&args.out, &project.drizzle) {
        (Some(o), _) => o.clone(),
        (None, Some(d)) => match d.out_path("--out DIR") {
            Ok(Some(o)) => o,
            Ok(None) => PathBuf::from("drizzle"),
            Err(e) => return fail.message("config_error", e.to_string()),
        },
        (None, None) => PathBuf::from("drizzle"),
    };
    let options = match load_options(&project, &args.schemas, &args.access) {
        Ok(o) => o,
        Err(e) => return fail.message("config_error", e),
    };
    if let Some(filter) = project
        .drizzle
        .as_ref()
        .and_then(|d| d.tables_filter.value())
    {
        if source::kind_of(&source) == source::SourceKind::Database && !args.json {
            // Said, not silently dropped: drizzle-kit applies it to push/generate, not to our read.
            eprintln!(
                "note: drizzle.config tablesFilter ({}) is not applied here: every table of the schemas is read",
                filter.join(", ")
            );
        }
    }
    let loaded = match source::load_with(&source, &options).and_then(|l| l.require_tables(&options))
    {
        Ok(l) => l,
        Err(e) => return fail.source(e),
    };
    let mut disagreements = None;
    let mut history = Vec::new();
    let loaded = match &args.url {
        None => loaded,
        Some(arg) => {
            let db = match project.url_argument(arg, true) {
                Ok(db) => db,
                Err(e) => return fail.message("missing_url_error", e),
            };
            if !args.json && db.origin != project::Origin::Flag {
                eprintln!("Using {}", db.origin.describe());
            }
            url_origin = Some(db.origin.clone());
            let migrations = project
                .prisma
                .as_ref()
                .and_then(|p| p.migrations_path.value().cloned());
            match drizzle_port::live::hybrid(loaded, &db.url, &options, migrations.as_deref()) {
                Ok(read) => {
                    if let Some(e) = &read.literal_warning {
                        eprintln!("warning: literal defaults compared as written: {e}");
                    }
                    disagreements = Some(read.disagreements);
                    history = read.history_notes;
                    read.loaded
                }
                Err(e) => return fail.source(e),
            }
        }
    };
    // From here on the source is named by its printable form (a URL's password redacted).
    let source = loaded.display;
    let notes = loaded.notes;
    let schema = loaded.schema;
    let disagreement_list = disagreements
        .as_ref()
        .map(|d| d.differences.clone())
        .unwrap_or_default();
    let (flavour, flavour_reason) = choose_flavour(args.drizzle, &project.root);
    let mut render_options = RenderOptions::now(&args.name);
    render_options.flavour = flavour;
    let project_files = match render_project(&schema, &render_options) {
        Ok(p) => p,
        Err(e) => return fail.message("render_error", e.to_string()),
    };
    if args.dry_run {
        return match drizzle_port::migrate::output::plan_write(&out, &project_files, args.force) {
            Ok(plan) => {
                print_plan(&plan, args.json);
                ExitCode::SUCCESS
            }
            Err(e) => fail.message("output_error", e.to_string()),
        };
    }
    let written =
        match drizzle_port::migrate::output::write_project(&out, &project_files, args.force) {
            Ok(w) => w,
            Err(e) => return fail.message("output_error", e.to_string()),
        };
    if let Some(report) = &args.report {
        let text = serde_json::to_string_pretty(
            &json!({ "source": source, "losses": project_files.losses, "notes": notes, "disagreements": disagreement_list, "history": history }),
        )
        .unwrap_or_default();
        let text = drizzle_port::connect::secrets::scrub(&text);
        if let Err(e) = std::fs::write(report, text + "\n") {
            return fail.message(
                "output_error",
                format!("cannot write {}: {e}", report.display()),
            );
        }
    }
    let out_display = config::clean(&out).display().to_string();
    // A remote libSQL source is a Turso project: drizzle-kit wants `turso` and the auth token.
    let remote_libsql = matches!(
        source::url_scheme(&source),
        Some("libsql" | "https" | "http")
    );
    let dialect = match schema.dialect {
        drizzle_port::model::Dialect::Postgresql => "postgresql",
        drizzle_port::model::Dialect::Sqlite if remote_libsql => "turso",
        drizzle_port::model::Dialect::Sqlite => "sqlite",
    };
    // drizzle.config paths are relative to the config, which lives in the project root.
    let config_out = config::config_relative(&project.root, &out);
    let url_var = if remote_libsql {
        "TURSO_DATABASE_URL".to_owned()
    } else {
        url_origin
            .as_ref()
            .and_then(|o| o.env_name().map(str::to_owned))
            .unwrap_or_else(|| project.url_variable())
    };
    let mut schema_filter = Vec::new();
    if schema.dialect == drizzle_port::model::Dialect::Postgresql
        && schema.namespaces.iter().any(|n| n != "public")
    {
        schema_filter.push("public".to_owned());
        schema_filter.extend(schema.namespaces.iter().filter(|n| *n != "public").cloned());
    }
    let new_config = drizzle_port::render::drizzle_config::DrizzleConfigSettings {
        dialect: dialect.to_owned(),
        schema: format!("{}/schema.ts", config_out.trim_end_matches('/')),
        out: config_out.clone(),
        url_var,
        token_var: remote_libsql.then(|| "TURSO_AUTH_TOKEN".to_owned()),
        schema_filter,
        migrations_table: args
            .migrations_table
            .clone()
            .filter(|t| t != "__drizzle_migrations"),
        migrations_schema: args.migrations_schema.clone().filter(|s| s != "drizzle"),
    };
    let config_text = drizzle_port::render::drizzle_config::render_drizzle_config(&new_config);
    // Never overwrite a config: say how an existing one differs from this output instead.
    // Only an output inside the project gets a config there: drizzle-kit needs relative paths,
    // and an output elsewhere (a scratch folder) is no project's.
    let inside = !out.is_absolute() && !config_out.starts_with("../");
    let (config_written, config_notes) = match &project.drizzle {
        Some(existing) => (None, compare_config(existing, &new_config, &out)),
        None if !inside => (
            None,
            vec![format!(
                "{} is outside this directory, so no drizzle.config.ts was written here",
                out_display
            )],
        ),
        None => {
            let path = project.root.join("drizzle.config.ts");
            let created = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .and_then(|mut f| f.write_all(config_text.as_bytes()));
            match created {
                Ok(()) => (Some(config::clean(&path)), Vec::new()),
                Err(e) => {
                    return fail.message(
                        "output_error",
                        format!("cannot write {}: {e}", path.display()),
                    )
                }
            }
        }
    };
    let config_matches = config_written.is_some() || config_notes.is_empty();
    let deps = config::project::dependencies(
        config::project::read_package_json(&project.root)
            .ok()
            .flatten()
            .as_ref(),
    );
    let manager = config::project::PackageManager::detect(
        &project.root,
        std::env::var("npm_config_user_agent").ok().as_deref(),
    );
    // A pre-release is only installed when named.
    let pinned = |package: &str| match flavour {
        Flavour::Drizzle045Kit031 => package.to_string(),
        Flavour::Drizzle1 => format!("{package}@{}", flavour.npm_version()),
    };
    let mut packages = vec![pinned("drizzle-orm")];
    packages.push(config::project::driver_for(dialect, &deps));
    packages.extend(project_files.packages.iter().cloned());
    packages.dedup();
    let mut dev_packages = vec![pinned("drizzle-kit")];
    // `Buffer` columns need Node's types to type-check.
    if project_files.files.iter().any(|(name, text)| {
        name.ends_with(".ts") && (text.contains("Buffer") || text.contains(" bytea("))
    }) {
        dev_packages.push("@types/node".to_string());
    }
    if args.json {
        let file = |rel: &str| format!("{out_display}/{rel}");
        let layout = Layout::of(flavour);
        println!(
            "{}",
            json!({
                "status": "ok",
                "dialect": dialect,
                "source": source,
                "files": {
                    "schema": file("schema.ts"),
                    "relations": file("relations.ts"),
                    "migration": file(&layout.migration(&project_files.tag)),
                    "journal": (layout == Layout::Journal).then(|| file(layout.journal())),
                    "snapshot": file(&layout.snapshot_of(0, &project_files.tag)),
                },
                "drizzle": { "version": flavour.major(), "for": flavour.describe(), "why": flavour_reason },
                "packages": packages,
                "devPackages": dev_packages,
                "install": [manager.add(&packages, false), manager.add(&dev_packages, true)],
                "losses": project_files.losses,
                "notes": notes,
                "disagreements": disagreement_list,
                "history": history,
                "drizzleConfig": config_text,
                "drizzleConfigWritten": config_written.as_ref().map(|p| p.display().to_string()),
                "drizzleConfigDifferences": config_notes,
            })
        );
        return ExitCode::SUCCESS;
    }
    ui.success(&format!(
        "Converted {source}: {} tables, {} enums, for {} ({flavour_reason})",
        schema.tables.len(),
        schema.enums.len(),
        flavour.describe()
    ));
    for path in &written {
        eprintln!("  wrote {}", path.display());
    }
    if let Some(path) = &config_written {
        eprintln!("  wrote {}", path.display());
    }
    if !notes.is_empty() {
        eprintln!(
            "\n{} item(s) of the database left out or read with a loss:",
            notes.len()
        );
        for note in &notes {
            eprintln!("  - {note}");
        }
    }
    if let Some(d) = disagreements.as_ref().filter(|d| !d.is_empty()) {
        eprintln!(
            "\n{} disagreement(s) between the Prisma schema and the database, resolved in favour of the database:",
            d.differences.len()
        );
        for line in d.render("the schema", "the database").lines() {
            eprintln!("  {line}");
        }
    }
    if !history.is_empty() {
        eprintln!("\nPrisma migration history:");
        for note in &history {
            eprintln!("  - {note}");
        }
    }
    if !project_files.losses.is_empty() {
        eprintln!(
            "\n{} item(s) drizzle cannot express (kept in the baseline SQL, unknown to drizzle-kit):",
            project_files.losses.len()
        );
        for loss in &project_files.losses {
            eprintln!("  - {}: {}", loss.object, loss.detail);
        }
        if args.report.is_none() {
            eprintln!("  (--report FILE writes them as JSON)");
        }
    }
    eprintln!(
        "\nInstall what the output and drizzle-kit need ({}):\n  {}\n  {}",
        manager.name(),
        manager.add(&packages, false),
        manager.add(&dev_packages, true)
    );
    if project.drizzle.is_none() && config_written.is_none() {
        eprintln!(
            "\nA drizzle.config.ts for this output (printed on stdout; {}):",
            config_notes.join("; ")
        );
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(config_text.as_bytes());
    }
    if let Some(existing) = &project.drizzle {
        if config_notes.is_empty() {
            eprintln!(
                "\n{} already points at this output.",
                existing.path.display()
            );
        } else {
            eprintln!(
                "\n{} exists and was left as it is, but it differs from this output:",
                existing.path.display()
            );
            for note in &config_notes {
                eprintln!("  - {note}");
            }
            eprintln!("A drizzle.config.ts for this output (printed on stdout):");
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(config_text.as_bytes());
        }
    }
    // Next steps never rely on a shell variable: the URL is named by where it comes from.
    let mut baseline = String::from("drizzle-port baseline");
    if !config_matches {
        baseline.push_str(&format!(" --migrations {config_out}"));
    }
    let where_url = if drizzle_port::connect::sqlite::is_sqlite_source(&source) && !remote_libsql {
        baseline.push_str(&format!(" --url \"{}\"", source.replace('"', "\\\"")));
        String::new()
    } else {
        match project.database_url(true) {
            Ok(db) => format!(" (database: {})", db.origin.describe()),
            Err(_) => format!(
                "\n  after setting {} in .env (drizzle.config.ts and baseline read it there)",
                new_config.url_var
            ),
        }
    };
    eprintln!(
        "\nNext: mark the baseline as applied on your existing database:\n  {baseline}{where_url}\nthen `{}` applies only newer migrations.",
        manager.exec("drizzle-kit migrate")
    );
    ExitCode::SUCCESS
}

/// How an existing drizzle.config disagrees with the output just written (empty: it fits).
fn compare_config(
    existing: &config::drizzle::DrizzleConfig,
    new: &drizzle_port::render::drizzle_config::DrizzleConfigSettings,
    out: &Path,
) -> Vec<String> {
    let mut notes = Vec::new();
    let name = existing.path.display();
    match existing.out_path("--out") {
        Ok(Some(o)) if config::clean(&o) == config::clean(out) => {}
        Ok(Some(o)) => notes.push(format!(
            "its `out` is {}, this output is in {}",
            o.display(),
            config::clean(out).display()
        )),
        Ok(None) => notes.push(format!("{name} names no `out`")),
        Err(e) => notes.push(e.to_string()),
    }
    if let Some(schemas) = existing.schema.value() {
        let wanted = config::clean(&out.join("schema.ts"));
        let found = schemas
            .iter()
            .any(|s| config::join_clean(&existing.dir(), Path::new(s)) == wanted);
        if !found {
            notes.push(format!(
                "its `schema` is {}, this output's is {}",
                schemas.join(", "),
                new.schema
            ));
        }
    }
    if let Some(d) = existing.dialect.value() {
        if d != &new.dialect && !(d == "postgresql" && new.dialect == "postgresql") {
            notes.push(format!(
                "its dialect is {d}, this output is {}",
                new.dialect
            ));
        }
    }
    if !new.schema_filter.is_empty() && existing.schema_filter.is_absent() {
        notes.push(format!(
            "it has no schemaFilter; this output uses the schemas {} (without it push tries to create the other schemas' types again)",
            new.schema_filter.join(", ")
        ));
    }
    notes
}

/// `convert --dry-run`: what would be written, replaced and removed (stdout: it is the data).
fn print_plan(plan: &drizzle_port::migrate::output::WritePlan, json: bool) {
    let paths =
        |v: &[PathBuf]| -> Vec<String> { v.iter().map(|p| p.display().to_string()).collect() };
    if json {
        println!(
            "{}",
            json!({
                "status": "ok",
                "dryRun": true,
                "create": paths(&plan.create),
                "replace": paths(&plan.replace),
                "remove": paths(&plan.remove),
            })
        );
        return;
    }
    for (verb, list) in [
        ("create", &plan.create),
        ("replace", &plan.replace),
        ("remove", &plan.remove),
    ] {
        for path in list {
            println!("{verb} {}", path.display());
        }
    }
    eprintln!("dry run: nothing was written");
}

fn model(args: &ModelArgs, ui: &Ui) -> ExitCode {
    let source = match resolve_source(args.source.as_deref()).and_then(|s| source::load(&s)) {
        Ok(s) => s,
        Err(e) => {
            print_source_error(ui, e);
            return ExitCode::from(EXIT_ERROR);
        }
    };
    match source.to_yaml() {
        Ok(yaml) => {
            print!("{yaml}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot print the model: {e}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_timeout_units() {
        assert_eq!(parse_busy_timeout("250"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_busy_timeout("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_busy_timeout("5s"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_busy_timeout("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_busy_timeout("0"), Ok(Duration::ZERO));
        for bad in ["", "soon", "-1", "5m", "1e12s", "NaN"] {
            assert!(parse_busy_timeout(bad).is_err(), "{bad}");
        }
    }
}
