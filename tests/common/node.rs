//! Node / drizzle-kit / PostgreSQL harness for integration tests: checks drizzle-port output with the
//! REAL tools pinned in `tests/conformance/package-lock.json` (drizzle-kit 0.31.11, drizzle-orm 0.45.4,
//! TypeScript 5.9) instead of trusting our own idea of their formats.
//!
//! Layout of `tests/conformance/`:
//! * `package.json` + `package-lock.json` — exact pins; [`ensure_node_modules`] runs `npm ci` when needed.
//! * `tsconfig.json` — base config for [`tsc_check`].
//! * `migrate.mjs` / `migrate-sqlite.mjs` — drizzle-orm's own migrators, printing a JSON report.
//! * `query.mjs` — a relational query (`db.query.<t>.findMany({ with })`) for PostgreSQL or SQLite
//!   (the dialect is its first argument), run with tsx.
//! * `.work/` (gitignored) — per-call scratch directories.
//!
//! ## Why schema files are copied into `tests/conformance/.work/<unique>/`
//! drizzle-kit loads `schema.ts` with a CommonJS require hook, and tsx/tsc resolve imports the same
//! way: `import … from 'drizzle-orm/pg-core'` is looked up in `node_modules` folders *above the
//! importing file*, never relative to the current directory. A schema.ts that lives in a temp dir or
//! in `tests/fixtures/…` therefore fails with "Cannot find module 'drizzle-orm/pg-core'" — and
//! drizzle-kit still exits 0. `NODE_PATH` would fix CommonJS only (ESM ignores it, tsc ignores it);
//! symlinking `node_modules` next to OUT would write into the caller's folder. Copying the `.ts` files
//! below `tests/conformance/` makes every tool resolve `./node_modules` naturally, leaves OUT untouched
//! except for what drizzle-kit itself writes, and needs no per-tool tricks.
//!
//! ## drizzle-kit traps handled here
//! * `out` in drizzle.config must be RELATIVE to the working directory: drizzle-kit reads previous
//!   snapshots with `readFileSync(\`./${path}\`)`, so an absolute `out` works for the first generate but
//!   fails ("ENOENT … './/abs/…/0000_snapshot.json'") as soon as a snapshot exists.
//! * drizzle-kit exits 0 on most failures (schema import errors, ENOENT, …) and prints the error to
//!   stderr; [`KitResult::status`] is therefore "exit code 0 AND no error printed".
//! * `drizzle-kit migrate` hides the database error behind its spinner; use [`migrate_pg`] /
//!   [`migrate_sqlite`] (drizzle-orm's migrators called directly) to see what went wrong.
//!
//! Skipping: without node/npm or PostgreSQL the helpers return `Err`; tests call [`require_node`] /
//! [`TempDb::create_or_skip`], which print a notice and return `false`/`None` locally but panic
//! when the `CI` environment variable is set (then a missing tool is a failure, not a skip).

#![allow(dead_code)]

use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Seconds any single external command may run before it is killed (override with
/// `DRIZZLE_PORT_TOOL_TIMEOUT`). drizzle-kit can prompt (renames) and would otherwise hang forever.
const DEFAULT_TIMEOUT_SECS: u64 = 300;
/// `npm ci` may download ~100 MB on a cold cache.
const NPM_CI_TIMEOUT_SECS: u64 = 900;

// ---------------------------------------------------------------------------------------------
// Paths, environment

/// Which pinned toolchain the harness runs: `tests/conformance` (drizzle-kit 0.31.11, drizzle-orm
/// 0.45.4) or `tests/conformance-1` (both `1.0.0-rc.5`). Chosen per thread with [`use_kit`], so one
/// test binary can check both flavours; every helper below runs the current thread's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kit {
    V0,
    V1,
}

thread_local! {
    static KIT: std::cell::Cell<Kit> = const { std::cell::Cell::new(Kit::V0) };
}

/// The toolchain this thread's harness calls run.
pub fn kit() -> Kit {
    KIT.with(|k| k.get())
}

/// Runs this thread's harness calls on `kit` until the guard drops.
pub fn use_kit(kit: Kit) -> KitGuard {
    KitGuard(KIT.with(|k| k.replace(kit)))
}

/// Puts the previous toolchain back.
pub struct KitGuard(Kit);

impl Drop for KitGuard {
    fn drop(&mut self) {
        KIT.with(|k| k.set(self.0));
    }
}

/// `CARGO_MANIFEST_DIR/tests/conformance` (or `conformance-1` under [`Kit::V1`]).
pub fn conformance_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(match kit() {
            Kit::V0 => "conformance",
            Kit::V1 => "conformance-1",
        })
}

/// True when running in CI (`CI` set to anything but empty/`0`/`false`): missing node/npm or
/// PostgreSQL must then fail the test instead of skipping it.
pub fn node_required() -> bool {
    match std::env::var("CI") {
        Ok(v) => !(v.is_empty() || v == "0" || v.eq_ignore_ascii_case("false")),
        Err(_) => false,
    }
}

fn bin(name: &str) -> PathBuf {
    conformance_dir()
        .join("node_modules")
        .join(".bin")
        .join(name)
}

fn timeout() -> Duration {
    let secs = std::env::var("DRIZZLE_PORT_TOOL_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_TIMEOUT_SECS);
    Duration::from_secs(secs)
}

static UNIQUE: AtomicUsize = AtomicUsize::new(0);

/// A name unique across processes and calls: `<prefix>_<pid>_<counter>_<nanos>`.
fn unique_name(prefix: &str) -> String {
    let n = UNIQUE.fetch_add(1, Ordering::SeqCst);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() % 1_000_000_000_000)
        .unwrap_or(0);
    format!("{prefix}_{}_{n}_{nanos}", std::process::id())
}

// ---------------------------------------------------------------------------------------------
// Running commands

/// The project's own catalog queries (the tests own every tool they need).
const PG_CATALOG_SQL: &str = include_str!("pg_catalog.sql");
const PG_CATALOG_EXTRA_SQL: &str = include_str!("pg_catalog_extra.sql");

/// Outcome of one external command.
#[derive(Debug, Clone)]
pub struct KitResult {
    /// Exit code 0 and (for drizzle-kit) no error printed — drizzle-kit exits 0 on most failures.
    pub status: bool,
    pub stdout: String,
    pub stderr: String,
    /// Raw exit code (`None`: killed by a signal or by the timeout).
    pub code: Option<i32>,
    /// Human-readable command line, for error messages.
    pub command: String,
}

impl KitResult {
    /// `"$ <command>\nexit: …\n--- stdout ---\n…\n--- stderr ---\n…"` for error messages.
    pub fn describe(&self) -> String {
        format!(
            "$ {}\nexit: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.command,
            self.code
                .map_or_else(|| "killed/timeout".to_string(), |c| c.to_string()),
            self.stdout.trim_end(),
            self.stderr.trim_end()
        )
    }

    fn ok_or_describe(self) -> Result<KitResult, String> {
        if self.status {
            Ok(self)
        } else {
            Err(self.describe())
        }
    }
}

fn describe_cmd(cmd: &Command) -> String {
    let mut s = String::new();
    if let Some(dir) = cmd.get_current_dir() {
        s.push_str(&format!("(cd {}) ", dir.display()));
    }
    for (k, v) in cmd.get_envs() {
        if let Some(v) = v {
            s.push_str(&format!("{}={} ", k.to_string_lossy(), v.to_string_lossy()));
        }
    }
    s.push_str(&cmd.get_program().to_string_lossy());
    for a in cmd.get_args() {
        let a = a.to_string_lossy();
        if a.is_empty() || a.contains(|c: char| c.is_whitespace() || c == '\'' || c == '"') {
            s.push_str(&format!(" '{}'", a.replace('\'', "'\\''")));
        } else {
            s.push(' ');
            s.push_str(&a);
        }
    }
    s
}

