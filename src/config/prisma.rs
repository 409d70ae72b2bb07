//! Where Prisma keeps things: `prisma.config.*` (`schema`, `migrations.path`, `datasource.url` /
//! `directUrl`), `package.json` `"prisma": { "schema" }`, and the schema's `datasource`
//! `url` / `directUrl` (`env("X")` names).

use std::path::{Path, PathBuf};

use super::js;
use super::{ConfigError, Field, Part, Text};

/// Config file names in Prisma 7's lookup order (relative to the project root).
const NAMES: [&str; 18] = [
    "prisma7.config.ts",
    "prisma7.config.mts",
    "prisma7.config.cts",
    "prisma7.config.js",
    "prisma7.config.mjs",
    "prisma7.config.cjs",
    ".config/prisma7.ts",
    ".config/prisma7.js",
    "prisma.config.ts",
    "prisma.config.mts",
    "prisma.config.cts",
    "prisma.config.js",
    "prisma.config.mjs",
    "prisma.config.cjs",
    ".config/prisma.ts",
    ".config/prisma.mts",
    ".config/prisma.js",
    ".config/prisma.mjs",
];

#[derive(Debug, Default)]
pub struct PrismaConfig {
    pub path: PathBuf,
    /// Already joined with the config's folder.
    pub schema: Field<PathBuf>,
    pub migrations_path: Field<PathBuf>,
    pub url: Field<Text>,
    pub direct_url: Field<Text>,
}

pub fn find(root: &Path) -> Option<PathBuf> {
    NAMES.iter().map(|n| root.join(n)).find(|p| p.is_file())
}

pub fn load(path: &Path) -> Result<PrismaConfig, ConfigError> {
    let text = crate::input::read_text(path).map_err(|e| ConfigError::Read {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })?;
    parse(path, &text)
}

/// [`load`] on text already read.
pub fn parse(path: &Path, text: &str) -> Result<PrismaConfig, ConfigError> {
    let root = js::evaluate(path, text)?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    // `.config/prisma.ts` paths are relative to the project root, not to `.config/`.
    let base = if dir.file_name().is_some_and(|n| n == ".config") {
        dir.parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    } else {
        dir
    };
    let path_field = |key: &str| -> Result<Field<PathBuf>, ConfigError> {
        Ok(js::string_field(&root, key)?.map(|s| super::join_clean(&base, Path::new(&s))))
    };
    Ok(PrismaConfig {
        path: path.to_path_buf(),
        schema: path_field("schema")?,
        migrations_path: path_field("migrations.path")?,
        url: js::text_field(&root, "datasource.url")?,
        direct_url: js::text_field(&root, "datasource.directUrl")?,
    })
}

/// `package.json` `"prisma": { "schema": "…" }` (Prisma ≤ 6), joined with `root`.
pub fn package_json_schema(root: &Path) -> Result<Option<PathBuf>, ConfigError> {
    let Some(pkg) = super::project::read_package_json(root)? else {
        return Ok(None);
    };
    Ok(pkg
        .get("prisma")
        .and_then(|p| p.get("schema"))
        .and_then(|s| s.as_str())
        .map(|s| super::join_clean(root, Path::new(s))))
}

/// Finds the Prisma schema as Prisma does: the config's `schema`, `package.json`'s
/// `prisma.schema`, then `prisma/schema.prisma`, a `prisma/schema/` folder, `./schema.prisma`.
/// `Ok(None)` when there is none.
pub fn discover_schema(
    root: &Path,
    config: Option<&PrismaConfig>,
) -> Result<Option<PathBuf>, ConfigError> {
    if let Some(config) = config {
        if let Some(schema) = config.schema.get("--schema PATH")? {
            return Ok(Some(schema));
        }
    }
    if let Some(schema) = package_json_schema(root)? {
        return Ok(Some(schema));
    }
    Ok(["prisma/schema.prisma", "prisma/schema", "schema.prisma"]
        .iter()
        .map(|c| super::join_clean(root, Path::new(c)))
        .find(|p| p.exists()))
}

/// The datasource URLs a Prisma schema names (`url = env("X")`, `directUrl = env("Y")`, or
/// literals). Unreadable schemas give nothing: the schema's own errors are reported when it loads.
#[derive(Debug, Default, Clone)]
pub struct DatasourceUrls {
    pub url: Option<Text>,
    pub direct_url: Option<Text>,
}

pub fn datasource_urls(schema: &Path) -> DatasourceUrls {
    use crate::prisma::ast::{ConfigKind, Expression};
    let Ok(sources) = crate::prisma::SourceSet::load(schema) else {
        return DatasourceUrls::default();
    };
    let (ast, _) = crate::prisma::parse::parse(&sources);
    let mut out = DatasourceUrls::default();
    let text_of = |e: &Expression| -> Option<Text> {
        match e {
            Expression::String(s, _) => Some(Text::literal(s.clone())),
            Expression::Function(name, args, _) if name == "env" => match args.first() {
                Some(arg) => match &arg.value {
                    Expression::String(var, _) => Some(Text {
                        parts: vec![Part::Env {
                            name: var.clone(),
                            default: None,
                        }],
                    }),
                    _ => None,
                },
                None => None,
            },
            _ => None,
        }
    };
    for top in &ast.tops {
        let crate::prisma::ast::Top::Config(block) = top else {
            continue;
        };
        if block.kind != ConfigKind::Datasource {
            continue;
        }
        for prop in &block.properties {
            let Some(value) = &prop.value else { continue };
            match prop.name.name.as_str() {
                "url" => out.url = text_of(value),
                "directUrl" => out.direct_url = text_of(value),
                _ => {}
            }
        }
        break;
    }
    out
}
