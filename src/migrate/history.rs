//! Seeding drizzle's migration history table so existing databases count as migrated.
//!
//! drizzle-orm 0.45's migrator reads only the newest row (`ORDER BY created_at DESC LIMIT 1`) and
//! runs every journal entry whose `when` is greater than that row's `created_at`; the hash is
//! recorded but never compared. So a baseline row must carry `created_at = <journal when>` exactly
//! and `hash = sha256(<tag>.sql)` (drizzle v1's upgrader matches old rows by both).
//!
//! drizzle-orm 1.0 ([`HistoryShape::V1`]) adds `name` and `applied_at` and runs every migration
//! folder whose name is not in the table: a 1.0 baseline row is `(hash, created_at = the folder's
//! time, name = the folder)`. Its table is created in 1.0's shape only for a 1.0 folder; a 1.0
//! folder meeting a 0.x table is refused (drizzle-orm 1.0 upgrades that table itself, matching
//! rows to folders, and a row of ours without a name would be re-run).
//!
//! The plan and the conflict rules ([`plan`], [`decide`]) are dialect-neutral; the PostgreSQL side
//! is [`plan_sql`] and [`apply_postgres`]; the SQLite / libSQL side is [`plan_sql_sqlite`] and
//! [`apply_sqlite`] (drizzle's SQLite table DDL, `created_at numeric`, no schema).

use std::fmt;

use sha2::{Digest, Sha256};

use super::journal::MigrationsFolder;
use super::Error;

/// Where drizzle keeps its history (`migrations.schema` / `migrations.table` in drizzle.config).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryTarget {
    pub schema: String,
    pub table: String,
}

impl Default for HistoryTarget {
    fn default() -> Self {
        HistoryTarget {
            schema: "drizzle".to_owned(),
            table: "__drizzle_migrations".to_owned(),
        }
    }
}

impl HistoryTarget {
    /// `schema.table` for messages and JSON (unquoted, like drizzle-kit's own output).
    pub fn display_name(&self) -> String {
        format!("{}.{}", self.schema, self.table)
    }

    /// `"schema"."table"` for SQL.
    pub fn quoted(&self) -> String {
        format!("{}.{}", quote_ident(&self.schema), quote_ident(&self.table))
    }

    /// Key for `pg_advisory_xact_lock`: derived from the table name so that baselines of
    /// different history tables do not wait for each other.
    pub fn lock_key(&self) -> i64 {
        let digest = Sha256::digest(format!(
            "drizzle-port baseline\0{}\0{}",
            self.schema, self.table
        ));
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&digest[..8]);
        i64::from_be_bytes(bytes)
    }
}

/// Which drizzle-orm migrator reads the table, and so its columns and apply rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HistoryShape {
    /// drizzle-orm 0.x: `id, hash, created_at`; the newest `created_at` is the high-water mark.
    #[default]
    V0,
    /// drizzle-orm 1.0: also `name` and `applied_at`; a migration runs unless its name is there.
    V1,
}

/// One history row to be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedRow {
    /// Migration tag (file name without `.sql`, or the 1.0 folder name, which 1.0 stores as
    /// `name`).
    pub tag: String,
    pub hash: String,
    pub created_at: i64,
}

/// What a baseline would record, before looking at the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaselinePlan {
    pub target: HistoryTarget,
    pub shape: HistoryShape,
    /// In journal order. Callers may drop rows to mark only part of a folder.
    pub rows: Vec<PlannedRow>,
}

/// Plans marking every migration of `folder` as applied.
pub fn plan(folder: &MigrationsFolder, target: &HistoryTarget) -> BaselinePlan {
    let rows = folder
        .migrations
        .iter()
        .map(|m| PlannedRow {
            tag: m.entry.tag.clone(),
            hash: m.hash.clone(),
            created_at: m.entry.when,
        })
        .collect();
    BaselinePlan {
        target: target.clone(),
        shape: match folder.layout {
            super::Layout::Journal => HistoryShape::V0,
            super::Layout::Folders => HistoryShape::V1,
        },
        rows,
    }
}