/// Runs `cmd` with stdin closed (or fed `stdin`), capturing output, killing it after `limit`.
pub fn run_with(cmd: &mut Command, stdin: Option<&str>, limit: Duration) -> KitResult {
    let command = describe_cmd(cmd);
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    // No colours / spinners / update checks in captured output.
    cmd.env("NO_COLOR", "1")
        .env("FORCE_COLOR", "0")
        .env("NO_UPDATE_NOTIFIER", "1");
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            return KitResult {
                status: false,
                stdout: String::new(),
                stderr: format!("failed to start: {e}"),
                code: None,
                command,
            }
        }
    };
    let feeder = stdin.map(|input| {
        let mut pipe = child.stdin.take().expect("piped stdin");
        let input = input.to_owned();
        std::thread::spawn(move || {
            use std::io::Write;
            let _ = pipe.write_all(input.as_bytes());
        })
    });
    let mut out_pipe = child.stdout.take().expect("piped stdout");
    let mut err_pipe = child.stderr.take().expect("piped stderr");
    let out_t = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = out_pipe.read_to_end(&mut b);
        b
    });
    let err_t = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = err_pipe.read_to_end(&mut b);
        b
    });
    let deadline = Instant::now() + limit;
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) if Instant::now() >= deadline => {
                timed_out = true;
                let _ = child.kill();
                break child.wait().ok();
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => break None,
        }
    };
    if let Some(f) = feeder {
        let _ = f.join();
    }
    let stdout = String::from_utf8_lossy(&out_t.join().unwrap_or_default()).into_owned();
    let mut stderr = String::from_utf8_lossy(&err_t.join().unwrap_or_default()).into_owned();
    if timed_out {
        stderr.push_str(&format!(
            "\n[harness] killed after {}s timeout",
            limit.as_secs()
        ));
    }
    let code = if timed_out {
        None
    } else {
        status.and_then(|s| s.code())
    };
    KitResult {
        status: code == Some(0),
        stdout,
        stderr,
        code,
        command,
    }
}

fn run(cmd: &mut Command) -> KitResult {
    run_with(cmd, None, timeout())
}

// ---------------------------------------------------------------------------------------------
// node_modules

static NODE_MODULES: [OnceLock<Result<(), String>>; 2] = [OnceLock::new(), OnceLock::new()];

/// Makes sure `tests/conformance/node_modules` matches `package-lock.json`, running
/// `npm ci --no-audit --no-fund` at most once per process and only when needed. "Needed" = the stamp
/// file `node_modules/.drizzle-port-lock.sha256` does not hold the SHA-256 of the current
/// package-lock.json (missing node_modules, a lock file changed by git, or a manual `npm install`).
/// Concurrent test binaries are serialised with a lock directory (`.npm-ci.lock/`, `mkdir` is atomic).
/// Err if node/npm are missing or `npm ci` fails; see [`require_node`] for skip-or-fail handling.
pub fn ensure_node_modules() -> Result<(), String> {
    NODE_MODULES[kit() as usize]
        .get_or_init(install_node_modules)
        .clone()
}

/// `ensure_node_modules()` with the skip policy applied: Ok → true; Err → panics when
/// [`node_required`] (CI), else prints a notice to stderr and returns false (the test should return).
pub fn require_node() -> bool {
    match ensure_node_modules() {
        Ok(()) => true,
        Err(e) if node_required() => panic!("node toolchain required (CI is set): {e}"),
        Err(e) => {
            eprintln!("SKIPPED: node toolchain unavailable (set CI=1 to make this fatal): {e}");
            false
        }
    }
}

fn lock_digest() -> Result<String, String> {
    use sha2::{Digest, Sha256};
    let lock = conformance_dir().join("package-lock.json");
    let bytes = fs::read(&lock).map_err(|e| format!("cannot read {}: {e}", lock.display()))?;
    Ok(format!("{:x}", Sha256::digest(&bytes)))
}

fn stamp_path() -> PathBuf {
    conformance_dir()
        .join("node_modules")
        .join(".drizzle-port-lock.sha256")
}

fn node_modules_fresh(digest: &str) -> bool {
    let tools = ["drizzle-kit", "tsc", "tsx"]
        .iter()
        .all(|b| bin(b).exists());
    tools
        && fs::read_to_string(stamp_path())
            .map(|s| s.trim() == digest)
            .unwrap_or(false)
}

fn install_node_modules() -> Result<(), String> {
    let dir = conformance_dir();
    for tool in ["node", "npm"] {
        let r = run_with(
            Command::new(tool).arg("--version"),
            None,
            Duration::from_secs(60),
        );
        if !r.status {
            return Err(format!(
                "`{tool}` is not usable (install Node 20+ with npm):\n{}",
                r.describe()
            ));
        }
    }
    let digest = lock_digest()?;
    if node_modules_fresh(&digest) {
        return Ok(());
    }
    let _guard = DirLock::acquire(
        &dir.join(".npm-ci.lock"),
        Duration::from_secs(NPM_CI_TIMEOUT_SECS),
    )?;
    // Another process may have installed while we waited for the lock.
    if node_modules_fresh(&digest) {
        return Ok(());
    }
    let started = Instant::now();
    let r = run_with(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir),
        None,
        Duration::from_secs(NPM_CI_TIMEOUT_SECS),
    );
    if !r.status {
        return Err(format!(
            "npm ci failed in {}:\n{}",
            dir.display(),
            r.describe()
        ));
    }
    fs::write(stamp_path(), &digest).map_err(|e| format!("cannot write npm stamp: {e}"))?;
    eprintln!(
        "[harness] npm ci in {} took {:.1?}",
        dir.display(),
        started.elapsed()
    );
    Ok(())
}

/// Cross-process mutex: a directory created with `mkdir` (atomic), removed on drop. A lock older
/// than the wait limit is considered stale (crashed holder) and taken over.
pub struct DirLock(PathBuf);

impl DirLock {
    pub fn acquire(path: &Path, max_wait: Duration) -> Result<DirLock, String> {
        let start = Instant::now();
        loop {
            match fs::create_dir(path) {
                Ok(()) => {
                    let _ = fs::write(path.join("owner"), format!("pid {}", std::process::id()));
                    return Ok(DirLock(path.to_path_buf()));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let age = fs::metadata(path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| t.elapsed().ok())
                        .unwrap_or_default();
                    if age > max_wait {
                        let _ = fs::remove_dir_all(path);
                        continue;
                    }
                    if start.elapsed() > max_wait {
                        return Err(format!("timed out waiting for lock {}", path.display()));
                    }
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(e) => return Err(format!("cannot create lock {}: {e}", path.display())),
            }
        }
    }
}

impl Drop for DirLock {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

// ---------------------------------------------------------------------------------------------
// Scratch directories

/// A fresh directory below `tests/conformance/.work/` (so node_modules resolves), deleted on drop
/// unless `DRIZZLE_PORT_KEEP_WORK` is set (then its path is printed).
pub struct WorkDir(Option<tempfile::TempDir>);

impl WorkDir {
    pub fn new() -> Result<WorkDir, String> {
        let root = conformance_dir().join(".work");
        fs::create_dir_all(&root).map_err(|e| format!("cannot create {}: {e}", root.display()))?;
        let prefix = format!("{}-", unique_name("w"));
        tempfile::Builder::new()
            .prefix(&prefix)
            .tempdir_in(&root)
            .map(|d| WorkDir(Some(d)))
            .map_err(|e| format!("cannot create a scratch dir in {}: {e}", root.display()))
    }

