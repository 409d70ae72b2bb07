//! `drizzle-port check A B` (the drift gate) and `convert --url` (the hybrid mode) on the command
//! line, without PostgreSQL: Prisma schemas from `samples/`, model YAMLs written by `model`,
//! SQLite files built from Prisma's own `expected.sql`, and migrations folders written by
//! `convert`. Exit codes: 0 the same, 2 different, 1 error (usage errors included).

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::sqlite::{self, TempSqlite};
use drizzle_port::model::{ColumnType, Index, IndexColumn, Schema, SortOrder};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_drizzle-port"))
}

fn run(args: &[&str]) -> Output {
    bin()
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("FORCE_COLOR")
        .env_remove("LIBSQL_AUTH_TOKEN")
        .env_remove("TURSO_AUTH_TOKEN")
        .output()
        .expect("run drizzle-port")
}

fn describe(o: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_str(stdout(o).trim())
        .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}): {}", describe(o)))
}

fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

fn basic_schema() -> String {
    sample("sqlite_basic")
        .join("schema.prisma")
        .to_string_lossy()
        .into_owned()
}

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// A SQLite file built from samples/sqlite_basic/expected.sql (Prisma's own DDL).
fn basic_database() -> TempSqlite {
    let (sql, _) = sqlite::corrected_prisma_sql(&sample("sqlite_basic").join("expected.sql"))
        .expect("expected.sql");
    let db = TempSqlite::new().expect("temp dir");
    sqlite::exec(&db.path, &sql).expect("building the database");
    db
}