/// A row already in the history table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingRow {
    pub hash: String,
    /// `None` for SQL NULL.
    pub created_at: Option<i64>,
    /// drizzle-orm 1.0's `name` (`None`: NULL, or a 0.x table without the column).
    pub name: Option<String>,
}

/// Why the history table cannot be baselined as planned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// A row has the migration's `when` but another hash: the file changed after it was recorded.
    HashMismatch {
        tag: String,
        created_at: i64,
        expected_hash: String,
        recorded_hash: String,
    },
    /// A newer migration is already recorded, so drizzle would skip this one anyway.
    NewerRecorded {
        tag: String,
        when: i64,
        recorded_created_at: i64,
        recorded_hash: String,
    },
    /// PostgreSQL sorts NULL first in `ORDER BY created_at DESC`, so drizzle would take this row as
    /// the newest, compare `Number(null) = 0` and re-run every migration whatever we insert.
    NullCreatedAt { recorded_hash: String },
    /// drizzle-orm 1.0: a row already carries this folder's name, with another hash.
    NameHashMismatch {
        tag: String,
        expected_hash: String,
        recorded_hash: String,
    },
    /// A 1.0 folder, and a history table in drizzle-orm 0.x's shape (no `name` column).
    OldShape,
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Conflict::HashMismatch { tag, created_at, expected_hash, recorded_hash } => write!(
                f,
                "a row with created_at {created_at} (the \"when\" of {tag}) has hash {}… but {tag}.sql hashes to {}…: \
                 the file changed after it was recorded; restore it, or delete that row if the database really lacks it",
                short(recorded_hash),
                short(expected_hash)
            ),
            Conflict::NewerRecorded { tag, when, recorded_created_at, recorded_hash } => write!(
                f,
                "a newer migration is already recorded (created_at {recorded_created_at} > when {when} of {tag}, hash {}…); \
                 drizzle-kit migrate would skip {tag} anyway — is this database managed by another migrations folder?",
                short(recorded_hash)
            ),
            Conflict::NullCreatedAt { recorded_hash } => write!(
                f,
                "a row with hash {}… has created_at NULL, which makes drizzle-kit migrate re-run every migration; \
                 fix or delete that row first",
                short(recorded_hash)
            ),
            Conflict::NameHashMismatch { tag, expected_hash, recorded_hash } => write!(
                f,
                "a row named {tag} has hash {}… but {tag}/migration.sql hashes to {}…: \
                 the file changed after it was recorded; restore it, or delete that row if the database really lacks it",
                short(recorded_hash),
                short(expected_hash)
            ),
            Conflict::OldShape => write!(
                f,
                "the table is drizzle-orm 0.x's (it has no `name` column) and the migrations are drizzle-kit 1.0's; \
                 let drizzle-orm 1.0 upgrade it first (`drizzle-kit migrate` does, matching its rows to the folders), then baseline"
            ),
        }
    }
}

/// Which planned rows to insert and which are already there.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Decision {
    pub insert: Vec<PlannedRow>,
    pub already_applied: Vec<PlannedRow>,
}

/// The conflict rules, independent of the database. Rows are considered in plan order and each
/// inserted row counts for the ones after it, exactly like the SQL of [`plan_sql`]. Rows with a
/// NULL `created_at` are ignored here (their meaning depends on the dialect's NULL ordering).
pub fn decide(plan: &BaselinePlan, existing: &[ExistingRow]) -> Result<Decision, Conflict> {
    if plan.shape == HistoryShape::V1 {
        return decide_by_name(plan, existing);
    }
    let mut known: Vec<(i64, &str)> = existing
        .iter()
        .filter_map(|r| r.created_at.map(|c| (c, r.hash.as_str())))
        .collect();
    let mut decision = Decision::default();
    for row in &plan.rows {
        if known
            .iter()
            .any(|&(c, h)| c == row.created_at && h == row.hash)
        {
            decision.already_applied.push(row.clone());
            continue;
        }
        if let Some(&(_, h)) = known.iter().find(|&&(c, _)| c == row.created_at) {
            return Err(Conflict::HashMismatch {
                tag: row.tag.clone(),
                created_at: row.created_at,
                expected_hash: row.hash.clone(),
                recorded_hash: h.to_owned(),
            });
        }
        if let Some(&(c, h)) = known
            .iter()
            .filter(|&&(c, _)| c > row.created_at)
            .max_by_key(|&&(c, _)| c)
        {
            return Err(Conflict::NewerRecorded {
                tag: row.tag.clone(),
                when: row.created_at,
                recorded_created_at: c,
                recorded_hash: h.to_owned(),
            });
        }
        known.push((row.created_at, &row.hash));
        decision.insert.push(row.clone());
    }
    Ok(decision)
}

