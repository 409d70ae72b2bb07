//! Live PostgreSQL introspection against the real server: every sample, probe and corpus database
//! round-trips through our model and baseline into the identical catalog, drizzle-kit agrees with
//! the output and tsc compiles it; introspection cannot write; connection errors are one line
//! without the password; the number of queries does not grow with the number of tables.

use crate::common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::cases::{cases, extensions_prelude, indexes_before_foreign_keys, line_diff, Case};
use common::node::{self, TempDb};
use drizzle_port::compare::DiffOptions;
use drizzle_port::introspect::{
    introspect_postgres_url_with_report, IntrospectReport, PgIntrospectOptions,
};
use drizzle_port::migrate::render_project;
use drizzle_port::model::Schema;
use drizzle_port::render::RenderOptions;
use drizzle_port::source::SourceKind;

fn options() -> RenderOptions {
    RenderOptions {
        name: "baseline".into(),
        when_ms: 1_700_000_000_000,
        snapshot_id: "5d7b1c1e-0000-4000-8000-000000000001".into(),
        flavour: drizzle_port::render::Flavour::default(),
    }
}

fn introspect(db: &TempDb) -> Result<(Schema, IntrospectReport), String> {
    introspect_postgres_url_with_report(&db.url(), &PgIntrospectOptions::default())
        .map_err(|e| format!("introspection failed: {e}"))
}

/// The extensions of `db` (plpgsql aside) as statements for a fresh database, and the schemas
/// they live in.
fn extension_statements(db: &TempDb) -> Result<(Vec<String>, Vec<String>), String> {
    let rows = db.query(
        "SELECT n.nspname || '|' || format('CREATE EXTENSION IF NOT EXISTS %I WITH SCHEMA %I VERSION %L;', e.extname, n.nspname, e.extversion) \
         FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace \
         WHERE e.extname <> 'plpgsql' ORDER BY e.oid",
    )?;
    let mut statements = Vec::new();
    let mut schemas = Vec::new();
    for line in rows.lines().filter(|l| !l.is_empty()) {
        let (schema, statement) = line.split_once('|').expect("schema|statement");
        if !schemas.iter().any(|s| s == schema) {
            schemas.push(schema.to_string());
        }
        statements.push(statement.to_string());
    }
    Ok((statements, schemas))
}

/// Our baseline with the original database's extensions created right after its `CREATE
/// SCHEMA`s (an extension may live in one of them); schemas of extensions that the baseline
/// does not create come first.
fn baseline_with_extensions(
    baseline: &str,
    extensions: &[String],
    ext_schemas: &[String],
) -> String {
    let statements: Vec<&str> = baseline.split("--> statement-breakpoint").collect();
    let creates = statements
        .iter()
        .take_while(|s| s.trim_start().starts_with("CREATE SCHEMA"))
        .count();
    let mut out = String::new();
    for s in ext_schemas {
        out.push_str(&format!("CREATE SCHEMA IF NOT EXISTS \"{s}\";\n"));
    }
    for s in &statements[..creates] {
        out.push_str(s);
        out.push('\n');
    }
    for e in extensions {
        out.push_str(e);
        out.push('\n');
    }
    for s in &statements[creates..] {
        out.push_str(s);
        out.push('\n');
    }
    out
}

fn short(e: &str) -> String {
    let text: String = e.chars().take(6000).collect();
    if text.len() < e.len() {
        format!("{text}\n…")
    } else {
        text
    }
}

/// The differences of `found` in words; empty when there are none.
fn listed(found: &drizzle_port::compare::Diff) -> String {
    found.render("the schema", "the database")
}

