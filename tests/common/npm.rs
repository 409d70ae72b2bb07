//! npm distribution harness for `tests/npm.rs`: the tarballs `npm/pack.sh` writes, installed
//! offline into fresh projects the way users install them, and the pinned tools of
//! `tests/npm/package-lock.json` (the Prisma 7.10.1 CLI, pnpm 10.20.0).
//!
//! * [`packed`] runs `npm/pack.sh` once per test binary. It packs the debug binary cargo built for
//!   this test run (`DRIZZLE_PORT_PACK_BINARY`), so the tarballs always hold the code under test and
//!   no release build runs inside a test; pack.sh strips it, which makes it a 6 MB tarball.
//! * [`Project`] is a folder below `tests/npm/.work/` with its own `package.json`. Living there
//!   lets `npx prisma` find `tests/npm/node_modules/.bin/prisma` (npx looks for a bin in every
//!   `node_modules/.bin` up the tree before it would ask the registry), while the project's own
//!   `node_modules` holds only what the test installed into it.
//! * [`ensure_tools`] runs `npm ci --ignore-scripts` in `tests/npm` when its lock file changed
//!   (scripts off: Prisma's engine download cannot work offline, and the stand-in engine of the
//!   shared oracle is used instead).

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::node::{node_required, run_with, DirLock, KitResult};

const NPM_TIMEOUT: Duration = Duration::from_secs(600);
const RUN_TIMEOUT: Duration = Duration::from_secs(120);

/// `CARGO_MANIFEST_DIR/tests/npm`.
pub fn npm_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("npm")
}

/// The two tarballs of one `npm/pack.sh` run.
#[derive(Debug, Clone)]
pub struct Tarballs {
    pub main: PathBuf,
    pub platform: PathBuf,
}

/// `Err` when node/npm cannot run; the caller decides between skip and failure ([`require`]).
fn check_node() -> Result<(), String> {
    for tool in ["node", "npm"] {
        let r = run_with(
            Command::new(tool).arg("--version"),
            None,
            Duration::from_secs(60),
        );
        if !r.status {
            return Err(format!("`{tool}` is not usable:\n{}", r.describe()));
        }
    }
    Ok(())
}

static PACKED: OnceLock<Result<Tarballs, String>> = OnceLock::new();

/// The tarballs of the binary under test, packed once per test binary.
pub fn packed() -> Result<Tarballs, String> {
    PACKED
        .get_or_init(|| {
            check_node()?;
            let packs = npm_dir().join(".pack");
            // Tarballs of test binaries that have ended (no /proc entry) are of no further use.
            for entry in fs::read_dir(&packs).into_iter().flatten().flatten() {
                if !Path::new("/proc").join(entry.file_name()).exists() {
                    let _ = fs::remove_dir_all(entry.path());
                }
            }
            let dest = packs.join(format!("{}", std::process::id()));
            let _ = fs::remove_dir_all(&dest);
            let started = Instant::now();
            let r = run_with(
                Command::new(
                    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                        .join("npm")
                        .join("pack.sh"),
                )
                .arg(&dest)
                .env(
                    "DRIZZLE_PORT_PACK_BINARY",
                    env!("CARGO_BIN_EXE_drizzle-port"),
                ),
                None,
                NPM_TIMEOUT,
            );
            if !r.status {
                return Err(format!("npm/pack.sh failed:\n{}", r.describe()));
            }
            eprintln!("[harness] npm/pack.sh took {:.1?}", started.elapsed());
            // pack.sh prints the platform tarball, then the main one.
            let lines: Vec<PathBuf> = r.stdout.lines().map(PathBuf::from).collect();
            match lines.as_slice() {
                [platform, main] if platform.is_file() && main.is_file() => Ok(Tarballs {
                    main: main.clone(),
                    platform: platform.clone(),
                }),
                _ => Err(format!("pack.sh printed no tarballs:\n{}", r.describe())),
            }
        })
        .clone()
}

static TOOLS: OnceLock<Result<(), String>> = OnceLock::new();