    pub fn path(&self) -> &Path {
        self.0.as_ref().expect("live WorkDir").path()
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        if std::env::var_os("DRIZZLE_PORT_KEEP_WORK").is_some() {
            if let Some(d) = self.0.take() {
                eprintln!("[harness] kept scratch dir {}", d.keep().display());
            }
        }
    }
}

/// A directory that outlives the call (returned paths must stay valid): below cargo's
/// `target/tmp` for integration tests, cleaned by `cargo clean`.
fn persistent_dir(prefix: &str) -> Result<PathBuf, String> {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("drizzle-port-conformance");
    let dir = root.join(unique_name(prefix));
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}

fn copy_file(from: &Path, to: &Path) -> Result<(), String> {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

/// Recursively copies the directory `from` into `to` (created).
pub fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let entries = fs::read_dir(from).map_err(|e| format!("cannot list {}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot list {}: {e}", from.display()))?;
        let src = entry.path();
        let dst = to.join(entry.file_name());
        let ty = entry
            .file_type()
            .map_err(|e| format!("{}: {e}", src.display()))?;
        if ty.is_dir() {
            if entry.file_name() == "node_modules" {
                continue;
            }
            copy_dir(&src, &dst)?;
        } else {
            copy_file(&src, &dst)?;
        }
    }
    Ok(())
}

/// Copies the top-level `*.ts` files of `out` (schema.ts, relations.ts, …) into `dest`.
fn copy_ts_files(out: &Path, dest: &Path) -> Result<(), String> {
    let entries = fs::read_dir(out).map_err(|e| format!("cannot list {}: {e}", out.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot list {}: {e}", out.display()))?;
        let p = entry.path();
        if p.is_file() && p.extension().is_some_and(|x| x == "ts") {
            copy_file(&p, &dest.join(entry.file_name()))?;
        }
    }
    Ok(())
}

fn absolute(p: &Path) -> Result<PathBuf, String> {
    fs::canonicalize(p).map_err(|e| format!("cannot resolve {}: {e}", p.display()))
}

/// `to` relative to `base` (both absolute, canonical), using `..` where needed.
fn relative_path(base: &Path, to: &Path) -> PathBuf {
    let b: Vec<Component> = base.components().collect();
    let t: Vec<Component> = to.components().collect();
    let common = b.iter().zip(&t).take_while(|(x, y)| x == y).count();
    let mut rel = PathBuf::new();
    for _ in common..b.len() {
        rel.push("..");
    }
    for c in &t[common..] {
        rel.push(c.as_os_str());
    }
    if rel.as_os_str().is_empty() {
        rel.push(".");
    }
    rel
}

/// Sorted list of all files below `dir` (relative paths) with their contents.
fn snapshot_tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, acc: &mut Vec<(PathBuf, Vec<u8>)>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, acc);
            } else {
                let rel = p.strip_prefix(root).unwrap_or(&p).to_path_buf();
                acc.push((rel, fs::read(&p).unwrap_or_default()));
            }
        }
    }
    let mut acc = Vec::new();
    walk(dir, dir, &mut acc);
    acc.sort();
    acc
}

fn js_string(s: &str) -> String {
    serde_json::to_string(s).expect("string serialises")
}

// ---------------------------------------------------------------------------------------------
// drizzle-kit

fn kit_error_printed(r: &KitResult) -> bool {
    // drizzle-kit prints thrown errors (stack traces) to stderr and validation problems
    // ("data is malformed", "Please specify …") to stdout, often with exit code 0.
    let err = r.stderr.to_lowercase();
    err.contains("error")
        || r.stdout.contains("Error:")
        || r.stdout.contains("[✗]")
        || r.stdout.contains("malformed")
        || r.stdout.contains("run drizzle-kit up")
}

/// Writes `<work>/drizzle.config.ts` and runs `drizzle-kit <args…> --config <it>` in
/// conformance_dir. `schema` must lie below conformance_dir (see module docs); `out` may be anywhere
/// (passed relative to conformance_dir, as drizzle-kit requires).
fn run_kit(
    work: &Path,
    schema: &Path,
    out: &Path,
    dialect: &str,
    url: Option<&str>,
    args: &[&str],
) -> KitResult {
    run_kit_config(work, schema, out, dialect, url, "", args)
}

/// [`run_kit`] with `extra` lines added to the config object (e.g. `  schemaFilter: [...],\n`).
fn run_kit_config(
    work: &Path,
    schema: &Path,
    out: &Path,
    dialect: &str,
    url: Option<&str>,
    extra: &str,
    args: &[&str],
) -> KitResult {
    let cwd = conformance_dir();
    let (schema, out) = match (absolute(schema), absolute(out), absolute(&cwd)) {
        (Ok(s), Ok(o), Ok(c)) => (s, relative_path(&c, &o)),
        (s, o, c) => {
            let msg = [s.err(), o.err(), c.err()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("; ");
            return KitResult {
                status: false,
                stdout: String::new(),
                stderr: msg,
                code: None,
                command: "drizzle-kit".into(),
            };
        }
    };
    let mut config = format!(
        "// written by tests/common/node.rs\nexport default {{\n  dialect: {},\n  schema: {},\n  out: {},\n",
        js_string(dialect),
        js_string(&schema.to_string_lossy()),
        js_string(&out.to_string_lossy()),
    );
    if let Some(url) = url {
        config.push_str(&format!(
            "  dbCredentials: {{ url: {} }},\n",
            js_string(url)
        ));
    }
    config.push_str(extra);
    config.push_str("};\n");
    let cfg = work.join("drizzle.config.ts");
    if let Err(e) = fs::write(&cfg, config) {
        return KitResult {
            status: false,
            stdout: String::new(),
            stderr: format!("cannot write {}: {e}", cfg.display()),
            code: None,
            command: "drizzle-kit".into(),
        };
    }
    let mut cmd = Command::new(bin("drizzle-kit"));
    cmd.args(args).arg("--config").arg(&cfg).current_dir(&cwd);
    let mut r = run(&mut cmd);
    if r.status && kit_error_printed(&r) {
        r.status = false;
    }
    r
}

/// Runs `drizzle-kit generate` for `OUT/schema.ts` with `out` = OUT (files are written into OUT, as
/// a user's `drizzle-kit generate` would). schema.ts/relations.ts are copied into a scratch dir
/// below conformance_dir first, so imports resolve. `dialect`: `postgresql` | `sqlite` | `turso`.
pub fn drizzle_kit_generate(out: &Path, dialect: &str) -> KitResult {
    drizzle_kit_generate_with(out, dialect, &[])
}

/// A failed drizzle-kit step that never started, with why.
fn kit_failure(command: &str, msg: String) -> KitResult {
    KitResult {
        status: false,
        stdout: String::new(),
        stderr: msg,
        code: None,
        command: command.into(),
    }
}

/// What every drizzle-kit step needs first: node_modules installed and OUT's `.ts` files copied
/// into a fresh work folder below `tests/conformance/` (see the module doc for why).
fn kit_work(out: &Path) -> Result<WorkDir, String> {
    ensure_node_modules()?;
    let work = WorkDir::new()?;
    copy_ts_files(out, work.path())?;
    Ok(work)
}

/// [`drizzle_kit_generate`] with extra CLI arguments (e.g. `["--name", "add_bio"]`).
pub fn drizzle_kit_generate_with(out: &Path, dialect: &str, extra: &[&str]) -> KitResult {
    let fail = |msg: String| kit_failure("drizzle-kit generate", msg);
    let work = match kit_work(out) {
        Ok(w) => w,
        Err(e) => return fail(e),
    };
    let schema = work.path().join("schema.ts");
    if !schema.exists() {
        return fail(format!("{} has no schema.ts", out.display()));
    }
    let mut args = vec!["generate"];
    args.extend_from_slice(extra);
    run_kit(work.path(), &schema, out, dialect, None, &args)
}

/// The "nothing to do" message of `drizzle-kit generate`.
pub const NO_CHANGES: &str = "No schema changes, nothing to migrate";

/// Ok iff `drizzle-kit generate` on OUT prints "No schema changes, nothing to migrate" and writes
/// nothing. Runs on a scratch COPY of OUT, so OUT is never modified. On failure the error contains
/// the drizzle-kit output and every file it created/changed (i.e. the drift as SQL).
pub fn generate_reports_no_changes(out: &Path, dialect: &str) -> Result<(), String> {
    ensure_node_modules()?;
    let work = WorkDir::new()?;
    let copy = work.path().join("out");
    copy_dir(out, &copy)?;
    let before = snapshot_tree(&copy);
    let r = run_kit(
        work.path(),
        &copy.join("schema.ts"),
        &copy,
        dialect,
        None,
        &["generate"],
    );
    let after = snapshot_tree(&copy);
    let mut changed = String::new();
    for (path, bytes) in &after {
        let old = before.iter().find(|(p, _)| p == path);
        if old.map(|(_, b)| b) != Some(bytes) {
            let kind = if old.is_some() { "changed" } else { "new" };
            let text = String::from_utf8_lossy(bytes);
            // The SQL is what matters; snapshots/journal are long, show them only if no SQL came out.
            if path.extension().is_some_and(|x| x == "sql") {
                changed.push_str(&format!(
                    "\n=== {kind} file {} ===\n{text}\n",
                    path.display()
                ));
            } else {
                changed.push_str(&format!(
                    "\n=== {kind} file {} ({} bytes) ===\n",
                    path.display(),
                    bytes.len()
                ));
            }
        }
    }
    let said_no_changes = r.stdout.contains(NO_CHANGES);
    if r.status && said_no_changes && changed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "drizzle-kit generate did not report \"{NO_CHANGES}\" cleanly for {} (dialect {dialect}){}\n{}",
            out.display(),
            if changed.is_empty() { String::new() } else { format!("\nfiles written by drizzle-kit:{changed}") },
            r.describe()
        ))
    }
}

