//! Diagnostics for the drizzle-kit 1.0 conformance tests: when 1.0's `generate` finds changes,
//! which `ddl` rows of our snapshot differ from the snapshot drizzle-kit 1.0 itself derives from
//! our `schema.ts` (the bare "found changes" does not say).

#![allow(dead_code)]

use std::path::Path;

use super::cases::line_diff;
use super::node;

/// The `ddl` rows of a 1.0 snapshot, one JSON line each, sorted.
pub fn ddl_rows(snapshot: &str) -> Result<Vec<String>, String> {
    let doc: serde_json::Value = serde_json::from_str(snapshot).map_err(|e| e.to_string())?;
    let mut rows: Vec<String> = doc["ddl"]
        .as_array()
        .ok_or("the snapshot has no ddl")?
        .iter()
        .map(|r| r.to_string())
        .collect();
    rows.sort();
    Ok(rows)
}

/// drizzle-kit 1.0's own snapshot of OUT's `schema.ts`: `generate` into an empty folder (run
/// under `use_kit(Kit::V1)`).
pub fn kit_snapshot_of(out: &Path, dialect: &str) -> Result<String, String> {
    let work = node::WorkDir::new()?;
    let copy = work.path().join("out");
    std::fs::create_dir_all(&copy).map_err(|e| e.to_string())?;
    for file in ["schema.ts", "relations.ts"] {
        std::fs::copy(out.join(file), copy.join(file)).map_err(|e| e.to_string())?;
    }
    let r = node::drizzle_kit_generate_with(&copy, dialect, &["--name", "kit"]);
    if !r.status {
        return Err(r.describe());
    }
    let folder = std::fs::read_dir(&copy)
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.join("snapshot.json").is_file())
        .ok_or_else(|| format!("drizzle-kit wrote no snapshot:\n{}", r.describe()))?;
    std::fs::read_to_string(folder.join("snapshot.json")).map_err(|e| e.to_string())
}

/// The rows only drizzle-kit's snapshot has (`-`) and only ours has (`+`).
pub fn snapshot_rows_diff(out: &Path, ours: &str, dialect: &str) -> String {
    let diff = || -> Result<String, String> {
        let kit = kit_snapshot_of(out, dialect)?;
        Ok(line_diff(&ddl_rows(&kit)?.join("\n"), &ddl_rows(ours)?.join("\n")).join("\n"))
    };
    match diff() {
        Ok(rows) => format!("ddl rows (- drizzle-kit from our schema.ts, + our snapshot):\n{rows}"),
        Err(e) => format!("(drizzle-kit's own snapshot failed too: {e})"),
    }
}

/// What drizzle-kit 1.0 `push` planned on a database: its statements (it prints them straight
/// after connecting with `--verbose`, unlike 0.31's "You are about to execute" list) and whether
/// it said it found nothing.
#[derive(Debug)]
pub struct PushV1 {
    pub statements: Vec<String>,
    pub no_changes: bool,
    pub output: String,
}

/// drizzle-kit 1.0 `push --verbose --force` for OUT on `url` (run under `use_kit(Kit::V1)`).
/// Careful: `--force` runs what it plans, so the database is changed afterwards.
pub fn push_v1(out: &Path, dialect: &str, url: &str) -> Result<PushV1, String> {
    let r = node::drizzle_kit_push(out, dialect, url, None);
    let output = r.describe();
    let mut statements: Vec<String> = Vec::new();
    let mut listing = false;
    for line in r.stdout.lines() {
        let trimmed = line.trim();
        // The spinner redraws "Pulling schema" (with terminal escapes); the plan follows it.
        if trimmed.starts_with("Using '") || trimmed.contains("Pulling schema") {
            listing = true;
        } else if trimmed.starts_with("[✓]") || trimmed.starts_with("[i]") {
            listing = false;
        } else if listing {
            let starts = [
                "ALTER ", "CREATE ", "DROP ", "COMMENT ", "GRANT ", "REVOKE ", "INSERT ",
                "UPDATE ", "DELETE ", "PRAGMA ", "SET ",
            ]
            .iter()
            .any(|k| trimmed.starts_with(k));
            match statements.last_mut() {
                Some(last) if !starts => {
                    last.push('\n');
                    last.push_str(line);
                }
                _ if !trimmed.is_empty() => statements.push(trimmed.to_string()),
                _ => {}
            }
        }
    }
    if !r.status {
        return Err(format!("drizzle-kit 1.0 push failed:\n{output}"));
    }
    Ok(PushV1 {
        no_changes: r.stdout.contains("No changes detected"),
        statements,
        output,
    })
}