/// `drizzle-port model SOURCE` into `dir/name`.
fn model_yaml(source: &str, dir: &Path, name: &str) -> PathBuf {
    let o = run(&["model", source]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let path = dir.join(name);
    std::fs::write(&path, &o.stdout).unwrap();
    path
}

/// Runs a `check` that must exit 2 with a line saying `item` is only in the database; its stdout.
fn drift_only_in_database(args: &[&str], item: &str) -> String {
    let o = run(args);
    assert_exit(&o, 2);
    let text = stdout(&o);
    assert!(
        text.lines()
            .any(|l| l.contains(item) && l.contains("only in the database")),
        "{}",
        describe(&o)
    );
    text
}

/// A `--json` run that fails (exit 1) with an error envelope whose message names `needle`.
fn assert_json_error(args: &[&str], needle: &str) {
    let o = run(args);
    assert_exit(&o, 1);
    let v = json(&o);
    assert_eq!(v["status"], "error", "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains(needle)),
        "{v}"
    );
}

fn assert_exit(o: &Output, code: i32) {
    assert_eq!(o.status.code(), Some(code), "{}", describe(o));
}

/// One non-empty line on stderr, nothing on stdout.
fn assert_one_line_error(o: &Output) -> String {
    assert_exit(o, 1);
    assert!(stdout(o).trim().is_empty(), "{}", describe(o));
    let err = stderr(o);
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line expected: {}", describe(o));
    assert!(lines[0].starts_with("error: "), "{}", describe(o));
    lines[0].to_string()
}

#[test]
fn a_prisma_schema_equals_itself() {
    let schema = basic_schema();
    let o = run(&["check", &schema, &schema]);
    assert_exit(&o, 0);
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(all.contains("are the same"), "{}", describe(&o));
    assert!(all.contains("4 tables"), "{}", describe(&o));

    let o = run(&["check", &schema, &schema, "--json"]);
    assert_exit(&o, 0);
    let v = json(&o);
    assert_eq!(v["status"], "no_changes", "{v}");
    assert_eq!(v["left"]["kind"], "prisma", "{v}");
    assert_eq!(v["right"]["kind"], "prisma", "{v}");
    assert_eq!(v["left"]["source"], schema.as_str(), "{v}");
    assert_eq!(v["differences"], serde_json::json!([]), "{v}");
}

#[test]
fn two_model_yamls_differ_by_table() {
    let dir = tempfile::tempdir().unwrap();
    let a = model_yaml(&basic_schema(), dir.path(), "a.yaml");
    let b = dir.path().join("b.yaml");

    // b: `cooks.name` dropped, `recipes.servings` a TEXT column, an index on `ingredients`.
    let mut model = Schema::from_yaml(&std::fs::read_to_string(&a).unwrap()).unwrap();
    let table = |m: &Schema, name: &str| -> usize {
        m.tables
            .iter()
            .position(|t| t.name == name)
            .unwrap_or_else(|| panic!("no table {name}"))
    };
    let cooks = table(&model, "cooks");
    let before = model.tables[cooks].columns.len();
    model.tables[cooks].columns.retain(|c| c.name != "name");
    assert_eq!(model.tables[cooks].columns.len(), before - 1);
    let recipes = table(&model, "recipes");
    let servings = model.tables[recipes]
        .columns
        .iter_mut()
        .find(|c| c.name == "servings")
        .unwrap();
    assert_eq!(servings.column_type, ColumnType::Integer);
    servings.column_type = ColumnType::Text;
    servings.raw_type = "TEXT".into();
    let ingredients = table(&model, "ingredients");
    model.tables[ingredients].indexes.push(Index {
        name: "ingredients_name_idx".into(),
        unique: false,
        method: "btree".into(),
        columns: vec![IndexColumn {
            expression: "name".into(),
            is_expression: false,
            order: SortOrder::Asc,
            nulls: None,
            opclass: None,
        }],
        predicate: None,
        include: vec![],
    });
    std::fs::write(&b, model.to_yaml().unwrap()).unwrap();

    // The same YAML is the same.
    let o = run(&["check", &s(&a), &s(&a)]);
    assert_exit(&o, 0);

    let o = run(&["check", &s(&a), &s(&b)]);
    assert_exit(&o, 2);
    let text = stdout(&o);
    // Grouped: a header per table, its changes indented under it.
    let group = |table: &str| -> Vec<String> {
        let header = format!("table {table}:");
        let mut lines = text.lines().skip_while(|l| l.trim_end() != header);
        assert!(
            lines.next().is_some(),
            "no `{header}` group: {}",
            describe(&o)
        );
        lines
            .take_while(|l| l.starts_with("  "))
            .map(str::to_string)
            .collect()
    };
    let cooks = group("cooks");
    assert_eq!(cooks.len(), 1, "{cooks:?}");
    assert!(
        cooks[0].contains("column name") && cooks[0].contains("only in a.yaml"),
        "{cooks:?}"
    );
    let recipes = group("recipes");
    assert_eq!(recipes.len(), 1, "{recipes:?}");
    assert!(
        recipes[0].contains("column servings")
            && recipes[0].contains("type differs")
            && recipes[0].contains("integer")
            && recipes[0].contains("text"),
        "{recipes:?}"
    );
    let ingredients = group("ingredients");
    assert_eq!(ingredients.len(), 1, "{ingredients:?}");
    assert!(
        ingredients[0].contains("index ingredients_name_idx")
            && ingredients[0].contains("only in b.yaml"),
        "{ingredients:?}"
    );
    assert!(!text.contains("table kitchens"), "{text}");
    assert!(text.contains("3 difference(s)"), "{text}");

    let o = run(&["check", &s(&a), &s(&b), "--json"]);
    assert_exit(&o, 2);
    let v = json(&o);
    assert_eq!(v["status"], "changes", "{v}");
    assert_eq!(v["left"]["kind"], "model", "{v}");
    assert_eq!(v["right"]["source"], s(&b).as_str(), "{v}");
    let diffs = v["differences"].as_array().expect("differences array");
    assert_eq!(diffs.len(), 3, "{v}");
    for d in diffs {
        for field in ["kind", "object", "item", "change"] {
            assert!(d[field].is_string(), "`{field}` missing in {d}");
        }
        assert_eq!(d["kind"], "table", "{d}");
    }
    let find = |object: &str| {
        diffs
            .iter()
            .find(|d| d["object"] == object)
            .unwrap_or_else(|| panic!("no difference on {object}: {v}"))
    };
    assert_eq!(find("cooks")["item"], "column name");
    assert_eq!(find("cooks")["change"], "only_left");
    assert_eq!(find("recipes")["item"], "column servings");
    assert_eq!(find("recipes")["change"], "differs");
    assert_eq!(find("recipes")["aspect"], "type");
    assert_eq!(find("ingredients")["item"], "index ingredients_name_idx");
    assert_eq!(find("ingredients")["change"], "only_right");
}

#[test]
fn prisma_schema_against_its_sqlite_database() {
    if !sqlite::require_python() {
        return;
    }
    let db = basic_database();
    let (schema, file) = (basic_schema(), s(&db.path));
    let o = run(&["check", &schema, &file]);
    assert_exit(&o, 0);
    assert!(stderr(&o).contains("are the same"), "{}", describe(&o));
    let o = run(&["check", &schema, &file, "--json"]);
    assert_exit(&o, 0);
    let v = json(&o);
    assert_eq!(v["status"], "no_changes", "{v}");
    assert_eq!(v["right"]["kind"], "database", "{v}");

    sqlite::exec(
        &db.path,
        "ALTER TABLE \"recipes\" ADD COLUMN \"spice_level\" INTEGER;",
    )
    .unwrap();
    let o = run(&["check", &schema, &file]);
    assert_exit(&o, 2);
    let text = stdout(&o);
    let line = text
        .lines()
        .find(|l| l.contains("spice_level"))
        .unwrap_or_else(|| panic!("the new column is not named: {}", describe(&o)));
    assert!(line.contains("only in the database"), "{line}");
    assert!(text.contains("table recipes:"), "{text}");
    assert!(text.contains("1 difference(s)"), "{text}");

    // The database on the left: the same difference, seen from the other side.
    let o = run(&["check", &file, &schema, "--json"]);
    assert_exit(&o, 2);
    let v = json(&o);
    assert_eq!(v["status"], "changes", "{v}");
    assert_eq!(v["left"]["kind"], "database", "{v}");
    assert_eq!(v["right"]["kind"], "prisma", "{v}");
    let diffs = v["differences"].as_array().unwrap();
    assert_eq!(diffs.len(), 1, "{v}");
    assert_eq!(diffs[0]["object"], "recipes", "{v}");
    assert_eq!(diffs[0]["item"], "column spice_level", "{v}");
    assert_eq!(diffs[0]["change"], "only_left", "{v}");

    // An index created by hand is drift too.
    sqlite::exec(
        &db.path,
        "CREATE INDEX \"cooks_name_idx\" ON \"cooks\"(\"name\");",
    )
    .unwrap();
    let text = drift_only_in_database(&["check", &schema, &file], "index cooks_name_idx");
    assert!(text.contains("2 difference(s)"), "{text}");
}

#[test]
fn migrations_folder_against_the_database() {
    if !sqlite::require_python() {
        return;
    }
    let db = basic_database();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("drizzle");
    let o = run(&["convert", &basic_schema(), "-o", &s(&out)]);
    assert_exit(&o, 0);

    let (migrations, file) = (s(&out), s(&db.path));
    let o = run(&["check", &migrations, &file]);
    assert_exit(&o, 0);
    assert!(stderr(&o).contains("are the same"), "{}", describe(&o));
    let o = run(&["check", &migrations, &file, "--json"]);
    assert_exit(&o, 0);
    let v = json(&o);
    assert_eq!(v["left"]["kind"], "migrations", "{v}");
    assert_eq!(v["status"], "no_changes", "{v}");
    // And the folder says what the schema says.
    let o = run(&["check", &basic_schema(), &migrations]);
    assert_exit(&o, 0);

    sqlite::exec(
        &db.path,
        "ALTER TABLE \"cooks\" ADD COLUMN \"bio\" TEXT NOT NULL DEFAULT '';",
    )
    .unwrap();
    let text = drift_only_in_database(&["check", &migrations, &file], "column bio");
    assert!(text.contains("table cooks:"), "{text}");
    let o = run(&["check", &migrations, &file, "--json"]);
    assert_exit(&o, 2);
    let v = json(&o);
    assert_eq!(v["status"], "changes", "{v}");
    assert_eq!(v["differences"].as_array().map(Vec::len), Some(1), "{v}");
    assert_eq!(v["differences"][0]["item"], "column bio", "{v}");
    assert_eq!(v["differences"][0]["change"], "only_right", "{v}");
}

#[test]
fn errors_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let schema = basic_schema();

    // A side that does not exist: a Prisma path and a SQLite file (which must not be created).
    let missing = s(&dir.path().join("missing.prisma"));
    let line = assert_one_line_error(&run(&["check", &schema, &missing]));
    assert!(line.contains("missing.prisma"), "{line}");
    let missing_db = dir.path().join("missing.db");
    let line = assert_one_line_error(&run(&["check", &s(&missing_db), &schema]));
    assert!(line.contains("missing.db"), "{line}");
    assert!(!missing_db.exists(), "check created the missing database");

    assert_json_error(&["check", &schema, &missing, "--json"], "missing.prisma");

    // PostgreSQL against SQLite.
    let pg = s(&sample("pg_blog").join("schema.prisma"));
    let line = assert_one_line_error(&run(&["check", &pg, &schema]));
    assert!(line.contains("cannot compare"), "{line}");
    assert_json_error(&["check", &schema, &pg, "--json"], "cannot compare");

    // A missing database URL is an error (1), never "different" (2).
    let o = bin()
        .args(["check", &schema, "--no-env-file"])
        .env("NO_COLOR", "1")
        .env_remove("DATABASE_URL")
        .output()
        .expect("run drizzle-port");
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("no database URL"), "{}", describe(&o));
    assert!(stdout(&o).is_empty(), "{}", describe(&o));
    // A usage error too.
    let o = run(&["check", &schema, &schema, "--no-such-flag"]);
    assert_exit(&o, 1);
    // Help is a success.
    let o = run(&["check", "--help"]);
    assert_exit(&o, 0);
    assert!(stdout(&o).contains("Exit codes"), "{}", describe(&o));
}

