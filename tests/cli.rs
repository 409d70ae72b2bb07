//! The command line as a user meets it: the model YAML round trip, discovery of the schema where
//! Prisma looks, refusal to overwrite, `--json`, exit codes.

use std::path::Path;
use std::process::{Command, Output};

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_drizzle-port"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn sample(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
        .display()
        .to_string()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

#[test]
fn model_yaml_round_trips_into_the_same_output() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = run(dir.path(), &["model", &sample("saas")]);
    assert!(
        yaml.status.success(),
        "{}",
        String::from_utf8_lossy(&yaml.stderr)
    );
    std::fs::write(dir.path().join("model.yaml"), &yaml.stdout).unwrap();
    assert!(run(
        dir.path(),
        &["convert", &sample("saas"), "-o", "from_prisma"]
    )
    .status
    .success());
    let from_yaml = run(dir.path(), &["convert", "model.yaml", "-o", "from_yaml"]);
    assert!(
        from_yaml.status.success(),
        "{}",
        String::from_utf8_lossy(&from_yaml.stderr)
    );
    for file in ["schema.ts", "relations.ts", "0000_baseline.sql"] {
        assert_eq!(
            read(&dir.path().join("from_prisma").join(file)),
            read(&dir.path().join("from_yaml").join(file)),
            "{file}"
        );
    }
}

#[test]
fn finds_the_schema_like_prisma_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("prisma")).unwrap();
    std::fs::copy(
        Path::new(&sample("pg_blog")).join("schema.prisma"),
        dir.path().join("prisma/schema.prisma"),
    )
    .unwrap();
    let first = run(dir.path(), &["convert", "-o", "drizzle"]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(dir.path().join("drizzle/meta/_journal.json").exists());
    // No config existed, so convert wrote one (and never rewrites it).
    let config = read(&dir.path().join("drizzle.config.ts"));
    assert!(
        config.contains("defineConfig") && config.contains("./drizzle/schema.ts"),
        "drizzle.config.ts: {config}"
    );

    let before = read(&dir.path().join("drizzle/meta/_journal.json"));
    let second = run(dir.path(), &["convert", "-o", "drizzle"]);
    assert_eq!(second.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&second.stderr).contains("--force"));
    assert_eq!(
        read(&dir.path().join("drizzle/meta/_journal.json")),
        before,
        "nothing rewritten"
    );

    let forced = run(
        dir.path(),
        &["convert", "-o", "drizzle", "--force", "--json"],
    );
    assert!(forced.status.success());
    let envelope: serde_json::Value =
        serde_json::from_slice(&forced.stdout).expect("one JSON envelope on stdout");
    assert_eq!(envelope["status"], "ok");
    assert_eq!(envelope["files"]["schema"], "drizzle/schema.ts");
    let sql_files = std::fs::read_dir(dir.path().join("drizzle"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".sql"))
        .count();
    assert_eq!(
        sql_files, 1,
        "--force replaces the migration, it does not add one"
    );
}

#[test]
fn usage_errors_and_missing_schemas_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        run(dir.path(), &["convert", "--no-such-flag"])
            .status
            .code(),
        Some(1)
    );
    let missing = run(dir.path(), &["convert", "-o", "out"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("prisma/schema.prisma"));
    assert!(!dir.path().join("out").exists());
    assert!(run(dir.path(), &["convert", "--help"]).status.success());
    let help =
        String::from_utf8_lossy(&run(dir.path(), &["baseline", "--help"]).stdout).to_string();
    assert!(
        help.contains("Example") || help.contains("example"),
        "{help}"
    );
}

/// Every file below `dir` with its bytes.
fn tree(dir: &Path) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
                out.insert(rel, read(&e.path()));
            }
        }
    }
    out
}