/// `tests/npm/node_modules` as `package-lock.json` pins it (`npm ci`, only when the lock changed).
pub fn ensure_tools() -> Result<(), String> {
    TOOLS
        .get_or_init(|| {
            check_node()?;
            let dir = npm_dir();
            let digest = {
                use sha2::{Digest, Sha256};
                let bytes = fs::read(dir.join("package-lock.json")).map_err(|e| e.to_string())?;
                format!("{:x}", Sha256::digest(&bytes))
            };
            let stamp = dir.join("node_modules").join(".drizzle-port-lock.sha256");
            let fresh = || {
                fs::read_to_string(&stamp).is_ok_and(|s| s.trim() == digest)
                    && dir.join("node_modules/.bin/prisma").exists()
            };
            if fresh() {
                return Ok(());
            }
            let _guard = DirLock::acquire(&dir.join(".npm-ci.lock"), NPM_TIMEOUT)?;
            if fresh() {
                return Ok(());
            }
            let r = run_with(
                Command::new("npm")
                    .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
                    .current_dir(&dir),
                None,
                NPM_TIMEOUT,
            );
            if !r.status {
                return Err(format!("npm ci failed:\n{}", r.describe()));
            }
            fs::write(&stamp, &digest).map_err(|e| e.to_string())?;
            Ok(())
        })
        .clone()
}

/// Applies the skip policy: `Ok` passes the value on; `Err` fails under `CI`, else prints one
/// SKIPPED line and gives `None`.
pub fn require<T>(what: &str, r: Result<T, String>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) if node_required() => panic!("{what} required (CI is set): {e}"),
        Err(e) => {
            eprintln!("SKIPPED: {what} unavailable (set CI=1 to make this fatal): {e}");
            None
        }
    }
}

/// `tests/npm/node_modules/.bin/<name>`.
pub fn tool(name: &str) -> PathBuf {
    npm_dir().join("node_modules").join(".bin").join(name)
}

static UNIQUE: AtomicUsize = AtomicUsize::new(0);

/// A fresh npm project below `tests/npm/.work/`, deleted on drop unless `DRIZZLE_PORT_KEEP_WORK`.
pub struct Project {
    pub dir: PathBuf,
}

impl Project {
    pub fn new(label: &str) -> Project {
        let n = UNIQUE.fetch_add(1, Ordering::SeqCst);
        let dir = npm_dir()
            .join(".work")
            .join(format!("{label}_{}_{n}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create project folder");
        fs::write(
            dir.join("package.json"),
            format!("{{\n  \"name\": \"{label}\",\n  \"version\": \"1.0.0\",\n  \"private\": true\n}}\n"),
        )
        .expect("write package.json");
        Project { dir }
    }

    /// A command run in the project, with the same quiet environment for every tool.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(&self.dir)
            .env("CHECKPOINT_DISABLE", "1")
            .env("PRISMA_HIDE_UPDATE_MESSAGE", "1")
            .env("npm_config_update_notifier", "false")
            .env("npm_config_audit", "false")
            .env("npm_config_fund", "false")
            .env_remove("DRIZZLE_PORT_BINARY");
        cmd
    }

    pub fn run(&self, cmd: &mut Command) -> KitResult {
        run_with(cmd, None, RUN_TIMEOUT)
    }

    pub fn run_stdin(&self, cmd: &mut Command, stdin: &str) -> KitResult {
        run_with(cmd, Some(stdin), RUN_TIMEOUT)
    }

    /// `npm install --offline` of the given tarballs (no registry is asked).
    pub fn npm_install(&self, tarballs: &[&Path]) -> KitResult {
        let mut cmd = self.command("npm");
        cmd.args(["install", "--offline", "--no-audit", "--no-fund"])
            .args(tarballs);
        run_with(&mut cmd, None, NPM_TIMEOUT)
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        if std::env::var_os("DRIZZLE_PORT_KEEP_WORK").is_some() {
            eprintln!("[harness] kept {}", self.dir.display());
        } else {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}
