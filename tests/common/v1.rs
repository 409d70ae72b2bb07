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
