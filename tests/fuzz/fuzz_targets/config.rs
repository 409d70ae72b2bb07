//! Arbitrary bytes (lossy UTF-8) as a drizzle.config (TypeScript and JSON) and a prisma.config:
//! the static reader never panics and never loops, whatever the file holds.
#![no_main]

use std::path::Path;

use drizzle_port::config::{drizzle, prisma};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The reader catches a panic of the TypeScript parser (and reports a syntax error), as the
    // CLI's hook does: only a panic it does not catch may reach libFuzzer's aborting hook.
    static QUIET_WHILE_CAUGHT: std::sync::Once = std::sync::Once::new();
    QUIET_WHILE_CAUGHT.call_once(|| {
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !drizzle_port::config::js::parsing_untrusted() {
                fuzzer_hook(info);
            }
        }));
    });
    let text = String::from_utf8_lossy(data);
    let _ = drizzle::parse(Path::new("drizzle.config.ts"), &text);
    let _ = drizzle::parse(Path::new("drizzle.config.json"), &text);
    let _ = prisma::parse(Path::new("prisma.config.ts"), &text);
});