/// A converted `pg_blog` in `dir/drizzle`.
fn converted_blog(dir: &Path) {
    let o = run(dir, &["convert", &sample("pg_blog"), "-o", "drizzle"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn force_never_loses_a_later_migration() {
    let dir = tempfile::tempdir().unwrap();
    converted_blog(dir.path());
    let out = dir.path().join("drizzle");
    // What `drizzle-kit generate` leaves after a schema change: a second migration and journal entry.
    std::fs::write(
        out.join("0001_add_column.sql"),
        "ALTER TABLE \"Post\" ADD COLUMN \"x\" text;",
    )
    .unwrap();
    std::fs::copy(
        out.join("meta/0000_snapshot.json"),
        out.join("meta/0001_snapshot.json"),
    )
    .unwrap();
    let journal = read(&out.join("meta/_journal.json")).replace(
        "\"tag\": \"0000_baseline\"",
        "\"tag\": \"0000_baseline\"\n    }, {\n      \"idx\": 1, \"tag\": \"0001_add_column\"",
    );
    std::fs::write(out.join("meta/_journal.json"), journal).unwrap();
    let before = tree(&out);
    for args in [
        vec!["convert", &sample("pg_blog"), "-o", "drizzle", "--force"],
        vec![
            "convert",
            &sample("pg_blog"),
            "-o",
            "drizzle",
            "--force",
            "--dry-run",
        ],
    ] {
        let o = run(dir.path(), &args);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("0001_add_column.sql")
                && stderr.contains("meta/0001_snapshot.json")
                && stderr.contains("meta/_journal.json (changed since drizzle-port wrote it)"),
            "{stderr}"
        );
        assert_eq!(tree(&out), before, "every byte stays in place");
    }
}

#[test]
fn force_never_loses_an_edit_and_replaces_only_its_own_files() {
    let dir = tempfile::tempdir().unwrap();
    converted_blog(dir.path());
    let out = dir.path().join("drizzle");
    std::fs::write(out.join("index.ts"), "export * from './schema';\n").unwrap();
    let edited = read(&out.join("schema.ts")) + "// my edit\n";
    std::fs::write(out.join("schema.ts"), &edited).unwrap();
    let before = tree(&out);
    let o = run(
        dir.path(),
        &["convert", &sample("pg_blog"), "-o", "drizzle", "--force"],
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("schema.ts (changed since drizzle-port wrote it)"),
        "{stderr}"
    );
    assert_eq!(tree(&out), before);

    // Without the edit, --force under another migration name replaces drizzle-port's files only.
    std::fs::write(out.join("schema.ts"), edited.replace("// my edit\n", "")).unwrap();
    let before = tree(&out);
    let dry = run(
        dir.path(),
        &[
            "convert",
            &sample("pg_blog"),
            "-o",
            "drizzle",
            "--force",
            "--name",
            "init",
            "--dry-run",
        ],
    );
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    let listing = String::from_utf8_lossy(&dry.stdout);
    assert!(
        listing.contains("create drizzle/0000_init.sql")
            && listing.contains("replace drizzle/schema.ts")
            && listing.contains("remove drizzle/0000_baseline.sql")
            && !listing.contains("index.ts"),
        "{listing}"
    );
    assert_eq!(tree(&out), before, "--dry-run writes nothing");
    let o = run(
        dir.path(),
        &[
            "convert",
            &sample("pg_blog"),
            "-o",
            "drizzle",
            "--force",
            "--name",
            "init",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let after = tree(&out);
    assert_eq!(
        after["index.ts"], before["index.ts"],
        "the user's file is kept"
    );
    assert!(after.contains_key("0000_init.sql") && !after.contains_key("0000_baseline.sql"));
    assert!(
        !after
            .keys()
            .any(|k| k.contains(".drizzle-port-staging") || k.ends_with(".lock")),
        "no staging folder or lock left: {:?}",
        after.keys()
    );
}

#[test]
fn a_folder_with_files_of_its_own_is_refused_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("src/db");
    std::fs::create_dir_all(&db).unwrap();
    std::fs::write(db.join("schema.ts"), "// written by hand\n").unwrap();
    let before = tree(&db);
    let o = run(dir.path(), &["convert", &sample("pg_blog"), "-o", "src/db"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("schema.ts") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(tree(&db), before);
}

#[test]
fn dry_run_into_a_new_folder_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(
        dir.path(),
        &[
            "convert",
            &sample("pg_blog"),
            "-o",
            "drizzle",
            "--dry-run",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let plan: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(plan["dryRun"], true);
    assert_eq!(plan["create"].as_array().map(Vec::len), Some(5), "{plan}");
    assert!(!dir.path().join("drizzle").exists());
}

#[test]
fn a_source_without_tables_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("empty.prisma"),
        "datasource db {\n  provider = \"postgresql\"\n}\n",
    )
    .unwrap();
    let o = run(dir.path(), &["convert", "empty.prisma", "-o", "drizzle"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("has no tables") && stderr.contains("no model"),
        "{stderr}"
    );
    assert!(!dir.path().join("drizzle").exists());

    // An empty SQLite file, as a mistyped path leaves one.
    std::fs::write(dir.path().join("app.db"), b"").unwrap();
    let o = run(dir.path(), &["convert", "app.db", "-o", "drizzle"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("has no tables"), "{stderr}");
    assert!(!dir.path().join("drizzle").exists());
}

#[test]
fn concurrent_converts_into_one_folder_never_both_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_drizzle-port"))
            .current_dir(dir.path())
            .args(["convert", &sample("saas"), "-o", "drizzle"])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let runs: Vec<_> = (0..4).map(|_| spawn()).collect();
    let outputs: Vec<Output> = runs
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let ok = outputs.iter().filter(|o| o.status.success()).count();
    assert_eq!(ok, 1, "exactly one run writes the folder");
    for o in outputs.iter().filter(|o| !o.status.success()) {
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(
            stderr.contains("another drizzle-port is writing") || stderr.contains("already holds"),
            "{stderr}"
        );
    }
}

/// Hostile input (issue 14): a device, a 5 MB line, 100,000 nested `[` in a model YAML, a byte
/// that is not UTF-8. Each ends at once with exit 1, a short stderr and little memory (measured
/// with `/usr/bin/time` where the machine has it).
#[test]
fn hostile_input_ends_quickly_with_a_short_error() {
    let dir = tempfile::tempdir().unwrap();
    let big_line = format!(
        "datasource db {{\n  provider = \"postgresql\"\n}}\nmodel A {{\n  id Int @id {}\n}}\n",
        "x".repeat(5_000_000)
    );
    std::fs::write(dir.path().join("line.prisma"), big_line).unwrap();
    std::fs::write(dir.path().join("nest.yaml"), "[".repeat(100_000)).unwrap();
    std::fs::write(
        dir.path().join("bytes.prisma"),
        b"datasource db {\n  provider = \"postgresql\"\n}\nmodel A {\n  id Int @id // \xff\n}\n",
    )
    .unwrap();
    let time = Path::new("/usr/bin/time");
    for (args, says) in [
        (vec!["convert", "/dev/zero"], "not a regular file"),
        (vec!["pull", "/dev/zero"], "not a regular file"),
        (vec!["model", "/dev/zero"], "not a regular file"),
        (vec!["convert", "line.prisma"], "line.prisma:5:14"),
        (vec!["convert", "nest.yaml"], "nesting deeper than"),
        (
            vec!["convert", "bytes.prisma"],
            "bytes.prisma:5:17: not valid UTF-8 (byte 0xFF)",
        ),
        (
            vec!["check", "bytes.prisma", "line.prisma"],
            "not valid UTF-8",
        ),
    ] {
        let started = std::time::Instant::now();
        let o = if time.exists() {
            Command::new(time)
                .current_dir(dir.path())
                .args(["-f", "peak-rss-kb=%M"])
                .arg(env!("CARGO_BIN_EXE_drizzle-port"))
                .args(&args)
                .env("NO_COLOR", "1")
                .output()
                .unwrap()
        } else {
            run(dir.path(), &args)
        };
        let took = started.elapsed();
        let stderr = String::from_utf8_lossy(&o.stderr);
        let what = format!("{args:?}");
        assert!(took.as_secs_f64() < 5.0, "{what} took {took:?}");
        assert!(
            o.stderr.len() < 10_240,
            "{what}: {} bytes of stderr",
            o.stderr.len()
        );
        assert!(stderr.contains(says), "{what}: {stderr}");
        if let Some(kb) = stderr
            .lines()
            .find_map(|l| l.strip_prefix("peak-rss-kb="))
            .and_then(|v| v.trim().parse::<u64>().ok())
        {
            assert!(kb < 200 * 1024, "{what}: peak RSS {kb} KB");
            assert!(
                stderr.contains("exited with non-zero status 1"),
                "{what}: {stderr}"
            );
        } else {
            assert_eq!(o.status.code(), Some(1), "{what}: {stderr}");
        }
        assert!(!dir.path().join("out").exists(), "{what} wrote output");
    }
}

/// The output in `out` is whole: no staging folder, every journal entry's SQL and snapshot
/// there, every file the manifest lists as it was written. Returns the journal's first tag.
fn whole(out: &Path) -> Result<String, String> {
    use sha2::{Digest, Sha256};
    let files = tree(out);
    if let Some(stray) = files
        .keys()
        .find(|k| k.starts_with(".drizzle-port-staging"))
    {
        return Err(format!("staging left: {stray}"));
    }
    let journal: serde_json::Value =
        serde_json::from_str(files.get("meta/_journal.json").ok_or("no journal")?)
            .map_err(|e| e.to_string())?;
    let entries = journal["entries"].as_array().ok_or("no entries")?;
    for (i, entry) in entries.iter().enumerate() {
        let tag = entry["tag"].as_str().ok_or("no tag")?;
        for file in [format!("{tag}.sql"), format!("meta/{i:04}_snapshot.json")] {
            if !files.contains_key(&file) {
                return Err(format!("{file} missing"));
            }
        }
    }
    let manifest: serde_json::Value =
        serde_json::from_str(files.get(".drizzle-port.json").ok_or("no manifest")?)
            .map_err(|e| e.to_string())?;
    for (rel, hash) in manifest["files"].as_object().ok_or("no files")? {
        let text = files.get(rel).ok_or(format!("{rel} missing"))?;
        if format!("{:x}", Sha256::digest(text.as_bytes())) != hash.as_str().unwrap_or("") {
            return Err(format!("{rel} is not what the manifest says"));
        }
    }
    Ok(entries[0]["tag"].as_str().unwrap_or("").to_string())
}

#[test]
fn a_killed_convert_leaves_the_old_output_or_the_new() {
    for (step, survives) in [
        ("staged", "0000_baseline"),
        ("committed", "0000_next"),
        ("swapping", "0000_next"),
        ("swapped", "0000_next"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        converted_blog(dir.path());
        let out = dir.path().join("drizzle");
        let killed = Command::new(env!("CARGO_BIN_EXE_drizzle-port"))
            .current_dir(dir.path())
            .args([
                "convert",
                &sample("saas"),
                "-o",
                "drizzle",
                "--force",
                "--name",
                "next",
            ])
            .env("DRIZZLE_PORT_FAULT", step)
            .output()
            .unwrap();
        assert!(
            killed.status.code().is_none(),
            "{step}: the run was not killed"
        );
        if step == "staged" {
            // Killed before the commit record: the old output is untouched.
            assert!(read(&out.join("meta/_journal.json")).contains("0000_baseline"));
        }
        // The next run that touches the folder finishes or drops what the killed one left.
        let next = run(
            dir.path(),
            &["baseline", "--migrations", "drizzle", "--print"],
        );
        assert!(
            next.status.success(),
            "{step}: {}",
            String::from_utf8_lossy(&next.stderr)
        );
        assert_eq!(whole(&out).as_deref(), Ok(survives), "{step}");
    }
}

#[test]
fn stale_staging_is_cleared_and_a_mount_point_is_written_in_place() {
    let dir = tempfile::tempdir().unwrap();
    converted_blog(dir.path());
    let out = dir.path().join("drizzle");
    std::fs::create_dir_all(out.join(".drizzle-port-staging-old/meta")).unwrap();
    std::fs::write(out.join(".drizzle-port-staging-old/schema.ts"), "half").unwrap();
    let o = run(
        dir.path(),
        &["convert", &sample("pg_blog"), "-o", "drizzle", "--force"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(whole(&out).as_deref(), Ok("0000_baseline"));

    // An empty mount point (a Docker bind mount, here a tmpfs): written in place, replaced in
    // place, never renamed across filesystems.
    let mnt = dir.path().join("mnt");
    std::fs::create_dir(&mnt).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=16m", "drizzle-port-test"])
        .arg(&mnt)
        .output();
    if !mounted.as_ref().is_ok_and(|o| o.status.success()) {
        eprintln!("SKIPPED: the mount-point case (mounting a tmpfs is not allowed here)");
        return;
    }
    struct Unmount(std::path::PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(mnt.clone());
    for args in [
        vec!["convert", &sample("pg_blog"), "-o", "mnt"],
        vec![
            "convert",
            &sample("saas"),
            "-o",
            "mnt",
            "--force",
            "--name",
            "next",
        ],
    ] {
        let o = run(dir.path(), &args);
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    assert_eq!(whole(&mnt).as_deref(), Ok("0000_next"));
}
