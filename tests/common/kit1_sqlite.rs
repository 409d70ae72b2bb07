//! drizzle-kit 1.0 steps on a SQLite output folder, for `tests/convert_sqlite_v1.rs` (task
//! sqlite-v1). Every call runs the pinned `tests/conformance-1` toolchain; the caller holds
//! `use_kit(Kit::V1)`.
//!
//! Each step runs as a user would in their project: a scratch folder below the conformance package
//! holding `drizzle.config.ts` and a copy of OUT as `./drizzle` (1.0 reads `<out>/*/snapshot.json`;
//! `schema.ts` sits beside the migration folders, which 1.0 ignores), so OUT is never modified.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use super::node::{self, copy_dir, drizzle_kit_in, KitResult, WorkDir, NO_CHANGES};

/// 1.0's answer when a snapshot fails its strict validator.
pub const MALFORMED: &str = "malformed";

/// A scratch project: `drizzle.config.ts` (dialect `dialect`, schema `./drizzle/schema.ts`, out
/// `./drizzle`) and `./drizzle`, a copy of `out` (or only its `.ts` files when `ts_only`).
pub fn project(out: &Path, dialect: &str, ts_only: bool) -> Result<WorkDir, String> {
    node::ensure_node_modules()?;
    let work = WorkDir::new()?;
    let copy = work.path().join("drizzle");
    if ts_only {
        fs::create_dir_all(&copy).map_err(|e| e.to_string())?;
        for e in fs::read_dir(out).map_err(|e| e.to_string())?.flatten() {
            if e.path().extension().is_some_and(|x| x == "ts") {
                fs::copy(e.path(), copy.join(e.file_name())).map_err(|e| e.to_string())?;
            }
        }
    } else {
        copy_dir(out, &copy)?;
    }
    fs::write(
        work.path().join("drizzle.config.ts"),
        format!(
            "// written by tests/common/kit1_sqlite.rs\nexport default {{\n  dialect: {},\n  schema: \"./drizzle/schema.ts\",\n  out: \"./drizzle\",\n}};\n",
            serde_json::to_string(dialect).unwrap()
        ),
    )
    .map_err(|e| e.to_string())?;
    Ok(work)
}

/// The migration folders (`<YYYYMMDDHHMMSS>_<name>`) below `dir`, sorted.
pub fn migration_folders(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("migration.sql").is_file() || p.join("snapshot.json").is_file())
        .collect();
    out.sort();
    out
}

/// Every file below `dir` with its bytes, for telling what a command wrote.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut acc = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                acc.push((p.clone(), fs::read(&p).unwrap_or_default()));
            }
        }
    }
    acc.sort();
    acc
}

/// `drizzle-kit generate` (1.0) on a copy of OUT says "No schema changes, nothing to migrate",
/// writes nothing and finds no snapshot malformed. On failure the message holds the SQL it wrote.
pub fn generate_finds_nothing(out: &Path, dialect: &str) -> Result<(), String> {
    let work = project(out, dialect, false)?;
    let copy = work.path().join("drizzle");
    let before = tree(&copy);
    let r = drizzle_kit_in(work.path(), &["generate"]);
    let after = tree(&copy);
    let mut written = String::new();
    for (path, bytes) in &after {
        if before.iter().any(|(p, b)| p == path && b == bytes) {
            continue;
        }
        let rel = path.strip_prefix(&copy).unwrap_or(path).display();
        if path.ends_with("migration.sql") {
            written.push_str(&format!(
                "\n=== {rel} ===\n{}\n",
                String::from_utf8_lossy(bytes)
            ));
        } else {
            written.push_str(&format!("\n=== {rel} ({} bytes) ===\n", bytes.len()));
        }
    }
    let malformed = r.stdout.contains(MALFORMED) || r.stderr.contains(MALFORMED);
    if r.status && !malformed && r.stdout.contains(NO_CHANGES) && written.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "drizzle-kit 1.0 generate ({dialect}) did not report \"{NO_CHANGES}\" cleanly{}\n{}",
            if written.is_empty() {
                String::new()
            } else {
                format!("\nfiles it wrote:{written}")
            },
            r.describe()
        ))
    }
}

/// `drizzle-kit check` (1.0) on a copy of OUT passes ("Everything's fine").
pub fn check_passes(out: &Path, dialect: &str) -> Result<(), String> {
    let work = project(out, dialect, false)?;
    let r: KitResult = drizzle_kit_in(work.path(), &["check"]);
    let malformed = r.stdout.contains(MALFORMED) || r.stderr.contains(MALFORMED);
    if r.status && !malformed && r.stdout.contains("Everything's fine") {
        Ok(())
    } else {
        Err(format!("drizzle-kit 1.0 check failed:\n{}", r.describe()))
    }
}

/// What drizzle-kit 1.0 writes for OUT's `schema.ts` alone, into an empty folder: its
/// `migration.sql` and its `snapshot.json`.
pub fn generate_fresh(out: &Path, dialect: &str) -> Result<(String, serde_json::Value), String> {
    let work = project(out, dialect, true)?;
    let r = drizzle_kit_in(work.path(), &["generate"]);
    if !r.status {
        return Err(format!(
            "drizzle-kit 1.0 generate failed:\n{}",
            r.describe()
        ));
    }
    let folders = migration_folders(&work.path().join("drizzle"));
    let [folder] = folders.as_slice() else {
        return Err(format!(
            "expected one migration folder, found {folders:?}\n{}",
            r.describe()
        ));
    };
    let sql = fs::read_to_string(folder.join("migration.sql")).map_err(|e| e.to_string())?;
    let snapshot = fs::read_to_string(folder.join("snapshot.json")).map_err(|e| e.to_string())?;
    let snapshot = serde_json::from_str(&snapshot).map_err(|e| e.to_string())?;
    Ok((sql, snapshot))
}