/// [`decide`], its conflict as the error refusing to baseline `table`.
fn decide_for(
    plan: &BaselinePlan,
    existing: &[ExistingRow],
    table: &str,
) -> Result<Decision, Error> {
    decide(plan, existing).map_err(|conflict| Error::HistoryConflict {
        table: table.to_string(),
        conflict,
    })
}

/// drizzle-orm 1.0's rule: a folder is applied when a row carries its name; order does not
/// matter (1.0 applies branches' migrations out of order).
fn decide_by_name(plan: &BaselinePlan, existing: &[ExistingRow]) -> Result<Decision, Conflict> {
    let mut decision = Decision::default();
    for row in &plan.rows {
        match existing
            .iter()
            .find(|e| e.name.as_deref() == Some(row.tag.as_str()))
        {
            Some(e) if e.hash == row.hash => decision.already_applied.push(row.clone()),
            Some(e) => {
                return Err(Conflict::NameHashMismatch {
                    tag: row.tag.clone(),
                    expected_hash: row.hash.clone(),
                    recorded_hash: e.hash.clone(),
                })
            }
            None => decision.insert.push(row.clone()),
        }
    }
    Ok(decision)
}

/// What [`apply_postgres`] or [`apply_sqlite`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaselineOutcome {
    /// `schema.table`.
    pub table: String,
    pub inserted: Vec<PlannedRow>,
    pub already_applied: Vec<PlannedRow>,
    /// The rows the table held before (to tell which later migrations it already passes).
    pub existing: Vec<ExistingRow>,
}

impl BaselineOutcome {
    /// True when the run changed nothing ("already baselined").
    pub fn is_noop(&self) -> bool {
        self.inserted.is_empty()
    }
}

/// `"name"` with embedded double quotes doubled.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `'text'` with embedded single quotes doubled (standard_conforming_strings, on since PG 9.1).
fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn create_schema_sql(target: &HistoryTarget) -> String {
    format!(
        "CREATE SCHEMA IF NOT EXISTS {}",
        quote_ident(&target.schema)
    )
}

/// Same DDL as drizzle-orm's PostgreSQL migrator of `shape`, so the table is identical whoever
/// creates it.
fn create_table_sql(target: &HistoryTarget, shape: HistoryShape) -> String {
    let v1 = match shape {
        HistoryShape::V0 => "",
        HistoryShape::V1 => ",\n\tname text,\n\tapplied_at timestamp with time zone DEFAULT now()",
    };
    format!(
        "CREATE TABLE IF NOT EXISTS {} (\n\tid SERIAL PRIMARY KEY,\n\thash text NOT NULL,\n\tcreated_at bigint{v1}\n)",
        target.quoted()
    )
}

/// EXCLUSIVE blocks other writers (a concurrent `drizzle-kit migrate` insert) but not readers, so
/// the conflict check and the insert see one consistent table.
fn lock_table_sql(target: &HistoryTarget) -> String {
    format!("LOCK TABLE {} IN EXCLUSIVE MODE", target.quoted())
}

/// A PL/pgSQL dollar-quote tag that does not occur in `body`.
fn dollar_tag(body: &str) -> String {
    let mut tag = "$drizzle_port$".to_owned();
    let mut n = 0;
    while body.contains(&tag) {
        n += 1;
        tag = format!("$drizzle_port{n}$");
    }
    tag
}