/// Introspects the database built from `case`'s expected.sql, renders it, and checks the three
/// properties; `node` enables the drizzle-kit and tsc checks.
fn round_trip(case: &Case, node: bool) -> Result<String, String> {
    let original = TempDb::create()?;
    original.exec_sql(&extensions_prelude(&case.schema)?)?;
    let expected_sql = std::fs::read_to_string(&case.expected_sql).map_err(|e| e.to_string())?;
    original.exec_sql(&expected_sql)?;
    // Every user schema of the database, public first (`--schemas public,auth,billing`).
    let schemas: Vec<String> = original
        .query(
            "SELECT nspname FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' \
             ORDER BY nspname <> 'public', nspname",
        )?
        .lines()
        .map(str::to_string)
        .collect();
    let opts = PgIntrospectOptions {
        schemas,
        ..PgIntrospectOptions::default()
    };
    let started = Instant::now();
    let (schema, report) = introspect_postgres_url_with_report(&original.url(), &opts)
        .map_err(|e| format!("introspection failed: {e}"))?;
    let took = started.elapsed();
    let mut problems = Vec::new();
    // `check` between the Prisma schema and the database it built finds nothing.
    let mut prisma = drizzle_port::source::load(&case.schema.display().to_string())
        .map_err(|e| format!("cannot load the Prisma schema: {e}"))?;
    // As `check` does against PostgreSQL: literals it spells its own way are read through it.
    let read = drizzle_port::live::read_to_compare(
        &original.url(),
        &drizzle_port::source::LoadOptions {
            schemas: opts.schemas.clone(),
            ..Default::default()
        },
        &mut prisma,
        None,
    )
    .map_err(|e| format!("cannot read the database: {e}"))?;
    if let Some(e) = read.literal_warning {
        return Err(format!("cannot ask the database about literals: {e}"));
    }
    let found = listed(&drizzle_port::compare::diff(
        &prisma,
        &schema,
        &DiffOptions::for_sides(SourceKind::Prisma, SourceKind::Database),
    ));
    if !found.is_empty() {
        problems.push(format!(
            "check schema vs database finds differences:\n{found}"
        ));
    }
    let project = render_project(&schema, &options()).map_err(|e| e.to_string())?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let out = dir.path().join("drizzle");
    drizzle_port::migrate::output::write_project(&out, &project, false)
        .map_err(|e| e.to_string())?;
    let baseline =
        std::fs::read_to_string(out.join("0000_baseline.sql")).map_err(|e| e.to_string())?;

    let (extensions, ext_schemas) = extension_statements(&original)?;
    let ext_schemas: Vec<String> = ext_schemas
        .into_iter()
        .filter(|s| s != "public" && !schema.namespaces.contains(s))
        .collect();
    // Our baseline alone on an empty database: it creates the extensions the database had.
    let rebuilt = TempDb::create()?;
    rebuilt
        .exec_sql(&baseline.replace("--> statement-breakpoint", ""))
        .map_err(|e| format!("our baseline does not run: {}", short(&e)))?;
    let (want, got) = (original.catalog()?, rebuilt.catalog()?);
    if want != got {
        problems.push(format!(
            "catalogs differ (- original, + rebuilt from our baseline):\n{}",
            line_diff(&want, &got).join("\n")
        ));
    }
    // `check` between our migrations folder and the database finds nothing.
    match drizzle_port::introspect::migrations::read_migrations_folder(&out) {
        Err(e) => problems.push(format!("cannot read our migrations folder back: {e}")),
        Ok(migrations) => {
            let found = drizzle_port::compare::diff(
                &migrations,
                &schema,
                &DiffOptions::for_sides(SourceKind::Migrations, SourceKind::Database),
            );
            if !found.is_empty() {
                problems.push(format!(
                    "check migrations vs database finds differences:\n{}",
                    found.render("the migrations", "the database")
                ));
            }
            // … nor between the Prisma schema and that folder.
            let found = listed(&drizzle_port::compare::diff(
                &prisma,
                &migrations,
                &DiffOptions::for_sides(SourceKind::Prisma, SourceKind::Migrations),
            ));
            if !found.is_empty() {
                problems.push(format!(
                    "check schema vs migrations finds differences:\n{found}"
                ));
            }
        }
    }
    // Hybrid output (Prisma semantics over the database's facts) rebuilds the same catalog.
    let merged =
        drizzle_port::compare::hybrid::merge(&prisma, &schema).map_err(|e| e.to_string())?;
    let disagreements = listed(&merged.disagreements);
    if !disagreements.is_empty() {
        problems.push(format!(
            "hybrid mode reports disagreements on an unaltered database:\n{disagreements}"
        ));
    }
    let hybrid = render_project(&merged.schema, &options()).map_err(|e| e.to_string())?;
    let hybrid_out = dir.path().join("hybrid");
    drizzle_port::migrate::output::write_project(&hybrid_out, &hybrid, false)
        .map_err(|e| e.to_string())?;
    let hybrid_sql =
        std::fs::read_to_string(hybrid_out.join("0000_baseline.sql")).map_err(|e| e.to_string())?;
    let hybrid_db = TempDb::create()?;
    hybrid_db
        .exec_sql(&baseline_with_extensions(
            &hybrid_sql,
            &extensions,
            &ext_schemas,
        ))
        .map_err(|e| format!("the hybrid baseline does not run: {}", short(&e)))?;
    let hybrid_catalog = hybrid_db.catalog()?;
    if hybrid_catalog != want {
        problems.push(format!(
            "hybrid output builds another catalog (- original, + hybrid):\n{}",
            line_diff(&want, &hybrid_catalog).join("\n")
        ));
    }
    if node {
        if let Err(e) = node::generate_reports_no_changes(&out, "postgresql") {
            problems.push(format!("drizzle-kit generate found changes: {}", short(&e)));
        }
        // The hybrid output too: drizzle-kit agrees with its snapshot and tsc compiles it.
        if let Err(e) = node::generate_reports_no_changes(&hybrid_out, "postgresql") {
            problems.push(format!(
                "drizzle-kit generate found changes in the hybrid output: {}",
                short(&e)
            ));
        }
        if let Err(e) = node::tsc_check(&[
            &hybrid_out.join("schema.ts"),
            &hybrid_out.join("relations.ts"),
        ]) {
            problems.push(format!("tsc on the hybrid output: {}", short(&e)));
        }
        if let Err(e) = node::tsc_check(&[&out.join("schema.ts"), &out.join("relations.ts")]) {
            problems.push(format!("tsc: {}", short(&e)));
        }
        // (c) drizzle-kit's own SQL from schema.ts alone rebuilds the same catalog.
        match node::generate_fresh(
            &out.join("schema.ts"),
            Some(&out.join("relations.ts")),
            "postgresql",
        ) {
            Err(e) => problems.push(format!(
                "drizzle-kit generate from schema.ts failed: {}",
                short(&e)
            )),
            Ok(fresh) => {
                let kit_sql = std::fs::read_to_string(&fresh).map_err(|e| e.to_string())?;
                let script = baseline_with_extensions(&kit_sql, &extensions, &ext_schemas);
                let kit_db = TempDb::create()?;
                let applied = match kit_db.exec_sql(&script) {
                    // drizzle-kit 0.31 adds foreign keys before indexes, so a foreign key to a column
                    // unique through an index fails (its bug); apply in dependency order instead.
                    Err(e) if e.contains("there is no unique constraint matching given keys") => {
                        let kit_db2 = TempDb::create()?;
                        let reordered = indexes_before_foreign_keys(&kit_sql);
                        kit_db2
                            .exec_sql(&baseline_with_extensions(
                                &reordered,
                                &extensions,
                                &ext_schemas,
                            ))
                            .map(|_| kit_db2)
                    }
                    Err(e) => Err(e),
                    Ok(_) => Ok(kit_db),
                };
                match applied {
                    Err(e) => {
                        problems.push(format!("drizzle-kit's SQL does not run: {}", short(&e)))
                    }
                    Ok(db) => {
                        let kit_catalog = db.catalog()?;
                        if kit_catalog != want {
                            problems.push(format!(
                                "drizzle-kit's SQL builds another catalog (- original, + drizzle-kit):\n{}",
                                line_diff(&want, &kit_catalog).join("\n")
                            ));
                        }
                    }
                }
            }
        }
    }
    if node {
        // The real `drizzle-kit migrate` builds the same catalog from the output folder alone.
        let fresh = TempDb::create()?;
        let r = node::drizzle_kit_migrate(&out, "postgresql", &fresh.url());
        if !r.status {
            problems.push(format!(
                "drizzle-kit migrate failed: {}",
                short(&r.describe())
            ));
        } else {
            let got = fresh.catalog_without_history()?;
            if got != want {
                problems.push(format!(
                    "drizzle-kit migrate builds another catalog (- original, + migrated):\n{}",
                    line_diff(&want, &got).join("\n")
                ));
            }
        }
        // Last, as it writes drizzle's history into the original: baseline, then push finds
        // nothing to change and leaves the catalog as it was.
        node::run_baseline(&out, &original, "baseline of the introspected output");
        let before = original.catalog_without_history()?;
        let fk_targets = original.fk_target_indexes()?;
        match node::push_finds_nothing(&out, "postgresql", &original.url(), None, &fk_targets) {
            Err(e) => problems.push(short(&e)),
            Ok(known) => {
                for k in known {
                    eprintln!("{}: known drizzle-kit push defect: {k}", case.name);
                }
            }
        }
        let after = original.catalog_without_history()?;
        if after != before {
            problems.push(format!(
                "drizzle-kit push changed the catalog (- before, + after):\n{}",
                line_diff(&before, &after).join("\n")
            ));
        }
    }
    if problems.is_empty() {
        Ok(format!(
            "{}: {} tables, {} enums, {} queries, introspected in {:.0?}",
            case.name,
            schema.tables.len(),
            schema.enums.len(),
            report.queries,
            took
        ))
    } else {
        Err(problems.join("\n"))
    }
}

