//! Issue 10, parts 1 and 2: drizzle-port as JS users get it. The tarballs `npm/pack.sh` writes
//! are installed offline into fresh projects with npm and pnpm, and every command runs through the
//! Node shim (argv, stdio, exit codes, signals, the `DRIZZLE_PORT_BINARY` override, the message
//! when the platform package is missing). Then the real Prisma 7.10.1 CLI runs
//! `drizzle-port prisma-generator` from such a project: `prisma generate` writes the bytes
//! `convert` writes, and a schema error comes back through Prisma with its `file:line:col`.
//!
//! Needs node and npm (skipped without them, a failure under `CI`); the Prisma tests also need the
//! shared oracle's stand-in schema engine (`DRIZZLE_PORT_SHARED`).

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::node::KitResult;
use common::npm::{ensure_tools, packed, require, tool, Project, Tarballs};

const BIN: &str = env!("CARGO_BIN_EXE_drizzle-port");

fn samples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// Node's name for this machine (`process.platform-process.arch`), as the shim computes it.
fn node_platform() -> String {
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        "windows" => "win32",
        other => other,
    };
    let arch = match std::env::consts::ARCH {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        other => other,
    };
    format!("{os}-{arch}")
}

fn tarballs() -> Option<Tarballs> {
    require("node and npm", packed())
}

fn ok(r: KitResult) -> KitResult {
    assert!(r.status, "{}", r.describe());
    r
}

fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// A schema Prisma 7 accepts: no `url` in the datasource (it moved to prisma.config.ts) and no
/// client generator (it would need @prisma/client), so only our generator runs.
fn prisma7(text: &str) -> String {
    let mut out = String::new();
    let mut in_generator = false;
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("generator ") {
            in_generator = true;
        }
        let url = ["url", "directUrl", "shadowDatabaseUrl"].iter().any(|k| {
            t.strip_prefix(k)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        });
        if !in_generator && !url {
            out.push_str(line);
            out.push('\n');
        }
        if in_generator && t.starts_with('}') {
            in_generator = false;
        }
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else if entry.path().extension().is_some_and(|e| e == "prisma") {
            fs::write(&target, prisma7(&read(entry.path()))).unwrap();
        }
    }
}

/// A second schema that differs from pg_blog (for `check`'s exit 2).
const OTHER_SCHEMA: &str = "datasource db {\n  provider = \"postgresql\"\n}\n\nmodel Note {\n  id   Int    @id @default(autoincrement())\n  body String\n}\n";

/// `convert`, `baseline --print` and `check` through an installed shim; `launch` builds the
/// command that runs `drizzle-port` in `project` (npx, pnpm exec).
fn run_commands(project: &Project, launch: &dyn Fn() -> Command) {
    fs::create_dir_all(project.path("prisma")).unwrap();
    fs::write(
        project.path("prisma/schema.prisma"),
        prisma7(&read(samples().join("pg_blog/schema.prisma"))),
    )
    .unwrap();
    fs::write(project.path("other.prisma"), OTHER_SCHEMA).unwrap();

    let r = ok(project.run(launch().arg("--version")));
    assert_eq!(
        r.stdout.trim(),
        format!("drizzle-port {}", env!("CARGO_PKG_VERSION"))
    );

    ok(project.run(launch().args(["convert", "prisma/schema.prisma", "-o", "drizzle"])));
    // The same binary run directly: the shim changes nothing in what is written.
    ok(project.run(
        project
            .command(BIN)
            .args(["convert", "prisma/schema.prisma", "-o", "direct"]),
    ));
    for file in ["schema.ts", "relations.ts", "0000_baseline.sql"] {
        assert_eq!(
            read(project.path("drizzle").join(file)),
            read(project.path("direct").join(file)),
            "{file}"
        );
    }

    let r = ok(project.run(launch().args(["baseline", "--print", "--migrations", "drizzle"])));
    assert!(
        r.stdout.contains("__drizzle_migrations") && r.stdout.contains("0000_baseline"),
        "{}",
        r.describe()
    );

    // Exit code 2 (a difference) comes through the shim, stdout too.
    let r = project.run(launch().args(["check", "prisma/schema.prisma", "other.prisma"]));
    assert_eq!(r.code, Some(2), "{}", r.describe());
    assert!(r.stdout.contains("Note"), "{}", r.describe());
    let r = project.run(launch().args(["check", "prisma/schema.prisma", "prisma/schema.prisma"]));
    assert_eq!(r.code, Some(0), "{}", r.describe());

    // stdin in and stderr out untouched: one JSON-RPC exchange, nothing on stdout.
    let r = ok(project.run_stdin(
        launch().arg("prisma-generator"),
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"getManifest\",\"params\":{\"config\":{}}}\n",
    ));
    assert_eq!(r.stdout, "", "{}", r.describe());
    let reply: serde_json::Value =
        serde_json::from_str(r.stderr.lines().last().unwrap_or_default())
            .unwrap_or_else(|e| panic!("{e}: {}", r.describe()));
    assert_eq!(
        reply["result"]["manifest"]["prettyName"],
        "Drizzle schema (drizzle-port)"
    );
}

