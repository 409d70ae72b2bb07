//! drizzle-port dropped into a real project: every command run with NO flags from the project root
//! takes what it needs from the project's own files (prisma.config.ts, the schema's datasource,
//! drizzle.config.ts, package.json, the lockfile, .env), as issue 10 asks.

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

use common::node::{self, TempDb};

/// `drizzle-port ARGS` in `cwd`, with none of the test's own database variables.
fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_drizzle-port"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("DATABASE_URL")
        .env_remove("NODE_ENV")
        .env_remove("npm_config_user_agent")
        .env_remove("POSTGRES_PRISMA_URL")
        .env_remove("POSTGRES_URL_NON_POOLING")
        .output()
        .expect("run drizzle-port")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
fn ok(o: &Output) -> String {
    let err = stderr(o);
    assert_eq!(
        o.status.code(),
        Some(0),
        "stdout:\n{}\nstderr:\n{err}",
        String::from_utf8_lossy(&o.stdout)
    );
    err
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

const MODELS: &str = r#"
model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  posts Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String
  author   User   @relation(fields: [authorId], references: [id])
  authorId Int
}
"#;

fn datasource(url: &str, direct: Option<&str>) -> String {
    let direct = direct.map_or(String::new(), |d| format!("  directUrl = env(\"{d}\")\n"));
    format!(
        "datasource db {{\n  provider = \"postgresql\"\n  url = env(\"{url}\")\n{direct}}}\n\ngenerator client {{\n  provider = \"prisma-client-js\"\n}}\n"
    )
}

/// The baseline SQL of `folder`, applied to `db`: the database an existing app already has.
fn create_tables(db: &TempDb, root: &Path, folder: &str) {
    let sql = read(root, &format!("{folder}/0000_baseline.sql"));
    db.exec_sql(&sql).expect("apply the baseline SQL");
}

/// Case 1: rallly: `schema: path.join(__dirname, "prisma")` names a schema folder.
#[test]
fn prisma_config_path_join_finds_the_schema_folder() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "prisma.config.ts",
        "import path from \"node:path\";\nimport { defineConfig } from \"prisma/config\";\n\nexport default defineConfig({\n  schema: path.join(__dirname, \"prisma\"),\n});\n",
    );
    write(
        root,
        "prisma/schema.prisma",
        &datasource("DATABASE_URL", None),
    );
    write(
        root,
        "prisma/models/user.prisma",
        &MODELS[..MODELS.find("model Post").unwrap()],
    );
    write(
        root,
        "prisma/models/post.prisma",
        &MODELS[MODELS.find("model Post").unwrap()..],
    );
    let err = ok(&run(root, &["convert"]));
    assert!(err.contains("Converted prisma: 2 tables"), "{err}");
    assert!(!err.contains("././"), "{err}");
    let schema_ts = read(root, "drizzle/schema.ts");
    assert!(
        schema_ts.contains("pgTable(\"User\"") && schema_ts.contains("pgTable(\"Post\""),
        "{schema_ts}"
    );

    // One file of the folder alone: named as such, not dozens of unknown types.
    let o = run(root, &["check", "prisma/models/post.prisma", "drizzle"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("is part of a schema folder") && err.contains("pass the folder"),
        "{err}"
    );
    assert!(!err.contains("unknown"), "{err}");
}

/// Case 2: papermark: `url = env("POSTGRES_PRISMA_URL")` and `directUrl =
/// env("POSTGRES_URL_NON_POOLING")`, both set in `.env`. The pooled one points at a closed
/// port, so only the direct one can work.
#[test]
fn baseline_uses_the_direct_url_from_env_files() {
    let Some(db) = TempDb::create_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "prisma/schema.prisma",
        &(datasource("POSTGRES_PRISMA_URL", Some("POSTGRES_URL_NON_POOLING")) + MODELS),
    );
    write(
        root,
        ".env",
        &format!(
            "POSTGRES_PRISMA_URL=\"postgres://postgres@127.0.0.1:1/{}?pgbouncer=true\"\nPOSTGRES_URL_NON_POOLING=\"{}\"\n",
            db.name(),
            db.url()
        ),
    );
    let err = ok(&run(root, &["convert"]));
    let config = read(root, "drizzle.config.ts");
    assert!(
        config.contains("process.env.POSTGRES_URL_NON_POOLING!"),
        "{config}"
    );
    // The next step names where the URL comes from, never a shell variable.
    assert!(err.contains("POSTGRES_URL_NON_POOLING from .env"), "{err}");
    assert!(
        !err.contains("$DATABASE_URL") && !err.contains("DATABASE_URL is"),
        "{err}"
    );
    create_tables(&db, root, "drizzle");

    let err = ok(&run(root, &["baseline"]));
    assert!(
        err.contains("Using POSTGRES_URL_NON_POOLING from .env"),
        "{err}"
    );
    assert!(err.contains("Marked 0000_baseline"), "{err}");

    // Without drizzle.config the schema's datasource decides, directUrl first.
    std::fs::remove_file(root.join("drizzle.config.ts")).unwrap();
    let err = ok(&run(root, &["baseline", "--migrations", "drizzle"]));
    assert!(err.contains("POSTGRES_URL_NON_POOLING from .env"), "{err}");
    assert!(err.contains("Already baselined"), "{err}");

    // check reads the env files too: the schema against the database, no sides named.
    let err = ok(&run(root, &["check"]));
    assert!(err.contains("are the same"), "{err}");
}

