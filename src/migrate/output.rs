//! Writing an output folder without losing anything of the user's.
//!
//! Every file is first written into a staging folder *inside* the target (so the final renames
//! never cross a filesystem, even when the target is a mount point) and moved into place only
//! when all of them were written: a failure never leaves half an output behind. A manifest,
//! `.drizzle-port.json`, records the SHA-256 of each file drizzle-port wrote, so a later run knows
//! what it may replace: `--force` replaces only those, and refuses (listing them) when a migration
//! drizzle-port did not write, or a file changed since it wrote it, would be lost. Without
//! `--force` a folder holding anything is refused. A lock file keeps two runs out of one folder.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::layout::{Layout, Project};

/// Beside the output, the record of what drizzle-port wrote (relative path → SHA-256).
pub const MANIFEST: &str = ".drizzle-port.json";
const LOCK: &str = ".drizzle-port.lock";
const STAGING_PREFIX: &str = ".drizzle-port-staging-";

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("`{}` already holds a migrations folder (meta/_journal.json); pass --force to replace it", dir.display())]
    Exists { dir: PathBuf },
    #[error("`{}` is not empty and holds files drizzle-port did not write: {}; pass --force to write beside them", dir.display(), list(entries))]
    NotEmpty { dir: PathBuf, entries: Vec<String> },
    #[error("replacing `{}` would lose what drizzle-port did not write: {}; nothing was changed (move them away first)", dir.display(), list(items))]
    WouldLose { dir: PathBuf, items: Vec<String> },
    #[error("another drizzle-port is writing into `{}`; try again when it is done", dir.display())]
    Locked { dir: PathBuf },
    #[error("cannot write `{}`: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn list(items: &[String]) -> String {
    const SHOWN: usize = 12;
    let mut text = items
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN {
        text.push_str(&format!(" and {} more", items.len() - SHOWN));
    }
    text
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What writing a project into a folder does, decided before anything is touched.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WritePlan {
    /// Files that do not exist yet.
    pub create: Vec<PathBuf>,
    /// Files drizzle-port wrote before (or, with `--force`, the user's at the same path).
    pub replace: Vec<PathBuf>,
    /// Files of an earlier drizzle-port output the new one does not have.
    pub remove: Vec<PathBuf>,
}

/// The manifest's content: relative path → SHA-256 hex of what was written.
type Manifest = BTreeMap<String, String>;

fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

fn read_manifest(dir: &Path) -> Option<Manifest> {
    let text = fs::read_to_string(dir.join(MANIFEST)).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    serde_json::from_value(value.get("files")?.clone()).ok()
}

