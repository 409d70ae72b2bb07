//! Writing an output folder all at once: files are staged in a temporary folder beside the target
//! and moved into place only when every one of them was written, so a failure never leaves half
//! an output behind.

use std::fs;
use std::path::{Path, PathBuf};

use crate::render::Project;

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("`{}` already holds a migrations folder (meta/_journal.json); pass --force to replace it", dir.display())]
    Exists { dir: PathBuf },
    #[error("cannot write `{}`: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `project` into `dir`. Without `force`, refuses a folder that already has a journal.
pub fn write_project(
    dir: &Path,
    project: &Project,
    force: bool,
) -> Result<Vec<PathBuf>, OutputError> {
    if dir.join("meta/_journal.json").exists() && !force {
        return Err(OutputError::Exists {
            dir: dir.to_path_buf(),
        });
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(io(&parent))?;
    let staging = tempfile::Builder::new()
        .prefix(".drizzle-port-")
        .tempdir_in(&parent)
        .map_err(io(&parent))?;
    for (rel, text) in &project.files {
        let path = staging.path().join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).map_err(io(p))?;
        }
        fs::write(&path, text).map_err(io(&path))?;
    }
    let written: Vec<PathBuf> = project.files.iter().map(|(rel, _)| dir.join(rel)).collect();
    if !dir.exists() {
        let staged = staging.keep();
        fs::rename(&staged, dir).map_err(io(dir))?;
        return Ok(written);
    }
    // Replacing (--force): drop the old migration files first so the journal and the folder agree.
    let meta = dir.join("meta");
    if meta.exists() {
        fs::remove_dir_all(&meta).map_err(io(&meta))?;
    }
    for entry in fs::read_dir(dir).map_err(io(dir))?.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.ends_with(".sql") && name.chars().take(4).all(|c| c.is_ascii_digit()) {
            fs::remove_file(entry.path()).map_err(io(&entry.path()))?;
        }
    }
    for (rel, _) in &project.files {
        let from = staging.path().join(rel);
        let to = dir.join(rel);
        if let Some(p) = to.parent() {
            fs::create_dir_all(p).map_err(io(p))?;
        }
        fs::rename(&from, &to).map_err(io(&to))?;
    }
    Ok(written)
}
