//! Arbitrary bytes (lossy UTF-8) as a model YAML: reading it never panics and never takes long
//! (nesting is capped before parsing), and a model that reads renders without panicking.
#![no_main]

use drizzle_port::model::Schema;
use drizzle_port::migrate::render_project;
use drizzle_port::render::RenderOptions;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(schema) = Schema::from_yaml(&text) {
        let options = RenderOptions {
            name: "fuzz".into(),
            when_ms: 0,
            snapshot_id: "00000000-0000-4000-8000-000000000000".into(),
            flavour: drizzle_port::render::Flavour::default(),
        };
        let _ = render_project(&schema, &options);
    }
});
