//! The shared reference folder (`$DRIZZLE_PORT_SHARED`, default `../shared` beside the checkout).
//! It only adds cases (Prisma's probes and corpus); every test on the project's own `samples/`
//! runs without it. Missing, its cases are skipped with one line saying how to add them, except
//! when `CI` is set: CI must keep proving the shared cases, so there a missing folder fails.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Once;

use super::node::node_required;

/// `$DRIZZLE_PORT_SHARED`, or `CARGO_MANIFEST_DIR/../shared`, whether or not it exists.
pub fn shared_path() -> PathBuf {
    match std::env::var_os("DRIZZLE_PORT_SHARED") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join("shared"),
    }
}

static SKIP_NOTICE: Once = Once::new();

/// The shared folder when it exists. Without it: `None` and one notice per test binary, or a
/// panic when `CI` is set.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = shared_path();
    if dir.is_dir() {
        return Some(dir);
    }
    if node_required() {
        panic!(
            "the shared cases folder {} is missing (CI is set): set DRIZZLE_PORT_SHARED to it",
            dir.display()
        );
    }
    // Written to the real stderr, past the test harness's capture, so every run's log says it.
    SKIP_NOTICE.call_once(|| {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: the shared cases (Prisma's probes/* and corpus/*, and the checks that use \
             Prisma's own SQL for them): {} not found; set DRIZZLE_PORT_SHARED to a shared folder \
             to add them",
            dir.display()
        );
    });
    None
}