#[test]
fn npm_install_offline_then_every_command_runs_through_the_shim() {
    let Some(t) = tarballs() else { return };
    let project = Project::new("npm_shim");
    let started = Instant::now();
    ok(project.npm_install(&[&t.main, &t.platform]));
    eprintln!("[npm] install of both tarballs: {:.1?}", started.elapsed());
    // Exact-version optional dependency on this platform's package, no install script.
    let manifest: serde_json::Value = serde_json::from_str(&read(
        project.path("node_modules/drizzle-port/package.json"),
    ))
    .unwrap();
    let platform_pkg = format!("@drizzle-port/{}", node_platform());
    assert_eq!(
        manifest["optionalDependencies"][&platform_pkg],
        env!("CARGO_PKG_VERSION")
    );
    assert!(manifest["scripts"].is_null(), "{manifest}");
    let platform_manifest: serde_json::Value = serde_json::from_str(&read(
        project.path(&format!("node_modules/{platform_pkg}/package.json")),
    ))
    .unwrap();
    assert!(platform_manifest["os"].is_array() && platform_manifest["cpu"].is_array());

    run_commands(&project, &|| {
        let mut cmd = project.command("npx");
        cmd.args(["--offline", "drizzle-port"]);
        cmd
    });
}

#[test]
fn pnpm_add_offline_then_commands_run_through_the_shim() {
    let Some(t) = tarballs() else { return };
    let Some(()) = require("pnpm (from tests/npm/package-lock.json)", ensure_tools()) else {
        return;
    };
    let project = Project::new("pnpm_shim");
    let store = project.path(".pnpm-store");
    ok(project.run(
        project
            .command(tool("pnpm"))
            .args(["add", "--offline", "--store-dir"])
            .arg(&store)
            .arg(&t.main)
            .arg(&t.platform),
    ));
    run_commands(&project, &|| {
        let mut cmd = project.command(tool("pnpm"));
        cmd.args(["exec", "drizzle-port"]);
        cmd
    });
}

