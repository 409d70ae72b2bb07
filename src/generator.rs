//! Prisma generator mode: `generator drizzle { provider = "drizzle-port prisma-generator" }` makes
//! `prisma generate` run us, and we write the same `schema.ts` and `relations.ts` as `convert`.
//!
//! The protocol (as Prisma 7 speaks it to a non-Node generator): newline-delimited JSON-RPC 2.0
//! requests on our stdin (`getManifest`, then `generate`), one JSON response per line on our
//! **stderr**; our stdout is the user's terminal. Errors are JSON-RPC errors, which Prisma prints
//! as `Error: <message>`, so a schema error carries its `file:line:col` diagnostic in the message.
//!
//! The schema is read from the files at `schemaPath` with our own parser, never from the DMMF
//! Prisma sends (it drops foreign key names, enum schemas, `Unsupported` fields and view-ness, and
//! rounds decimals). The DMMF is skipped while parsing the request, so a 90 MB `generate` line
//! costs no more than reading it. This module owns the protocol and the writing; it does not know
//! the command line and prints nothing itself: responses go to the writer the caller hands over.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{json, Value};

use crate::migrate::{render_project, Layout};
use crate::render::{Flavour, RenderOptions};
use crate::source::{self, SourceError};

/// What `prisma generate` prints: `✔ Generated <prettyName> (<version>) to <output>`.
pub const PRETTY_NAME: &str = "Drizzle schema (drizzle-port)";
/// Where the files go without `output` (resolved by Prisma against the schema file's folder).
pub const DEFAULT_OUTPUT: &str = "../drizzle";
/// The config keys of the generator block we understand; anything else is refused (a typo would
/// otherwise silently do nothing).
pub const CONFIG_KEYS: &[&str] = &["baseline", "out", "name", "drizzle"];

/// JSON-RPC "server error" code, as @prisma/generator-helper uses for a failed handler.
const SERVER_ERROR: i64 = -32000;

