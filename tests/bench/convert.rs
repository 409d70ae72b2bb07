//! `cargo bench`: parse + lower + render time and peak memory (release build), printed, not
//! asserted. Targets: civitai corpus schema ≤ 50 ms, a generated 5,000-model schema ≤ 500 ms.
//!
//! Each scenario runs in its own child process so its peak RSS (VmHWM) is its own.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use drizzle_port::migrate::render_project;
use drizzle_port::prisma::{lower_sources, SourceSet};
use drizzle_port::render::RenderOptions;

fn shared_dir() -> PathBuf {
    match std::env::var_os("DRIZZLE_PORT_SHARED") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join("shared"),
    }
}

/// A synthetic schema: `n` models, each with 12 scalar fields, an enum, an index, a unique and a
/// relation to the previous model; every tenth pair also shares an implicit many-to-many.
fn synthetic_schema(n: usize) -> String {
    let mut s = String::from("datasource db {\n  provider = \"postgresql\"\n}\n\nenum Status {\n  DRAFT\n  ACTIVE\n  ARCHIVED\n}\n");
    for i in 0..n {
        s.push_str(&format!("\n/// Model number {i}.\nmodel M{i} {{\n"));
        s.push_str("  id        Int      @id @default(autoincrement())\n");
        s.push_str("  name      String   @db.VarChar(255)\n");
        s.push_str("  email     String   @unique\n");
        s.push_str("  price     Decimal  @default(0) @db.Decimal(12, 2)\n");
        s.push_str("  qty       Int      @default(1)\n");
        s.push_str("  big       BigInt?\n");
        s.push_str("  ratio     Float?\n");
        s.push_str("  flag      Boolean  @default(false)\n");
        s.push_str("  createdAt DateTime @default(now())\n");
        s.push_str("  updatedAt DateTime @updatedAt\n");
        s.push_str("  payload   Json?\n");
        s.push_str("  tags      String[]\n");
        s.push_str("  ext       String   @default(uuid()) @db.Uuid\n");
        s.push_str("  state     Status   @default(DRAFT)\n");
        if i > 0 {
            s.push_str(&format!("  parentId  Int?\n  parent    M{}?     @relation(\"P{i}\", fields: [parentId], references: [id], onDelete: Cascade)\n", i - 1));
        }
        if i + 1 < n {
            s.push_str(&format!(
                "  children  M{}[]    @relation(\"P{}\")\n",
                i + 1,
                i + 1
            ));
        }
        if i % 10 == 0 && i + 1 < n {
            s.push_str(&format!(
                "  peers     M{}[]    @relation(\"Peers{i}\")\n",
                i + 1
            ));
        }
        if i % 10 == 1 {
            s.push_str(&format!(
                "  peerOf    M{}[]    @relation(\"Peers{}\")\n",
                i - 1,
                i - 1
            ));
        }
        s.push_str("\n  @@index([name, createdAt(sort: Desc)])\n}\n");
    }
    s
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.to_string())
        })
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