/// Case 3: drizzle.config.ts names `out` and a non-default history table: baseline needs no flag.
#[test]
fn baseline_takes_out_and_history_table_from_drizzle_config() {
    let Some(db) = TempDb::create_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "prisma/schema.prisma",
        &(datasource("DATABASE_URL", None) + MODELS),
    );
    let config = "import { defineConfig } from \"drizzle-kit\";\n\nexport default defineConfig({\n  dialect: \"postgresql\",\n  schema: \"./db/migrations/schema.ts\",\n  out: \"./db/migrations\",\n  dbCredentials: { url: process.env.DATABASE_URL! },\n  migrations: { table: \"my_history\", schema: \"audit\" },\n});\n";
    write(root, "drizzle.config.ts", config);
    write(root, ".env", &format!("DATABASE_URL={}\n", db.url()));
    let err = ok(&run(root, &["convert"]));
    assert!(
        root.join("db/migrations/meta/_journal.json").is_file(),
        "{err}"
    );
    assert_eq!(read(root, "drizzle.config.ts"), config, "never rewritten");
    assert!(err.contains("already points at this output"), "{err}");
    create_tables(&db, root, "db/migrations");

    let err = ok(&run(root, &["baseline"]));
    assert!(err.contains("audit.my_history"), "{err}");
    let rows = db
        .query("SELECT count(*) FROM audit.my_history")
        .expect("history in audit.my_history");
    assert_eq!(rows.trim(), "1");
}

/// Case 4: A pnpm project that already uses `postgres`: the install line says so.
#[test]
fn next_steps_use_the_projects_package_manager_and_driver() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "prisma/schema.prisma",
        &(datasource("DATABASE_URL", None) + MODELS),
    );
    write(root, "pnpm-lock.yaml", "lockfileVersion: '9.0'\n");
    write(
        root,
        "package.json",
        r#"{ "name": "app", "dependencies": { "postgres": "^3.4.0" } }"#,
    );
    let err = ok(&run(root, &["convert"]));
    assert!(err.contains("pnpm add drizzle-orm postgres"), "{err}");
    assert!(err.contains("pnpm add -D drizzle-kit"), "{err}");
    assert!(err.contains("pnpm drizzle-kit migrate"), "{err}");
    // No URL anywhere: the step says where to put it instead of printing a shell variable.
    assert!(err.contains("after setting DATABASE_URL in .env"), "{err}");
    assert!(!err.contains("$DATABASE_URL"), "{err}");

    // npm by default, with the dialect's default driver.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "prisma/schema.prisma",
        &(datasource("DATABASE_URL", None) + MODELS),
    );
    let err = ok(&run(dir.path(), &["convert"]));
    assert!(err.contains("npm i drizzle-orm pg"), "{err}");
}