#[derive(Debug, thiserror::Error)]
pub enum GeneratorError {
    /// The schema (or another source problem): the text is the full diagnostic.
    #[error("{0}")]
    Source(String),
    #[error("generator option `{key}`: {message}")]
    Config { key: String, message: String },
    #[error(transparent)]
    Render(#[from] crate::render::RenderError),
    #[error(transparent)]
    Output(#[from] crate::migrate::output::OutputError),
    #[error("cannot write `{}`: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the generate request has no {0}")]
    Request(&'static str),
}

/// The parts of a request we use. `params` of `getManifest` is the generator block itself, of
/// `generate` the GeneratorOptions (`generator`, `schemaPath`, `dmmf`, …); one struct covers both,
/// and every field not named here (the DMMF above all) is skipped without being built.
#[derive(Deserialize)]
struct Request {
    #[serde(default)]
    id: Value,
    method: String,
    #[serde(default)]
    params: Params,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Params {
    /// `generate`: the generator block.
    generator: Option<GeneratorBlock>,
    /// `generate`: the schema file, or the folder of a multi-file schema.
    schema_path: Option<PathBuf>,
    /// `getManifest`: the block's config values.
    config: Option<BTreeMap<String, ConfigValue>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct GeneratorBlock {
    output: Option<EnvValue>,
    #[serde(default)]
    config: BTreeMap<String, ConfigValue>,
    /// The file that declares the block: `out` is resolved against its folder, like `output`.
    source_file_path: Option<PathBuf>,
}

#[derive(Deserialize)]
struct EnvValue {
    value: Option<String>,
}

/// Prisma passes config values as strings or string arrays only.
#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum ConfigValue {
    One(String),
    Many(Vec<String>),
}

/// The options of the generator block, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Also write the baseline migrations folder (`baseline = "true"`).
    pub baseline: bool,
    /// Where the migrations folder goes (`out`, relative to the schema file's folder); default:
    /// the output folder itself, as `convert -o` lays it out.
    pub out: Option<String>,
    /// Migration name (`0000_<name>.sql`), as `convert --name`.
    pub name: String,
    /// Which Drizzle to write for (`drizzle = "0" | "1"`); `None`: what the project's
    /// `package.json` depends on, else 0.
    pub flavour: Option<Flavour>,
}

fn parse_options(config: &BTreeMap<String, ConfigValue>) -> Result<Options, GeneratorError> {
    let mut options = Options {
        baseline: false,
        out: None,
        name: "baseline".into(),
        flavour: None,
    };
    let bad = |key: &str, message: String| GeneratorError::Config {
        key: key.into(),
        message,
    };
    for (key, value) in config {
        let value = match value {
            ConfigValue::One(value) => value,
            ConfigValue::Many(list) => {
                return Err(bad(key, format!("expected a string, not a list {list:?}")))
            }
        };
        match key.as_str() {
            "baseline" => {
                options.baseline = match value.as_str() {
                    "true" => true,
                    "false" => false,
                    other => {
                        return Err(bad(
                            key,
                            format!("expected \"true\" or \"false\", not {other:?}"),
                        ))
                    }
                }
            }
            "out" => options.out = Some(value.clone()),
            "name" => options.name = value.clone(),
            "drizzle" => match Flavour::from_major(value) {
                Some(flavour) => options.flavour = Some(flavour),
                None => {
                    return Err(bad(
                        key,
                        format!(
                            "{value:?} is not a Drizzle version drizzle-port writes for: \"0\" (drizzle-orm 0.45, drizzle-kit 0.31) or \"1\" (1.0.0-rc.5)"
                        ),
                    ))
                }
            },
            other => {
                return Err(bad(
                    other,
                    format!("unknown option; known: {}", CONFIG_KEYS.join(", ")),
                ))
            }
        }
    }
    Ok(options)
}

/// Serves requests from `input` until it closes, writing each response line to `responses`.
/// `cwd` is where the user ran Prisma: diagnostics name schema files relative to it (the library
/// never looks at the working directory itself). Only a broken `responses` pipe ends it early
/// (Prisma is gone then).
pub fn serve(
    cwd: Option<&Path>,
    input: impl BufRead,
    mut responses: impl FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut input = input;
    // One request per line, however long: no cap, the DMMF of a big schema is a 90 MB line.
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(());
        }
        if line.trim().is_empty() {
            continue;
        }
        let response = match serde_json::from_str::<Request>(&line) {
            Ok(request) => answer(request, cwd),
            Err(e) => error_response(
                Value::Null,
                -32700,
                &format!("drizzle-port prisma-generator: unreadable request: {e}"),
            ),
        };
        responses(&response.to_string())?;
    }
}

fn answer(request: Request, cwd: Option<&Path>) -> Value {
    let result = match request.method.as_str() {
        "getManifest" => manifest(&request.params),
        "generate" => generate(&request.params, cwd).map(|()| Value::Null),
        other => {
            return error_response(
                request.id,
                -32601,
                &format!("drizzle-port prisma-generator: unknown method `{other}`"),
            )
        }
    };
    match result {
        Ok(result) => json!({ "jsonrpc": "2.0", "id": request.id, "result": result }),
        Err(e) => error_response(request.id, SERVER_ERROR, &e.to_string()),
    }
}

fn error_response(id: Value, code: i64, message: &str) -> Value {
    json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code, "message": message, "data": { "stack": message } },
    })
}

fn manifest(params: &Params) -> Result<Value, GeneratorError> {
    // A bad option is reported here already, before Prisma builds the (large) generate request.
    if let Some(config) = &params.config {
        parse_options(config)?;
    }
    Ok(json!({
        "manifest": {
            "prettyName": PRETTY_NAME,
            "defaultOutput": DEFAULT_OUTPUT,
            "version": env!("CARGO_PKG_VERSION"),
            "requiresEngines": [],
        }
    }))
}

fn generate(params: &Params, cwd: Option<&Path>) -> Result<(), GeneratorError> {
    let block = params
        .generator
        .as_ref()
        .ok_or(GeneratorError::Request("generator"))?;
    let options = parse_options(&block.config)?;
    let schema_path = params
        .schema_path
        .as_ref()
        .ok_or(GeneratorError::Request("schemaPath"))?;
    let output = block
        .output
        .as_ref()
        .and_then(|o| o.value.as_deref())
        .ok_or(GeneratorError::Request("output"))?;
    let output = PathBuf::from(output);
    let base = block
        .source_file_path
        .as_deref()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| schema_dir(schema_path));
    let out = options.out.as_ref().map(|o| base.join(o));
    write_outputs(schema_path, cwd, &output, out.as_deref(), &options)
}