#[test]
fn shim_without_platform_package_says_so_and_honours_the_override() {
    let Some(t) = tarballs() else { return };
    let project = Project::new("npm_main_only");
    // Only the main package: what `--omit=optional` or a node_modules copied from macOS leaves.
    ok(project.npm_install(&[&t.main]));
    let r = project.run(
        project
            .command("npx")
            .args(["--offline", "drizzle-port", "--version"]),
    );
    assert_eq!(r.code, Some(1), "{}", r.describe());
    let message = r.stderr.trim();
    assert_eq!(message.lines().count(), 1, "{}", r.describe());
    assert!(
        message.contains(&node_platform())
            && message.contains("cargo install drizzle-port")
            && message.contains("DRIZZLE_PORT_BINARY"),
        "{message}"
    );

    // A platform nobody publishes for: the list of those we do, and the way out.
    fs::write(
        project.path("freebsd.cjs"),
        "Object.defineProperty(process, 'platform', { value: 'freebsd' });\n",
    )
    .unwrap();
    let r = project.run(
        project
            .command("node")
            .arg("--require")
            .arg(project.path("freebsd.cjs"))
            .arg(project.path("node_modules/drizzle-port/bin/drizzle-port.cjs"))
            .arg("--version"),
    );
    assert_eq!(r.code, Some(1), "{}", r.describe());
    assert!(
        r.stderr.contains("no prebuilt binary for freebsd-")
            && r.stderr
                .contains("linux-x64, linux-arm64, darwin-x64, darwin-arm64, win32-x64")
            && r.stderr.contains("cargo install drizzle-port"),
        "{}",
        r.describe()
    );

    // DRIZZLE_PORT_BINARY wins: argv (with spaces and an empty one), stdin and the exit code pass.
    let script = project.path("fake.sh");
    fs::write(
        &script,
        "#!/bin/sh\nfor a in \"$@\"; do printf '<%s>\\n' \"$a\"; done\nread line\necho \"in:$line\"\necho \"env:$DRIZZLE_PORT_INSTALL\" >&2\nexit 7\n",
    )
    .unwrap();
    make_executable(&script);
    let r = project.run_stdin(
        project
            .command("npx")
            .args(["--offline", "drizzle-port", "a b", "", "--x=1"])
            .env("DRIZZLE_PORT_BINARY", &script),
        "hello\n",
    );
    assert_eq!(r.code, Some(7), "{}", r.describe());
    assert_eq!(r.stdout, "<a b>\n<>\n<--x=1>\nin:hello\n");
    assert_eq!(r.stderr.trim(), "env:npm");

    let r = ok(project.run(
        project
            .command("npx")
            .args(["--offline", "drizzle-port", "--version"])
            .env("DRIZZLE_PORT_BINARY", BIN),
    ));
    assert!(r.stdout.starts_with("drizzle-port "), "{}", r.describe());

    // A signal sent to the shim alone reaches the binary, and the shim dies of it too.
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        let sleeper = project.path("sleeper.sh");
        let pid_file = project.path("sleeper.pid");
        fs::write(
            &sleeper,
            format!(
                "#!/bin/sh\necho $$ > '{}'\nexec sleep 30\n",
                pid_file.display()
            ),
        )
        .unwrap();
        make_executable(&sleeper);
        let mut child = project
            .command("node")
            .arg(project.path("node_modules/drizzle-port/bin/drizzle-port.cjs"))
            .env("DRIZZLE_PORT_BINARY", &sleeper)
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while !pid_file.exists() || read(&pid_file).trim().is_empty() {
            assert!(Instant::now() < deadline, "the binary never started");
            std::thread::sleep(Duration::from_millis(50));
        }
        let binary_pid = read(&pid_file).trim().to_string();
        let kill = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
        let status = child.wait().unwrap();
        assert_eq!(status.signal(), Some(15), "{status:?}");
        // Gone, a zombie waiting to be reaped, or its pid already reused by another process
        // (other tests run beside this one); a moment is allowed for the signal to land.
        let proc_dir = Path::new("/proc").join(&binary_pid);
        let alive = || {
            let state = fs::read_to_string(proc_dir.join("stat")).unwrap_or_default();
            let zombie = state
                .rsplit_once(')')
                .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'));
            let cmdline = fs::read(proc_dir.join("cmdline")).unwrap_or_default();
            !zombie && String::from_utf8_lossy(&cmdline).contains("sleep")
        };
        let deadline = Instant::now() + Duration::from_secs(5);
        while alive() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(!alive(), "the binary outlived the shim");
    }
}

