//! Harness for `tests/relations_v2.rs` (task rel-v2): checks many cases' `--drizzle 1`
//! `schema.ts` + `relations.ts` with the pinned drizzle-orm 1.0 toolchain in one `tsc` run and
//! one `tsx` run, instead of one of each per case (≈40 cases on two shared cores). Each case gets
//! its own folder below one scratch dir; failures come back by case, so one broken case never
//! hides another. Call under `use_kit(Kit::V1)`. Included by that suite alone (`#[path]`).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::common::node::{
    conformance_dir, ensure_node_modules, run_tsx_script, run_with, WorkDir,
};

/// The output folders of many cases, below one scratch dir of the current kit.
pub struct Outputs {
    work: WorkDir,
    /// Case name → its folder's name.
    folders: BTreeMap<String, String>,
}

impl Outputs {
    pub fn new() -> Result<Outputs, String> {
        ensure_node_modules()?;
        Ok(Outputs {
            work: WorkDir::new()?,
            folders: BTreeMap::new(),
        })
    }

    /// Writes `files` (name, text) into `case`'s folder.
    pub fn add(&mut self, case: &str, files: &[(&str, &str)]) -> Result<PathBuf, String> {
        let folder: String = case
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let dir = self.work.path().join(&folder);
        fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        for (name, text) in files {
            fs::write(dir.join(name), text).map_err(|e| format!("cannot write {name}: {e}"))?;
        }
        self.folders.insert(case.to_string(), folder);
        Ok(dir)
    }

    /// `tsc --noEmit --strict` over every folder at once (the kit's tsconfig, as `tsc_check`);
    /// returns the error lines of each case that has any.
    pub fn tsc(&self) -> Result<BTreeMap<String, String>, String> {
        let base = conformance_dir().join("tsconfig.json");
        let tsconfig = serde_json::json!({
            "extends": base.to_string_lossy(),
            "compilerOptions": { "noEmit": true, "strict": true },
            "include": ["*/*.ts"],
        });
        let config = self.work.path().join("tsconfig.json");
        fs::write(&config, tsconfig.to_string())
            .map_err(|e| format!("cannot write tsconfig: {e}"))?;
        let tsc = conformance_dir()
            .join("node_modules")
            .join(".bin")
            .join("tsc");
        let r = run_with(
            Command::new(tsc)
                .args(["--noEmit", "--strict", "--pretty", "false", "-p"])
                .arg(&config)
                .current_dir(self.work.path()),
            None,
            Duration::from_secs(900),
        );
        let mut errors: BTreeMap<String, String> = BTreeMap::new();
        if r.status {
            return Ok(errors);
        }
        // `folder/file.ts(l,c): error …`, continuation lines indented below it.
        let by_folder: BTreeMap<&str, &str> = self
            .folders
            .iter()
            .map(|(case, folder)| (folder.as_str(), case.as_str()))
            .collect();
        let mut current: Option<&str> = None;
        for line in r.stdout.lines().chain(r.stderr.lines()) {
            let folder = line.split('/').next().unwrap_or("");
            if let Some(case) = by_folder.get(folder) {
                current = Some(case);
            } else if !line.starts_with(' ') {
                current = None;
            }
            let key = current.unwrap_or("(no case)");
            let entry = errors.entry(key.to_string()).or_default();
            entry.push_str(line);
            entry.push('\n');
        }
        if errors.is_empty() {
            errors.insert("(no case)".into(), r.describe());
        }
        Ok(errors)
    }

    /// Imports every folder's `relations.ts` with tsx (so `defineRelations` resolves each relation,
    /// as it does at import time) and hands it to `drizzle()` of `dialect`; returns each failing
    /// case's error.
    pub fn import_relations(&self, dialect: &str) -> Result<BTreeMap<String, String>, String> {
        let dirs: Vec<String> = self
            .folders
            .values()
            .map(|f| self.work.path().join(f).to_string_lossy().into_owned())
            .collect();
        let mut args = vec![dialect];
        args.extend(dirs.iter().map(String::as_str));
        let r = run_tsx_script("load-relations.mjs", &args, &[]);
        let report: serde_json::Value = serde_json::from_str(r.stdout.trim())
            .map_err(|e| format!("unparsable load-relations output ({e}):\n{}", r.describe()))?;
        let mut errors = BTreeMap::new();
        for (case, folder) in &self.folders {
            let dir = self.work.path().join(folder).to_string_lossy().into_owned();
            match report.get(&dir) {
                Some(serde_json::Value::Null) => {}
                Some(serde_json::Value::String(e)) => {
                    errors.insert(case.clone(), e.clone());
                }
                other => {
                    errors.insert(
                        case.clone(),
                        format!("not loaded: {other:?}\n{}", r.describe()),
                    );
                }
            }
        }
        Ok(errors)
    }

    pub fn path(&self) -> &Path {
        self.work.path()
    }
}
