//! Bad input: every schema in `tests/fixtures/invalid/` (each rejected by Prisma's own validator,
//! see the README there) makes `convert` print a `file:line:col` diagnostic pointing at the
//! offending line, exit with 1, never panic, and write nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "prisma"))
        .collect();
    files.sort();
    files
}

/// `// error: L:C message` on the first line.
fn expected_position(path: &Path) -> (usize, usize) {
    let text = std::fs::read_to_string(path).unwrap();
    let first = text.lines().next().unwrap_or_default();
    let rest = first
        .strip_prefix("// error: ")
        .unwrap_or_else(|| panic!("{}: missing header", path.display()));
    let pos = rest.split_whitespace().next().unwrap();
    let (l, c) = pos.split_once(':').unwrap();
    (l.parse().unwrap(), c.parse().unwrap())
}

#[test]
fn every_invalid_schema_is_rejected_with_a_located_diagnostic() {
    let all = fixtures();
    assert!(
        all.len() >= 30,
        "at least 30 invalid fixtures expected, found {}",
        all.len()
    );
    let mut failures = Vec::new();
    let mut exact_columns = 0;
    for fixture in &all {
        let out_dir = tempfile::tempdir().unwrap();
        let out = out_dir.path().join("out");
        let output = Command::new(env!("CARGO_BIN_EXE_drizzle-port"))
            .args([
                "convert",
                fixture.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ])
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let name = fixture.file_name().unwrap().to_string_lossy().to_string();
        let (line, col) = expected_position(fixture);
        let problem = if output.status.code() != Some(1) {
            Some(format!("exit code {:?}", output.status.code()))
        } else if stderr.contains("panicked") {
            Some("panicked".to_string())
        } else if out.exists() {
            Some("wrote output".to_string())
        } else if !stderr.contains(&format!("{name}:{line}:")) {
            Some(format!("no diagnostic at {name}:{line}:{col}"))
        } else {
            if stderr.contains(&format!("{name}:{line}:{col}")) {
                exact_columns += 1;
            }
            None
        };
        if let Some(p) = problem {
            failures.push(format!("{name}: {p}\n{stderr}"));
        }
    }
    eprintln!(
        "{} fixtures, {exact_columns} with the exact column",
        all.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed:\n\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}