/// Every file below `dir` (relative, `/`-separated), leaving out drizzle-port's own bookkeeping.
fn files_below(dir: &Path) -> Result<Vec<String>, OutputError> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((path, prefix)) = stack.pop() {
        for entry in fs::read_dir(&path).map_err(io(&path))?.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if prefix.is_empty()
                && (name == MANIFEST || name == LOCK || name.starts_with(STAGING_PREFIX))
            {
                continue;
            }
            let rel = format!("{prefix}{name}");
            if entry.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                stack.push((entry.path(), format!("{rel}/")));
            } else {
                out.push(rel);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Decides what writing `project` into `dir` does, or why it must not; touches nothing.
pub fn plan_write(dir: &Path, project: &Project, force: bool) -> Result<WritePlan, OutputError> {
    let mut plan = WritePlan::default();
    let existing = if dir.is_dir() {
        files_below(dir)?
    } else {
        Vec::new()
    };
    let new_files: Vec<&str> = project.files.iter().map(|(rel, _)| rel.as_str()).collect();
    if existing.is_empty() {
        plan.create = new_files.iter().map(|rel| dir.join(rel)).collect();
        return Ok(plan);
    }
    let manifest = read_manifest(dir);
    if !force {
        if manifest.is_some()
            || existing
                .iter()
                .any(|f| f == Layout::Journal.journal() || Layout::Folders.is_snapshot(f))
        {
            return Err(OutputError::Exists {
                dir: dir.to_path_buf(),
            });
        }
        return Err(OutputError::NotEmpty {
            dir: dir.to_path_buf(),
            entries: existing,
        });
    }
    let mut lost = Vec::new();
    let mut ours: Vec<&str> = Vec::new();
    match &manifest {
        Some(manifest) => {
            for rel in &existing {
                match manifest.get(rel) {
                    Some(hash) => {
                        let bytes = fs::read(dir.join(rel)).map_err(io(&dir.join(rel)))?;
                        if sha256_hex(&bytes) == *hash {
                            ours.push(rel);
                        } else {
                            lost.push(format!("{rel} (changed since drizzle-port wrote it)"));
                        }
                    }
                    None if Layout::any_history(rel) => {
                        lost.push(format!("{rel} (a migration drizzle-port did not write)"));
                    }
                    None => {}
                }
            }
        }
        None => {
            // An output written before the manifest existed: one baseline migration is ours to
            // replace; more migrations are the user's work.
            let migrations: Vec<&String> = existing
                .iter()
                .filter(|f| Layout::any_migration(f))
                .collect();
            if migrations.len() > 1 {
                lost.extend(
                    migrations
                        .iter()
                        .map(|f| format!("{f} (one of several migrations)")),
                );
            }
            ours.extend(
                existing
                    .iter()
                    .filter(|f| Layout::any_history(f))
                    .map(String::as_str),
            );
        }
    }
    if !lost.is_empty() {
        return Err(OutputError::WouldLose {
            dir: dir.to_path_buf(),
            items: lost,
        });
    }
    for rel in &new_files {
        if existing.iter().any(|f| f == rel) {
            plan.replace.push(dir.join(rel));
        } else {
            plan.create.push(dir.join(rel));
        }
    }
    plan.remove = ours
        .iter()
        .filter(|rel| !new_files.contains(rel))
        .map(|rel| dir.join(rel))
        .collect();
    Ok(plan)
}

/// Holds `dir/.drizzle-port.lock` locked for the lifetime of a write, and removes it after.
struct FolderLock {
    file: fs::File,
    path: PathBuf,
}

impl FolderLock {
    fn acquire(dir: &Path) -> Result<FolderLock, OutputError> {
        let path = dir.join(LOCK);
        loop {
            let file = fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(io(&path))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(OutputError::Locked {
                        dir: dir.to_path_buf(),
                    })
                }
                Err(fs::TryLockError::Error(e)) => return Err(io(&path)(e)),
            }
            // The holder before us may have removed the file after we opened it: only a lock on
            // the file that is at the path now counts.
            if same_file(&file, &path) {
                return Ok(FolderLock { file, path });
            }
        }
    }
}

#[cfg(unix)]
fn same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.ino() == b.ino() && a.dev() == b.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &fs::File, path: &Path) -> bool {
    path.exists()
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// The record that makes a staged output the folder's next state: written (atomically) once
/// every file is staged, it lists what the swap moves in and what it removes. A run that finds
/// a staging folder with it completes the swap; one without it is a write that never finished
/// and is thrown away. Either way the folder ends whole: the old output or the new.
const COMMIT: &str = ".commit.json";

#[derive(serde::Serialize, serde::Deserialize)]
struct Commit {
    /// Relative paths to move from the staging folder into place, the journal and the manifest
    /// last (until the journal is in place drizzle-kit sees no new migration).
    files: Vec<String>,
    /// Relative paths of the earlier output to remove.
    remove: Vec<String>,
}

/// For the fault-injection tests: `DRIZZLE_PORT_FAULT=<step>` aborts the process at that step,
/// as a kill -9 would.
fn fault_point(step: &str) {
    if std::env::var_os("DRIZZLE_PORT_FAULT").is_some_and(|v| v == step) {
        std::process::abort();
    }
}

/// Moves a committed staging folder's files into place and removes it. Idempotent: a file
/// already moved is not in the staging folder any more.
fn complete_swap(dir: &Path, staging: &Path) -> Result<(), OutputError> {
    let record = staging.join(COMMIT);
    let text = fs::read_to_string(&record).map_err(io(&record))?;
    let commit: Commit = serde_json::from_str(&text).map_err(|e| OutputError::Io {
        path: record.clone(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
    })?;
    for rel in &commit.remove {
        let path = dir.join(rel);
        match fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(&path)(e)),
            _ => {}
        }
        // A 1.0 migration is a folder of its own: do not leave it behind empty.
        if let Some(parent) = path.parent().filter(|p| *p != dir) {
            let _ = fs::remove_dir(parent);
        }
    }
    for (n, rel) in commit.files.iter().enumerate() {
        let (from, to) = (staging.join(rel), dir.join(rel));
        if !from.exists() {
            continue;
        }
        if let Some(p) = to.parent() {
            fs::create_dir_all(p).map_err(io(p))?;
        }
        fs::rename(&from, &to).map_err(io(&to))?;
        if n == 0 {
            fault_point("swapping");
        }
    }
    fault_point("swapped");
    fs::remove_dir_all(staging).map_err(io(staging))
}