/// `convert SCHEMA --url FILE -o OUT --json --report REPORT`, which must succeed: its envelope.
fn hybrid_json(schema: &str, file: &str, out: &Path, report: &Path) -> serde_json::Value {
    let o = run(&[
        "convert",
        schema,
        "--url",
        file,
        "-o",
        &s(out),
        "--json",
        "--report",
        &s(report),
    ]);
    assert_exit(&o, 0);
    let v = json(&o);
    assert_eq!(v["status"], "ok", "{v}");
    v
}

#[test]
fn hybrid_convert_on_sqlite() {
    if !sqlite::require_python() {
        return;
    }
    let db = basic_database();
    let dir = tempfile::tempdir().unwrap();
    let (schema, file) = (basic_schema(), s(&db.path));

    let out = dir.path().join("same");
    let report = dir.path().join("same.json");
    let v = hybrid_json(&schema, &file, &out, &report);
    assert_eq!(v["disagreements"], serde_json::json!([]), "{v}");
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(r["disagreements"], serde_json::json!([]), "{r}");
    // Prisma's names and relations survive the merge.
    let schema_ts = std::fs::read_to_string(out.join("schema.ts")).unwrap();
    assert!(schema_ts.contains("joinedAt"), "{schema_ts}");
    let relations_ts = std::fs::read_to_string(out.join("relations.ts")).unwrap();
    assert!(relations_ts.contains("ingredients"), "{relations_ts}");
    // The merged output says what the database is.
    let o = run(&["check", &s(&out), &file]);
    assert_exit(&o, 0);

    sqlite::exec(
        &db.path,
        "ALTER TABLE \"recipes\" ADD COLUMN \"spice_level\" INTEGER NOT NULL DEFAULT 0;",
    )
    .unwrap();
    let out = dir.path().join("altered");
    let report = dir.path().join("altered.json");
    let v = hybrid_json(&schema, &file, &out, &report);
    let disagreements = v["disagreements"].as_array().expect("disagreements array");
    assert!(!disagreements.is_empty(), "{v}");
    assert!(
        disagreements
            .iter()
            .any(|d| d["object"] == "recipes" && d["item"] == "column spice_level"),
        "{v}"
    );
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(r["disagreements"], v["disagreements"], "{r}");
    // The database wins: the column is in the output, and the output matches the database.
    let schema_ts = std::fs::read_to_string(out.join("schema.ts")).unwrap();
    assert!(schema_ts.contains("spice_level"), "{schema_ts}");
    let o = run(&["check", &s(&out), &file]);
    assert_exit(&o, 0);

    // Text mode reports the disagreement on stderr, data stays off stdout.
    let out = dir.path().join("text");
    let o = run(&["convert", &schema, "--url", &file, "-o", &s(&out)]);
    assert_exit(&o, 0);
    assert!(
        stderr(&o).contains("disagreement") && stderr(&o).contains("spice_level"),
        "{}",
        describe(&o)
    );
}