/// The baseline as a psql-runnable script with literal values: the same statements, in the same
/// transaction and order, as [`apply_postgres`] runs with bind parameters. The conflict check that
/// `apply_postgres` does in Rust (to report structured errors) is a `DO` block here that raises,
/// which aborts the transaction just the same.
pub fn plan_sql(plan: &BaselinePlan) -> String {
    let t = &plan.target;
    let table = t.quoted();
    let raise_if = |condition: &str, message: &str| {
        let body = format!(
            "\nBEGIN\n\tIF {condition} THEN\n\t\tRAISE EXCEPTION USING MESSAGE = {};\n\tEND IF;\nEND\n",
            quote_literal(&format!(
                "drizzle-port: refusing to baseline {}: {message}",
                t.display_name()
            ))
        );
        let tag = dollar_tag(&body);
        format!("DO {tag}{body}{tag};\n")
    };
    let guard = match plan.shape {
        HistoryShape::V0 => raise_if(
            &format!("EXISTS (SELECT 1 FROM {table} WHERE \"created_at\" IS NULL)"),
            "a row has created_at NULL, which makes drizzle-kit migrate re-run every migration",
        ),
        HistoryShape::V1 => raise_if(
            &format!(
                "NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = {} AND table_name = {} AND column_name = 'name')",
                quote_literal(&t.schema),
                quote_literal(&t.table)
            ),
            &Conflict::OldShape.to_string(),
        ),
    };
    let setup = format!(
        "BEGIN;\nSELECT pg_advisory_xact_lock({});\n{};\n{};\n{};\n{guard}",
        t.lock_key(),
        create_schema_sql(t),
        create_table_sql(t, plan.shape),
        lock_table_sql(t)
    );
    script(
        plan,
        &table,
        "-- Safe to re-run: rows already present are skipped; a contradicting history aborts.\n",
        &setup,
        |row| {
            let hash = quote_literal(&row.hash);
            let when = row.created_at;
            let body = match plan.shape {
                HistoryShape::V0 => {
                    let msg = quote_literal(&format!(
                        "drizzle-port: refusing to mark {} as applied in {}: a row with created_at >= {when} that is not this migration is already recorded",
                        row.tag,
                        t.display_name()
                    ));
                    format!(
                        "\nBEGIN\n\
                         \tIF NOT EXISTS (SELECT 1 FROM {table} WHERE \"created_at\" = {when} AND \"hash\" = {hash}) THEN\n\
                         \t\tIF EXISTS (SELECT 1 FROM {table} WHERE \"created_at\" >= {when}) THEN\n\
                         \t\t\tRAISE EXCEPTION USING MESSAGE = {msg};\n\
                         \t\tEND IF;\n\
                         \t\tINSERT INTO {table} (\"hash\", \"created_at\") VALUES ({hash}, {when});\n\
                         \tEND IF;\n\
                         END\n"
                    )
                }
                HistoryShape::V1 => {
                    let name = quote_literal(&row.tag);
                    let msg = quote_literal(&format!(
                        "drizzle-port: refusing to mark {} as applied in {}: a row of that name with another hash is already recorded",
                        row.tag,
                        t.display_name()
                    ));
                    format!(
                        "\nBEGIN\n\
                         \tIF NOT EXISTS (SELECT 1 FROM {table} WHERE \"name\" = {name}) THEN\n\
                         \t\tINSERT INTO {table} (\"hash\", \"created_at\", \"name\") VALUES ({hash}, {when}, {name});\n\
                         \tELSIF NOT EXISTS (SELECT 1 FROM {table} WHERE \"name\" = {name} AND \"hash\" = {hash}) THEN\n\
                         \t\tRAISE EXCEPTION USING MESSAGE = {msg};\n\
                         \tEND IF;\n\
                         END\n"
                    )
                }
            };
            let tag = dollar_tag(&body);
            format!("DO {tag}{body}{tag};")
        },
    )
}

/// A baseline script: what it marks, `safety` (what re-running it does), `setup`, then one
/// statement per row under a comment naming its migration, and the commit.
fn script(
    plan: &BaselinePlan,
    table: &str,
    safety: &str,
    setup: &str,
    statement: impl Fn(&PlannedRow) -> String,
) -> String {
    let n = plan.rows.len();
    let mut out = format!(
        "-- drizzle-port baseline: mark {n} migration{} as applied in {table},\n\
         -- so that `drizzle-kit migrate` treats this database as already migrated.\n\
         {safety}{setup}",
        if n == 1 { "" } else { "s" }
    );
    for row in &plan.rows {
        out.push_str(&format!(
            "-- {}\n{}\n",
            row.tag.replace('\n', " "),
            statement(row)
        ));
    }
    out.push_str("COMMIT;\n");
    out
}