#[test]
fn every_postgres_case_round_trips_through_introspection() {
    if TempDb::create_or_skip().is_none() {
        return;
    }
    let node = node::require_node();
    let all = cases("postgresql");
    if std::env::var_os("DRIZZLE_PORT_CASES").is_none() {
        assert!(
            all.len() >= 10,
            "expected the samples at least, found {}",
            all.len()
        );
    }
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, 4);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(case) = all.get(i) else { break };
                let result = round_trip(case, node);
                results.lock().unwrap().push((case.name.clone(), result));
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by(|a, b| a.0.cmp(&b.0));
    let mut failures = Vec::new();
    for (name, result) in &results {
        match result {
            Ok(line) => eprintln!("ok {line}"),
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    if !failures.is_empty() {
        panic!(
            "{} of {} cases failed:\n\n{}",
            failures.len(),
            results.len(),
            failures.join("\n\n")
        );
    }
    eprintln!("{} cases passed", results.len());
}

fn sample_db() -> Option<TempDb> {
    let db = TempDb::create_or_skip()?;
    let sql = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/pg_blog/expected.sql");
    db.exec_sql(&std::fs::read_to_string(sql).unwrap()).unwrap();
    Some(db)
}

#[test]
fn introspection_runs_in_a_read_only_transaction() {
    let Some(db) = sample_db() else { return };
    let before = db.catalog().unwrap();
    let with_probe = |probe: &str| {
        let opts = PgIntrospectOptions {
            probe: Some(probe.to_string()),
            ..PgIntrospectOptions::default()
        };
        let (schema, report) = introspect_postgres_url_with_report(&db.url(), &opts).unwrap();
        assert!(!schema.tables.is_empty());
        report.probe.expect("the probe ran")
    };
    // The very transaction the catalog queries ran in is read only…
    assert_eq!(
        with_probe("SHOW transaction_read_only"),
        Ok(vec!["on".to_string()])
    );
    // …and so is its snapshot isolation: one consistent view of the catalog.
    assert_eq!(
        with_probe("SHOW transaction_isolation"),
        Ok(vec!["repeatable read".to_string()])
    );
    // A write through the same path is refused with SQLSTATE 25006 (read_only_sql_transaction).
    for write in [
        "CREATE TABLE dp_probe_written (id integer)",
        "DELETE FROM \"Section\"",
        "SELECT nextval('\"Section_id_seq\"')",
    ] {
        let err = with_probe(write).expect_err(write);
        assert!(err.contains("SQLSTATE 25006"), "{write}: {err}");
    }
    // statement_timeout holds inside the transaction (SQLSTATE 57014: query_canceled).
    let opts = PgIntrospectOptions {
        statement_timeout: Duration::from_millis(200),
        probe: Some("SELECT pg_sleep(3)".into()),
        ..PgIntrospectOptions::default()
    };
    let started = Instant::now();
    let (_, report) = introspect_postgres_url_with_report(&db.url(), &opts).unwrap();
    let err = report.probe.expect("the probe ran").expect_err("timed out");
    assert!(err.contains("SQLSTATE 57014"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(2));
    let after = db.catalog().unwrap();
    assert_eq!(before, after, "the catalog changed during introspection");
    assert_eq!(
        db.query("SELECT count(*) FROM pg_class WHERE relname = 'dp_probe_written'")
            .unwrap(),
        "0"
    );
}

/// A database using what Prisma never creates: identity, generated columns, domains, 2-d
/// arrays, deferrable and cross-schema keys, NULLS NOT DISTINCT, partial / expression / INCLUDE
/// indexes with opclasses and orderings, views, partitions, RLS, triggers, exclusion constraints.
const FEATURES_SQL: &str = r#"
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE SCHEMA billing;
CREATE SCHEMA audit;
CREATE SCHEMA other;
CREATE TABLE other.regions (code text PRIMARY KEY);
CREATE TYPE billing.currency AS ENUM ('EUR', 'USD', 'it''s');
CREATE TYPE mood AS ENUM ('calm', 'busy');
CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
CREATE SEQUENCE invoice_numbers START 1000 INCREMENT 5;
CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 2) PRIMARY KEY,
  email citext NOT NULL,
  first_name text,
  last_name text,
  full_name text GENERATED ALWAYS AS (first_name || ' ' || last_name) STORED,
  tags text[][] DEFAULT '{}',
  mood mood DEFAULT 'calm',
  score positive_int,
  region text REFERENCES other.regions (code),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT users_email_key UNIQUE (email),
  CONSTRAINT users_name_check CHECK (char_length(first_name) < 100)
);
COMMENT ON TABLE users IS 'People who sign in';
COMMENT ON COLUMN users.email IS 'Login, case-insensitive */ really';
CREATE TABLE billing.invoices (
  id serial PRIMARY KEY,
  number integer NOT NULL DEFAULT nextval('invoice_numbers'),
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  currency billing.currency NOT NULL DEFAULT 'EUR',
  amount numeric(12,2) NOT NULL CHECK (amount >= 0),
  period interval day to second(0),
  flags bit(4),
  mask varbit(8),
  ref uuid NOT NULL DEFAULT gen_random_uuid(),
  note varchar(20) COLLATE "C",
  CONSTRAINT invoices_user_number UNIQUE NULLS NOT DISTINCT (user_id, number)
);
CREATE INDEX invoices_partial ON billing.invoices (user_id) WHERE amount > 100;
CREATE INDEX invoices_expr ON billing.invoices (lower(note) text_pattern_ops);
CREATE INDEX invoices_desc ON billing.invoices (amount DESC NULLS LAST, id NULLS FIRST) INCLUDE (currency);
CREATE INDEX invoices_opdesc ON billing.invoices (note varchar_pattern_ops DESC);
CREATE INDEX users_name_trgm ON users USING gin (first_name gin_trgm_ops);
CREATE INDEX users_name_hash ON users USING hash (last_name);
CREATE UNIQUE INDEX users_lower_name ON users (lower(last_name)) NULLS NOT DISTINCT;
CREATE TABLE user_follows (
  follower_id bigint NOT NULL REFERENCES users (id),
  followee_id bigint NOT NULL REFERENCES users (id),
  since date DEFAULT CURRENT_DATE,
  PRIMARY KEY (follower_id, followee_id)
);
CREATE TABLE audit.measurements (id integer, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE audit.measurements_2024 PARTITION OF audit.measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE a_very_long_table_name_that_goes_on_and_on_and_on_forever_xyz (
  an_equally_long_column_name_for_the_serial_identifier_abc serial PRIMARY KEY
);
CREATE VIEW active_users AS SELECT id, email FROM users WHERE score > 0;
CREATE MATERIALIZED VIEW invoice_totals AS SELECT user_id, sum(amount) AS total FROM billing.invoices GROUP BY user_id;
CREATE UNIQUE INDEX invoice_totals_user ON invoice_totals (user_id);
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON users USING (true);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TABLE rooms (id integer PRIMARY KEY, during tsrange, EXCLUDE USING gist (during WITH &&));
CREATE TABLE "_prisma_migrations" (id text PRIMARY KEY);
CREATE TABLE checks_nv (id integer PRIMARY KEY, n integer);
ALTER TABLE checks_nv ADD CONSTRAINT n_pos CHECK (n > 0) NOT VALID;
"#;

fn table<'a>(schema: &'a Schema, ns: Option<&str>, name: &str) -> &'a drizzle_port::model::Table {
    schema
        .tables
        .iter()
        .find(|t| t.schema.as_deref() == ns && t.name == name)
        .unwrap_or_else(|| panic!("no table {name}"))
}