/// The folder relative paths in the block are resolved against when Prisma does not say which
/// file declares it.
fn schema_dir(schema_path: &Path) -> PathBuf {
    if schema_path.is_dir() {
        schema_path.to_path_buf()
    } else {
        schema_path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }
}

/// Renders the schema at `schema` exactly as `convert` does and writes `schema.ts` and
/// `relations.ts` into `output` (beside whatever else the user keeps there), and with
/// `options.baseline` the migrations folder into `out` (default: `output`). Diagnostics name
/// the schema files relative to `cwd` when they are below it.
pub fn write_outputs(
    schema: &Path,
    cwd: Option<&Path>,
    output: &Path,
    out: Option<&Path>,
    options: &Options,
) -> Result<(), GeneratorError> {
    let source = schema.display().to_string();
    let loaded = source::load_with(&source, &source::LoadOptions::default())
        .and_then(|l| l.require_tables(&source::LoadOptions::default()))
        .map_err(|e| GeneratorError::Source(source_message(e, cwd)))?;
    let migrations = out.unwrap_or(output);
    let flavour = options.flavour.unwrap_or_else(|| {
        crate::config::project::drizzle_dependency(cwd.unwrap_or(Path::new(".")))
            .and_then(|dep| Flavour::from_version_range(&dep.range))
            .unwrap_or_default()
    });
    let project = render_project(
        &loaded.schema,
        &render_options(migrations, &options.name, flavour),
    )?;
    let is_code = |rel: &str| rel == "schema.ts" || rel == "relations.ts";
    if options.baseline {
        let mut folder = project.clone();
        if migrations != output {
            // drizzle-kit's `out` holds migrations; the code lives in `output`.
            folder.files.retain(|(rel, _)| !is_code(rel));
        }
        // The generator runs on every `prisma generate`: replacing what it wrote before is the
        // point, and output::write_project still refuses to lose a migration or edit of the user's.
        crate::migrate::output::write_project(migrations, &folder, true)?;
        if migrations == output {
            return Ok(());
        }
    }
    std::fs::create_dir_all(output).map_err(|source| GeneratorError::Io {
        path: output.to_path_buf(),
        source,
    })?;
    for (rel, text) in project.files.iter().filter(|(rel, _)| is_code(rel)) {
        write_atomic(&output.join(rel), text)?;
    }
    Ok(())
}

/// Keeps the journal's `when` and the snapshot id of a baseline written before, so running
/// `prisma generate` again on an unchanged schema rewrites the same bytes (no churn in git).
fn render_options(migrations: &Path, name: &str, flavour: Flavour) -> RenderOptions {
    let mut options = RenderOptions::now(name);
    options.flavour = flavour;
    let read = |rel: &str| -> Option<Value> {
        serde_json::from_str(&std::fs::read_to_string(migrations.join(rel)).ok()?).ok()
    };
    let layout = Layout::of(flavour);
    let (when, snapshot) = match layout {
        Layout::Journal => (
            read(layout.journal()).and_then(|j| j["entries"][0]["when"].as_u64()),
            read(&layout.snapshot(&format!("{:04}", 0))),
        ),
        // A 1.0 baseline's folder carries its time in its name.
        Layout::Folders => {
            let tag = Layout::migration_tags(migrations)
                .unwrap_or_default()
                .into_iter()
                .find(|tag| tag.get(15..) == Some(name));
            match tag {
                Some(tag) => (
                    crate::migrate::journal::folder_millis(&tag)
                        .and_then(|ms| u64::try_from(ms).ok()),
                    read(&layout.snapshot_of(0, &tag)),
                ),
                None => (None, None),
            }
        }
    };
    if let Some(when) = when {
        options.when_ms = when;
    }
    if let Some(id) = snapshot.and_then(|s| s["id"].as_str().map(String::from)) {
        options.snapshot_id = id;
    }
    options
}