/// Records `plan` in PostgreSQL, in one transaction, serialized by an advisory lock.
///
/// Idempotent: rows already present (same `created_at` and hash) are skipped. Refuses, writing
/// nothing, when the table contradicts the plan (see [`Conflict`]).
pub async fn apply_postgres(
    client: &mut tokio_postgres::Client,
    plan: &BaselinePlan,
) -> Result<BaselineOutcome, Error> {
    let t = &plan.target;
    let name = t.display_name();
    let db = |context: &str| {
        let context = format!("{context} {name}");
        move |source| Error::Database { context, source }
    };

    let tx = client
        .transaction()
        .await
        .map_err(db("could not start a transaction for"))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&t.lock_key()])
        .await
        .map_err(db("could not take the baseline lock for"))?;
    tx.batch_execute(&create_schema_sql(t))
        .await
        .map_err(db("could not create the schema of"))?;
    tx.batch_execute(&create_table_sql(t, plan.shape))
        .await
        .map_err(db("could not create"))?;
    tx.batch_execute(&lock_table_sql(t))
        .await
        .map_err(db("could not lock"))?;
    let has_name = tx
        .query_opt(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND column_name = 'name'",
            &[&t.schema, &t.table],
        )
        .await
        .map_err(db("could not read the columns of"))?
        .is_some();
    if plan.shape == HistoryShape::V1 && !has_name {
        return Err(Error::HistoryConflict {
            table: name,
            conflict: Conflict::OldShape,
        });
    }

    // created_at is read as text: drizzle creates it as bigint, but a hand-made table may use
    // numeric, and drizzle itself just applies Number() to whatever comes back.
    let name_column = if has_name { "\"name\"" } else { "NULL::text" };
    let select = format!(
        "SELECT \"hash\", \"created_at\"::text, {name_column} FROM {}",
        t.quoted()
    );
    let rows = tx.query(&select, &[]).await.map_err(db("could not read"))?;
    let mut existing = Vec::with_capacity(rows.len());
    for row in &rows {
        let hash: String = row.try_get(0).map_err(db("unexpected hash column in"))?;
        let created_at: Option<String> = row
            .try_get(1)
            .map_err(db("unexpected created_at column in"))?;
        let row_name: Option<String> = row.try_get(2).map_err(db("unexpected name column in"))?;
        let created_at = match created_at {
            // Only 0.x's migrator orders by created_at (NULL first in PostgreSQL).
            None if plan.shape == HistoryShape::V0 => {
                return Err(Error::HistoryConflict {
                    table: name,
                    conflict: Conflict::NullCreatedAt {
                        recorded_hash: hash,
                    },
                })
            }
            None => None,
            Some(text) => parse_created_at(&text),
        };
        existing.push(ExistingRow {
            hash,
            created_at,
            name: row_name,
        });
    }

    let decision = decide_for(plan, &existing, &name)?;
    let insert = match plan.shape {
        HistoryShape::V0 => format!(
            "INSERT INTO {} (\"hash\", \"created_at\") VALUES ($1, $2)",
            t.quoted()
        ),
        HistoryShape::V1 => format!(
            "INSERT INTO {} (\"hash\", \"created_at\", \"name\") VALUES ($1, $2, $3)",
            t.quoted()
        ),
    };
    for row in &decision.insert {
        let inserted = match plan.shape {
            HistoryShape::V0 => tx.execute(&insert, &[&row.hash, &row.created_at]).await,
            HistoryShape::V1 => {
                tx.execute(&insert, &[&row.hash, &row.created_at, &row.tag])
                    .await
            }
        };
        inserted.map_err(db("could not insert into"))?;
    }
    tx.commit().await.map_err(db("could not commit to"))?;
    Ok(BaselineOutcome {
        table: name,
        inserted: decision.insert,
        already_applied: decision.already_applied,
        existing,
    })
}