fn column<'a>(t: &'a drizzle_port::model::Table, name: &str) -> &'a drizzle_port::model::Column {
    t.column(name)
        .unwrap_or_else(|| panic!("no column {name} in {}", t.name))
}

#[test]
fn every_feature_is_read_into_the_model() {
    use drizzle_port::model::{
        ColumnType, DefaultValue, Deferrable, NullsOrder, ReferentialAction, SortOrder,
    };
    let Some(db) = TempDb::create_or_skip() else {
        return;
    };
    db.exec_sql(FEATURES_SQL).unwrap();
    let opts = PgIntrospectOptions {
        schemas: vec!["public".into(), "billing".into(), "audit".into()],
        ..PgIntrospectOptions::default()
    };
    let (schema, report) = introspect_postgres_url_with_report(&db.url(), &opts).unwrap();
    let notes = report.notes.join("\n");
    let noted = |text: &str| assert!(notes.contains(text), "no note {text:?} in:\n{notes}");
    assert_eq!(schema.namespaces, ["billing", "audit"]);

    let users = table(&schema, None, "users");
    assert_eq!(users.comment.as_deref(), Some("People who sign in"));
    let id = column(users, "id").identity.as_ref().expect("identity");
    assert!(id.always);
    assert_eq!((id.start, id.increment), (Some(10), Some(2)));
    assert_eq!(id.sequence_name.as_deref(), Some("users_id_seq"));
    assert_eq!(
        column(users, "full_name").generated.as_deref(),
        Some("((first_name || ' '::text) || last_name)")
    );
    assert_eq!(
        column(users, "full_name").orm_name.as_deref(),
        Some("fullName")
    );
    let tags = column(users, "tags");
    assert_eq!((tags.dimensions, &tags.column_type), (2, &ColumnType::Text));
    assert_eq!(column(users, "email").column_type, ColumnType::Citext);
    assert_eq!(
        column(users, "email").comment.as_deref(),
        Some("Login, case-insensitive */ really")
    );
    assert_eq!(
        column(users, "mood").default,
        Some(DefaultValue::EnumValue("calm".into()))
    );
    assert_eq!(
        column(users, "score").column_type,
        ColumnType::Unsupported {
            sql: "positive_int".into()
        }
    );
    assert_eq!(
        column(users, "created_at").column_type,
        ColumnType::Timestamp {
            precision: Some(3),
            with_time_zone: true
        }
    );
    assert_eq!(
        users.checks[0].expression,
        "(char_length(first_name) < 100)"
    );
    assert_eq!(users.unique_constraints[0].name, "users_email_key");
    let trgm = users
        .indexes
        .iter()
        .find(|i| i.name == "users_name_trgm")
        .unwrap();
    assert_eq!(
        (trgm.method.as_str(), trgm.columns[0].opclass.as_deref()),
        ("gin", Some("gin_trgm_ops"))
    );
    let hash = users
        .indexes
        .iter()
        .find(|i| i.name == "users_name_hash")
        .unwrap();
    assert_eq!(
        (hash.method.as_str(), hash.columns[0].opclass.as_deref()),
        ("hash", None)
    );
    assert!(
        users.foreign_keys.is_empty(),
        "the key to other.regions is left out"
    );

    let invoices = table(&schema, Some("billing"), "invoices");
    assert_eq!(
        column(invoices, "id").default,
        Some(DefaultValue::Autoincrement)
    );
    assert_eq!(
        column(invoices, "number").default,
        Some(DefaultValue::Expression(
            "nextval('invoice_numbers'::regclass)".into()
        ))
    );
    assert_eq!(
        column(invoices, "currency").column_type,
        ColumnType::Enum {
            schema: Some("billing".into()),
            name: "currency".into()
        }
    );
    assert_eq!(
        column(invoices, "period").column_type,
        ColumnType::Interval {
            fields: Some("day to second".into()),
            precision: Some(0)
        }
    );
    assert_eq!(
        column(invoices, "flags").column_type,
        ColumnType::Bit { length: Some(4) }
    );
    assert_eq!(
        column(invoices, "mask").column_type,
        ColumnType::VarBit { length: Some(8) }
    );
    assert_eq!(
        column(invoices, "ref").default,
        Some(DefaultValue::Expression("gen_random_uuid()".into()))
    );
    let fk = &invoices.foreign_keys[0];
    assert_eq!(
        fk.referenced_table,
        drizzle_port::model::ObjectName::new(None, "users")
    );
    assert_eq!(fk.on_delete, ReferentialAction::Cascade);
    assert_eq!(fk.deferrable, Some(Deferrable::InitiallyDeferred));
    let unique = &invoices.unique_constraints[0];
    assert!(unique.nulls_not_distinct);
    assert_eq!(unique.columns, ["user_id", "number"]);
    let index = |name: &str| invoices.indexes.iter().find(|i| i.name == name).unwrap();
    assert_eq!(
        index("invoices_partial").predicate.as_deref(),
        Some("(amount > (100)::numeric)")
    );
    let expr = &index("invoices_expr").columns[0];
    assert!(expr.is_expression);
    assert_eq!(expr.expression, "lower((note)::text)");
    assert_eq!(expr.opclass.as_deref(), Some("text_pattern_ops"));
    let desc = index("invoices_desc");
    assert_eq!(
        (desc.columns[0].order, desc.columns[0].nulls),
        (SortOrder::Desc, Some(NullsOrder::Last))
    );
    assert_eq!(
        (desc.columns[1].order, desc.columns[1].nulls),
        (SortOrder::Asc, Some(NullsOrder::First))
    );
    assert_eq!(desc.include, ["currency"]);
    let opdesc = &index("invoices_opdesc").columns[0];
    assert_eq!(
        (opdesc.order, opdesc.opclass.as_deref()),
        (SortOrder::Desc, Some("varchar_pattern_ops"))
    );
    assert_eq!(invoices.checks[0].expression, "(amount >= (0)::numeric)");

    let long = &schema
        .tables
        .iter()
        .find(|t| t.name.starts_with("a_very_long"))
        .unwrap()
        .columns[0];
    assert_eq!(
        long.default,
        Some(DefaultValue::Autoincrement),
        "serial with a truncated sequence name"
    );
    let sequences: Vec<&str> = schema.sequences.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(sequences, ["invoice_numbers"]);
    assert_eq!(schema.sequences[0].start, Some(1000));

    // The junction between users and users: its rows are what the back sides return, so they
    // are named after it, qualified by the key's role (never `followers`, which would promise
    // users).
    let follows = table(&schema, None, "user_follows");
    let names: Vec<&str> = follows.relations.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["followee", "follower"]);
    let names: Vec<&str> = users
        .relations
        .iter()
        .filter(|r| r.target.name == "user_follows")
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(names, ["followeeUserFollows", "followerUserFollows"]);
    let back: Vec<&str> = users
        .relations
        .iter()
        .filter(|r| r.target.name == "invoices")
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(back, ["invoices"]);

    let views: Vec<(&str, bool)> = schema
        .views
        .iter()
        .map(|v| (v.name.as_str(), v.materialized))
        .collect();
    assert_eq!(views, [("active_users", false), ("invoice_totals", true)]);
    assert!(schema.views[0]
        .definition
        .as_deref()
        .unwrap()
        .contains("FROM users"));

    assert!(table(&schema, Some("audit"), "measurements").columns.len() == 2);
    assert!(!schema
        .tables
        .iter()
        .any(|t| t.name == "measurements_2024" || t.name == "_prisma_migrations"));
    noted("table audit.measurements_2024: a partition: left out");
    noted("table audit.measurements: partitioned");
    noted("table public._prisma_migrations: Prisma's migration history, left out");
    // RLS, policies and domains are read into the model now, no longer only noted.
    assert!(users.rls_enabled);
    let policy = &users.policies[0];
    assert_eq!(
        (
            policy.name.as_str(),
            policy.command.as_str(),
            policy.using.as_deref()
        ),
        ("own_rows", "ALL", Some("true"))
    );
    assert_eq!(policy.roles, ["public"]);
    let domain = &schema.domains[0];
    assert_eq!(
        (domain.name.as_str(), domain.base_type.as_str()),
        ("positive_int", "integer")
    );
    assert_eq!(domain.checks[0].expression, "(VALUE > 0)");
    assert!(!notes.contains("row level security") && !notes.contains("domain positive_int"));
    noted("table public.users: 1 triggers not read");
    noted("column billing.invoices.note: COLLATE \"C\" not kept");
    noted("foreign key to other.regions left out");
    noted("rooms_during_excl on public.rooms: exclusion constraint left out");
    noted("constraint n_pos on public.checks_nv: NOT VALID");
    noted("index users_lower_name on public.users: NULLS NOT DISTINCT not kept");
    noted("index invoice_totals_user on materialized view public.invoice_totals");
    // Installed extensions are part of the model (the baseline creates them), not notes.
    let extensions: Vec<&str> = schema.extensions.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(extensions, ["citext", "pg_trgm"]);
    assert!(!notes.contains("extension pg_trgm"), "{notes}");
    assert!(
        !notes.contains("tsrange"),
        "built-in range types need no note:\n{notes}"
    );
}

