//! `drizzle.config.{ts,mts,cts,js,mjs,cjs,json}`: the settings drizzle-port shares with drizzle-kit.

use std::path::{Path, PathBuf};

use super::js::{self, Node};
use super::{ConfigError, Field, Text};

/// File names drizzle-kit and drizzle-port look for in the project root, in order.
pub const NAMES: [&str; 7] = [
    "drizzle.config.ts",
    "drizzle.config.mts",
    "drizzle.config.cts",
    "drizzle.config.js",
    "drizzle.config.mjs",
    "drizzle.config.cjs",
    "drizzle.config.json",
];

/// What a drizzle.config says, each setting as written (paths relative to the config's folder).
#[derive(Debug, Default)]
pub struct DrizzleConfig {
    pub path: PathBuf,
    pub dialect: Field<String>,
    pub schema: Field<Vec<String>>,
    pub out: Field<String>,
    /// `dbCredentials.url` (or the pre-0.21 `connectionString`).
    pub url: Field<Text>,
    pub auth_token: Field<Text>,
    pub migrations_table: Field<String>,
    pub migrations_schema: Field<String>,
    pub schema_filter: Field<Vec<String>>,
    pub tables_filter: Field<Vec<String>>,
    pub casing: Field<String>,
}

impl DrizzleConfig {
    /// The folder paths in the config are relative to.
    pub fn dir(&self) -> PathBuf {
        self.path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    }

    /// `out` as a path usable from the working directory.
    pub fn out_path(&self, flag: &str) -> Result<Option<PathBuf>, ConfigError> {
        Ok(self
            .out
            .get(flag)?
            .map(|o| super::join_clean(&self.dir(), Path::new(&o))))
    }
}

/// The config in `root`, if there is one.
pub fn find(root: &Path) -> Option<PathBuf> {
    NAMES.iter().map(|n| root.join(n)).find(|p| p.is_file())
}

/// Reads and statically evaluates a drizzle.config.
pub fn load(path: &Path) -> Result<DrizzleConfig, ConfigError> {
    let text = crate::input::read_text(path).map_err(|e| ConfigError::Read {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })?;
    parse(path, &text)
}

/// [`load`] on text already read (`path` names it and decides JSON or TypeScript).
pub fn parse(path: &Path, text: &str) -> Result<DrizzleConfig, ConfigError> {
    let root = if path.extension().is_some_and(|e| e == "json") {
        // JSON is a subset of an object literal: parse it as one expression statement.
        js::evaluate(
            &path.with_extension("json.ts"),
            &format!("export default {text}"),
        )
        .map_err(|e| relabel(e, path))?
    } else {
        js::evaluate(path, text)?
    };
    from_node(path, &root)
}

fn relabel(e: ConfigError, path: &Path) -> ConfigError {
    let fix = |s: String| s.replacen(".json.ts", ".json", 1);
    let _ = path;
    match e {
        ConfigError::Syntax { location, message } => ConfigError::Syntax {
            location: fix(location),
            message,
        },
        ConfigError::Shape { location, message } => ConfigError::Shape {
            location: fix(location),
            message,
        },
        other => other,
    }
}

fn from_node(path: &Path, root: &Node) -> Result<DrizzleConfig, ConfigError> {
    let mut url = js::text_field(root, "dbCredentials.url")?;
    if url.is_absent() {
        url = js::text_field(root, "dbCredentials.connectionString")?;
    }
    if url.is_absent() {
        // Host/user/password credentials: drizzle-port needs one URL, and guessing one from parts
        // (or ignoring them for DATABASE_URL) would connect somewhere else silently.
        if let Some(creds) = root
            .get("dbCredentials")
            .filter(|c| c.get("host").is_some())
        {
            url = Field::Dynamic {
                location: creds.location.clone(),
                key: "dbCredentials".into(),
                expr: "{ host, user, password, database }".into(),
            };
        }
    }
    let mut dialect = js::string_field(root, "dialect")?;
    if dialect.is_absent() {
        // Pre-0.21 `driver: "pg"` still appears in real repositories.
        if let Field::Set(d) = js::string_field(root, "driver")? {
            dialect = Field::Set(match d.as_str() {
                "pg" => "postgresql".to_owned(),
                "libsql" | "turso" => "turso".to_owned(),
                other => other.to_owned(),
            });
        }
    }
    Ok(DrizzleConfig {
        path: path.to_path_buf(),
        dialect,
        schema: js::strings_field(root, "schema")?,
        out: js::string_field(root, "out")?,
        url,
        auth_token: js::text_field(root, "dbCredentials.authToken")?,
        migrations_table: js::string_field(root, "migrations.table")?,
        migrations_schema: js::string_field(root, "migrations.schema")?,
        schema_filter: js::strings_field(root, "schemaFilter")?,
        tables_filter: js::strings_field(root, "tablesFilter")?,
        casing: js::string_field(root, "casing")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_const_and_host_credentials() {
        let text = "import type { Config } from \"drizzle-kit\";\nconst config: Config = {\n  out: \"./x\",\n  dbCredentials: { host: \"db\", user: \"u\", database: \"d\" },\n};\nexport default config;\n";
        let node = js::evaluate(Path::new("drizzle.config.ts"), text).unwrap();
        let c = from_node(Path::new("drizzle.config.ts"), &node).unwrap();
        assert_eq!(c.out.get("").unwrap().as_deref(), Some("./x"));
        let err = c.url.get("--url URL").unwrap_err().to_string();
        assert!(
            err.contains("drizzle.config.ts:4:18") && err.contains("--url URL"),
            "{err}"
        );
    }

    #[test]
    fn reads_json_config() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("drizzle.config.json");
        std::fs::write(
            &path,
            r#"{ "dialect": "postgresql", "out": "./m", "schemaFilter": ["a", "b"] }"#,
        )
        .unwrap();
        let c = load(&path).unwrap();
        assert_eq!(c.out.get("").unwrap().as_deref(), Some("./m"));
        assert_eq!(
            c.schema_filter.get("").unwrap(),
            Some(vec!["a".to_string(), "b".to_string()])
        );
    }
}

#[cfg(test)]
mod render_tests {
    use super::*;
    use crate::render::drizzle_config::{render_drizzle_config, DrizzleConfigSettings};

    #[test]
    fn renders_and_reads_back() {
        let text = render_drizzle_config(&DrizzleConfigSettings {
            dialect: "postgresql".into(),
            schema: "./drizzle/schema.ts".into(),
            out: "./drizzle".into(),
            url_var: "POSTGRES_URL".into(),
            token_var: None,
            schema_filter: vec!["public".into(), "billing".into()],
            migrations_table: Some("h".into()),
            migrations_schema: None,
        });
        let node = js::evaluate(Path::new("drizzle.config.ts"), &text).unwrap();
        let c = from_node(Path::new("drizzle.config.ts"), &node).unwrap();
        assert_eq!(
            c.out.get("").unwrap().as_deref(),
            Some("./drizzle"),
            "{text}"
        );
        assert_eq!(
            c.url.get("").unwrap().unwrap().env_names(),
            vec!["POSTGRES_URL"]
        );
        assert_eq!(c.schema_filter.get("").unwrap().unwrap().len(), 2, "{text}");
        assert_eq!(
            c.migrations_table.get("").unwrap().as_deref(),
            Some("h"),
            "{text}"
        );
        assert!(c.migrations_schema.is_absent(), "{text}");
    }
}
