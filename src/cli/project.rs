//! The project the command runs in (the working directory): its env files, drizzle.config,
//! prisma.config and package.json, read once through `drizzle_port::config` and handed to the
//! commands as plain settings.

use std::path::{Path, PathBuf};

use drizzle_port::config::env::{Env, EnvFiles, EnvOptions, EnvSource};
use drizzle_port::config::{self, drizzle::DrizzleConfig, prisma::PrismaConfig, ConfigError, Text};

/// Flags every command shares for finding the project's settings.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ProjectArgs {
    /// drizzle.config file to take defaults from [default: drizzle.config.{ts,mts,cts,js,mjs,cjs,json} in the current directory]
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Load this env file instead of the default chain; repeatable, later files win
    #[arg(long = "env-file", value_name = "PATH")]
    pub env_files: Vec<PathBuf>,

    /// Do not load any env file
    #[arg(long, conflicts_with = "env_files")]
    pub no_env_file: bool,
}

/// Where a database URL came from, for messages that must never repeat the URL itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Given on the command line.
    Flag,
    /// An environment variable, from the real environment or an env file.
    Env { name: String, file: Option<PathBuf> },
    /// Written literally in a config file.
    Config(PathBuf),
}

impl Origin {
    /// "POSTGRES_URL from .env" / "DATABASE_URL from the environment" / "drizzle.config.ts".
    pub fn describe(&self) -> String {
        match self {
            Origin::Flag => "--url".into(),
            Origin::Env {
                name,
                file: Some(f),
            } => format!("{name} from {}", f.display()),
            Origin::Env { name, file: None } => format!("{name} from the environment"),
            Origin::Config(p) => format!("the URL written in {}", p.display()),
        }
    }

