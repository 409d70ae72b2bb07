//! Rendered output of every bundled sample, reviewed as insta snapshots kept beside the sample
//! (`samples/<case>/snapshots/`). A change in what we emit shows up as a readable diff.

use std::path::Path;

use drizzle_port::migrate::render_project;
use drizzle_port::render::RenderOptions;

#[test]
fn rendered_samples() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut cases: Vec<_> = std::fs::read_dir(&samples)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("expected.sql").exists())
        .collect();
    cases.sort();
    let options = RenderOptions {
        name: "baseline".into(),
        when_ms: 1_700_000_000_000,
        snapshot_id: "00000000-0000-4000-8000-000000000000".into(),
        flavour: drizzle_port::render::Flavour::default(),
    };
    for case in cases {
        let schema_path = if case.join("schema").is_dir() {
            case.join("schema")
        } else {
            case.join("schema.prisma")
        };
        let schema = drizzle_port::prisma::load(&schema_path)
            .unwrap_or_else(|e| panic!("{}: {e}", case.display()));
        let Ok(project) = render_project(&schema, &options) else {
            continue;
        };
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(case.join("snapshots"));
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| {
            for (file, text) in &project.files {
                if file.ends_with(".ts") || file.ends_with(".sql") {
                    insta::assert_snapshot!(file.replace('/', "_"), text);
                }
            }
        });
    }
}
