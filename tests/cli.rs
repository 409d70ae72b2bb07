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
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        stdout.contains("defineConfig") && stdout.contains("./drizzle/schema.ts"),
        "drizzle.config.ts on stdout: {stdout}"
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