/// SQLite keeps a DATETIME default as the text it was given: a literal with another offset is
/// another instant (drift), the same instant spelled otherwise is not.
#[test]
fn a_sqlite_datetime_default_offset_is_drift() {
    if !sqlite::require_python() {
        return;
    }
    let schema = s(&sample("sqlite_types").join("schema.prisma"));
    let (sql, _) =
        sqlite::corrected_prisma_sql(&sample("sqlite_types").join("expected.sql")).unwrap();
    let prisma_literal = "'2024-02-29 12:00:00 +00:00'";
    assert!(sql.contains(prisma_literal), "the sample changed: {sql}");
    let database = |literal: &str| {
        let db = TempSqlite::new().unwrap();
        sqlite::exec(&db.path, &sql.replace(prisma_literal, literal)).unwrap();
        db
    };

    let same = database("'2024-02-29T12:00:00Z'");
    let o = run(&["check", &schema, &s(&same.path)]);
    assert_exit(&o, 0);

    let other = database("'2024-02-29 12:00:00 +02:00'");
    let o = run(&["check", &schema, &s(&other.path), "--json"]);
    assert_exit(&o, 2);
    let v = json(&o);
    let diffs = v["differences"].as_array().unwrap();
    assert_eq!(diffs.len(), 1, "{v}");
    assert_eq!(diffs[0]["item"], "column bottledAt", "{v}");
    assert_eq!(diffs[0]["aspect"], "default", "{v}");
}

