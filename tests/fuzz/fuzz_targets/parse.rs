//! Arbitrary bytes (read as lossy UTF-8) through parse + validate + plain rendering: nothing may
//! panic, and every diagnostic span must lie inside the file on char boundaries.
#![no_main]

use drizzle_port::prisma::diagnostics::SchemaErrors;
use drizzle_port::prisma::parse::parse;
use drizzle_port::prisma::validate::validate;
use drizzle_port::prisma::SourceSet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let sources = SourceSet::from_str("fuzz.prisma", text);
    let (ast, mut diagnostics) = parse(&sources);
    diagnostics.extend(validate(&ast, &sources));
    let text = &sources.files[0].text;
    for d in diagnostics.iter() {
        assert_eq!(d.span.file, 0);
        assert!(
            d.span.start <= d.span.end && d.span.end <= text.len(),
            "{d:?}"
        );
        assert!(
            text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end),
            "{d:?}"
        );
    }
    let _ = SchemaErrors::new(&diagnostics, &sources).render_plain();
});