/// drizzle-orm's SQLite migrator DDL of `shape` (`SQLiteSyncDialect.migrate` / libsql's
/// `migrate`), so the table is identical whoever creates it. SQLite has no schemas: only
/// `target.table` is used.
fn create_table_sql_sqlite(target: &HistoryTarget, shape: HistoryShape) -> String {
    let columns = match shape {
        HistoryShape::V0 => "id SERIAL PRIMARY KEY,\n\t\t\thash text NOT NULL,\n\t\t\tcreated_at numeric",
        HistoryShape::V1 => "id INTEGER PRIMARY KEY,\n\t\t\t\thash text NOT NULL,\n\t\t\t\tcreated_at numeric,\n\t\t\t\tname text,\n\t\t\t\tapplied_at TEXT",
    };
    format!(
        "CREATE TABLE IF NOT EXISTS {} (\n\t\t\t{columns}\n\t\t)",
        quote_ident(&target.table)
    )
}

/// drizzle-orm 1.0's `applied_at`: `new Date().toISOString()`.
const SQLITE_NOW_ISO: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/// The SQLite baseline as a script (`sqlite3 db < script`, `turso db shell`): one transaction,
/// rows already present skipped. Unlike [`apply_sqlite`] it cannot check for a contradicting
/// history (SQLite has no procedural blocks outside triggers); review the table first.
pub fn plan_sql_sqlite(plan: &BaselinePlan) -> String {
    let table = quote_ident(&plan.target.table);
    script(
        plan,
        &table,
        "-- Safe to re-run: rows already present are skipped. This script does not check for a\n\
         -- contradicting history; `drizzle-port baseline --url` does.\n",
        &format!(
            "BEGIN IMMEDIATE;\n{};\n",
            create_table_sql_sqlite(&plan.target, plan.shape)
        ),
        |row| {
            let hash = quote_literal(&row.hash);
            let when = row.created_at;
            match plan.shape {
                HistoryShape::V0 => format!("INSERT INTO {table} (\"hash\", \"created_at\") SELECT {hash}, {when} WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE \"created_at\" = {when} AND \"hash\" = {hash});"),
                HistoryShape::V1 => {
                    let name = quote_literal(&row.tag);
                    format!("INSERT INTO {table} (\"hash\", \"created_at\", \"name\", \"applied_at\") SELECT {hash}, {when}, {name}, {SQLITE_NOW_ISO} WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE \"name\" = {name});")
                }
            }
        },
    )
}