/// Why drizzle-kit 1.0 push plans `statement` on a database that equals our snapshot, when it is
/// its one known misreading; `None` for anything else. A `dbgenerated` function call with a string
/// argument (`upper('tba')`) is stored by PostgreSQL with the argument's cast (`upper('tba'::text)`),
/// and 1.0 trims casts only at the end, so it re-sets the default. From a Prisma schema alone we
/// cannot know how PostgreSQL re-spells an arbitrary expression; every literal default is written
/// in the catalog's spelling (`model::stored`), so nothing else may be re-planned.
pub fn known_push_v1_defect(statement: &str) -> Option<&'static str> {
    let (_, value) = statement
        .strip_prefix("ALTER TABLE ")?
        .split_once(" SET DEFAULT ")?;
    let value = value.trim_end_matches(';');
    let call = value.find('(').is_some_and(|open| {
        open > 0
            && value[..open]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
    });
    let uncast_string = value.contains('\'') && !value.contains("'::");
    (call && uncast_string).then_some(
        "PostgreSQL stores a dbgenerated call's string argument with a cast drizzle-kit 1.0 does not trim",
    )
}

/// Adds `addedLater: text("added_later")` to the first table of OUT's `schema.ts` (importing
/// `text` if needed) and runs drizzle-kit 1.0 `generate --name added_later` (under
/// `use_kit(Kit::V1)`): the table's name and the new folder's `migration.sql`, or an error unless
/// the folders are exactly `baseline_folder` and one `…_added_later`.
pub fn generate_added_column(
    out: &Path,
    dialect: &str,
    baseline_folder: &str,
) -> Result<(String, String), String> {
    let table_call = if dialect == "postgresql" {
        "pgTable(\""
    } else {
        "sqliteTable(\""
    };
    let schema_ts = std::fs::read_to_string(out.join("schema.ts")).map_err(|e| e.to_string())?;
    let (table, anchor) = schema_ts
        .lines()
        .find_map(|l| {
            let rest = l.split_once(table_call)?.1;
            Some((rest.split('"').next()?.to_string(), l.to_string()))
        })
        .ok_or("schema.ts declares no table")?;
    let edited = schema_ts.replacen(
        &anchor,
        &format!("{anchor}\n  addedLater: text(\"added_later\"),"),
        1,
    );
    let edited = if !edited.contains(" text,") && !edited.contains(" text }") {
        edited.replacen("import { ", "import { text, ", 1)
    } else {
        edited
    };
    std::fs::write(out.join("schema.ts"), edited).map_err(|e| e.to_string())?;
    let r = node::drizzle_kit_generate_with(out, dialect, &["--name", "added_later"]);
    if !r.status {
        return Err(r.describe());
    }
    let mut folders: Vec<String> = std::fs::read_dir(out)
        .map_err(|e| e.to_string())?
        .flatten()
        .filter(|e| e.path().join("migration.sql").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let [first, second] = folders.as_slice() else {
        return Err(format!("expected two migration folders, found {folders:?}"));
    };
    if first != baseline_folder || !second.ends_with("_added_later") {
        return Err(format!("unexpected folders {folders:?}"));
    }
    let sql = std::fs::read_to_string(out.join(second).join("migration.sql"))
        .map_err(|e| e.to_string())?;
    Ok((table, sql))
}
