//! The secret sweep (issue 14): every command × every connection-string form the tool accepts ×
//! the ways it can fail (unreachable, refused, missing database, malformed, wrong kind) prints
//! the password or token nowhere: not on stderr, not on stdout, not in `--json`, not in a report.

use std::path::{Path, PathBuf};
use std::process::Command;

const MARK: &str = "SECRETMARKER";

/// A command line and the environment variables it runs with.
type Invocation<'a> = (Vec<String>, Vec<(&'a str, &'a str)>);

/// Every form, each with the marker as its password or token.
fn forms() -> Vec<String> {
    [
        // unreachable port
        "postgres://u:SECRETMARKER1@127.0.0.1:1/db",
        // an unencoded `@` inside the password
        "postgres://u:SECRETMARKER2@SECRETMARKER3@127.0.0.1:1/db",
        // reachable server, missing database (trust auth accepts any password)
        "postgresql://postgres:SECRETMARKER4@127.0.0.1:5432/drizzle_port_no_such_db",
        // reachable and present, but empty (an error naming the database)
        "postgresql://postgres:SECRETMARKER15@127.0.0.1:5432/postgres",
        // TLS demanded of a server without it
        "postgres://postgres:SECRETMARKER16@127.0.0.1:5432/postgres?sslmode=verify-full",
        // malformed
        "postgres://u:SECRETMARKER5@[::1/db",
        "postgres://u:SECRETMARKER6@127.0.0.1:notaport/db",
        "postgres://127.0.0.1:1/db?password=SECRETMARKER7&sslmode=disable",
        // libpq key=value
        "host=127.0.0.1 port=1 user=u password=SECRETMARKER8 dbname=db",
        "host=127.0.0.1 port=5432 user=postgres password='SECRET MARKER9' dbname=drizzle_port_no_such_db",
        // remote libSQL / Turso
        "https://u:SECRETMARKER10@127.0.0.1:1/",
        "http://u:SECRETMARKER11@127.0.0.1:1",
        "libsql://u:SECRETMARKER12@127.0.0.1:1",
        "libsql://127.0.0.1:1?authToken=SECRETMARKER13",
        // local files
        "file:/nonexistent/drizzle-port/app.db?authToken=SECRETMARKER14",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn sample(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(rel)
        .display()
        .to_string()
}

struct Fixture {
    dir: tempfile::TempDir,
    pg_folder: PathBuf,
    sqlite_folder: PathBuf,
}

fn convert(dir: &Path, schema: &str, out: &str) -> PathBuf {
    let o = Command::new(env!("CARGO_BIN_EXE_drizzle-port"))
        .current_dir(dir)
        .args(["convert", schema, "-o", out])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    dir.join(out)
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let pg_folder = convert(dir.path(), &sample("pg_blog/schema.prisma"), "pg");
    let sqlite_folder = convert(dir.path(), &sample("sqlite_basic/schema.prisma"), "lite");
    Fixture {
        dir,
        pg_folder,
        sqlite_folder,
    }
}

/// Runs one command with a short connect timeout; returns everything it printed and wrote.
fn run(fx: &Fixture, args: &[String], env: &[(&str, &str)]) -> String {
    let report = fx.dir.path().join("report.json");
    let _ = std::fs::remove_file(&report);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_drizzle-port"));
    cmd.current_dir(fx.dir.path())
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("LIBSQL_AUTH_TOKEN")
        .env_remove("TURSO_AUTH_TOKEN")
        .env("PGCONNECT_TIMEOUT", "3")
        .env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().unwrap();
    let mut all = format!(
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    if let Ok(text) = std::fs::read_to_string(&report) {
        all.push_str(&text);
    }
    all
}

#[test]
fn no_command_prints_a_password_or_token() {
    let fx = fixture();
    let pg = fx.pg_folder.display().to_string();
    let lite = fx.sqlite_folder.display().to_string();
    let blog = sample("pg_blog/schema.prisma");
    let s = |v: &[&str]| -> Vec<String> { v.iter().map(|x| x.to_string()).collect() };
    let mut leaks = Vec::new();
    let mut runs = 0;
    for form in forms() {
        let f = form.as_str();
        let commands: Vec<Invocation> = vec![
            (s(&["convert", f, "-o", "out1"]), vec![]),
            (
                s(&[
                    "convert",
                    f,
                    "-o",
                    "out1",
                    "--json",
                    "--report",
                    "report.json",
                ]),
                vec![],
            ),
            (
                s(&["pull", f, "-o", "out2", "--schemas", "public,app"]),
                vec![],
            ),
            (s(&["model", f]), vec![]),
            (s(&["check", f, &blog]), vec![]),
            (s(&["check", &blog, f, "--json"]), vec![]),
            (s(&["check", &pg, f]), vec![]),
            (s(&["convert", &blog, "--url", f, "-o", "out3"]), vec![]),
            (
                s(&["convert", &blog, "--url", f, "-o", "out3", "--json"]),
                vec![],
            ),
            (s(&["baseline", "--migrations", &pg, "--url", f]), vec![]),
            (
                s(&["baseline", "--migrations", &pg, "--url", f, "--json"]),
                vec![],
            ),
            (s(&["baseline", "--migrations", &lite, "--url", f]), vec![]),
            (
                s(&["baseline", "--migrations", &lite, "--url", f, "--json"]),
                vec![],
            ),
            (
                s(&["baseline", "--migrations", &pg]),
                vec![("DATABASE_URL", f)],
            ),
            (
                s(&["baseline", "--migrations", &lite, "--json"]),
                vec![("DATABASE_URL", f)],
            ),
            (
                s(&["convert", f, "--auth-token", "SECRETMARKER99", "-o", "out4"]),
                vec![],
            ),
            (
                s(&["baseline", "--migrations", &lite, "--url", f]),
                vec![("LIBSQL_AUTH_TOKEN", "SECRETMARKER98")],
            ),
            // Not a URL at all where one is wanted: still never echoed whole.
            (
                s(&[
                    "convert",
                    &blog,
                    "--url",
                    &format!("{f} trailing"),
                    "-o",
                    "out5",
                ]),
                vec![],
            ),
        ];
        for (args, env) in commands {
            runs += 1;
            let printed = run(&fx, &args, &env);
            if printed.contains(MARK) || printed.contains("SECRET MARKER") {
                let line = printed
                    .lines()
                    .find(|l| l.contains(MARK) || l.contains("SECRET MARKER"))
                    .unwrap_or("")
                    .chars()
                    .take(300)
                    .collect::<String>();
                leaks.push(format!("{args:?} {env:?}\n    {line}"));
            }
        }
    }
    assert!(runs > 200, "{runs} runs");
    assert!(
        leaks.is_empty(),
        "{} of {runs} runs printed a secret:\n{}",
        leaks.len(),
        leaks.join("\n")
    );
}