fn make_executable(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// A project with drizzle-port installed from the tarballs, ready for `npx prisma generate`
/// (Prisma from tests/npm, its engine the shared oracle's stand-in); `None` when skipped.
fn prisma_project(label: &str) -> Option<(Project, PathBuf)> {
    let t = tarballs()?;
    require(
        "the Prisma CLI (tests/npm/package-lock.json)",
        ensure_tools(),
    )?;
    let Some(shared) = common::shared::shared_dir() else {
        eprintln!("SKIPPED: `prisma generate` needs the shared oracle's stand-in schema engine");
        return None;
    };
    let engine = shared.join("oracle").join("schema-engine");
    if !engine.exists() {
        require::<()>(
            "the shared oracle's schema-engine",
            Err(format!("{} not found", engine.display())),
        )?;
    }
    let project = Project::new(label);
    ok(project.npm_install(&[&t.main, &t.platform]));
    Some((project, engine))
}

fn prisma_generate(project: &Project, engine: &Path, args: &[&str]) -> KitResult {
    project.run(
        project
            .command("npx")
            .args(["--offline", "prisma", "generate"])
            .args(args)
            .env("PRISMA_SCHEMA_ENGINE_BINARY", engine),
    )
}

const GENERATOR: &str =
    "\ngenerator drizzle {\n  provider = \"drizzle-port prisma-generator\"\n  output   = \"OUTPUT\"\nEXTRA}\n";

fn generator_block(output: &str, extra: &str) -> String {
    GENERATOR.replace("OUTPUT", output).replace("EXTRA", extra)
}

#[test]
fn prisma_generate_writes_what_convert_writes() {
    let Some((project, engine)) = prisma_project("prisma_generate") else {
        return;
    };
    // One file, a schema folder (generator block in its datasource file), and SQLite.
    fs::create_dir_all(project.path("prisma")).unwrap();
    let single =
        prisma7(&read(samples().join("pg_blog/schema.prisma"))) + &generator_block("../src/db", "");
    fs::write(project.path("prisma/schema.prisma"), single).unwrap();
    copy_dir(
        &samples().join("pg_multifile/schema"),
        &project.path("multi/schema"),
    );
    let main = project.path("multi/schema/schema.prisma");
    fs::write(&main, read(&main) + &generator_block("../../src/multi", "")).unwrap();

    fs::create_dir_all(project.path("lite")).unwrap();
    fs::write(
        project.path("lite/schema.prisma"),
        // The fallback provider the README gives for shells without node_modules/.bin on PATH.
        prisma7(&read(samples().join("sqlite_relations/schema.prisma")))
            + &generator_block("../src/lite", "").replace(
                "\"drizzle-port prisma-generator\"",
                "\"npx --no-install drizzle-port prisma-generator\"",
            ),
    )
    .unwrap();

    let started = Instant::now();
    let r = ok(prisma_generate(&project, &engine, &[]));
    eprintln!("[prisma] generate: {:.1?}", started.elapsed());
    assert!(
        r.stdout.contains("Generated Drizzle schema (drizzle-port)"),
        "{}",
        r.describe()
    );
    ok(prisma_generate(
        &project,
        &engine,
        &["--schema", "multi/schema"],
    ));
    ok(prisma_generate(
        &project,
        &engine,
        &["--schema", "lite/schema.prisma"],
    ));

    for (schema, generated) in [
        ("prisma/schema.prisma", "src/db"),
        ("multi/schema", "src/multi"),
        ("lite/schema.prisma", "src/lite"),
    ] {
        let expected = format!("expected_{}", generated.replace('/', "_"));
        ok(project.run(
            project
                .command(BIN)
                .args(["convert", schema, "-o", &expected]),
        ));
        for file in ["schema.ts", "relations.ts"] {
            let ours = read(project.path(generated).join(file));
            assert!(ours.len() > 100, "{generated}/{file} is nearly empty");
            assert_eq!(
                ours,
                read(project.path(&expected).join(file)),
                "{generated}/{file} differs from convert's"
            );
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: PathBuf| fs::metadata(p).unwrap().permissions().mode();
            assert_eq!(
                mode(project.path(generated).join("schema.ts")),
                mode(project.path(&expected).join("schema.ts")),
                "file mode differs from convert's"
            );
        }
        // Only the code: no migrations folder unless asked for.
        assert!(!project.path(generated).join("meta").exists());
    }
}

#[test]
fn prisma_generate_with_baseline_and_a_schema_error() {
    let Some((project, engine)) = prisma_project("prisma_baseline") else {
        return;
    };
    fs::create_dir_all(project.path("prisma")).unwrap();
    let text = prisma7(&read(samples().join("pg_blog/schema.prisma")));
    let schema = project.path("prisma/schema.prisma");
    fs::write(
        &schema,
        text.clone()
            + &generator_block(
                "../src/db",
                "  baseline = \"true\"\n  out      = \"../drizzle\"\n  drizzle  = \"0\"\n",
            ),
    )
    .unwrap();
    ok(prisma_generate(&project, &engine, &[]));
    ok(project.run(project.command(BIN).args([
        "convert",
        "prisma/schema.prisma",
        "-o",
        "expected",
    ])));
    assert_eq!(
        read(project.path("drizzle/0000_baseline.sql")),
        read(project.path("expected/0000_baseline.sql"))
    );
    for file in ["schema.ts", "relations.ts"] {
        assert_eq!(
            read(project.path("src/db").join(file)),
            read(project.path("expected").join(file))
        );
        // drizzle-kit's `out` holds the migrations; the code is in `output`.
        assert!(!project.path("drizzle").join(file).exists());
    }
    // Generating again on the same schema rewrites the same bytes (no churn in git).
    let journal = read(project.path("drizzle/meta/_journal.json"));
    let snapshot = read(project.path("drizzle/meta/0000_snapshot.json"));
    ok(prisma_generate(&project, &engine, &[]));
    assert_eq!(journal, read(project.path("drizzle/meta/_journal.json")));
    assert_eq!(
        snapshot,
        read(project.path("drizzle/meta/0000_snapshot.json"))
    );

    // A migration drizzle-kit generated since is never replaced: generation stops and names it.
    fs::write(project.path("drizzle/0001_next.sql"), "SELECT 1;\n").unwrap();
    let r = prisma_generate(&project, &engine, &[]);
    assert_eq!(r.code, Some(1), "{}", r.describe());
    assert!(r.stderr.contains("0001_next.sql"), "{}", r.describe());
    assert_eq!(journal, read(project.path("drizzle/meta/_journal.json")));
    fs::remove_file(project.path("drizzle/0001_next.sql")).unwrap();

    // Unsupported Drizzle version: refused, in words.
    fs::write(
        &schema,
        text.clone() + &generator_block("../src/db", "  drizzle = \"2\"\n"),
    )
    .unwrap();
    let r = prisma_generate(&project, &engine, &[]);
    assert_eq!(r.code, Some(1), "{}", r.describe());
    assert!(
        r.stderr.contains("generator option `drizzle`"),
        "{}",
        r.describe()
    );

    // A schema Prisma accepts and we do not: our diagnostic, with file:line:col, through Prisma.
    let mysql = text.replacen("provider = \"postgresql\"", "provider = \"mysql\"", 1);
    let line = mysql.lines().position(|l| l.contains("\"mysql\"")).unwrap() + 1;
    fs::write(&schema, mysql + &generator_block("../src/db", "")).unwrap();
    let before = read(project.path("src/db/schema.ts"));
    let r = prisma_generate(&project, &engine, &[]);
    assert_eq!(r.code, Some(1), "{}", r.describe());
    let output = format!("{}{}", r.stdout, r.stderr);
    assert!(
        output.contains(&format!("prisma/schema.prisma:{line}:14"))
            && output.contains("provider `mysql` is not supported"),
        "{}",
        r.describe()
    );
    // Nothing written on an error.
    assert_eq!(before, read(project.path("src/db/schema.ts")));
}

/// The only folder directly inside `root`.
fn only_folder(root: &Path) -> PathBuf {
    let folders: Vec<PathBuf> = fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    assert_eq!(folders.len(), 1, "{folders:?} in {}", root.display());
    folders[0].clone()
}

/// Issue 12 through `prisma generate`: `drizzle = "1"` writes convert's `--drizzle 1` code and a
/// 1.0 migrations folder (`<YYYYMMDDHHMMSS>_baseline/`, no journal) that generating again leaves
/// byte for byte; without the option, the project's drizzle-orm dependency chooses 1.0.
#[test]
fn prisma_generate_for_drizzle_1() {
    let Some((project, engine)) = prisma_project("prisma_drizzle1") else {
        return;
    };
    fs::create_dir_all(project.path("prisma")).unwrap();
    let text = prisma7(&read(samples().join("pg_blog/schema.prisma")));
    let schema = project.path("prisma/schema.prisma");
    let options = "  baseline = \"true\"\n  out      = \"../drizzle\"\n  drizzle  = \"1\"\n";
    fs::write(
        &schema,
        text.clone() + &generator_block("../src/db", options),
    )
    .unwrap();
    ok(prisma_generate(&project, &engine, &[]));
    ok(project.run(project.command(BIN).args([
        "convert",
        "prisma/schema.prisma",
        "--drizzle",
        "1",
        "-o",
        "expected",
    ])));
    for file in ["schema.ts", "relations.ts"] {
        assert_eq!(
            read(project.path("src/db").join(file)),
            read(project.path("expected").join(file)),
            "{file} differs from convert --drizzle 1's"
        );
    }
    assert!(read(project.path("src/db/relations.ts")).contains("defineRelations("));
    let generated = only_folder(&project.path("drizzle"));
    let name = generated
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let (stamp, rest) = name.split_at(14);
    assert!(
        stamp.bytes().all(|b| b.is_ascii_digit()) && rest == "_baseline",
        "{name}"
    );
    assert!(!project.path("drizzle/meta").exists(), "no 0.x journal");
    assert_eq!(
        read(generated.join("migration.sql")),
        read(only_folder(&project.path("expected")).join("migration.sql"))
    );
    // Generating again on the same schema rewrites the same folder and bytes.
    let snapshot = read(generated.join("snapshot.json"));
    ok(prisma_generate(&project, &engine, &[]));
    assert_eq!(only_folder(&project.path("drizzle")), generated);
    assert_eq!(snapshot, read(generated.join("snapshot.json")));

    // No option: a project on drizzle-orm 1.0 gets 1.0 code.
    let manifest = project.path("package.json");
    let mut package: serde_json::Value = serde_json::from_str(&read(&manifest)).unwrap();
    package["dependencies"]["drizzle-orm"] = "1.0.0-rc.5".into();
    fs::write(&manifest, package.to_string()).unwrap();
    fs::write(&schema, text + &generator_block("../src/auto", "")).unwrap();
    ok(prisma_generate(&project, &engine, &[]));
    assert_eq!(
        read(project.path("src/auto/relations.ts")),
        read(project.path("expected/relations.ts"))
    );
}