/// Runs `drizzle-kit generate` for `schema_ts` (plus `relations_ts`, copied alongside so a schema
/// that imports it still loads) into an EMPTY migrations folder and returns the path of the produced
/// `.sql` file. The folder (with `meta/`) lives below cargo's target/tmp and stays valid.
pub fn generate_fresh(
    schema_ts: &Path,
    relations_ts: Option<&Path>,
    dialect: &str,
) -> Result<PathBuf, String> {
    ensure_node_modules()?;
    let work = WorkDir::new()?;
    copy_file(schema_ts, &work.path().join("schema.ts"))?;
    if let Some(rel) = relations_ts {
        copy_file(rel, &work.path().join("relations.ts"))?;
    }
    let out = persistent_dir("fresh")?;
    let r = run_kit(
        work.path(),
        &work.path().join("schema.ts"),
        &out,
        dialect,
        None,
        &["generate"],
    )
    .ok_or_describe()?;
    let sqls: Vec<PathBuf> = fs::read_dir(&out)
        .map_err(|e| format!("cannot list {}: {e}", out.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    match sqls.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(format!(
            "expected exactly one .sql file in {}, found {:?}\n{}",
            out.display(),
            sqls,
            r.describe()
        )),
    }
}

/// Runs `drizzle-kit migrate` with `out` = OUT and `dbCredentials.url` = `url`. Beware: drizzle-kit
/// hides database errors behind its spinner and may exit 1 without a message — prefer
/// [`migrate_pg`] / [`migrate_sqlite`] for assertions; this exists to check the CLI path itself
/// (success prints "migrations applied successfully").
pub fn drizzle_kit_migrate(out: &Path, dialect: &str, url: &str) -> KitResult {
    // `migrate` does not load the schema, but the config needs one; point it at a copy anyway.
    let fail = |msg: String| kit_failure("drizzle-kit migrate", msg);
    let work = match kit_work(out) {
        Ok(w) => w,
        Err(e) => return fail(e),
    };
    let mut r = run_kit(
        work.path(),
        &work.path().join("schema.ts"),
        out,
        dialect,
        Some(url),
        &["migrate"],
    );
    if r.status
        && !r.stdout.contains("migrations applied successfully")
        && !r.stderr.contains("migrations applied successfully")
    {
        r.status = false;
    }
    r
}

/// The "nothing to do" message of `drizzle-kit push`.
pub const PUSH_NO_CHANGES: &str = "No changes detected";

/// The schemas `schema.ts` declares with `pgSchema("…")`, plus `public`: push only reads the
/// schemas of its `schemaFilter` (default `public`) and would re-create the others' objects.
fn pg_schemas_of(schema_ts: &str) -> Vec<String> {
    let mut out = vec!["public".to_string()];
    for part in schema_ts.split("pgSchema(").skip(1) {
        if let Some(name) = part
            .strip_prefix('"')
            .and_then(|rest| rest.split_once("\")"))
            .map(|(name, _)| name.to_string())
        {
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

/// Runs `drizzle-kit push --verbose --force` for OUT/schema.ts against `url` (`dialect`
/// `postgresql`, `sqlite` or `turso`; `auth_token` for turso). No TTY: a rename prompt fails or
/// times out instead of hanging; `--force` answers the data-loss prompt, so whatever push plans
/// is also executed (callers compare the catalog before and after).
pub fn drizzle_kit_push(
    out: &Path,
    dialect: &str,
    url: &str,
    auth_token: Option<&str>,
) -> KitResult {
    let fail = |msg: String| kit_failure("drizzle-kit push", msg);
    let work = match kit_work(out) {
        Ok(w) => w,
        Err(e) => return fail(e),
    };
    let schema = work.path().join("schema.ts");
    let mut extra = String::new();
    if dialect == "postgresql" {
        let schemas = pg_schemas_of(&fs::read_to_string(&schema).unwrap_or_default());
        let list: Vec<String> = schemas.iter().map(|s| js_string(s)).collect();
        extra.push_str(&format!("  schemaFilter: [{}],\n", list.join(", ")));
    }
    if let Some(token) = auth_token {
        // run_kit_config writes `dbCredentials: { url }`; turso reads the token beside it.
        extra.push_str(&format!(
            "  dbCredentials: {{ url: {}, authToken: {} }},\n",
            js_string(url),
            js_string(token)
        ));
    }
    let url = if auth_token.is_some() {
        None
    } else {
        Some(url)
    };
    run_kit_config(
        work.path(),
        &schema,
        out,
        dialect,
        url,
        &extra,
        &["push", "--verbose", "--force"],
    )
}

/// What `drizzle-kit push` planned and said.
#[derive(Debug, Clone)]
pub struct PushPlan {
    /// The statements it printed under "You are about to execute" (and then ran: `--force`).
    pub statements: Vec<String>,
    /// It said "No changes detected".
    pub no_changes: bool,
    /// An error it printed (a crash, a prompt it could not show, a failing statement).
    pub error: Option<String>,
    /// Its output without the spinner lines, for messages.
    pub output: String,
}

/// Runs [`drizzle_kit_push`] and reads its output.
pub fn push_plan(out: &Path, dialect: &str, url: &str, auth_token: Option<&str>) -> PushPlan {
    let r = drizzle_kit_push(out, dialect, url, auth_token);
    let clean = |text: &str| -> String {
        text.lines()
            .filter(|l| !l.contains("Pulling schema"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let stdout = clean(&r.stdout);
    // One statement a line, except a `CREATE TABLE` (SQLite rebuilds), which runs to its `);`.
    let mut statements: Vec<String> = Vec::new();
    let mut open_table = false;
    let mut in_list = false;
    for line in stdout.lines() {
        let line = line.trim();
        if line.contains("You are about to execute") {
            in_list = true;
        } else if in_list && (line.contains("[✓]") || line.contains("[i]")) {
            in_list = false;
        } else if open_table {
            let last = statements.last_mut().expect("an open CREATE TABLE");
            last.push('\n');
            last.push_str(line);
            open_table = !line.ends_with(';');
        } else if in_list && !line.is_empty() && line != "--> statement-breakpoint" {
            statements.push(line.to_string());
            open_table = line.starts_with("CREATE TABLE") && !line.ends_with(';');
        }
    }
    let failed = !r.status
        || stdout.contains("Error")
        || stdout.contains("error:")
        || r.stderr.to_lowercase().contains("error");
    let output = format!(
        "$ {}\nexit: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        r.command,
        r.code,
        stdout.trim_end(),
        clean(&r.stderr).trim_end()
    );
    PushPlan {
        no_changes: stdout.contains(PUSH_NO_CHANGES) && statements.is_empty(),
        error: failed.then(|| output.clone()),
        statements,
        output,
    }
}

/// `CREATE TABLE` statements of `sql` by table name, whitespace-normalised.
fn create_tables(sql: &str) -> Vec<(String, String)> {
    sql.split("--> statement-breakpoint")
        .filter_map(|s| {
            let s = s.trim();
            let rest = s.strip_prefix("CREATE TABLE `")?;
            let (name, _) = rest.split_once('`')?;
            Some((name.to_string(), normalise_ws(s)))
        })
        .collect()
}

fn normalise_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The tables push rebuilds (SQLite) with exactly the `CREATE TABLE` our baseline has: push
/// compares only the affinity it maps a declared type to (`DATETIME` is `numeric` to it), so a
/// table with Prisma's declared types is rebuilt as itself.
fn rebuilt_as_themselves(planned: &[String], baseline_sql: &str) -> Vec<String> {
    let ours = create_tables(baseline_sql);
    planned
        .iter()
        .filter_map(|p| {
            let rest = p.strip_prefix("CREATE TABLE `__new_")?;
            let (name, _) = rest.split_once('`')?;
            let as_ours =
                normalise_ws(&p.replacen(&format!("`__new_{name}`"), &format!("`{name}`"), 1));
            ours.iter()
                .any(|(n, sql)| n == name && *sql == as_ours)
                .then(|| name.to_string())
        })
        .collect()
}

/// libSQL push (`turso`) alters a column in place instead of rebuilding the table: the column has
/// exactly the declared type our baseline gives it (push compared only its affinity), or it drops
/// and re-creates an index exactly as our baseline creates it.
fn turso_redo_as_itself(statement: &str, planned: &[String], baseline_sql: &str) -> bool {
    let ours: Vec<String> = baseline_sql
        .split("--> statement-breakpoint")
        .map(|s| normalise_ws(s.trim().trim_end_matches(';')))
        .collect();
    let recreated = |index: &str| {
        planned.iter().any(|p| {
            p.starts_with("CREATE ")
                && p.contains(&format!("INDEX `{index}` ON "))
                && ours.contains(&normalise_ws(p.trim_end_matches(';')))
        })
    };
    if let Some(rest) = statement.strip_prefix("DROP INDEX \"") {
        return rest
            .split_once('"')
            .is_some_and(|(index, _)| recreated(index));
    }
    if statement.starts_with("CREATE ") && statement.contains("INDEX `") {
        return ours.contains(&normalise_ws(statement.trim_end_matches(';')));
    }
    let Some(rest) = statement.strip_prefix("ALTER TABLE `") else {
        return false;
    };
    let Some((table, rest)) = rest.split_once("` ALTER COLUMN \"") else {
        return false;
    };
    let Some((column, rest)) = rest.split_once('"') else {
        return false;
    };
    let Some(declared) = rest
        .strip_prefix(&format!(" TO \"{column}\" "))
        .and_then(|d| d.trim_end_matches(';').split_whitespace().next())
    else {
        return false;
    };
    create_tables(baseline_sql).iter().any(|(t, sql)| {
        t == table
            && [" ", ","]
                .iter()
                .any(|end| sql.contains(&format!("`{column}` {declared}{end}")))
    })
}

/// Why drizzle-kit 0.31.11 push plans `statement` on a database that matches schema.ts, when it is
/// one of its known misreadings (bin.cjs `fromDatabase` / `defaultForColumn`) that no schema.ts
/// form can avoid while still building the database's own catalog. `planned` is everything push
/// planned, `fk_target_indexes` the unique indexes a foreign key references, `rebuilt` the SQLite
/// tables it rebuilds as themselves.
pub fn known_push_defect(
    statement: &str,
    planned: &[String],
    fk_target_indexes: &[String],
    rebuilt: &[String],
    baseline_sql: &str,
) -> Option<&'static str> {
    if turso_redo_as_itself(statement, planned, baseline_sql) {
        return Some(
            "libSQL column or index redone as itself: push compares the affinity of declared \
             types (DATETIME, BOOLEAN, DECIMAL, BIGINT, JSONB) with the type names",
        );
    }
    const REBUILD: &str = "SQLite table rebuilt as itself: push compares the affinity of declared \
                           types (DATETIME, BOOLEAN, DECIMAL, BIGINT, JSONB) with the type names";
    if !rebuilt.is_empty() {
        let names_rebuilt = |s: &str| {
            rebuilt.iter().any(|t| {
                s.starts_with(&format!("CREATE TABLE `__new_{t}`"))
                    || s.starts_with(&format!("INSERT INTO `__new_{t}`"))
                    || s == format!("DROP TABLE `{t}`;")
                    || s == format!("ALTER TABLE `__new_{t}` RENAME TO `{t}`;")
                    || (s.starts_with("CREATE ") && s.contains(&format!(" ON `{t}` (")))
            })
        };
        if statement.starts_with("PRAGMA foreign_keys=") || names_rebuilt(statement) {
            return Some(REBUILD);
        }
    }
    let quoted_after = |s: &str, prefix: &str| -> Option<String> {
        let rest = &s[s.find(prefix)? + prefix.len()..];
        let rest = rest.strip_prefix('"')?;
        rest.split_once('"').map(|(name, _)| name.to_string())
    };
    let default = statement
        .split_once(" SET DEFAULT ")
        .map(|(_, d)| d.trim_end_matches(';'));
    if default
        .is_some_and(|d| d.starts_with("ARRAY[") || (d.starts_with("'{") && d.ends_with("[]")))
    {
        return Some(
            "array default: push cuts `'{…}'` out of the stored `ARRAY[…]` text and reads `'{}'` as `'{\"\"}'`",
        );
    }
    if statement.contains(" SET DATA TYPE \"undefined\".") {
        return Some("type of another schema (a domain): push reads it without its schema");
    }
    // Also `'-42'::integer` on a bigint column, `'-0.25'::numeric` on a double one: the casts
    // PostgreSQL keeps of Prisma's negative literals, which push reads as strings.
    let number = |d: &str| {
        let d = match d.split_once("::") {
            Some((lit, cast)) if ["integer", "numeric", "bigint", "smallint"].contains(&cast) => {
                lit.trim_matches('\'')
            }
            _ => d,
        };
        let d = d.strip_prefix('-').unwrap_or(d);
        !d.is_empty() && d.chars().all(|c| c.is_ascii_digit() || c == '.')
    };
    if default.is_some_and(number) {
        return Some(
            "number literal default: push quotes numeric defaults, reads bigint as a JS number and \
             float casts as strings, where PostgreSQL keeps Prisma's literal unquoted",
        );
    }
    if default.is_some_and(|d| {
        [
            "::box",
            "::point",
            "::lseg",
            "::line",
            "::path",
            "::polygon",
            "::circle",
        ]
        .iter()
        .any(|t| d.ends_with(t))
    }) {
        return Some("geometric literal default: PostgreSQL keeps its own spelling of the value");
    }
    if default.is_some_and(|d| d.contains("('")) {
        return Some(
            "expression default: PostgreSQL keeps its own deparse of the dbgenerated() text \
             (casts on literals) and push compares that text",
        );
    }
    if statement.contains(" SET DATA TYPE \"") && statement.contains("\"[] USING ") {
        return Some("enum array: push reads a quoted enum type name as `Name\"[]`");
    }
    if statement.starts_with("DROP SEQUENCE \"")
        && !statement.starts_with("DROP SEQUENCE \"public\".")
    {
        return Some("serial outside public: push does not tie its sequence to the column");
    }
    if let Some(name) = quoted_after(statement, "CREATE UNIQUE INDEX ") {
        if fk_target_indexes.contains(&name) {
            return Some(
                "unique index a foreign key references: push takes it for a constraint's own index",
            );
        }
    }
    // A primary key push drops and adds back under the same name.
    let pk = quoted_after(statement, "DROP CONSTRAINT ")
        .or_else(|| quoted_after(statement, "ADD CONSTRAINT "))?;
    let added = planned
        .iter()
        .find(|p| p.contains(&format!("ADD CONSTRAINT \"{pk}\" PRIMARY KEY(")))?;
    let dropped = planned
        .iter()
        .any(|p| p.contains(&format!("DROP CONSTRAINT \"{pk}\"")));
    if !dropped {
        return None;
    }
    if added.contains("\",\"") {
        Some("composite primary key: push lists its columns in table order, not key order")
    } else if !pk.ends_with("_pkey") {
        Some("single-column primary key with its own name: push reads no name for it")
    } else {
        None
    }
}

/// Cases where drizzle-kit 0.31.11 push, once it has planned its known misreadings, damages the
/// database while redoing what it misread (its bugs, not our output): they must still fail, so a
/// drizzle-kit that fixes them is noticed. `(case name, what push does)`.
pub const KNOWN_PUSH_DAMAGE: &[(&str, &str)] = &[
    (
        "probes/sqlite_features",
        "sqlite: the table rebuild re-creates a DESC index as (`\"code\" DESC`), an unknown column, and stops with the table's indexes gone",
    ),
    (
        "samples/sqlite_types",
        "turso: ALTER COLUMN … TO leaves out a `false` default and stops before re-creating an index",
    ),
    (
        "inline/sqlite_edge",
        "sqlite: a DESC unique index is dropped and re-created as (\"label\" DESC), then the rebuild stops",
    ),
];

/// `result` of the push step for `case`, with [`KNOWN_PUSH_DAMAGE`] applied: a listed case must
/// fail (its failure is logged), any other case passes through.
pub fn with_known_push_damage(case: &str, result: Result<(), String>) -> Result<(), String> {
    match (KNOWN_PUSH_DAMAGE.iter().find(|(c, _)| *c == case), result) {
        (Some((_, why)), Err(e)) => {
            let first = e.lines().next().unwrap_or_default();
            eprintln!("{case}: known drizzle-kit push damage ({why}): {first}");
            Ok(())
        }
        (Some(_), Ok(())) => Err(format!(
            "push no longer damages {case}: remove it from KNOWN_PUSH_DAMAGE"
        )),
        (None, result) => result,
    }
}

/// JavaScript's `Object.prototype` members: push's introspection keeps tables in a plain object,
/// so a table named like one of them crashes it (`internals.tables["constructor"]`).
const OBJECT_MEMBERS: &[&str] = &[
    "constructor",
    "toString",
    "valueOf",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "toLocaleString",
    "__proto__",
];

/// `drizzle-kit push` on OUT finds nothing to change: it says "No changes detected", or plans only
/// statements [`known_push_defect`] explains (Ok lists each reason with its count, for the log). Any
/// other statement, a crash or a prompt is an Err with push's output. Callers compare the catalog
/// before and after, since push also runs what it planned.
pub fn push_finds_nothing(
    out: &Path,
    dialect: &str,
    url: &str,
    auth_token: Option<&str>,
    fk_target_indexes: &[String],
) -> Result<Vec<String>, String> {
    let plan = push_plan(out, dialect, url, auth_token);
    let baseline: String = fs::read_dir(out)
        .map_err(|e| e.to_string())?
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "sql"))
        .map(|e| fs::read_to_string(e.path()).unwrap_or_default())
        .collect();
    let rebuilt = rebuilt_as_themselves(&plan.statements, &baseline);
    let mut known = Vec::new();
    let mut unexplained = Vec::new();
    let show = std::env::var_os("DRIZZLE_PORT_SHOW_PUSH").is_some();
    for s in &plan.statements {
        let reason = known_push_defect(s, &plan.statements, fk_target_indexes, &rebuilt, &baseline);
        if show {
            eprintln!("push plans: {s}\n  [{}]", reason.unwrap_or("unexplained"));
        }
        match reason {
            Some(why) => match known.iter_mut().find(|(w, _)| *w == why) {
                Some((_, n)) => *n += 1,
                None => known.push((why, 1)),
            },
            None => unexplained.push(s.clone()),
        }
    }
    if !unexplained.is_empty() {
        return Err(format!(
            "drizzle-kit push planned changes:\n{}\n{}",
            unexplained.join("\n"),
            plan.output
        ));
    }
    let mut known: Vec<String> = known
        .into_iter()
        .map(|(why, n)| format!("{n} statement(s): {why}"))
        .collect();
    if let Some(error) = &plan.error {
        let schema_ts = fs::read_to_string(out.join("schema.ts")).unwrap_or_default();
        let object_member = OBJECT_MEMBERS
            .iter()
            .find(|m| schema_ts.contains(&format!("Table(\"{m}\"")));
        match object_member {
            Some(m) if error.contains("Cannot read properties of undefined") => known.push(format!(
                "push crashed  [a table named `{m}`: push's introspection keeps tables in a plain JS object]"
            )),
            // An error from running the known statements above (push has run them, `--force`).
            _ if !plan.statements.is_empty() => {}
            _ => return Err(format!("drizzle-kit push failed:\n{error}")),
        }
    } else if plan.statements.is_empty() && !plan.no_changes {
        return Err(format!(
            "drizzle-kit push did not say \"{PUSH_NO_CHANGES}\":\n{}",
            plan.output
        ));
    }
    Ok(known)
}

// ---------------------------------------------------------------------------------------------
// TypeScript

/// Type-checks `files` with the pinned TypeScript (`tsc --noEmit --strict`, tests/conformance/
/// tsconfig.json: ES2022, moduleResolution bundler so `./schema` imports work, skipLibCheck, types
/// node). The files are copied by FILE NAME into one scratch dir (so pass schema.ts and
/// relations.ts together). Err = the compiler output.
pub fn tsc_check(files: &[&Path]) -> Result<(), String> {
    ensure_node_modules()?;
    let work = WorkDir::new()?;
    for f in files {
        let name = f
            .file_name()
            .ok_or_else(|| format!("not a file: {}", f.display()))?;
        copy_file(f, &work.path().join(name))?;
    }
    let base = conformance_dir().join("tsconfig.json");
    let tsconfig = format!(
        "{{\n  \"extends\": {},\n  \"compilerOptions\": {{ \"noEmit\": true, \"strict\": true }},\n  \"include\": [\"*.ts\"]\n}}\n",
        js_string(&base.to_string_lossy())
    );
    fs::write(work.path().join("tsconfig.json"), tsconfig)
        .map_err(|e| format!("cannot write tsconfig: {e}"))?;
    let mut cmd = Command::new(bin("tsc"));
    cmd.args(["--noEmit", "--strict", "--pretty", "false", "-p"])
        .arg(work.path().join("tsconfig.json"))
        .current_dir(work.path());
    let r = run(&mut cmd);
    if r.status {
        Ok(())
    } else {
        Err(format!(
            "tsc reported errors for {files:?}:\n{}",
            r.describe()
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// Node scripts (tests/conformance/*.mjs)

/// Runs `node <conformance_dir>/<script> <args…>` with cwd = conformance_dir and extra `env`.
pub fn run_node_script(script: &str, args: &[&str], env: &[(&str, &str)]) -> KitResult {
    if let Err(e) = ensure_node_modules() {
        return KitResult {
            status: false,
            stdout: String::new(),
            stderr: e,
            code: None,
            command: format!("node {script}"),
        };
    }
    let dir = conformance_dir();
    let mut cmd = Command::new("node");
    cmd.arg(dir.join(script)).args(args).current_dir(&dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    run(&mut cmd)
}

/// Like [`run_node_script`] but through tsx, for scripts that import `.ts` files.
pub fn run_tsx_script(script: &str, args: &[&str], env: &[(&str, &str)]) -> KitResult {
    if let Err(e) = ensure_node_modules() {
        return KitResult {
            status: false,
            stdout: String::new(),
            stderr: e,
            code: None,
            command: format!("tsx {script}"),
        };
    }
    let dir = conformance_dir();
    let mut cmd = Command::new(bin("tsx"));
    cmd.arg(dir.join(script)).args(args).current_dir(&dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    run(&mut cmd)
}

/// What one migrator run did: rows in the history table before and after, and the hashes
/// (sha256 of the .sql file) of the rows it inserted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrateReport {
    pub before: usize,
    pub after: usize,
    pub applied: Vec<String>,
}

impl MigrateReport {
    /// Number of migrations this run applied.
    pub fn applied_count(&self) -> usize {
        self.after - self.before
    }
}

fn parse_migrate_report(r: KitResult) -> Result<MigrateReport, String> {
    let r = r.ok_or_describe()?;
    let line = r
        .stdout
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with('{'))
        .unwrap_or("");
    let v: serde_json::Value = serde_json::from_str(line)
        .map_err(|e| format!("unparsable migrator output ({e}):\n{}", r.describe()))?;
    let num = |k: &str| {
        v[k].as_u64()
            .map(|n| n as usize)
            .ok_or_else(|| format!("missing `{k}` in {line}"))
    };
    Ok(MigrateReport {
        before: num("before")?,
        after: num("after")?,
        applied: v["applied"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|h| h.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
    })
}

fn folder_arg(out: &Path) -> Result<String, String> {
    Ok(absolute(out)?.to_string_lossy().into_owned())
}

/// Applies migrations folder `out` to PostgreSQL `url` with drizzle-orm's node-postgres migrator
/// (history table drizzle.__drizzle_migrations).
pub fn migrate_pg(out: &Path, url: &str) -> Result<MigrateReport, String> {
    migrate_pg_with(out, url, None, None)
}

/// [`migrate_pg`] with a custom history table / schema (`migrationsTable` / `migrationsSchema`).
pub fn migrate_pg_with(
    out: &Path,
    url: &str,
    table: Option<&str>,
    schema: Option<&str>,
) -> Result<MigrateReport, String> {
    let folder = folder_arg(out)?;
    let mut env = Vec::new();
    if let Some(t) = table {
        env.push(("MIGRATIONS_TABLE", t));
    }
    if let Some(s) = schema {
        env.push(("MIGRATIONS_SCHEMA", s));
    }
    parse_migrate_report(run_node_script("migrate.mjs", &[&folder, url], &env))
}

/// Applies migrations folder `out` to a SQLite/libSQL database with drizzle-orm's libsql migrator.
/// `url` is a libsql URL, e.g. `file:/abs/path/test.db` (see [`sqlite_url_for`]).
pub fn migrate_sqlite(out: &Path, url: &str) -> Result<MigrateReport, String> {
    let folder = folder_arg(out)?;
    parse_migrate_report(run_node_script("migrate-sqlite.mjs", &[&folder, url], &[]))
}

/// `file:<absolute path>` for @libsql/client.
pub fn sqlite_url_for(db_file: &Path) -> String {
    let p = if db_file.is_absolute() {
        db_file.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(db_file))
            .unwrap_or_else(|_| db_file.to_path_buf())
    };
    format!("file:{}", p.display())
}

/// Runs `db.query[table].findMany({ with })` (drizzle relational query API) against PostgreSQL
/// using OUT/schema.ts and OUT/relations.ts (if present) and returns the rows. `with_json` is the
/// JSON of the `with` object (`"{}"`/`""` for none), e.g. `{"tags":{"with":{"tag":true}}}`.
/// `table` is the table's EXPORT name in schema.ts. Rows come back in database order; use
/// [`relational_query_pg_plan`] with `orderBy` for stable results. Values: bigint → string,
/// Date → ISO string, Buffer → hex string.
pub fn relational_query_pg(
    out: &Path,
    url: &str,
    table: &str,
    with_json: &str,
) -> Result<serde_json::Value, String> {
    let with: serde_json::Value = if with_json.trim().is_empty() {
        serde_json::json!({})
    } else {
        serde_json::from_str(with_json)
            .map_err(|e| format!("with_json is not JSON ({e}): {with_json}"))?
    };
    relational_query_pg_plan(
        out,
        url,
        &serde_json::json!({ "table": table, "with": with }),
    )
}

/// Full form of [`relational_query_pg`]: `plan` = `{"table": …, "with": {…}, "orderBy": ["id"], "limit": n}`.
pub fn relational_query_pg_plan(
    out: &Path,
    url: &str,
    plan: &serde_json::Value,
) -> Result<serde_json::Value, String> {
    relational_query("postgresql", out, url, plan)
}

/// Runs `tests/conformance/query.mjs` for `dialect` (`postgresql`: node-postgres, `sqlite`:
/// @libsql/client) with OUT's `.ts` files against `url`: the plan's optional inserts through
/// drizzle, then `db.query[plan.table].findMany({ with, orderBy, limit })`; returns the rows.
/// One runner for both dialects because the script differs only in the driver.
pub fn relational_query(
    dialect: &str,
    out: &Path,
    url: &str,
    plan: &serde_json::Value,
) -> Result<serde_json::Value, String> {
    ensure_node_modules()?;
    let work = WorkDir::new()?;
    copy_ts_files(out, work.path())?;
    let dir = work.path().to_string_lossy().into_owned();
    let plan = plan.to_string();
    let r = run_tsx_script("query.mjs", &[dialect, &dir, url, &plan], &[]).ok_or_describe()?;
    serde_json::from_str(r.stdout.trim())
        .map_err(|e| format!("unparsable query output ({e}):\n{}", r.describe()))
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

fn pg_host() -> String {
    std::env::var("DRIZZLE_PORT_PG_HOST").unwrap_or_else(|_| "127.0.0.1".into())
}
fn pg_port() -> String {
    std::env::var("DRIZZLE_PORT_PG_PORT").unwrap_or_else(|_| "5432".into())
}
fn pg_user() -> String {
    std::env::var("DRIZZLE_PORT_PG_USER").unwrap_or_else(|_| "postgres".into())
}

/// `postgres://postgres@127.0.0.1:5432/<db>` (host/port/user overridable with
/// `DRIZZLE_PORT_PG_HOST` / `_PORT` / `_USER`; trust auth is assumed).
pub fn pg_url_for(db: &str) -> String {
    format!(
        "postgres://{}@{}:{}/{}",
        pg_user(),
        pg_host(),
        pg_port(),
        db
    )
}

/// `psql` against database `db`, with the connection flags, no psqlrc, stop on first error.
fn psql(db: &str) -> Command {
    let mut cmd = Command::new("psql");
    cmd.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h"])
        .arg(pg_host())
        .arg("-p")
        .arg(pg_port())
        .arg("-U")
        .arg(pg_user())
        .arg("-d")
        .arg(db)
        .env("PGCONNECT_TIMEOUT", "5")
        .env("PGOPTIONS", "--client-min-messages=warning");
    cmd
}

fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// A uniquely named, initially empty PostgreSQL database, dropped (WITH FORCE) on drop.
pub struct TempDb {
    name: String,
}

impl TempDb {
    /// Creates the database. Err (PostgreSQL unreachable, psql missing, …) — but PANICS instead when
    /// `CI` is set, so a CI run never silently skips database tests.
    pub fn create() -> Result<TempDb, String> {
        let name = unique_name("dp_test");
        let r = run(psql("postgres")
            .arg("-c")
            .arg(format!("CREATE DATABASE {}", quote_ident(&name))));
        if r.status {
            Ok(TempDb { name })
        } else {
            let msg = format!(
                "cannot create a PostgreSQL database at {}:\n{}",
                pg_url_for(&name),
                r.describe()
            );
            if node_required() {
                panic!("PostgreSQL required (CI is set): {msg}");
            }
            Err(msg)
        }
    }

    /// [`TempDb::create`], printing a SKIPPED notice and returning None when PostgreSQL is
    /// unavailable outside CI.
    pub fn create_or_skip() -> Option<TempDb> {
        match TempDb::create() {
            Ok(db) => Some(db),
            Err(e) => {
                eprintln!("SKIPPED: PostgreSQL unavailable (set CI=1 to make this fatal): {e}");
                None
            }
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn url(&self) -> String {
        pg_url_for(&self.name)
    }

    /// Runs an SQL script (`psql -v ON_ERROR_STOP=1 -X -q -d <db> -f -`); Err includes psql output.
    pub fn exec_sql(&self, sql: &str) -> Result<String, String> {
        let r = run_with(psql(&self.name).args(["-f", "-"]), Some(sql), timeout());
        if r.status {
            Ok(r.stdout)
        } else {
            Err(format!(
                "SQL failed on {}:\n{}\n--- script ---\n{sql}",
                self.name,
                r.describe()
            ))
        }
    }

    /// Runs one query and returns unaligned, tuples-only output (`psql -At`), rows separated by `\n`.
    pub fn query(&self, sql: &str) -> Result<String, String> {
        let r = run(psql(&self.name).args(["-A", "-t", "-c", sql]));
        if r.status {
            Ok(r.stdout.trim_end_matches('\n').to_string())
        } else {
            Err(format!("query failed on {}:\n{}", self.name, r.describe()))
        }
    }

    /// The normalised catalog listing of `tests/common/pg_catalog.sql` (`psql -At`): one line per
    /// column / constraint / index / enum of every non-system schema — INCLUDING drizzle's history
    /// table `drizzle.__drizzle_migrations` once a migrator ran (see
    /// [`TempDb::catalog_without_history`]).
    pub fn catalog(&self) -> Result<String, String> {
        self.listing(PG_CATALOG_SQL)
    }

    /// [`TempDb::catalog`] plus `tests/common/pg_catalog_extra.sql`: policies, RLS flags, domains,
    /// sequences and comments.
    pub fn full_catalog(&self) -> Result<String, String> {
        let mut out = self.catalog()?;
        out.push_str(&self.listing(PG_CATALOG_EXTRA_SQL)?);
        Ok(out)
    }

    fn listing(&self, query: &str) -> Result<String, String> {
        let r = run_with(
            psql(&self.name).args(["-A", "-t", "-f", "-"]),
            Some(query),
            timeout(),
        );
        if r.status {
            Ok(r.stdout)
        } else {
            Err(format!(
                "catalog query failed on {}:\n{}",
                self.name,
                r.describe()
            ))
        }
    }

    /// Unique indexes a foreign key references (drizzle-kit push skips them, see
    /// [`known_push_defect`]).
    pub fn fk_target_indexes(&self) -> Result<Vec<String>, String> {
        Ok(self
            .query(
                "SELECT DISTINCT i.relname FROM pg_constraint c JOIN pg_class i ON i.oid = c.conindid \
                 WHERE c.contype = 'f'",
            )?
            .lines()
            .map(str::to_string)
            .collect())
    }

    /// [`TempDb::catalog`] without the lines of the `drizzle` schema (migration history table).
    pub fn catalog_without_history(&self) -> Result<String, String> {
        Ok(self
            .catalog()?
            .lines()
            .filter(|l| {
                !(l.contains(" drizzle.__drizzle_migrations") || l.starts_with("idx drizzle "))
            })
            .map(|l| format!("{l}\n"))
            .collect())
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        if std::env::var_os("DRIZZLE_PORT_KEEP_DB").is_some() {
            eprintln!("[harness] kept database {}", self.url());
            return;
        }
        let r = run(psql("postgres").arg("-c").arg(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            quote_ident(&self.name)
        )));
        if !r.status {
            eprintln!(
                "[harness] could not drop database {}:\n{}",
                self.name,
                r.describe()
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Workflow steps shared by the end-to-end tests (tests/e2e_pg.rs, tests/introspect_e2e.rs)

/// `drizzle-port baseline --migrations OUT --url <db>` (without DATABASE_URL, so only `--url`
/// counts) must succeed; `what` names the step in the failure message.
#[track_caller]
pub fn run_baseline(out: &Path, db: &TempDb, what: &str) {
    let o = Command::new(env!("CARGO_BIN_EXE_drizzle-port"))
        .args([
            "baseline",
            "--migrations",
            &out.to_string_lossy(),
            "--url",
            &db.url(),
        ])
        .env_remove("DATABASE_URL")
        .output()
        .expect("run drizzle-port");
    assert!(
        o.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// drizzle-orm's migrator on a baselined database applies nothing and leaves the catalog as it
/// was. `why` is the expectation, said in the failure message with the migrator's report.
#[track_caller]
pub fn migrate_applies_nothing(out: &Path, db: &TempDb, why: &str) {
    let catalog_before = db.catalog_without_history().unwrap();
    let report = migrate_pg(out, &db.url()).expect("migrate");
    assert_eq!(report.applied_count(), 0, "{why}: {report:?}");
    assert_eq!(
        db.catalog_without_history().unwrap(),
        catalog_before,
        "the migrator changed the catalog"
    );
}

/// A later schema change as a user makes it after adopting Drizzle: adds `column` (`text`) at
/// `anchor` (the line `pgTable("<table>", {` opens with) in OUT/schema.ts; drizzle-kit must
/// generate exactly one new migration, `0001_…`, holding only that `ALTER TABLE … ADD COLUMN`;
/// drizzle-orm's migrator applies it once (the column exists), then finds nothing left.
#[track_caller]
pub fn add_column_migrates_once(out: &Path, db: &TempDb, anchor: &str, table: &str, column: &str) {
    add_column_and_generate(out, anchor, table, column);
    migrate_adds_column_once(out, db, table, column);
}

/// The first half of [`add_column_migrates_once`]: the change in schema.ts and drizzle-kit's
/// `0001_…` migration for it (checked to be exactly the one `ADD COLUMN`), not applied.
#[track_caller]
pub fn add_column_and_generate(out: &Path, anchor: &str, table: &str, column: &str) {
    let schema_ts = out.join("schema.ts");
    let text = fs::read_to_string(&schema_ts).unwrap();
    assert!(
        text.contains(anchor),
        "layout changed: {anchor:?} not found in {}:\n{text}",
        schema_ts.display()
    );
    let text = text.replacen(
        anchor,
        &format!("{anchor}  {column}: text(\"{column}\"),\n"),
        1,
    );
    fs::write(&schema_ts, text).unwrap();
    let generated = drizzle_kit_generate(out, "postgresql");
    assert!(
        generated.status,
        "generate failed:\n{}",
        generated.describe()
    );
    let new_sql: Vec<_> = fs::read_dir(out)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("0001_"))
        .collect();
    assert_eq!(
        new_sql.len(),
        1,
        "drizzle-kit must write exactly one new migration\n{}",
        generated.describe()
    );
    let sql = fs::read_to_string(new_sql[0].path()).unwrap();
    assert_eq!(
        sql.trim(),
        format!("ALTER TABLE \"{table}\" ADD COLUMN \"{column}\" text;"),
        "unexpected drift in the new migration"
    );
}

/// The second half of [`add_column_migrates_once`]: drizzle-orm's migrator applies exactly one
/// migration (the column then exists), and a second run applies nothing.
#[track_caller]
pub fn migrate_adds_column_once(out: &Path, db: &TempDb, table: &str, column: &str) {
    let report = migrate_pg(out, &db.url()).expect("migrate");
    assert_eq!(
        report.applied_count(),
        1,
        "exactly the new migration applies: {report:?}"
    );
    let found = db
        .query(&format!("select count(*) from information_schema.columns where table_name = '{table}' and column_name = '{column}'"))
        .unwrap();
    assert_eq!(found, "1", "column {table}.{column} after the migration");
    let report = migrate_pg(out, &db.url()).expect("migrate");
    assert_eq!(
        report.applied_count(),
        0,
        "nothing left to apply: {report:?}"
    );
}

/// Runs the pinned `drizzle-kit ARGS` in `cwd` as a user would in their project: no `--config`,
/// so drizzle-kit finds `cwd/drizzle.config.ts` and loads `cwd/.env` itself. `cwd` must lie below
/// [`conformance_dir`] (a [`WorkDir`]) so the config's and schema's imports resolve.
pub fn drizzle_kit_in(cwd: &Path, args: &[&str]) -> KitResult {
    if let Err(e) = ensure_node_modules() {
        return KitResult {
            status: false,
            stdout: String::new(),
            stderr: e,
            code: None,
            command: "drizzle-kit".into(),
        };
    }
    let mut cmd = Command::new(bin("drizzle-kit"));
    cmd.args(args).current_dir(cwd).env_remove("DATABASE_URL");
    let mut r = run(&mut cmd);
    if r.status && kit_error_printed(&r) {
        r.status = false;
    }
    r
}