/// Finishes what a killed run left in `dir`: a committed swap is completed, an unfinished
/// staging folder removed. Takes the folder's lock; does nothing when there is nothing to do.
pub fn recover(dir: &Path) -> Result<(), OutputError> {
    let staged = |dir: &Path| -> Vec<PathBuf> {
        fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(STAGING_PREFIX))
            .map(|e| e.path())
            .collect()
    };
    if staged(dir).is_empty() {
        return Ok(());
    }
    let _lock = FolderLock::acquire(dir)?;
    recover_locked(dir, &staged(dir))
}

fn recover_locked(dir: &Path, staged: &[PathBuf]) -> Result<(), OutputError> {
    for staging in staged {
        if staging.join(COMMIT).exists() {
            complete_swap(dir, staging)?;
        } else {
            fs::remove_dir_all(staging).map_err(io(staging))?;
        }
    }
    Ok(())
}

/// Writes `project` into `dir` as [`plan_write`] decides, and the manifest beside it. Returns the
/// files of the new output.
pub fn write_project(
    dir: &Path,
    project: &Project,
    force: bool,
) -> Result<Vec<PathBuf>, OutputError> {
    // Decide first, so a refused write creates not even the folder.
    plan_write(dir, project, force)?;
    fs::create_dir_all(dir).map_err(io(dir))?;
    let _lock = FolderLock::acquire(dir)?;
    // What a killed run left is finished first (its swap completed, or its staging dropped).
    let staged: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(io(dir))?
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(STAGING_PREFIX))
        .map(|e| e.path())
        .collect();
    recover_locked(dir, &staged)?;
    // Under the lock, the folder may have changed since the first look.
    let plan = plan_write(dir, project, force)?;
    let staging = tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .tempdir_in(dir)
        .map_err(io(dir))?;
    let mut manifest = Manifest::new();
    for (rel, text) in &project.files {
        let path = staging.path().join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).map_err(io(p))?;
        }
        fs::write(&path, text).map_err(io(&path))?;
        manifest.insert(rel.clone(), sha256_hex(text.as_bytes()));
    }
    let manifest_text = serde_json::to_string_pretty(&serde_json::json!({
        "generator": format!("drizzle-port {}", env!("CARGO_PKG_VERSION")),
        "files": manifest,
    }))
    .unwrap_or_default();
    fs::write(staging.path().join(MANIFEST), manifest_text + "\n")
        .map_err(io(&staging.path().join(MANIFEST)))?;
    fault_point("staged");

    let mut files: Vec<String> = project.files.iter().map(|(rel, _)| rel.clone()).collect();
    files.sort_by_key(|rel| rel == Layout::Journal.journal());
    files.push(MANIFEST.to_string());
    let commit = Commit {
        files,
        remove: plan
            .remove
            .iter()
            .filter_map(|p| p.strip_prefix(dir).ok())
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect(),
    };
    // Written beside, then renamed: the record exists whole or not at all.
    let record = staging.path().join(COMMIT);
    let pending = staging.path().join(".commit.pending");
    fs::write(&pending, serde_json::to_string(&commit).unwrap_or_default())
        .map_err(io(&pending))?;
    fs::File::open(&pending)
        .and_then(|f| f.sync_all())
        .map_err(io(&pending))?;
    fs::rename(&pending, &record).map_err(io(&record))?;
    fault_point("committed");
    complete_swap(dir, &staging.keep())?;
    Ok(project.files.iter().map(|(rel, _)| dir.join(rel)).collect())
}