/// Case 5: A setting drizzle-port cannot read without running the file: an error naming it.
#[test]
fn unsupported_config_expression_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "drizzle.config.ts",
        "import { defineConfig } from \"drizzle-kit\";\nimport { getOut } from \"./paths\";\n\nexport default defineConfig({\n  dialect: \"postgresql\",\n  out: getOut(),\n});\n",
    );
    let o = run(root, &["baseline"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for needle in ["drizzle.config.ts:6:8", "getOut()", "--migrations DIR"] {
        assert!(err.contains(needle), "missing {needle:?} in {err}");
    }
    write(
        root,
        "prisma/schema.prisma",
        &(datasource("DATABASE_URL", None) + MODELS),
    );
    let o = run(root, &["convert"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("getOut()") && err.contains("--out DIR"),
        "{err}"
    );
    assert!(!root.join("drizzle").exists(), "nothing written");
}

/// A config file the TypeScript parser chokes on (it panics on this one, found by fuzzing) is a
/// one-line error naming the file, not a crash report.
#[test]
fn config_the_parser_panics_on_is_a_short_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "drizzle.config.ts",
        "import { \"\\\\u\u{e9}\" as x } from \"y\";\nexport default {};\n",
    );
    let o = run(root, &["baseline"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("drizzle.config.ts"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.lines().count() <= 3, "{err}");
}

/// Case 6: The written drizzle.config.ts is written once and works with drizzle-kit as it is.
#[test]
fn written_config_runs_drizzle_kit_generate_migrate_and_push() {
    if !node::require_node() {
        return;
    }
    let Some(db) = TempDb::create_or_skip() else {
        return;
    };
    // Below tests/conformance so the config's and schema's imports resolve (see node.rs).
    let work = node::WorkDir::new().unwrap();
    let root = work.path();
    // Primary keys, a foreign key, a unique index and an enum: what every project has, and what
    // push once read as drift (single-column keys are written push-stable now).
    let models = "model Author {\n  id    Int    @id @default(autoincrement())\n  email String @unique\n  posts Post[]\n}\n\nmodel Post {\n  id       Int    @id @default(autoincrement())\n  title    String\n  kind     Kind   @default(plain)\n  authorId Int\n  author   Author @relation(fields: [authorId], references: [id])\n}\n\nenum Kind {\n  plain\n  fancy\n}\n";
    write(
        root,
        "prisma/schema.prisma",
        &(datasource("DATABASE_URL", None) + models),
    );
    write(root, ".env", &format!("DATABASE_URL={}\n", db.url()));
    ok(&run(root, &["convert"]));
    let config = read(root, "drizzle.config.ts");
    assert!(config.contains("out: \"./drizzle\""), "{config}");

    let err = ok(&run(root, &["convert", "--force"]));
    assert!(err.contains("already points at this output"), "{err}");
    assert_eq!(read(root, "drizzle.config.ts"), config, "never rewritten");

    let r = node::drizzle_kit_in(root, &["generate"]);
    assert!(
        r.status && r.stdout.contains(node::NO_CHANGES),
        "{}",
        r.describe()
    );
    let r = node::drizzle_kit_in(root, &["migrate"]);
    assert!(r.status, "{}", r.describe());
    assert_eq!(
        db.query("SELECT count(*) FROM drizzle.__drizzle_migrations")
            .unwrap()
            .trim(),
        "1"
    );
    let r = node::drizzle_kit_in(root, &["push", "--force"]);
    assert!(r.status, "{}", r.describe());
    assert!(
        r.stdout.contains("No changes detected") || r.stderr.contains("No changes detected"),
        "{}",
        r.describe()
    );
    assert_eq!(
        read(root, "drizzle.config.ts"),
        config,
        "drizzle-kit ran with it unchanged"
    );
}

/// A multi-schema output: the written config carries `schemaFilter` (without it drizzle-kit push
/// would try to create the other schemas' types again), and a non-default history table.
#[test]
fn written_config_has_schema_filter_and_history_table() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/pg_multischema/schema.prisma");
    write(
        root,
        "prisma/schema.prisma",
        &std::fs::read_to_string(sample).unwrap(),
    );
    ok(&run(
        root,
        &[
            "convert",
            "--migrations-table",
            "history",
            "--migrations-schema",
            "ops",
        ],
    ));
    let config = read(root, "drizzle.config.ts");
    assert!(config.contains("schemaFilter: [\"public\", "), "{config}");
    assert!(
        config.contains("table: \"history\"") && config.contains("schema: \"ops\""),
        "{config}"
    );

    // baseline reads all of it back: the --print script targets ops.history.
    let o = run(root, &["baseline", "--print"]);
    let script = String::from_utf8_lossy(&o.stdout);
    assert!(
        script.contains("\"ops\".\"history\""),
        "{script}\n{}",
        stderr(&o)
    );
}

/// Prisma ≤ 6 projects name the schema in package.json.
#[test]
fn package_json_prisma_schema_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "db/main.prisma",
        &(datasource("DATABASE_URL", None) + MODELS),
    );
    write(
        root,
        "package.json",
        r#"{ "name": "app", "prisma": { "schema": "./db/main.prisma" } }"#,
    );
    let err = ok(&run(root, &["convert"]));
    assert!(err.contains("Converted db/main.prisma: 2 tables"), "{err}");
}

