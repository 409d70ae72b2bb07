//! `convert` from a live PostgreSQL URL through the command line: passwords never appear in
//! output (text, `--json`, `--report`), and `--schemas` selects what is read.

use crate::common;

use std::process::Command;

use common::node::TempDb;

#[test]
fn live_conversion_never_prints_the_password() {
    let Some(db) = TempDb::create_or_skip() else {
        return;
    };
    db.exec_sql(
        r#"CREATE SCHEMA billing;
           CREATE TABLE "users" ("id" serial PRIMARY KEY, "email" text NOT NULL UNIQUE);
           CREATE TABLE billing."invoices" ("id" serial PRIMARY KEY, "user_id" integer NOT NULL REFERENCES "users"("id"));"#,
    )
    .unwrap();
    // Trust authentication ignores the password, so the URL works while carrying a secret.
    let url = db.url().replacen("postgres@", "postgres:s3cret@", 1);
    assert!(url.contains("s3cret"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let report = dir.path().join("report.json");
    let output = Command::new(env!("CARGO_BIN_EXE_drizzle-port"))
        .args([
            "pull",
            &url,
            "-o",
            out.to_str().unwrap(),
            "--schemas",
            "public,billing",
            "--report",
            report.to_str().unwrap(),
        ])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stderr}");
    let report_text = std::fs::read_to_string(&report).unwrap();
    for (what, text) in [
        ("stderr", stderr.as_ref()),
        ("stdout", stdout.as_ref()),
        ("report", report_text.as_str()),
    ] {
        assert!(
            !text.contains("s3cret"),
            "password printed in {what}:\n{text}"
        );
    }
    let schema_ts = std::fs::read_to_string(out.join("schema.ts")).unwrap();
    assert!(
        schema_ts.contains("billingSchema.table(\"invoices\""),
        "--schemas reads billing too:\n{schema_ts}"
    );

    let json = Command::new(env!("CARGO_BIN_EXE_drizzle-port"))
        .args([
            "convert",
            &url,
            "-o",
            out.to_str().unwrap(),
            "--force",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(json.status.success());
    let envelope = String::from_utf8_lossy(&json.stdout);
    assert!(!envelope.contains("s3cret"), "{envelope}");
    let value: serde_json::Value = serde_json::from_str(&envelope).unwrap();
    assert_eq!(value["status"], "ok");
}
