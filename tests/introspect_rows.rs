//! Introspection's lowering without a database: the catalog rows of a representative database per
//! dialect are recorded in `tests/fixtures/rows/{postgres,sqlite}/<case>.rows.yaml`, with the
//! model and notes lowering them gave beside them (`<case>.expected.yaml`). The test lowers the
//! recorded rows again and compares. `record_rows` (ignored; it needs PostgreSQL) records them
//! anew from `samples/pg_types`, the feature database of `tests/introspect_features.rs` and
//! `samples/sqlite_types`:
//! `cargo test --test suite introspect_rows:: -- --ignored record_rows`.

use crate::common;

use std::path::{Path, PathBuf};

use drizzle_port::introspect::{postgres, sqlite, PgIntrospectOptions};
use drizzle_port::model::Schema;
use serde::{Deserialize, Serialize};

/// What one PostgreSQL case read: the schemas asked for and the rows.
#[derive(Debug, Serialize, Deserialize)]
struct PgRecording {
    schemas: Vec<String>,
    rows: postgres::rows::CatalogRows,
}

/// What lowering the rows gave.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Expected {
    notes: Vec<String>,
    schema: Schema,
}

fn fixtures(dialect: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rows")
        .join(dialect)
}

fn read_yaml<T: for<'de> Deserialize<'de>>(path: &Path) -> T {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn write_yaml(path: &Path, value: &impl Serialize) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, serde_yaml::to_string(value).unwrap()).unwrap();
}

/// The cases recorded for `dialect`, by name.
fn cases(dialect: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures(dialect))
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.strip_suffix(".rows.yaml").map(str::to_string)
        })
        .collect();
    names.sort();
    names
}

/// Lowering gives, to the byte, the model YAML and notes recorded beside the rows.
fn assert_lowers_as_recorded(dialect: &str, case: &str, (schema, notes): (Schema, Vec<String>)) {
    let path = fixtures(dialect).join(format!("{case}.expected.yaml"));
    let expected = std::fs::read_to_string(&path).unwrap();
    let ours = serde_yaml::to_string(&Expected { notes, schema }).unwrap();
    assert!(
        ours == expected,
        "{dialect} {case}: lowering the recorded rows differs from {}:\n{}",
        path.display(),
        common::cases::line_diff(&expected, &ours).join("\n")
    );
}

#[test]
fn postgres_rows_lower_as_recorded() {
    let names = cases("postgres");
    assert!(!names.is_empty());
    for case in names {
        let recording: PgRecording =
            read_yaml(&fixtures("postgres").join(format!("{case}.rows.yaml")));
        let lowered = postgres::lower::lower(&recording.rows, &recording.schemas, false);
        assert_lowers_as_recorded("postgres", &case, lowered);
    }
}

#[test]
fn sqlite_rows_lower_as_recorded() {
    let names = cases("sqlite");
    assert!(!names.is_empty());
    for case in names {
        let rows: sqlite::rows::CatalogRows =
            read_yaml(&fixtures("sqlite").join(format!("{case}.rows.yaml")));
        assert_lowers_as_recorded("sqlite", &case, sqlite::lower::lower(&rows));
    }
}

fn sample_sql(sample: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("samples/{sample}/expected.sql"));
    std::fs::read_to_string(path).unwrap()
}

fn record_postgres(case: &str, setup: &str, schemas: &[&str]) {
    let db = common::node::TempDb::create().expect("PostgreSQL");
    db.exec_sql(setup).expect("the case's SQL applies");
    let opts = PgIntrospectOptions {
        schemas: schemas.iter().map(|s| s.to_string()).collect(),
        ..PgIntrospectOptions::default()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (rows, _) = runtime
        .block_on(async {
            let client =
                drizzle_port::connect::postgres::connect(&db.url(), Default::default()).await?;
            postgres::read_rows(&client, &opts).await
        })
        .expect("rows");
    let (schema, notes) = postgres::lower::lower(&rows, &opts.schemas, false);
    let dir = fixtures("postgres");
    write_yaml(
        &dir.join(format!("{case}.expected.yaml")),
        &Expected { notes, schema },
    );
    let recording = PgRecording {
        schemas: opts.schemas,
        rows,
    };
    write_yaml(&dir.join(format!("{case}.rows.yaml")), &recording);
}

fn record_sqlite(case: &str, setup: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let rows = runtime.block_on(async {
        let db = libsql::Builder::new_local(&path).build().await.unwrap();
        let conn = db.connect().unwrap();
        conn.execute_batch(setup)
            .await
            .expect("the case's SQL applies");
        sqlite::read_catalog(&conn, case).await.expect("rows")
    });
    let (schema, notes) = sqlite::lower::lower(&rows);
    let out = fixtures("sqlite");
    write_yaml(
        &out.join(format!("{case}.expected.yaml")),
        &Expected { notes, schema },
    );
    write_yaml(&out.join(format!("{case}.rows.yaml")), &rows);
}

#[test]
#[ignore = "records the fixtures anew; needs PostgreSQL"]
fn record_rows() {
    let pg_types = format!("CREATE EXTENSION citext;\n{}", sample_sql("pg_types"));
    record_postgres("pg_types", &pg_types, &["public"]);
    let features = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pg/features.sql"),
    )
    .unwrap();
    record_postgres("features", &features, &["public", "app", "billing"]);
    record_sqlite("sqlite_types", &sample_sql("sqlite_types"));
}