/// Written beside and renamed, so an editor or `tsc --watch` never sees half a file. A plain
/// `fs::write` of the temporary file gives it the mode `convert`'s files get (umask applied);
/// a `tempfile` would be private (0600).
fn write_atomic(path: &Path, text: &str) -> Result<(), GeneratorError> {
    let io = |source| GeneratorError::Io {
        path: path.to_path_buf(),
        source,
    };
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temp = path.with_file_name(format!(".{name}.drizzle-port-{}.tmp", std::process::id()));
    let written = std::fs::write(&temp, text).and_then(|()| std::fs::rename(&temp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written.map_err(io)
}

/// A schema error as the diagnostics `convert` prints without colour (`file:line:col`, caret).
/// Prisma sends absolute paths; the text reads better relative to where the user ran Prisma.
fn source_message(e: SourceError, cwd: Option<&Path>) -> String {
    let text = match e {
        SourceError::Prisma(crate::prisma::LoadError::Invalid(errors)) => {
            format!("{}\n{errors}", errors.render_plain().trim_end())
        }
        other => other.to_string(),
    };
    match cwd {
        Some(cwd) => text.replace(
            &format!("{}{}", cwd.display(), std::path::MAIN_SEPARATOR),
            "",
        ),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> BTreeMap<String, ConfigValue> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), ConfigValue::One(v.to_string())))
            .collect()
    }

    #[test]
    fn options_are_checked() {
        let o = parse_options(&config(&[
            ("baseline", "true"),
            ("out", "../drizzle"),
            ("drizzle", "0"),
        ]))
        .unwrap();
        assert!(o.baseline);
        assert_eq!(o.out.as_deref(), Some("../drizzle"));
        assert_eq!(o.flavour, Some(Flavour::Drizzle045Kit031));
        let o = parse_options(&config(&[("drizzle", "1")])).unwrap();
        assert_eq!(o.flavour, Some(Flavour::Drizzle1));
        let e = parse_options(&config(&[("drizzle", "2")]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("\"0\" (drizzle-orm 0.45"), "{e}");
        let e = parse_options(&config(&[("baselin", "true")]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown option"), "{e}");
        let e = parse_options(&config(&[("baseline", "yes")]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("\"true\" or \"false\""), "{e}");
    }

    #[test]
    fn manifest_and_unknown_methods() {
        let mut out = Vec::new();
        let input = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"getManifest\",\"params\":{\"name\":\"drizzle\",\"config\":{}}}\n\
                     {\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"nope\",\"params\":{}}\nnot json\n";
        serve(None, input.as_bytes(), |line| {
            out.push(serde_json::from_str::<Value>(line).unwrap());
            Ok(())
        })
        .unwrap();
        assert_eq!(out[0]["result"]["manifest"]["prettyName"], PRETTY_NAME);
        assert_eq!(out[0]["id"], 1);
        assert_eq!(out[1]["error"]["code"], -32601);
        assert_eq!(out[2]["error"]["code"], -32700);
    }

    #[test]
    fn dmmf_is_skipped_and_schema_errors_carry_positions() {
        let dir = tempfile::tempdir().unwrap();
        let schema = dir.path().join("schema.prisma");
        std::fs::write(&schema, "datasource db {\n  provider = \"postgresql\"\n}\n\nmodel A {\n  id Int @id\n  b Nope\n}\n").unwrap();
        let request = json!({
            "jsonrpc": "2.0", "id": 7, "method": "generate",
            "params": {
                "generator": { "output": { "value": dir.path().join("out") }, "config": {}, "sourceFilePath": schema },
                "schemaPath": schema,
                "dmmf": { "datamodel": { "models": [] }, "schema": { "huge": [1, 2, 3] } },
            }
        });
        let mut out = Vec::new();
        serve(
            Some(dir.path()),
            format!("{request}\n").as_bytes(),
            |line| {
                out.push(serde_json::from_str::<Value>(line).unwrap());
                Ok(())
            },
        )
        .unwrap();
        let message = out[0]["error"]["message"].as_str().unwrap();
        assert!(message.starts_with("error: "), "{message}");
        assert!(message.contains("--> schema.prisma:7:5"), "{message}");
        assert!(!dir.path().join("out").exists());
    }
}
