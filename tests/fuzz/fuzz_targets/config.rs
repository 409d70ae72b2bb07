//! Arbitrary bytes (lossy UTF-8) as a drizzle.config (TypeScript and JSON) and a prisma.config:
//! the static reader never panics and never loops, whatever the file holds.
#![no_main]

use std::path::Path;

use drizzle_port::config::{drizzle, prisma};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = drizzle::parse(Path::new("drizzle.config.ts"), &text);
    let _ = drizzle::parse(Path::new("drizzle.config.json"), &text);
    let _ = prisma::parse(Path::new("prisma.config.ts"), &text);
});