#[test]
fn prisma_migration_history_explains_a_sqlite_database() {
    if !sqlite::require_python() {
        return;
    }
    let db = basic_database();
    // prisma/schema.prisma beside prisma/migrations: the init migration is Prisma's DDL, a later
    // one was never applied; the database records init and a migration nobody has locally.
    let dir = tempfile::tempdir().unwrap();
    let prisma = dir.path().join("prisma");
    let init = prisma.join("migrations/20230101000000_init");
    let later = prisma.join("migrations/20240101000000_later");
    std::fs::create_dir_all(&init).unwrap();
    std::fs::create_dir_all(&later).unwrap();
    std::fs::copy(
        sample("sqlite_basic").join("expected.sql"),
        init.join("migration.sql"),
    )
    .unwrap();
    std::fs::write(later.join("migration.sql"), "-- nothing yet\n").unwrap();
    std::fs::copy(basic_schema(), prisma.join("schema.prisma")).unwrap();
    sqlite::exec(
        &db.path,
        r#"CREATE TABLE "_prisma_migrations" (
               "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
               "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
               "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
               "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0);
           INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "started_at")
           VALUES ('a', 'x', '2023-01-01', '20230101000000_init', '2023-01-01'),
                  ('b', 'y', NULL, '20230601000000_hotfix', '2023-06-01');"#,
    )
    .unwrap();
    let schema = s(&prisma.join("schema.prisma"));
    let o = run(&["check", &schema, &s(&db.path)]);
    // The schema and the database agree; the history notes explain, they do not fail the check.
    assert_exit(&o, 0);
    let err = stderr(&o);
    for wanted in [
        "Prisma migration history:",
        "migration 20240101000000_later is in",
        "migration 20230601000000_hotfix is applied to the database but not in",
        "migration 20230601000000_hotfix started in the database and never finished",
    ] {
        assert!(err.contains(wanted), "missing {wanted:?}: {}", describe(&o));
    }
    let o = run(&["check", &schema, &s(&db.path), "--json"]);
    assert_exit(&o, 0);
    assert_eq!(json(&o)["history"].as_array().unwrap().len(), 3);
}

/// A hand-made SQLite table with an inline `UNIQUE` (a constraint, where drizzle-kit can only
/// write a unique index): the folder pulled from it checks clean against it, and `baseline`
/// verifies and marks it.
#[test]
fn an_inline_unique_on_sqlite_is_no_drift_against_its_folder() {
    if !sqlite::require_python() {
        return;
    }
    let db = TempSqlite::new().unwrap();
    sqlite::exec(
        &db.path,
        "CREATE TABLE t (id integer PRIMARY KEY, email text UNIQUE NOT NULL);",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("drizzle");
    let (db_path, out_path) = (db.path.to_str().unwrap(), out.to_str().unwrap());
    let o = run(&["pull", db_path, "-o", out_path]);
    assert!(o.status.success(), "{}", describe(&o));
    let o = run(&["check", out_path, db_path]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let o = run(&["baseline", "--migrations", out_path, "--url", db_path]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
}