/// An existing config that points elsewhere is left alone and the differences are named;
/// `Buffer` columns add @types/node to the dev install line.
#[test]
fn existing_config_elsewhere_is_compared_not_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let models = "model File {\n  id   Int   @id\n  data Bytes\n}\n";
    write(
        root,
        "prisma/schema.prisma",
        &(datasource("DATABASE_URL", None) + models),
    );
    let config = "export default {\n  dialect: \"postgresql\",\n  schema: \"./src/db/schema.ts\",\n  out: \"./db\",\n};\n";
    write(root, "drizzle.config.js", config);
    let o = run(root, &["convert", "-o", "drizzle"]);
    let err = ok(&o);
    assert_eq!(read(root, "drizzle.config.js"), config);
    assert!(!root.join("drizzle.config.ts").exists());
    assert!(err.contains("differs from this output"), "{err}");
    assert!(
        err.contains("its `out` is db, this output is in drizzle"),
        "{err}"
    );
    assert!(err.contains("its `schema` is ./src/db/schema.ts"), "{err}");
    assert!(err.contains("--migrations ./drizzle"), "{err}");
    assert!(err.contains("npm i -D drizzle-kit @types/node"), "{err}");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("out: \"./drizzle\""), "{stdout}");
}

/// Issue 12: the Drizzle version comes from the project when `--drizzle` is absent — a project
/// depending on drizzle-orm 1.0 gets 1.0's folder (no journal), one on 0.45 or none the 0.31
/// journal — and the choice is said; the flag wins over package.json.
#[test]
fn the_drizzle_version_follows_package_json() {
    let project = |package_json: Option<&str>| {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "prisma/schema.prisma",
            &(datasource("DATABASE_URL", None) + MODELS),
        );
        if let Some(text) = package_json {
            write(dir.path(), "package.json", text);
        }
        dir
    };
    let folders = |root: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(root.join("drizzle"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let is_v1_folder = |name: &str| {
        name.len() == 23
            && name[..14].bytes().all(|b| b.is_ascii_digit())
            && name.ends_with("_baseline")
    };

    let v1 = project(Some(
        r#"{ "name": "app", "dependencies": { "drizzle-orm": "1.0.0-rc.5", "pg": "^8" }, "devDependencies": { "drizzle-kit": "1.0.0-rc.5" } }"#,
    ));
    let err = ok(&run(v1.path(), &["convert"]));
    assert!(
        err.contains("for drizzle-orm / drizzle-kit 1.0.0-rc.5 (package.json depends on drizzle-orm 1.0.0-rc.5)"),
        "{err}"
    );
    assert!(err.contains("npm i drizzle-orm@1.0.0-rc.5 pg"), "{err}");
    assert!(err.contains("npm i -D drizzle-kit@1.0.0-rc.5"), "{err}");
    let names = folders(v1.path());
    assert!(
        names.iter().any(|n| is_v1_folder(n)) && !names.contains(&"meta".to_string()),
        "{names:?}"
    );
    let relations = read(v1.path(), "drizzle/relations.ts");
    assert!(relations.contains("defineRelations"), "{relations}");

    let v0 = project(Some(
        r#"{ "name": "app", "dependencies": { "drizzle-orm": "^0.45.4" } }"#,
    ));
    let err = ok(&run(v0.path(), &["convert"]));
    assert!(err.contains("drizzle-orm 0.45 / drizzle-kit 0.31"), "{err}");
    assert!(folders(v0.path()).contains(&"meta".to_string()));

    let none = project(None);
    let err = ok(&run(none.path(), &["convert"]));
    assert!(err.contains("npm's latest drizzle-orm is 0.x"), "{err}");
    assert!(folders(none.path()).contains(&"0000_baseline.sql".to_string()));

    // The flag wins, both ways.
    let forced = project(Some(
        r#"{ "dependencies": { "drizzle-orm": "1.0.0-rc.5" } }"#,
    ));
    let err = ok(&run(forced.path(), &["convert", "--drizzle", "0"]));
    assert!(err.contains("(--drizzle 0)"), "{err}");
    assert!(folders(forced.path()).contains(&"meta".to_string()));
    let err = ok(&run(
        none.path(),
        &["convert", "--drizzle", "1", "-o", "v1"],
    ));
    assert!(err.contains("(--drizzle 1)"), "{err}");
    let bad = run(none.path(), &["convert", "--drizzle", "2"]);
    assert_eq!(bad.status.code(), Some(1), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("use 0 or 1"), "{}", stderr(&bad));
}
