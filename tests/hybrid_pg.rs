//! Issue 5 acceptance: a database built by Prisma's own DDL and then altered the way real
//! histories alter it (`samples/pg_history/history.sql`: enum labels in history order, a
//! pre-Prisma-6 `_AB_unique` join table, a renamed foreign key, a hand-written partial index, a
//! DEFERRABLE unique constraint).
//!
//! 1. `convert schema.prisma --url DB` (hybrid) output round-trips with zero drift against that
//!    database while keeping Prisma's relation names, `$defaultFn` and `$onUpdate`.
//! 2. `check schema.prisma DB` names each alteration and exits 2; 0 on the unaltered database.
//! 3. `check MIGRATIONS DB` finds a column added in the database only.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::cases::line_diff;
use common::node::{self, TempDb};

fn sample(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples/pg_history")
        .join(file)
}

fn schema_path() -> String {
    sample("schema.prisma").display().to_string()
}

/// A database built from Prisma's DDL for the sample, with its history applied when `altered`.
fn database(altered: bool) -> Option<TempDb> {
    let db = TempDb::create_or_skip()?;
    db.exec_sql(&std::fs::read_to_string(sample("expected.sql")).unwrap())
        .unwrap();
    if altered {
        db.exec_sql(&std::fs::read_to_string(sample("history.sql")).unwrap())
            .unwrap();
    }
    Some(db)
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_drizzle-port"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// `convert SCHEMA --url URL -o OUT EXTRA…`, which must succeed.
fn hybrid(schema: &str, url: &str, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["convert", schema, "--url", url, "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = run(&args);
    assert!(o.status.success(), "{}", text(&o));
    o
}

fn text(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn hybrid_output_has_zero_drift_against_the_altered_database() {
    let Some(db) = database(true) else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("drizzle");
    let report = dir.path().join("report.json");
    hybrid(
        &schema_path(),
        &db.url(),
        &out,
        &["--report", report.to_str().unwrap()],
    );
    let schema_ts = std::fs::read_to_string(out.join("schema.ts")).unwrap();
    let relations_ts = std::fs::read_to_string(out.join("relations.ts")).unwrap();

    // Physical truth from the database.
    assert!(
        schema_ts
            .contains(r#"pgEnum("post_status", ["DRAFT", "PUBLISHED", "ARCHIVED", "in_review"])"#),
        "enum labels in the database's order:\n{schema_ts}"
    );
    assert!(
        schema_ts.contains(r#"name: "Comment_post_fkey""#),
        "{schema_ts}"
    );
    assert!(
        schema_ts.contains(r#"index("Post_published_idx")"#) && schema_ts.contains(".where("),
        "{schema_ts}"
    );
    assert!(
        schema_ts.contains(r#"uniqueIndex("_PostToTag_AB_unique")"#),
        "{schema_ts}"
    );
    assert!(!schema_ts.contains("_PostToTag_AB_pkey"), "{schema_ts}");
    assert!(
        schema_ts.contains(r#"unique("Card_boardId_position_key")"#),
        "{schema_ts}"
    );
    // Semantics from Prisma.
    for wanted in [
        "$defaultFn(() => cuid())",
        "$defaultFn(() => nanoid(12))",
        "$onUpdate(() => new Date())",
        "export const postStatus",
        "displayName: text(\"display_name\")",
    ] {
        assert!(schema_ts.contains(wanted), "missing {wanted}:\n{schema_ts}");
    }
    for wanted in [
        r#"relationName: "PostAuthor""#,
        r#"relationName: "PostEditor""#,
        "written: many(post",
        "edited: many(post",
        r#"relationName: "Thread""#,
        "tags: many(",
    ] {
        assert!(
            relations_ts.contains(wanted),
            "missing {wanted}:\n{relations_ts}"
        );
    }

    // Every disagreement is reported with both values; DEFERRABLE is a loss.
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let disagreements = report["disagreements"].as_array().unwrap();
    assert_eq!(disagreements.len(), 5, "{report:#}");
    let losses = report["losses"].as_array().unwrap();
    assert!(
        losses.iter().any(|l| l["object"]
            .as_str()
            .unwrap()
            .contains("Card_boardId_position_key")
            && l["kind"].as_str().unwrap().contains("deferrable")),
        "{report:#}"
    );

    // (a) Our baseline rebuilds the database's catalog exactly.
    let want = db.catalog().unwrap();
    let baseline = std::fs::read_to_string(out.join("0000_baseline.sql")).unwrap();
    let rebuilt = TempDb::create().unwrap();
    rebuilt.exec_sql(&baseline).unwrap();
    let got = rebuilt.catalog().unwrap();
    assert!(
        want == got,
        "catalogs differ:\n{}",
        line_diff(&want, &got).join("\n")
    );

    if !node::require_node() {
        return;
    }
    // (b) drizzle-kit finds nothing to change; (c) tsc compiles.
    node::generate_reports_no_changes(&out, "postgresql").unwrap();
    node::tsc_check(&[&out.join("schema.ts"), &out.join("relations.ts")]).unwrap();
    // (d) drizzle-kit's own SQL from schema.ts differs from the database only by what the loss
    // report lists: the DEFERRABLE clause of Card_boardId_position_key.
    let fresh = node::generate_fresh(
        &out.join("schema.ts"),
        Some(&out.join("relations.ts")),
        "postgresql",
    )
    .unwrap();
    let kit_db = TempDb::create().unwrap();
    kit_db
        .exec_sql(&std::fs::read_to_string(fresh).unwrap())
        .unwrap();
    let kit = kit_db.catalog().unwrap();
    let differences = line_diff(&want, &kit);
    assert!(
        !differences.is_empty(),
        "drizzle-kit cannot write DEFERRABLE, so its catalog must differ there"
    );
    for line in &differences {
        assert!(
            line.contains("Card_boardId_position_key"),
            "a difference the loss report does not explain: {line}\nall:\n{}",
            differences.join("\n")
        );
    }
    // Marking the baseline applied leaves drizzle's migrator nothing to do.
    let o = run(&[
        "baseline",
        "--migrations",
        out.to_str().unwrap(),
        "--url",
        &db.url(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let report = node::migrate_pg(&out, &db.url()).unwrap();
    assert_eq!(report.applied_count(), 0);
}

#[test]
fn check_names_every_alteration_and_exits_2() {
    let Some(db) = database(true) else { return };
    let o = run(&["check", &schema_path(), &db.url()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    for wanted in [
        // a. enum label order, both orders shown
        "enum post_status:",
        "labels: order differs",
        "DRAFT, in_review, PUBLISHED, ARCHIVED",
        "DRAFT, PUBLISHED, ARCHIVED, in_review",
        // b. the pre-Prisma-6 join table
        "table _PostToTag:",
        "_PostToTag_AB_pkey",
        "_PostToTag_AB_unique",
        "before Prisma 6",
        // c. the renamed foreign key
        "foreign key Comment_postId_fkey: name differs",
        "Comment_post_fkey",
        // d. the hand-written partial index
        "index Post_published_idx: only in the database",
        "WHERE",
        // e. the DEFERRABLE unique constraint
        "index Card_boardId_position_key: kind differs",
        "DEFERRABLE INITIALLY DEFERRED",
        "5 difference(s)",
    ] {
        assert!(stdout.contains(wanted), "missing {wanted:?}:\n{stdout}");
    }

    let o = run(&["check", &schema_path(), &db.url(), "--json"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["status"], "changes");
    assert_eq!(v["left"]["kind"], "prisma");
    assert_eq!(v["right"]["kind"], "database");
    let items: Vec<String> = v["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {} {}",
                d["object"].as_str().unwrap(),
                d["item"].as_str().unwrap_or("-"),
                d["change"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        items,
        [
            "post_status labels differs",
            "Card index Card_boardId_position_key differs",
            "Comment foreign key Comment_postId_fkey differs",
            "Post index Post_published_idx only_right",
            "_PostToTag primary key only_left",
        ],
        "{v:#}"
    );
    // Sides swapped: the same differences, the other way round.
    let o = run(&["check", &db.url(), &schema_path()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stdout)
        .contains("index Post_published_idx: only in the database"));
}

#[test]
fn check_exits_0_on_the_unaltered_database() {
    let Some(db) = database(false) else { return };
    let o = run(&["check", &schema_path(), &db.url()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = run(&["check", &schema_path(), &db.url(), "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["status"], "no_changes");
    assert_eq!(v["differences"].as_array().unwrap().len(), 0);

    // A password in the URL (trust authentication ignores it) is never printed, whatever the
    // outcome: equal, different, hybrid report.
    let url = db.url().replacen("postgres@", "postgres:s3cret@", 1);
    assert!(url.contains("s3cret"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("drizzle");
    let report = dir.path().join("report.json");
    let runs = [
        run(&["check", &schema_path(), &url]),
        run(&["check", &schema_path(), &url, "--json"]),
        run(&[
            "convert",
            &schema_path(),
            "--url",
            &url,
            "-o",
            out.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
            "--json",
        ]),
    ];
    db.exec_sql(r#"ALTER TABLE "Tag" ADD COLUMN "color" text;"#)
        .unwrap();
    let drift = run(&["check", &schema_path(), &url]);
    assert_eq!(drift.status.code(), Some(2), "{}", text(&drift));
    for o in runs.iter().chain([&drift]) {
        assert!(
            !text(o).contains("s3cret"),
            "password printed:\n{}",
            text(o)
        );
    }
    assert!(!std::fs::read_to_string(&report).unwrap().contains("s3cret"));
}

#[test]
fn check_between_migrations_and_database_finds_a_column_added_in_the_database() {
    let Some(db) = database(true) else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("drizzle");
    // The migrations describe the database as it is (hybrid output) …
    hybrid(&schema_path(), &db.url(), &out, &[]);
    let o = run(&["check", out.to_str().unwrap(), &db.url()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // … until someone changes the database by hand.
    db.exec_sql(r#"ALTER TABLE "Post" ADD COLUMN "subtitle" varchar(200) NOT NULL DEFAULT '';"#)
        .unwrap();
    let o = run(&["check", out.to_str().unwrap(), &db.url()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("table Post:")
            && stdout.contains(
                "column subtitle: only in the database (varchar(200) NOT NULL DEFAULT '')"
            ),
        "{stdout}"
    );
    assert!(stdout.contains("1 difference(s)"), "{stdout}");
}

#[test]
fn check_points_at_the_prisma_migration_behind_each_difference() {
    let Some(db) = database(true) else { return };
    // A project layout: prisma/schema.prisma beside prisma/migrations/<name>/migration.sql, the
    // first migration being Prisma's DDL and the second the hand-edited one.
    let dir = tempfile::tempdir().unwrap();
    let prisma = dir.path().join("prisma");
    for (name, file) in [
        ("20230101000000_init", "expected.sql"),
        ("20240601000000_hand_edits", "history.sql"),
    ] {
        let folder = prisma.join("migrations").join(name);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::copy(sample(file), folder.join("migration.sql")).unwrap();
    }
    std::fs::copy(sample("schema.prisma"), prisma.join("schema.prisma")).unwrap();
    let schema = prisma.join("schema.prisma");
    let o = run(&["check", schema.to_str().unwrap(), &db.url()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    let lines: Vec<&str> = stdout.lines().filter(|l| l.starts_with("  - ")).collect();
    assert_eq!(lines.len(), 5, "{stdout}");
    for line in lines {
        assert!(
            line.contains("[last touched in ") && line.contains("20240601000000_hand_edits"),
            "{line}"
        );
    }
    let o = run(&["check", schema.to_str().unwrap(), &db.url(), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let origin = v["differences"][0]["origin"].as_str().unwrap();
    assert!(
        origin.contains("20240601000000_hand_edits/migration.sql:"),
        "{origin}"
    );
    let note = v["history"][0].as_str().unwrap();
    assert!(note.contains("no _prisma_migrations"), "{v:#}");

    // The database's own record (Prisma Migrate's table, as Prisma defines it): the hand edits
    // were run with psql, not recorded, and a migration nobody has locally was applied.
    db.exec_sql(
        r#"CREATE TABLE "_prisma_migrations" (
               "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL,
               "finished_at" TIMESTAMPTZ, "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT,
               "rolled_back_at" TIMESTAMPTZ, "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
               "applied_steps_count" INTEGER NOT NULL DEFAULT 0);
           INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "started_at")
           VALUES ('a', 'x', now(), '20230101000000_init', now() - interval '2 days'),
                  ('b', 'y', now(), '20240301000000_hotfix', now() - interval '1 day');"#,
    )
    .unwrap();
    let o = run(&["check", schema.to_str().unwrap(), &db.url()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let stderr = String::from_utf8_lossy(&o.stderr);
    for wanted in [
        "Prisma migration history:",
        "migration 20240601000000_hand_edits is in",
        "but not applied to the database",
        "migration 20240301000000_hotfix is applied to the database but not in",
    ] {
        assert!(stderr.contains(wanted), "missing {wanted:?}:\n{stderr}");
    }
    assert!(!stderr.contains("20230101000000_init"), "{stderr}");
    // The history table itself is not a difference.
    assert!(String::from_utf8_lossy(&o.stdout).contains("5 difference(s)"));

    // Hybrid mode says the same: a migration the database lacks is missing from the output.
    let out = dir.path().join("drizzle");
    let o = hybrid(schema.to_str().unwrap(), &db.url(), &out, &["--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let history: Vec<&str> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(history.len(), 2, "{v:#}");
    assert!(history[0].contains("20240601000000_hand_edits"), "{v:#}");
    assert!(
        v["disagreements"][0]["origin"]
            .as_str()
            .unwrap()
            .contains("20240601000000_hand_edits"),
        "{v:#}"
    );
}

#[test]
fn tables_prisma_does_not_know_keep_their_relations() {
    let Some(db) = database(true) else { return };
    // A table added by hand beside the Prisma-managed ones, referencing one of them.
    db.exec_sql(
        r#"CREATE TABLE "audit_log" (
               "id" serial PRIMARY KEY,
               "post_id" text NOT NULL REFERENCES "Post"("id") ON DELETE CASCADE,
               "note" text);"#,
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("drizzle");
    let o = hybrid(&schema_path(), &db.url(), &out, &[]);
    // The new table is a disagreement, named.
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("table audit_log: only in the database"),
        "{}",
        text(&o)
    );
    let relations_ts = std::fs::read_to_string(out.join("relations.ts")).unwrap();
    let audit = relations_ts
        .split("export const ")
        .find(|b| b.starts_with("auditLogRelations"))
        .unwrap_or_else(|| panic!("no relations for audit_log:\n{relations_ts}"));
    assert!(
        audit.contains("one(post, { fields: [auditLog.postId]"),
        "{audit}"
    );
    let post = relations_ts
        .split("export const ")
        .find(|b| b.starts_with("postRelations"))
        .unwrap();
    assert!(post.contains("many(auditLog"), "{post}");
    // Prisma's own fields are all still there.
    assert!(
        post.contains("author: one(user") && post.contains("tags: many("),
        "{post}"
    );

    let want = db.catalog().unwrap();
    let rebuilt = TempDb::create().unwrap();
    rebuilt
        .exec_sql(&std::fs::read_to_string(out.join("0000_baseline.sql")).unwrap())
        .unwrap();
    let got = rebuilt.catalog().unwrap();
    assert!(want == got, "{}", line_diff(&want, &got).join("\n"));
    if !node::require_node() {
        return;
    }
    node::generate_reports_no_changes(&out, "postgresql").unwrap();
    node::tsc_check(&[&out.join("schema.ts"), &out.join("relations.ts")]).unwrap();
}

#[test]
fn a_database_side_reads_every_schema_the_prisma_side_uses() {
    let Some(db) = TempDb::create_or_skip() else {
        return;
    };
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/pg_multischema");
    db.exec_sql(&std::fs::read_to_string(sample.join("expected.sql")).unwrap())
        .unwrap();
    let schema = sample.join("schema.prisma").display().to_string();
    // No --schemas: `public` plus the schemas the Prisma datasource lists are read.
    let o = run(&["check", &schema, &db.url()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = run(&["check", &db.url(), &schema]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // Naming only `public` leaves the other schemas' tables out: they are differences then.
    let o = run(&["check", &schema, &db.url(), "--schemas", "public"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("drizzle");
    let o = hybrid(&schema, &db.url(), &out, &["--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["disagreements"].as_array().unwrap().len(), 0, "{v:#}");
    let o = run(&["check", out.to_str().unwrap(), &db.url()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

#[test]
fn literals_the_database_rewrites_are_not_drift() {
    let Some(db) = TempDb::create_or_skip() else {
        return;
    };
    // Each default is stored in PostgreSQL's own spelling of the value the schema writes.
    db.exec_sql(
        r#"CREATE TABLE "Spot" (
               "id" integer NOT NULL,
               "area" box NOT NULL DEFAULT '((0,0),(1,1))'::box,
               "ref" uuid NOT NULL DEFAULT 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
               "net" inet NOT NULL DEFAULT '10.0.0.1/32',
               "every" interval NOT NULL DEFAULT '90 minutes'::interval,
               CONSTRAINT "Spot_pkey" PRIMARY KEY ("id"));"#,
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("schema.prisma");
    std::fs::write(
        &schema,
        r#"datasource db {
  provider = "postgresql"
}

model Spot {
  id    Int                       @id
  area  Unsupported("box")        @default(dbgenerated("'((0,0),(1,1))'::box"))
  ref   String                    @default("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11") @db.Uuid
  net   String                    @default("10.0.0.1/32") @db.Inet
  every Unsupported("interval")   @default(dbgenerated("'90 minutes'::interval"))
}
"#,
    )
    .unwrap();
    let schema = schema.to_str().unwrap();
    let o = run(&["check", schema, &db.url()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = run(&["check", &db.url(), schema]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));

    // A different value is still drift.
    db.exec_sql(r#"ALTER TABLE "Spot" ALTER COLUMN "area" SET DEFAULT '((0,0),(2,2))'::box;"#)
        .unwrap();
    let o = run(&["check", schema, &db.url()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("column area: default differs") && stdout.contains("1 difference(s)"),
        "{stdout}"
    );
}

/// Issue 11: `check` keeps operator precedence. A partial-index predicate and a CHECK written
/// `(a OR b) AND c` differ from `a OR b AND c`; the parentheses PostgreSQL adds when it prints
/// them are no difference.
#[test]
fn check_tells_grouping_that_changes_the_meaning() {
    let table = |predicate: &str| {
        format!(
            "CREATE TABLE \"Flag\" (\"id\" integer PRIMARY KEY, \"a\" boolean NOT NULL, \"b\" boolean NOT NULL, \
             \"c\" boolean NOT NULL, CONSTRAINT \"Flag_abc_check\" CHECK ({predicate}));\n\
             CREATE INDEX \"Flag_abc_idx\" ON \"Flag\" (\"id\") WHERE {predicate};"
        )
    };
    let Some(grouped) = TempDb::create_or_skip() else {
        return;
    };
    grouped.exec_sql(&table("(a OR b) AND c")).unwrap();
    let flat = TempDb::create().unwrap();
    flat.exec_sql(&table("a OR b AND c")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("drizzle");
    let o = run(&["pull", &grouped.url(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));

    // The folder's text (drizzle-kit's spelling) against PostgreSQL's own: no difference.
    let o = run(&["check", out.to_str().unwrap(), &grouped.url()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // Against the database whose predicate groups otherwise: both differ.
    let o = run(&["check", out.to_str().unwrap(), &flat.url()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("Flag_abc_check") && stdout.contains("Flag_abc_idx"),
        "{stdout}"
    );
}

/// Client sessions that have ended on `db`, read once no other client is connected to it (a
/// backend records its session when it exits, a moment after its client has gone). The reading
/// session itself is counted by the next reading.
fn ended_sessions(db: &TempDb) -> u64 {
    db.query(
        "DO $$ BEGIN FOR i IN 1..200 LOOP \
             PERFORM pg_stat_clear_snapshot(); \
             EXIT WHEN NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() \
                 AND backend_type = 'client backend' AND pid <> pg_backend_pid()); \
             PERFORM pg_sleep(0.05); \
         END LOOP; END $$; \
         SELECT sessions FROM pg_stat_database WHERE datname = current_database()",
    )
    .unwrap()
    .trim()
    .parse()
    .unwrap()
}

/// Issue 11: one connection per command. `check SCHEMA DB` and `convert SCHEMA --url DB` read
/// the database, ask it about the literals it spells its own way and read its Prisma history, all
/// on one PostgreSQL session.
#[test]
fn check_and_hybrid_convert_open_one_connection() {
    let Some(db) = TempDb::create_or_skip() else {
        return;
    };
    db.exec_sql(
        r#"CREATE TABLE "Spot" (
               "id" integer NOT NULL,
               "area" box NOT NULL DEFAULT '((0,0),(1,1))'::box,
               CONSTRAINT "Spot_pkey" PRIMARY KEY ("id"));"#,
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let prisma = dir.path().join("prisma");
    let migration = prisma.join("migrations").join("20230101000000_init");
    std::fs::create_dir_all(&migration).unwrap();
    std::fs::write(
        migration.join("migration.sql"),
        r#"CREATE TABLE "Spot" ("id" integer NOT NULL);"#,
    )
    .unwrap();
    let schema = prisma.join("schema.prisma");
    std::fs::write(
        &schema,
        r#"datasource db {
  provider = "postgresql"
}

model Spot {
  id    Int                @id
  area  Unsupported("box") @default(dbgenerated("'((0,0),(1,1))'::box"))
}
"#,
    )
    .unwrap();
    let schema = schema.to_str().unwrap();

    let before = ended_sessions(&db);
    let o = run(&["check", schema, &db.url()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("no _prisma_migrations"),
        "the history was read: {}",
        text(&o)
    );
    let after = ended_sessions(&db);
    assert_eq!(after - before - 1, 1, "sessions opened by check");

    let out = dir.path().join("drizzle");
    let o = hybrid(schema, &db.url(), &out, &[]);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("no _prisma_migrations"),
        "the history was read: {}",
        text(&o)
    );
    let last = ended_sessions(&db);
    assert_eq!(last - after - 1, 1, "sessions opened by convert --url");
}