/// Runs one scenario in this process and prints its figures.
fn scenario(name: &str, sources: &SourceSet, target_ms: u64) {
    let options = RenderOptions {
        name: "baseline".into(),
        when_ms: 0,
        snapshot_id: "bench".into(),
        flavour: drizzle_port::render::Flavour::default(),
    };
    let once = || {
        let schema = lower_sources(sources).expect("schema lowers");
        render_project(&schema, &options).expect("renders")
    };
    let project = once(); // warm-up
    let tables = project.files[0].1.matches("Table(\"").count()
        + project.files[0].1.matches(".table(\"").count();
    let runs = 10;
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(once());
            start.elapsed()
        })
        .collect();
    times.sort();
    let median = times[runs / 2];
    // One more run, phase by phase.
    let t = Instant::now();
    let (ast, _) = drizzle_port::prisma::parse::parse(sources);
    let parse = t.elapsed();
    let t = Instant::now();
    std::hint::black_box(drizzle_port::prisma::validate::validate(&ast, sources));
    let validate = t.elapsed();
    let t = Instant::now();
    let schema = drizzle_port::prisma::lower::lower(&ast).expect("lowers");
    let lower = t.elapsed();
    let t = Instant::now();
    std::hint::black_box(render_project(&schema, &options).expect("renders"));
    let render = t.elapsed();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    use drizzle_port::render::names::Naming;
    use drizzle_port::render::pg::{plan, schema_ts, snapshot, sql};
    use drizzle_port::render::{plan::custom_types, relations, snapshot::to_js_json};
    let t = Instant::now();
    let plans = plan::plan_tables(&schema);
    let view_plans = plan::plan_views(&schema);
    let builders = plans
        .iter()
        .chain(&view_plans)
        .flatten()
        .map(|p| &p.builder);
    let naming = Naming::new(&schema, schema_ts::CORE_NAMES, &custom_types(builders));
    let t_naming = t.elapsed();
    let t = Instant::now();
    std::hint::black_box(schema_ts::render_schema_ts(
        &schema,
        &naming,
        &plans,
        &view_plans,
        options.flavour,
    ));
    let t_schema_ts = t.elapsed();
    let t = Instant::now();
    std::hint::black_box(relations::render_relations_ts(
        &schema,
        &naming,
        options.flavour,
    ));
    let t_relations = t.elapsed();
    let t = Instant::now();
    std::hint::black_box(sql::migration_sql(&schema, &plans, &[]));
    let t_sql = t.elapsed();
    let t = Instant::now();
    let snap = snapshot::pg_snapshot(&schema, &plans, &[], &[], "x", options.flavour);
    let t_snap = t.elapsed();
    let t = Instant::now();
    std::hint::black_box(to_js_json(&snap));
    let t_json = t.elapsed();
    println!(
        "  render: naming {:.1} ms, schema.ts {:.1} ms, relations.ts {:.1} ms, sql {:.1} ms, snapshot {:.1} + {:.1} ms",
        ms(t_naming),
        ms(t_schema_ts),
        ms(t_relations),
        ms(t_sql),
        ms(t_snap),
        ms(t_json)
    );
    println!(
        "  phases: parse {:.1} ms, validate {:.1} ms, lower {:.1} ms, render {:.1} ms",
        ms(parse),
        ms(validate),
        ms(lower),
        ms(render)
    );
    let bytes: usize = project.files.iter().map(|(_, t)| t.len()).sum();
    println!(
        "{name}: parse+lower+render median {:.1} ms (min {:.1} ms, {runs} runs; target {target_ms} ms: {}), {tables} tables, {} KiB written, peak RSS {} MiB",
        median.as_secs_f64() * 1000.0,
        times[0].as_secs_f64() * 1000.0,
        if median.as_millis() as u64 <= target_ms { "met" } else { "MISSED" },
        bytes / 1024,
        peak_rss_kib() / 1024,
    );
}

fn main() {
    // Child mode: `convert <scenario>`.
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--scenario") {
        match args.get(pos + 1).map(String::as_str) {
            Some("civitai") => {
                let path = shared_dir().join("corpus/civitai/schema.full.prisma");
                let sources = SourceSet::load(&path).expect("civitai schema");
                scenario("civitai (corpus)", &sources, 50);
            }
            Some("synthetic") => {
                let sources = SourceSet::from_str("synthetic.prisma", synthetic_schema(5000));
                scenario("synthetic 5,000 models", &sources, 500);
            }
            other => panic!("unknown scenario {other:?}"),
        }
        return;
    }
    let exe = std::env::current_exe().expect("bench executable");
    let mut list = vec!["synthetic"];
    if shared_dir()
        .join("corpus/civitai/schema.full.prisma")
        .exists()
    {
        list.insert(0, "civitai");
    } else {
        println!("civitai: skipped (shared corpus not found; set DRIZZLE_PORT_SHARED)");
    }
    for s in list {
        let status = Command::new(&exe)
            .args(["--scenario", s])
            .status()
            .expect("run scenario");
        assert!(status.success(), "scenario {s} failed");
    }
}