/// Records `plan` in a SQLite / libSQL database, in one `BEGIN IMMEDIATE` transaction (which
/// takes SQLite's write lock first, so the check and the insert see one table).
///
/// Idempotent: rows already present (same `created_at` and hash) are skipped. Refuses, writing
/// nothing, when the table contradicts the plan (see [`decide`]). Rows with a NULL `created_at`
/// are harmless here: SQLite sorts NULL last in `ORDER BY created_at DESC`.
pub async fn apply_sqlite(
    conn: &libsql::Connection,
    plan: &BaselinePlan,
) -> Result<BaselineOutcome, Error> {
    let name = plan.target.table.clone();
    let table = quote_ident(&name);
    let db = |context: &str| {
        let context = format!("{context} {name}");
        move |e: libsql::Error| Error::Sqlite {
            context,
            message: e.to_string().replace('\n', " "),
        }
    };
    conn.execute("BEGIN IMMEDIATE", ())
        .await
        .map_err(db("could not start a transaction for"))?;
    let result = async {
        conn.execute(&create_table_sql_sqlite(&plan.target, plan.shape), ())
            .await
            .map_err(db("could not create"))?;
        let has_name = conn
            .query(
                "SELECT 1 FROM pragma_table_info(?1) WHERE name = 'name'",
                libsql::params![name.clone()],
            )
            .await
            .map_err(db("could not read the columns of"))?
            .next()
            .await
            .map_err(db("could not read the columns of"))?
            .is_some();
        if plan.shape == HistoryShape::V1 && !has_name {
            return Err(Error::HistoryConflict {
                table: name.clone(),
                conflict: Conflict::OldShape,
            });
        }
        let name_column = if has_name { "\"name\"" } else { "NULL" };
        let select = format!(
            "SELECT \"hash\", CAST(\"created_at\" AS TEXT), {name_column} FROM {table}"
        );
        let mut rows = conn
            .query(&select, ())
            .await
            .map_err(db("could not read"))?;
        let mut existing = Vec::new();
        while let Some(row) = rows.next().await.map_err(db("could not read"))? {
            let hash = match row.get_value(0).map_err(db("could not read"))? {
                libsql::Value::Text(s) => s,
                other => format!("{other:?}"),
            };
            let created_at = match row.get_value(1).map_err(db("could not read"))? {
                libsql::Value::Text(s) => parse_created_at(&s),
                libsql::Value::Integer(n) => Some(n),
                _ => None,
            };
            let row_name = match row.get_value(2).map_err(db("could not read"))? {
                libsql::Value::Text(s) => Some(s),
                _ => None,
            };
            existing.push(ExistingRow {
                hash,
                created_at,
                name: row_name,
            });
        }
        let decision = decide_for(plan, &existing, &name)?;
        for row in &decision.insert {
            let inserted = match plan.shape {
                HistoryShape::V0 => {
                    conn.execute(
                        &format!("INSERT INTO {table} (\"hash\", \"created_at\") VALUES (?1, ?2)"),
                        libsql::params![row.hash.clone(), row.created_at],
                    )
                    .await
                }
                HistoryShape::V1 => {
                    conn.execute(
                        &format!("INSERT INTO {table} (\"hash\", \"created_at\", \"name\", \"applied_at\") VALUES (?1, ?2, ?3, {SQLITE_NOW_ISO})"),
                        libsql::params![row.hash.clone(), row.created_at, row.tag.clone()],
                    )
                    .await
                }
            };
            inserted.map_err(db("could not insert into"))?;
        }
        Ok((decision, existing))
    }
    .await;
    match result {
        Ok((decision, existing)) => {
            conn.execute("COMMIT", ())
                .await
                .map_err(db("could not commit to"))?;
            Ok(BaselineOutcome {
                table: name.clone(),
                inserted: decision.insert,
                already_applied: decision.already_applied,
                existing,
            })
        }
        Err(e) => {
            let _ = conn.execute("ROLLBACK", ()).await;
            Err(e)
        }
    }
}

