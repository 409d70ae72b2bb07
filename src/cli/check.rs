//! `drizzle-port check A B`: the drift gate. Each side is a Prisma schema, a database URL (or SQLite
//! file), a drizzle-kit migrations folder (its latest snapshot) or a model YAML. Prints the
//! differences grouped by table; exit 0 when equal, 2 when they differ, 1 on error (as
//! `prisma migrate diff --exit-code` and drizzle-kit 1.0 do).

use std::path::Path;
use std::process::ExitCode;

use serde_json::json;

use drizzle_port::live;
use drizzle_port::source::{self, Loaded, SourceKind};

use super::{load_options, Fail, Ui};

/// Exit code for "the two sides differ".
pub const EXIT_DIFFERENT: u8 = 2;

const AFTER_HELP: &str = "\
Each side is a .prisma file or schema folder, a postgres:// URL, a SQLite file or libsql:// URL,
a drizzle-kit migrations folder (its latest meta/NNNN_snapshot.json) or a model .yaml.

With no sides, the project's Prisma schema (or drizzle.config `out`) is compared with its database
(drizzle.config `dbCredentials.url`, the Prisma datasource's `directUrl`/`url`, or DATABASE_URL,
from the environment or the env files). A side named like a variable (DATABASE_URL) is looked up.

Examples:
  drizzle-port check
  drizzle-port check prisma/schema.prisma DATABASE_URL
      Does the production database still match the Prisma schema?
  drizzle-port check drizzle DATABASE_URL
      CI gate: fail when the database has a change that no migration describes.
  drizzle-port check drizzle prisma/schema.prisma --json

Exit codes: 0 the same, 2 they differ, 1 error.";

#[derive(clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct CheckArgs {
    /// The first side (what you expect) [default: the project's Prisma schema, else drizzle.config `out`]
    pub left: Option<String>,
    /// The second side (what there is); a variable name (`DATABASE_URL`) is looked up in the
    /// environment and env files [default: the project's database URL]
    pub right: Option<String>,
    #[command(flatten)]
    pub project: super::project::ProjectArgs,
    /// Print one JSON envelope on stdout instead of text.
    #[arg(long)]
    pub json: bool,
    /// Database schemas to read (comma-separated). Default: `public` and every schema the other
    /// side uses.
    #[arg(long, value_delimiter = ',')]
    pub schemas: Vec<String>,
    #[command(flatten)]
    pub access: super::SourceAccess,
}

/// A short name for a side in sentences ("only in schema.prisma").
fn label(loaded: &Loaded) -> String {
    match loaded.kind {
        SourceKind::Database => "the database".into(),
        SourceKind::Migrations => "the migrations folder".into(),
        SourceKind::Prisma | SourceKind::Model => Path::new(&loaded.display)
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_else(|| loaded.display.clone()),
    }
}

pub fn run(args: &CheckArgs, ui: &Ui) -> ExitCode {
    let fail = Fail {
        ui,
        json: args.json,
    };
    let project = match super::project::Project::load(&args.project, !args.json) {
        Ok(p) => p,
        Err(e) => return fail.message("config_error", e),
    };
    let side = |arg: Option<&str>, left: bool| -> Result<String, String> {
        match arg {
            Some(s) if s.trim().is_empty() || super::project::is_variable_name(s) => {
                let db = project.url_argument(s, true)?;
                if !args.json {
                    eprintln!("Using {}", db.origin.describe());
                }
                Ok(db.url)
            }
            Some(s) => Ok(s.to_owned()),
            None if left => {
                if let Some(p) = project.prisma_schema().map_err(|e| e.to_string())? {
                    return Ok(p.display().to_string());
                }
                if let Some(d) = &project.drizzle {
                    if let Some(out) = d.out_path("a side").map_err(|e| e.to_string())? {
                        return Ok(out.display().to_string());
                    }
                }
                Err("nothing to compare: no Prisma schema and no drizzle.config `out` here; name both sides".into())
            }
            None => {
                let db = project.database_url(true)?;
                if !args.json {
                    eprintln!("Using {}", db.origin.describe());
                }
                Ok(db.url)
            }
        }
    };
    let left_arg = match side(args.left.as_deref(), true) {
        Ok(s) => s,
        Err(e) => return fail.message("missing_source_error", e),
    };
    let right_arg = match side(args.right.as_deref(), false) {
        Ok(s) => s,
        Err(e) => return fail.message("missing_url_error", e),
    };
    let options = match load_options(&project, &args.schemas, &args.access) {
        Ok(o) => o,
        Err(e) => return fail.message("config_error", e),
    };
    // prisma.config's `migrations.path` when it names one.
    let migrations = project
        .prisma
        .as_ref()
        .and_then(|c| c.migrations_path.value())
        .map(|m| m.as_path());
    let checked = match live::check(&left_arg, &right_arg, &options, migrations) {
        Ok(c) => c,
        Err(e @ source::SourceError::DialectMismatch { .. }) => {
            return fail.message("dialect_mismatch", e.to_string())
        }
        Err(e) => return fail.source(e),
    };
    if let Some(e) = &checked.literal_warning {
        eprintln!("warning: literal defaults compared as written: {e}");
    }
    let live::Checked {
        left,
        right,
        differences: result,
        history_notes,
        ..
    } = checked;
    let (mut left_label, mut right_label) = (label(&left), label(&right));
    if left_label == right_label {
        left_label.push_str(" (left)");
        right_label.push_str(" (right)");
    }
    if args.json {
        println!(
            "{}",
            json!({
                "status": if result.is_empty() { "no_changes" } else { "changes" },
                "left": { "source": left.display, "kind": left.kind },
                "right": { "source": right.display, "kind": right.kind },
                "differences": result.differences,
                "history": history_notes,
            })
        );
    } else if result.is_empty() {
        ui.success(&format!(
            "{} and {} are the same ({} tables, {} enums)",
            left.display,
            right.display,
            left.schema.tables.len(),
            left.schema.enums.len()
        ));
    } else {
        println!("Comparing {} with {}:\n", left.display, right.display);
        print!("{}", result.render(&left_label, &right_label));
        println!(
            "\n{} difference(s) between {left_label} and {right_label}.",
            result.differences.len()
        );
    }
    if !args.json && !history_notes.is_empty() {
        // Not drift by itself (the exit code stays), but usually its explanation.
        eprintln!("\nPrisma migration history:");
        for note in &history_notes {
            eprintln!("  - {note}");
        }
    }
    if result.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_DIFFERENT)
    }
}