    /// The variable that holds it, if any.
    pub fn env_name(&self) -> Option<&str> {
        match self {
            Origin::Env { name, .. } => Some(name),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct DbUrl {
    pub url: String,
    pub origin: Origin,
}

pub struct Project {
    pub root: PathBuf,
    pub env: Env,
    pub drizzle: Option<DrizzleConfig>,
    pub prisma: Option<PrismaConfig>,
}

impl Project {
    /// Reads the project in the current directory. `announce` prints which env files were loaded.
    pub fn load(args: &ProjectArgs, announce: bool) -> Result<Project, String> {
        let root = PathBuf::from(".");
        let files = if args.no_env_file {
            EnvFiles::Disabled
        } else if args.env_files.is_empty() {
            EnvFiles::Default
        } else {
            EnvFiles::Explicit(args.env_files.clone())
        };
        let env = Env::load(&EnvOptions {
            files,
            ..EnvOptions::default()
        })
        .map_err(|e| e.to_string())?;
        if announce && !env.loaded_files().is_empty() {
            let names: Vec<String> = env
                .loaded_files()
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            eprintln!("Loaded env from {}", names.join(", "));
        }
        let drizzle_path = match &args.config {
            Some(p) if !p.is_file() => {
                return Err(format!("--config {}: no such file", p.display()))
            }
            Some(p) => Some(p.clone()),
            None => config::drizzle::find(&root).map(|p| config::clean(&p)),
        };
        let drizzle = drizzle_path
            .map(|p| config::drizzle::load(&p))
            .transpose()
            .map_err(|e| e.to_string())?;
        let prisma = config::prisma::find(&root)
            .map(|p| config::prisma::load(&config::clean(&p)))
            .transpose()
            .map_err(|e| e.to_string())?;
        Ok(Project {
            root,
            env,
            drizzle,
            prisma,
        })
    }

    /// The Prisma schema Prisma itself would use, if any.
    pub fn prisma_schema(&self) -> Result<Option<PathBuf>, ConfigError> {
        config::prisma::discover_schema(&self.root, self.prisma.as_ref())
    }

    fn origin_of(&self, name: &str) -> Origin {
        Origin::Env {
            name: name.to_owned(),
            file: match self.env.source(name) {
                Some(EnvSource::File(p)) => Some(p.to_path_buf()),
                _ => None,
            },
        }
    }

    /// `text` resolved; `Ok(None)` when a variable it names is unset.
    fn resolve(&self, text: &Text, file: &Path) -> Option<DbUrl> {
        let url = text.resolve(&|name| self.env.get(name)).ok()?;
        let origin = match text.env_names().first() {
            Some(name) => self.origin_of(name),
            None => Origin::Config(file.to_path_buf()),
        };
        drizzle_port::connect::secrets::register(&url, false);
        Some(DbUrl { url, origin })
    }

    /// The database URL when none is given: drizzle.config `dbCredentials.url`, then
    /// prisma.config's `datasource`, then the schema's `datasource` (`directUrl` first when
    /// `direct`: pooled URLs break DDL, and Prisma Migrate uses the direct one too), then
    /// `DATABASE_URL`. The error names everything looked at.
    pub fn database_url(&self, direct: bool) -> Result<DbUrl, String> {
        // (variable, where it is named), in the order looked at, for the error.
        let mut looked: Vec<(String, String)> = Vec::new();
        let mut note = |text: &Text, place: String| {
            for name in text.env_names() {
                looked.push((name.to_owned(), place.clone()));
            }
        };
        if let Some(d) = &self.drizzle {
            if let Some(text) = d.url.get("--url URL").map_err(|e| e.to_string())? {
                if let Some(u) = self.resolve(&text, &d.path) {
                    return Ok(u);
                }
                note(&text, format!("dbCredentials.url in {}", d.path.display()));
            }
        }
        let mut candidates: Vec<(Text, PathBuf, &str)> = Vec::new();
        if let Some(p) = &self.prisma {
            let url = p.url.get("--url URL").map_err(|e| e.to_string())?;
            let direct_url = p.direct_url.get("--url URL").map_err(|e| e.to_string())?;
            push_pair(&mut candidates, url, direct_url, direct, &p.path);
        }
        if let Ok(Some(schema)) = self.prisma_schema() {
            let urls = config::prisma::datasource_urls(&schema);
            push_pair(&mut candidates, urls.url, urls.direct_url, direct, &schema);
        }
        for (text, file, key) in &candidates {
            if let Some(u) = self.resolve(text, file) {
                return Ok(u);
            }
            note(text, format!("{key} in {}", file.display()));
        }
        if let Some(url) = self
            .env
            .get("DATABASE_URL")
            .filter(|u| !u.trim().is_empty())
        {
            drizzle_port::connect::secrets::register(&url, false);
            return Ok(DbUrl {
                url,
                origin: self.origin_of("DATABASE_URL"),
            });
        }
        looked.push(("DATABASE_URL".into(), "the default".into()));
        // One entry per variable, naming every place that reads it.
        let mut names: Vec<(String, Vec<String>)> = Vec::new();
        for (name, place) in looked {
            match names.iter_mut().find(|(n, _)| *n == name) {
                Some((_, places)) => places.push(place),
                None => names.push((name, vec![place])),
            }
        }
        let list: Vec<String> = if names.len() == 1 {
            vec!["DATABASE_URL".to_owned()]
        } else {
            names
                .iter()
                .map(|(n, places)| format!("{n} ({})", places.join(", ")))
                .collect()
        };
        let files: Vec<String> = self
            .env
            .searched_files()
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        let where_ = if files.is_empty() {
            "the environment".to_owned()
        } else {
            format!("the environment and {}", files.join(", "))
        };
        let verb = if list.len() == 1 { "is" } else { "are" };
        Err(format!(
            "no database URL: {} {verb} not set (looked in {where_})",
            list.join(", ")
        ))
    }

    /// The env variable name drizzle-kit should read the URL from in a written drizzle.config:
    /// the project's own (`directUrl` first), else `DATABASE_URL`.
    pub fn url_variable(&self) -> String {
        if let Some(d) = &self.drizzle {
            if let Some(Some(name)) = d
                .url
                .value()
                .map(|t| t.env_names().first().map(|s| s.to_string()))
            {
                return name;
            }
        }
        let mut candidates = Vec::new();
        if let Some(p) = &self.prisma {
            push_pair(
                &mut candidates,
                p.url.value().cloned(),
                p.direct_url.value().cloned(),
                true,
                &p.path,
            );
        }
        if let Ok(Some(schema)) = self.prisma_schema() {
            let urls = config::prisma::datasource_urls(&schema);
            push_pair(&mut candidates, urls.url, urls.direct_url, true, &schema);
        }
        candidates
            .iter()
            .find_map(|(t, _, _)| t.env_names().first().map(|s| s.to_string()))
            .unwrap_or_else(|| "DATABASE_URL".to_owned())
    }
}

fn push_pair(
    out: &mut Vec<(Text, PathBuf, &'static str)>,
    url: Option<Text>,
    direct_url: Option<Text>,
    direct: bool,
    file: &Path,
) {
    let mut pair = vec![(url, "url"), (direct_url, "directUrl")];
    if direct {
        pair.reverse();
    }
    for (text, key) in pair {
        if let Some(t) = text {
            out.push((t, file.to_path_buf(), key));
        }
    }
}

/// An argument that names an environment variable instead of a URL (`DATABASE_URL`), or the
/// empty string a shell leaves for an unset `"$DATABASE_URL"`.
pub fn is_variable_name(arg: &str) -> bool {
    !arg.is_empty()
        && arg.len() <= 100
        && arg
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_uppercase() || c == '_')
        && arg
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && !Path::new(arg).exists()
}

impl Project {
    /// A command-line database argument: a variable name is looked up, "" means the project's
    /// URL, anything else is used as given.
    pub fn url_argument(&self, arg: &str, direct: bool) -> Result<DbUrl, String> {
        if arg.trim().is_empty() {
            return self.database_url(direct);
        }
        if is_variable_name(arg) {
            return match self.env.get(arg).filter(|v| !v.trim().is_empty()) {
                Some(url) => {
                    drizzle_port::connect::secrets::register(&url, false);
                    Ok(DbUrl {
                        url,
                        origin: self.origin_of(arg),
                    })
                }
                None => Err(format!(
                    "{arg} is not set (looked in the environment and the env files)"
                )),
            };
        }
        Ok(DbUrl {
            url: arg.to_owned(),
            origin: Origin::Flag,
        })
    }
}
