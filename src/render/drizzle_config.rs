//! `drizzle.config.ts` for a converted output, from plain settings (the command line decides
//! them). Every literal is escaped here; the template only fills in.

use askama::Template;

/// What a written `drizzle.config.ts` says.
#[derive(Debug, Clone)]
pub struct DrizzleConfigSettings {
    pub dialect: String,
    /// `./drizzle/schema.ts`, relative to the config.
    pub schema: String,
    pub out: String,
    /// The variable holding the URL (`DATABASE_URL`, the Prisma datasource's `directUrl` one…).
    pub url_var: String,
    pub token_var: Option<String>,
    /// Every database schema the output uses, when that is more than `public`.
    pub schema_filter: Vec<String>,
    /// Set only when not drizzle-kit's defaults.
    pub migrations_table: Option<String>,
    pub migrations_schema: Option<String>,
}

#[derive(Template)]
#[template(path = "drizzle.config.ts.txt", escape = "none")]
struct DrizzleConfigTs<'a> {
    dialect: String,
    schema: String,
    out: String,
    url_var: &'a str,
    token_var: Option<&'a str>,
    /// The schemas as an array body (`"public", "billing"`), empty for none.
    schema_filter: String,
    migrations_table: Option<String>,
    migrations_schema: Option<String>,
}

/// A JSON string literal with `<`, `>`, `&` and `'` escaped too (askama's `json` filter).
fn literal(text: &str) -> String {
    match askama::filters::json(text) {
        Ok(json) => json.to_string(),
        Err(never) => match never {},
    }
}

/// The file text, ending with a newline.
pub fn render_drizzle_config(settings: &DrizzleConfigSettings) -> String {
    let view = DrizzleConfigTs {
        dialect: literal(&settings.dialect),
        schema: literal(&settings.schema),
        out: literal(&settings.out),
        url_var: &settings.url_var,
        token_var: settings.token_var.as_deref(),
        schema_filter: settings
            .schema_filter
            .iter()
            .map(|s| literal(s))
            .collect::<Vec<_>>()
            .join(", "),
        migrations_table: settings.migrations_table.as_deref().map(literal),
        migrations_schema: settings.migrations_schema.as_deref().map(literal),
    };
    let mut text = view.render().unwrap_or_default();
    // askama drops the template's final newline; files end with one.
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turso_config_has_the_token() {
        let text = render_drizzle_config(&DrizzleConfigSettings {
            dialect: "turso".into(),
            schema: "./drizzle/schema.ts".into(),
            out: "./drizzle".into(),
            url_var: "TURSO_DATABASE_URL".into(),
            token_var: Some("TURSO_AUTH_TOKEN".into()),
            schema_filter: Vec::new(),
            migrations_table: None,
            migrations_schema: None,
        });
        assert!(
            text.contains("    authToken: process.env.TURSO_AUTH_TOKEN,\n  },\n});\n"),
            "{text}"
        );
        assert!(
            !text.contains("schemaFilter") && !text.contains("migrations"),
            "{text}"
        );
    }

    #[test]
    fn literals_are_escaped_for_html_too() {
        assert_eq!(literal("./a'b<c>&"), r#""./a\u0027b\u003cc\u003e\u0026""#);
    }
}
