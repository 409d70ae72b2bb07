//! Command-line edge: argument parsing, error rendering with miette, exit codes. Thin by design:
//! every decision lives in the library.

pub mod baseline;
pub mod check;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use serde_json::json;

use drizzle_port::prisma::LoadError;
use drizzle_port::render::{render_project, RenderOptions};
use drizzle_port::source::{self, SourceError};

/// Exit codes shared with drizzle-kit 1.0 and `prisma migrate diff --exit-code`.
pub const EXIT_ERROR: u8 = 1;

#[derive(Parser)]
#[command(
    name = "drizzle-port",
    version,
    about = "Move a project onto Drizzle ORM: a Prisma schema in, schema.ts, relations.ts and a baselined drizzle-kit migration out.",
    after_help = "Examples:\n  drizzle-port convert prisma/schema.prisma -o drizzle\n  drizzle-port baseline --migrations drizzle --url \"$DATABASE_URL\"\n  drizzle-port model prisma/schema.prisma > model.yaml\n  drizzle-port check prisma/schema.prisma \"$DATABASE_URL\""
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
        visible_alias = "pull",
        after_help = "Examples:\n  drizzle-port convert prisma/schema.prisma -o drizzle\n  drizzle-port convert prisma/schema -o src/db --name init --force\n  drizzle-port pull \"postgres://user@host/db?sslmode=require\" -o drizzle --schemas public,billing --report losses.json\n  drizzle-port convert prisma/schema.prisma --url \"$DATABASE_URL\" -o drizzle  # hybrid\n  drizzle-port convert            # finds prisma/schema.prisma like Prisma does\n\nThen mark the baseline as applied on the existing database:\n  drizzle-port baseline --migrations drizzle --url \"$DATABASE_URL\""
    )]
    Convert(ConvertArgs),
    /// Print the neutral schema model as YAML (a .yaml model is accepted back as a SOURCE).
    #[command(
        after_help = "Example:\n  drizzle-port model prisma/schema.prisma > model.yaml\n  drizzle-port convert model.yaml -o drizzle"
    )]
    Model(ModelArgs),
    /// Mark a migrations folder as applied in the database's drizzle history table.
    Baseline(baseline::BaselineArgs),
    /// Compare two schemas (Prisma, database, migrations folder, model YAML); exit 2 when they differ.
    Check(check::CheckArgs),
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
    /// Output folder: schema.ts, relations.ts and the migrations (drizzle-kit's `out`).
    #[arg(short, long, default_value = "drizzle")]
    out: PathBuf,
    /// Migration name: the file is `0000_<name>.sql`.
    #[arg(long, default_value = "baseline")]
    name: String,
    /// Replace an existing migrations folder.
    #[arg(long)]
    force: bool,
    /// Print one JSON envelope on stdout instead of text.
    #[arg(long)]
    json: bool,
    /// Database schemas to read from a live database (comma-separated; default: public).
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
    /// Auth token for a remote libSQL / Turso database (libsql:// or https:// SOURCE).
    #[arg(
        long,
        value_name = "TOKEN",
        env = "LIBSQL_AUTH_TOKEN",
        hide_env_values = true
    )]
    auth_token: Option<String>,
    /// Hybrid mode: the database the Prisma schema was migrated into. Names, types, defaults,
    /// indexes, constraints and enum order come from it; relation names, client defaults,
    /// @updatedAt and docs from the schema. Disagreements are reported.
    #[arg(long, value_name = "URL")]
    url: Option<String>,
}

#[derive(Args)]
struct ModelArgs {
    /// A .prisma file, a schema folder or a model .yaml. Default: found like Prisma does.
    source: Option<String>,
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

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
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
        Command::Convert(args) => convert(&args, &ui),
        Command::Model(args) => model(&args, &ui),
        Command::Baseline(args) => baseline::run(&args),
        Command::Check(args) => check::run(&args, &ui),
    }
}

