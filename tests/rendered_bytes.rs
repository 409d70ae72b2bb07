//! The exact bytes of everything `convert` renders, for every case: each sample, probe and corpus
//! case's files (`schema.ts`, `relations.ts`, the migration, the journal, the snapshot), its model
//! YAML and its loss report, pinned as SHA-256 digests in `tests/fixtures/rendered_bytes.sha256`.
//! Digests rather than text, so the shared cases can be pinned without copying their schemas into
//! this repository; the readable diffs of our own samples are the insta snapshots in
//! `tests/snapshots.rs`.
//!
//! A deliberate change to the output: `UPDATE_RENDERED_BYTES=1 cargo test --test suite rendered_bytes::`
//! rewrites the file (run it with `../shared` present, so the shared lines are kept).

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use common::cases::cases;
use drizzle_port::migrate::render_project;
use drizzle_port::render::RenderOptions;
use sha2::{Digest, Sha256};

const PINNED: &str = "tests/fixtures/rendered_bytes.sha256";

/// The digest of `text` with this checkout's and the shared folder's paths made neutral (the
/// model records the source path), so the pins hold in any clone.
fn digest(text: &str) -> String {
    let mut text = text.to_string();
    if let Some(shared) = common::shared::shared_dir() {
        text = text.replace(&*shared.to_string_lossy(), "<shared>");
        if let Ok(shared) = shared.canonicalize() {
            text = text.replace(&*shared.to_string_lossy(), "<shared>");
        }
    }
    let text = text.replace(env!("CARGO_MANIFEST_DIR"), "<repo>");
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `case file` → digest, for every case the suite can see here.
fn rendered() -> BTreeMap<String, String> {
    let options = RenderOptions {
        name: "baseline".into(),
        when_ms: 1_700_000_000_000,
        snapshot_id: "00000000-0000-4000-8000-000000000000".into(),
        flavour: drizzle_port::render::Flavour::default(),
    };
    let mut out = BTreeMap::new();
    for case in cases("postgresql").into_iter().chain(cases("sqlite")) {
        let schema = match drizzle_port::prisma::load(&case.schema) {
            Ok(schema) => schema,
            Err(e) => {
                out.insert(format!("{} error", case.name), digest(&e.to_string()));
                continue;
            }
        };
        out.insert(
            format!("{} model.yaml", case.name),
            digest(&schema.to_yaml().unwrap()),
        );
        match render_project(&schema, &options) {
            Ok(project) => {
                for (file, text) in &project.files {
                    out.insert(format!("{} {file}", case.name), digest(text));
                }
                let losses = serde_json::to_string_pretty(&project.losses).unwrap();
                out.insert(format!("{} losses", case.name), digest(&losses));
                out.insert(
                    format!("{} packages", case.name),
                    digest(&project.packages.join("\n")),
                );
            }
            Err(e) => {
                out.insert(
                    format!("{} render-error", case.name),
                    digest(&e.to_string()),
                );
            }
        }
    }
    out
}

fn pinned(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.rsplit_once(' '))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn rendered_bytes_are_pinned() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(PINNED);
    let now = rendered();
    if std::env::var_os("UPDATE_RENDERED_BYTES").is_some() {
        let mut text = String::from(
            "# SHA-256 of every rendered file per case (tests/rendered_bytes.rs); \
             regenerate with UPDATE_RENDERED_BYTES=1\n",
        );
        for (k, v) in &now {
            text.push_str(&format!("{k} {v}\n"));
        }
        std::fs::write(&path, text).unwrap();
        return;
    }
    let before = pinned(&std::fs::read_to_string(&path).unwrap());
    let mut changed = Vec::new();
    for (key, digest) in &now {
        match before.get(key) {
            Some(d) if d == digest => {}
            Some(_) => changed.push(format!("changed: {key}")),
            None => changed.push(format!("new (not pinned): {key}")),
        }
    }
    // A pinned case that is visible here must still render every file it rendered.
    let visible: std::collections::BTreeSet<&str> = now
        .keys()
        .filter_map(|k| k.split_once(' ').map(|(case, _)| case))
        .collect();
    for key in before.keys() {
        let case = key.split_once(' ').map(|(c, _)| c).unwrap_or(key);
        if visible.contains(case) && !now.contains_key(key) {
            changed.push(format!("no longer rendered: {key}"));
        }
    }
    assert!(
        changed.is_empty(),
        "rendered bytes differ from {PINNED}:\n{}",
        changed.join("\n")
    );
}