/// `Number(created_at)` for the values a history table can hold; unparseable text is treated
/// like NULL is by `decide` (ignored), since drizzle's `Number()` would give NaN and never match.
fn parse_created_at(text: &str) -> Option<i64> {
    let text = text.trim();
    text.parse::<i64>().ok().or_else(|| {
        let value = text.parse::<f64>().ok()?;
        // Only whole numbers in i64 range map back exactly; anything else cannot equal a `when`.
        (value.fract() == 0.0 && value.abs() < 9.0e18).then_some(value as i64)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_of(rows: &[(&str, &str, i64)]) -> BaselinePlan {
        BaselinePlan {
            target: HistoryTarget::default(),
            shape: HistoryShape::V0,
            rows: rows
                .iter()
                .map(|&(tag, hash, when)| PlannedRow {
                    tag: tag.into(),
                    hash: hash.into(),
                    created_at: when,
                })
                .collect(),
        }
    }

    fn existing(rows: &[(&str, i64)]) -> Vec<ExistingRow> {
        rows.iter()
            .map(|&(h, c)| ExistingRow {
                hash: h.into(),
                created_at: Some(c),
                name: None,
            })
            .collect()
    }

    #[test]
    fn empty_table_inserts_everything() {
        let p = plan_of(&[("0000_a", "h0", 100), ("0001_b", "h1", 200)]);
        let d = decide(&p, &[]).unwrap();
        assert_eq!(d.insert.len(), 2);
        assert!(d.already_applied.is_empty());
    }

    #[test]
    fn exact_rows_are_skipped_and_older_rows_allowed() {
        let p = plan_of(&[("0000_a", "h0", 100), ("0001_b", "h1", 200)]);
        let d = decide(&p, &existing(&[("old", 50), ("h0", 100)])).unwrap();
        assert_eq!(
            d.already_applied
                .iter()
                .map(|r| r.tag.as_str())
                .collect::<Vec<_>>(),
            ["0000_a"]
        );
        assert_eq!(
            d.insert.iter().map(|r| r.tag.as_str()).collect::<Vec<_>>(),
            ["0001_b"]
        );
        let d = decide(&p, &existing(&[("h0", 100), ("h1", 200)])).unwrap();
        assert!(d.insert.is_empty());
    }

    #[test]
    fn changed_file_is_refused() {
        let p = plan_of(&[("0000_a", "h0", 100)]);
        let err = decide(&p, &existing(&[("other", 100)])).unwrap_err();
        assert!(
            matches!(err, Conflict::HashMismatch { ref recorded_hash, .. } if recorded_hash == "other")
        );
    }

    #[test]
    fn newer_row_is_refused() {
        let p = plan_of(&[("0000_a", "h0", 100)]);
        let err = decide(&p, &existing(&[("x", 101), ("y", 300)])).unwrap_err();
        assert!(
            matches!(
                err,
                Conflict::NewerRecorded {
                    recorded_created_at: 300,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn drizzle_1_decides_by_name_in_any_order() {
        let mut p = plan_of(&[
            ("20240101000000_a", "h0", 1_704_067_200_000),
            ("20240102000000_b", "h1", 1_704_153_600_000),
        ]);
        p.shape = HistoryShape::V1;
        let named = |name: &str, hash: &str, created_at: i64| ExistingRow {
            hash: hash.into(),
            created_at: Some(created_at),
            name: Some(name.into()),
        };
        // A newer row does not stop an older folder (1.0 applies branches out of order).
        let d = decide(&p, &[named("20250101000000_z", "hz", 1_735_689_600_000)]).unwrap();
        assert_eq!(d.insert.len(), 2);
        let d = decide(&p, &[named("20240101000000_a", "h0", 0)]).unwrap();
        assert_eq!(d.already_applied.len(), 1);
        assert_eq!(d.insert[0].tag, "20240102000000_b");
        let err = decide(&p, &[named("20240101000000_a", "other", 0)]).unwrap_err();
        assert!(matches!(err, Conflict::NameHashMismatch { .. }), "{err}");
        let sql = plan_sql(&p);
        assert!(sql.contains("name text,\n\tapplied_at timestamp with time zone DEFAULT now()"));
        assert!(
            sql.contains("VALUES ('h0', 1704067200000, '20240101000000_a')"),
            "{sql}"
        );
        let sql = plan_sql_sqlite(&p);
        assert!(sql.contains("id INTEGER PRIMARY KEY"), "{sql}");
        assert!(sql.contains("WHERE \"name\" = '20240102000000_b'"), "{sql}");
    }

    #[test]
    fn identifiers_are_quoted() {
        let t = HistoryTarget {
            schema: "my\"schema".into(),
            table: "hist ory".into(),
        };
        assert_eq!(t.quoted(), "\"my\"\"schema\".\"hist ory\"");
        assert_ne!(t.lock_key(), HistoryTarget::default().lock_key());
    }

    #[test]
    fn script_contains_the_statements_with_literals() {
        let mut p = plan_of(&[("0000_a", "ab'c", 1_795_768_885_602)]);
        p.target.table = "t$drizzle_port$".into();
        let sql = plan_sql(&p);
        assert!(sql.starts_with("-- drizzle-port baseline"));
        assert!(sql.contains("CREATE SCHEMA IF NOT EXISTS \"drizzle\";\n"));
        assert!(sql.contains(
            "CREATE TABLE IF NOT EXISTS \"drizzle\".\"t$drizzle_port$\" (\n\tid SERIAL PRIMARY KEY,\n\thash text NOT NULL,\n\tcreated_at bigint\n);\n"
        ));
        assert!(sql.contains("VALUES ('ab''c', 1795768885602);"));
        assert!(sql.contains("DO $drizzle_port1$"), "{sql}");
        assert!(sql.trim_end().ends_with("COMMIT;"));
    }

    #[test]
    fn created_at_text_forms() {
        assert_eq!(parse_created_at("1795768885602"), Some(1_795_768_885_602));
        assert_eq!(
            parse_created_at("1795768885602.000"),
            Some(1_795_768_885_602)
        );
        assert_eq!(parse_created_at("1.5"), None);
        assert_eq!(parse_created_at("abc"), None);
    }
}
