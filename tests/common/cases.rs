//! Conformance cases: our own `samples/`, and `shared/probes` and `shared/corpus` when present.
//! Each case is a Prisma schema (file or folder) and Prisma's own `expected.sql` for it.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use super::shared::shared_dir;

#[derive(Debug, Clone)]
pub struct Case {
    /// `samples/pg_blog`, `probes/pg_basic`, `corpus/umami`.
    pub name: String,
    pub schema: PathBuf,
    pub expected_sql: PathBuf,
    pub provider: String,
}

fn provider_of(schema: &Path) -> String {
    let mut text = String::new();
    if schema.is_dir() {
        let mut stack = vec![schema.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for e in fs::read_dir(&dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "prisma") {
                    text.push_str(&fs::read_to_string(&p).unwrap_or_default());
                }
            }
        }
    } else {
        text = fs::read_to_string(schema).unwrap_or_default();
    }
    if text.contains("\"sqlite\"") {
        "sqlite".into()
    } else {
        "postgresql".into()
    }
}

fn schema_in(dir: &Path) -> Option<PathBuf> {
    for name in ["schema", "schema.prisma", "schema.full.prisma"] {
        let p = dir.join(name);
        if p.exists() {
            return Some(p);
        }
    }
    None
}

/// Every case for `provider` ("postgresql" or "sqlite"), sorted by name. `DRIZZLE_PORT_CASES` (a
/// comma-separated list of substrings) narrows the set while debugging.
pub fn cases(provider: &str) -> Vec<Case> {
    let mut out = Vec::new();
    let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples");
    for e in fs::read_dir(&samples).into_iter().flatten().flatten() {
        let dir = e.path();
        if let Some(schema) = schema_in(&dir) {
            out.push(Case {
                name: format!("samples/{}", e.file_name().to_string_lossy()),
                provider: provider_of(&schema),
                schema,
                expected_sql: dir.join("expected.sql"),
            });
        }
    }
    if let Some(shared) = shared_dir() {
        shared_cases(&shared, &mut out);
    }
    let filter: Vec<String> = std::env::var("DRIZZLE_PORT_CASES")
        .map(|v| {
            v.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    out.retain(|c| {
        c.provider == provider && (filter.is_empty() || filter.iter().any(|f| c.name.contains(f)))
    });
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The probes (`probes/<stem>.prisma` or a folder, beside `<stem>.expected.sql`) and the corpus
/// (`corpus/<name>/` with a schema and `expected.sql`) of the shared folder.
fn shared_cases(shared: &Path, out: &mut Vec<Case>) {
    let probes = shared.join("probes");
    for e in fs::read_dir(&probes).into_iter().flatten().flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        let stem = name.trim_end_matches(".prisma").to_string();
        let is_schema = p.extension().is_some_and(|x| x == "prisma") || p.is_dir();
        if !is_schema {
            continue;
        }
        let expected = probes.join(format!("{stem}.expected.sql"));
        if expected.exists() {
            out.push(Case {
                name: format!("probes/{stem}"),
                provider: provider_of(&p),
                schema: p,
                expected_sql: expected,
            });
        }
    }
    for e in fs::read_dir(shared.join("corpus"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let dir = e.path();
        let Some(schema) = schema_in(&dir) else {
            continue;
        };
        out.push(Case {
            name: format!("corpus/{}", e.file_name().to_string_lossy()),
            provider: provider_of(&schema),
            schema,
            expected_sql: dir.join("expected.sql"),
        });
    }
}

/// The extensions Prisma's DDL for `schema` uses without creating them (implied by a type, an
/// operator class …; declared ones are in Prisma's DDL), as real projects create them by hand
/// before their Prisma migrations. Only the source database gets them: our output must create
/// them itself.
pub fn extensions_prelude(schema: &Path) -> Result<String, String> {
    let model = drizzle_port::prisma::load(schema).map_err(|e| e.to_string())?;
    Ok(
        drizzle_port::render::extensions::required_extensions(&model)
            .iter()
            .filter(|r| r.implied_by.is_some())
            .map(|r| drizzle_port::render::pg::sql::create_extension(&r.extension))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// drizzle-kit's statements with every foreign key moved after the indexes: drizzle-kit 0.31
/// adds foreign keys first, which fails when one references a column unique through an index
/// (what Prisma creates).
pub fn indexes_before_foreign_keys(sql: &str) -> String {
    let statements: Vec<&str> = sql.split("--> statement-breakpoint").collect();
    let (fks, rest): (Vec<&str>, Vec<&str>) =
        statements.iter().partition(|s| s.contains("FOREIGN KEY"));
    rest.into_iter()
        .chain(fks)
        .collect::<Vec<_>>()
        .join("--> statement-breakpoint")
}

/// Runs `check` on every case and fails once at the end, listing each failed case with its
/// message cut by `shorten`, so one broken case never hides the others.
pub fn for_every_case(
    all: &[Case],
    shorten: impl Fn(&str) -> String,
    mut check: impl FnMut(&Case) -> Result<(), String>,
) {
    let failures: Vec<String> = all
        .iter()
        .filter_map(|case| {
            check(case)
                .err()
                .map(|e| format!("{}: {}", case.name, shorten(&e)))
        })
        .collect();
    if !failures.is_empty() {
        panic!(
            "{} of {} cases failed:\n\n{}",
            failures.len(),
            all.len(),
            failures.join("\n\n")
        );
    }
    eprintln!("{} cases passed", all.len());
}

/// A failure message cut to its first 6,000 characters.
pub fn shortened(e: &str) -> String {
    e.chars().take(6000).collect()
}

/// Lines only in `a` (`- line`) or only in `b` (`+ line`): how two catalog listings differ.
pub fn line_diff(a: &str, b: &str) -> Vec<String> {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let mut out: Vec<String> = a
        .iter()
        .filter(|l| !b.contains(l))
        .map(|l| format!("- {l}"))
        .collect();
    out.extend(
        b.iter()
            .filter(|l| !a.contains(l))
            .map(|l| format!("+ {l}")),
    );
    out
}