fn resolve_source(source: Option<&str>) -> Result<String, SourceError> {
    match source {
        Some(s) => Ok(s.to_string()),
        None => Ok(source::discover(Path::new("."))?.display().to_string()),
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

fn convert(args: &ConvertArgs, ui: &Ui) -> ExitCode {
    let fail = |e: SourceError| {
        if args.json {
            println!("{}", source_error_json(&e));
        } else {
            print_source_error(ui, e);
        }
        ExitCode::from(EXIT_ERROR)
    };
    let source = match resolve_source(args.source.as_deref().or(args.schema.as_deref())) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let options = source::LoadOptions {
        schemas: args.schemas.clone(),
        auth_token: args.auth_token.clone(),
    };
    let loaded = match source::load_with(&source, &options) {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    let mut disagreements = None;
    let mut history = Vec::new();
    let loaded = match &args.url {
        None => loaded,
        Some(url) => match hybrid_load(loaded, url, &options) {
            Ok((merged, diff, notes)) => {
                disagreements = Some(diff);
                history = notes;
                merged
            }
            Err(e) => return fail(e),
        },
    };
    // From here on the source is named by its printable form (a URL's password redacted).
    let source = loaded.display;
    let notes = loaded.notes;
    let schema = loaded.schema;
    let disagreement_list = disagreements
        .as_ref()
        .map(|d| d.differences.clone())
        .unwrap_or_default();
    let generic_fail = |code: &str, message: String| {
        if args.json {
            println!(
                "{}",
                json!({ "status": "error", "error": { "code": code, "message": message } })
            );
        } else {
            eprintln!("error: {message}");
        }
        ExitCode::from(EXIT_ERROR)
    };
    let project = match render_project(&schema, &RenderOptions::now(&args.name)) {
        Ok(p) => p,
        Err(e) => return generic_fail("render_error", e.to_string()),
    };
    let written = match drizzle_port::output::write_project(&args.out, &project, args.force) {
        Ok(w) => w,
        Err(e) => return generic_fail("output_error", e.to_string()),
    };
    if let Some(report) = &args.report {
        let text = serde_json::to_string_pretty(
            &json!({ "source": source, "losses": project.losses, "notes": notes, "disagreements": disagreement_list, "history": history }),
        )
        .unwrap_or_default();
        if let Err(e) = std::fs::write(report, text + "\n") {
            return generic_fail(
                "output_error",
                format!("cannot write {}: {e}", report.display()),
            );
        }
    }
    let out = args.out.display().to_string();
    let mut packages = vec!["drizzle-orm".to_string()];
    packages.extend(project.packages.iter().cloned());
    // drizzle.config paths: relative ones spelled `./x`, absolute ones as they are.
    let config_path = if args.out.is_absolute() || out.starts_with("./") || out.starts_with("../") {
        out.clone()
    } else {
        format!("./{out}")
    };
    // A remote libSQL source is a Turso project: drizzle-kit wants `turso` and the auth token.
    let remote_libsql = matches!(
        source::url_scheme(&source),
        Some("libsql" | "https" | "http")
    );
    let (dialect, credentials) = match schema.dialect {
        drizzle_port::model::Dialect::Postgresql => {
            ("postgresql", "{ url: process.env.DATABASE_URL! }")
        }
        drizzle_port::model::Dialect::Sqlite if remote_libsql => (
            "turso",
            "{ url: process.env.TURSO_DATABASE_URL!, authToken: process.env.TURSO_AUTH_TOKEN }",
        ),
        drizzle_port::model::Dialect::Sqlite => ("sqlite", "{ url: process.env.DATABASE_URL! }"),
    };
    // drizzle-kit push reads only `public` unless told: name every schema the output uses.
    let schema_filter = if schema.namespaces.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = std::iter::once("public")
            .chain(schema.namespaces.iter().map(String::as_str))
            .map(|n| serde_json::to_string(n).unwrap_or_default())
            .collect();
        format!("  schemaFilter: [{}],\n", names.join(", "))
    };
    let config = format!(
        "import {{ defineConfig }} from \"drizzle-kit\";\n\nexport default defineConfig({{\n  dialect: \"{dialect}\",\n  schema: {},\n  out: {},\n{schema_filter}  dbCredentials: {credentials},\n}});\n",
        serde_json::to_string(&format!("{config_path}/schema.ts")).unwrap_or_default(),
        serde_json::to_string(&config_path).unwrap_or_default(),
    );
    if args.json {
        let file = |rel: &str| format!("{out}/{rel}");
        println!(
            "{}",
            json!({
                "status": "ok",
                "dialect": dialect,
                "source": source,
                "files": {
                    "schema": file("schema.ts"),
                    "relations": file("relations.ts"),
                    "migration": file(&format!("{}.sql", project.tag)),
                    "journal": file("meta/_journal.json"),
                    "snapshot": file("meta/0000_snapshot.json"),
                },
                "packages": packages,
                "losses": project.losses,
                "notes": notes,
                "disagreements": disagreement_list,
                "history": history,
                "drizzleConfig": config,
            })
        );
        return ExitCode::SUCCESS;
    }
    ui.success(&format!(
        "Converted {source}: {} tables, {} enums",
        schema.tables.len(),
        schema.enums.len()
    ));
    for path in &written {
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
    if !project.losses.is_empty() {
        eprintln!(
            "\n{} item(s) drizzle cannot express (kept in the baseline SQL, unknown to drizzle-kit):",
            project.losses.len()
        );
        for loss in &project.losses {
            eprintln!("  - {}: {}", loss.object, loss.detail);
        }
        if args.report.is_none() {
            eprintln!("  (--report FILE writes them as JSON)");
        }
    }
    eprintln!(
        "\nThe output imports these npm packages: {}",
        packages.join(", ")
    );
    eprintln!(
        "Install them with drizzle-kit as a dev dependency: npm i {} && npm i -D drizzle-kit",
        packages.join(" ")
    );
    eprintln!("\nA drizzle.config.ts for this output (printed on stdout):");
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(config.as_bytes());
    // A live SQLite / libSQL source is the database to baseline: name it.
    let url = if drizzle_port::introspect::sqlite::is_sqlite_source(&source) {
        format!("\"{}\"", source.replace('"', "\\\""))
    } else {
        "\"$DATABASE_URL\"".to_string()
    };
    eprintln!(
        "\nNext: mark the baseline as applied on your existing database:\n  drizzle-port baseline --migrations {out} --url {url}"
    );
    ExitCode::SUCCESS
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

/// Hybrid mode: `loaded` (a Prisma schema or model) merged into the database at `url`.
fn hybrid_load(
    loaded: source::Loaded,
    url: &str,
    options: &source::LoadOptions,
) -> Result<(source::Loaded, drizzle_port::diff::Diff, Vec<String>), SourceError> {
    if loaded.kind == source::SourceKind::Database || loaded.kind == source::SourceKind::Migrations
    {
        return Err(SourceError::Hybrid(
            "--url needs a Prisma schema (or model YAML) as SOURCE".into(),
        ));
    }
    let database = source::load_with(url, &options.covering(&loaded.schema))?;
    if database.kind != source::SourceKind::Database {
        return Err(SourceError::Hybrid(format!(
            "--url must name a database, not `{}`",
            database.display
        )));
    }
    let mut loaded = loaded;
    if matches!(source::url_scheme(url), Some("postgres" | "postgresql")) {
        // Literals PostgreSQL spells its own way are no disagreement.
        if let Err(e) =
            drizzle_port::diff::live::align_with_postgres(&mut loaded.schema, &database.schema, url)
        {
            eprintln!("warning: literal defaults compared as written: {e}");
        }
    }
    let mut merged = drizzle_port::hybrid::merge(&loaded.schema, &database.schema)
        .map_err(|e| SourceError::Hybrid(e.to_string()))?;
    // A migration the database lacks is missing from the output too: say so.
    let history = if loaded.kind == source::SourceKind::Prisma {
        drizzle_port::prisma::history::explain(
            Path::new(&loaded.display),
            Some(url),
            options.auth_token.clone(),
            &mut merged.disagreements,
        )
    } else {
        Vec::new()
    };
    Ok((
        source::Loaded {
            schema: merged.schema,
            notes: database.notes,
            display: format!("{} + {}", loaded.display, database.display),
            kind: source::SourceKind::Database,
        },
        merged.disagreements,
        history,
    ))
}
