//! drizzle-kit 1.0's name for a SQLite declared type. Its introspection reads `DATETIME` back as
//! `numeric` and `BIGINT` as `integer`, and its `push` compares those names, so the 1.0 flavour
//! declares them in `schema.ts` (our migration keeps the declared type) and `compare` takes a
//! folder's name and the declared type it stands for as the same.

/// The name drizzle-kit 1.0's SQLite introspection gives a declared type (its `sqlTypeFrom`):
/// by prefix, `integer`, `text` (with its length), `blob`, `real` or `numeric`; anything else as
/// declared.
pub fn drizzle_1_name(declared: &str) -> String {
    let lowered = declared.to_ascii_lowercase();
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| lowered.starts_with(p));
    if starts(&[
        "int",
        "tinyint",
        "smallint",
        "mediumint",
        "bigint",
        "unsigned big int",
    ]) {
        "integer".into()
    } else if starts(&[
        "character",
        "varchar",
        "varying character",
        "national varying character",
        "nchar",
        "native character",
        "nvarchar",
        "text",
        "clob",
    ]) {
        let digits: String = lowered
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(char::is_ascii_digit)
            .collect();
        if digits.is_empty() {
            "text".into()
        } else {
            format!("text({digits})")
        }
    } else if starts(&["blob"]) {
        "blob".into()
    } else if starts(&["real", "double", "double precision", "float"]) {
        "real".into()
    } else if starts(&["numeric", "decimal", "boolean", "date", "datetime"]) {
        "numeric".into()
    } else {
        declared.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_drizzle_kit_1_reads_them() {
        for (declared, name) in [
            ("DATETIME", "numeric"),
            ("BOOLEAN", "numeric"),
            ("DECIMAL", "numeric"),
            ("BIGINT", "integer"),
            ("INTEGER", "integer"),
            ("VARCHAR(20)", "text(20)"),
            ("TEXT", "text"),
            ("DOUBLE PRECISION", "real"),
            ("BLOB", "blob"),
            ("JSONB", "JSONB"),
        ] {
            assert_eq!(drizzle_1_name(declared), name, "{declared}");
        }
    }
}