fn run_cli(args: &[&str], dir: &Path) -> (std::process::Output, Duration) {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_drizzle-port"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (out, started.elapsed())
}

fn assert_clean_failure(url: &str, expect: &str, within: Duration) {
    let dir = tempfile::tempdir().unwrap();
    let (out, took) = run_cli(&["convert", url, "-o", "out"], dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{url}: {stderr}");
    assert!(took < within, "{url}: took {took:?}");
    assert!(
        !stderr.contains("s3cret") && !stdout.contains("s3cret"),
        "{stderr}"
    );
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "not one line: {stderr}");
    assert!(lines[0].contains(expect), "{url}: {stderr}");
    assert!(!dir.path().join("out").exists(), "something was written");
}

#[test]
fn connection_errors_are_one_line_without_the_password() {
    // Nothing listens on port 1: refused at once.
    assert_clean_failure(
        "postgres://postgres:s3cret@127.0.0.1:1/postgres",
        "could not reach PostgreSQL at 127.0.0.1:1",
        Duration::from_secs(10),
    );
    // A server that accepts the connection and never answers: the connect timeout ends the wait.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let holder = std::thread::spawn(move || {
        let held: Vec<_> = silent.incoming().take(1).collect();
        std::thread::sleep(Duration::from_secs(5));
        drop(held);
    });
    assert_clean_failure(
        &format!("postgres://postgres:s3cret@127.0.0.1:{port}/postgres?connect_timeout=2"),
        &format!("timed out after 2s connecting to PostgreSQL at 127.0.0.1:{port}"),
        Duration::from_secs(4),
    );
    drop(holder);
    if TempDb::create_or_skip().is_none() {
        return;
    }
    let url = node::pg_url_for("dp_no_such_database_here").replace("postgres@", "postgres:s3cret@");
    assert_clean_failure(
        &url,
        "database \"dp_no_such_database_here\" does not exist",
        Duration::from_secs(10),
    );
}

/// `n` tables with 15 columns, 2 indexes, a foreign key, a check and an enum column each.
fn synthetic_schema(n: usize) -> String {
    let mut sql = String::from("CREATE TYPE mood AS ENUM ('calm', 'busy');\n");
    for i in 0..n {
        let mut cols = vec![
            "id serial PRIMARY KEY".to_string(),
            "mood mood NOT NULL DEFAULT 'calm'".to_string(),
            "title varchar(80) NOT NULL".to_string(),
            "price numeric(10,2) CHECK (price >= 0)".to_string(),
        ];
        if i > 0 {
            cols.push(format!("parent_id integer REFERENCES t{} (id)", i - 1));
        }
        while cols.len() < 15 {
            cols.push(format!("c{} text", cols.len()));
        }
        sql.push_str(&format!("CREATE TABLE t{i} ({});\n", cols.join(", ")));
        sql.push_str(&format!("CREATE INDEX t{i}_title ON t{i} (title);\n"));
        sql.push_str(&format!(
            "CREATE UNIQUE INDEX t{i}_lower ON t{i} (lower(c5));\n"
        ));
    }
    sql
}

#[test]
fn query_count_does_not_depend_on_table_count() {
    let Some(small) = TempDb::create_or_skip() else {
        return;
    };
    let large = TempDb::create().unwrap();
    small.exec_sql(&synthetic_schema(5)).unwrap();
    large.exec_sql(&synthetic_schema(50)).unwrap();
    let (s, small_report) = introspect(&small).unwrap();
    let (l, large_report) = introspect(&large).unwrap();
    assert_eq!(s.tables.len(), 5);
    assert_eq!(l.tables.len(), 50);
    assert_eq!(l.tables[10].indexes.len(), 2);
    assert_eq!(l.tables[10].checks.len(), 1);
    assert_eq!(l.tables[10].foreign_keys.len(), 1);
    assert_eq!(small_report.queries, large_report.queries);
    assert_eq!(small_report.catalog_queries, large_report.catalog_queries);
    eprintln!(
        "queries issued: {} ({} catalog queries) for 5 and for 50 tables",
        large_report.queries, large_report.catalog_queries
    );
}
