//! The JavaScript project around the schema: `package.json`, its package manager and the database
//! driver it already uses, so printed next steps are in the project's own terms.

use std::path::Path;

use super::ConfigError;

/// `package.json` in `root`, parsed; `Ok(None)` when there is none.
pub fn read_package_json(root: &Path) -> Result<Option<serde_json::Value>, ConfigError> {
    let path = root.join("package.json");
    if !path.is_file() {
        return Ok(None);
    }
    let text = crate::input::read_text(&path).map_err(|e| ConfigError::Read {
        path: path.clone(),
        source: std::io::Error::other(e.to_string()),
    })?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| ConfigError::Syntax {
            location: format!("{}:{}:{}", path.display(), e.line(), e.column()),
            message: e.to_string(),
        })
}

/// A drizzle package the nearest `package.json` (at `root` or above) depends on: `drizzle-orm`
/// first, else `drizzle-kit`, with the version range as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrizzleDependency {
    pub package: String,
    pub range: String,
    pub package_json: std::path::PathBuf,
}

/// See [`DrizzleDependency`]; `None` when no `package.json` up the tree names one. An unreadable
/// `package.json` counts as naming none: the version is only a default.
pub fn drizzle_dependency(root: &Path) -> Option<DrizzleDependency> {
    let start = std::fs::canonicalize(root).ok()?;
    let (depth, dir) = start
        .ancestors()
        .enumerate()
        .find(|(_, dir)| dir.join("package.json").is_file())?;
    let pkg = read_package_json(dir).ok().flatten()?;
    // Named from `root`, as the user knows it (`package.json`, `../../package.json`).
    let mut package_json = root.to_path_buf();
    for _ in 0..depth {
        package_json.push("..");
    }
    package_json.push("package.json");
    for package in ["drizzle-orm", "drizzle-kit"] {
        for kind in ["dependencies", "devDependencies", "peerDependencies"] {
            if let Some(range) = pkg
                .get(kind)
                .and_then(|d| d.get(package))
                .and_then(|v| v.as_str())
            {
                return Some(DrizzleDependency {
                    package: package.into(),
                    range: range.into(),
                    package_json,
                });
            }
        }
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageManager {
    Npm,
    Pnpm,
    Yarn,
    Bun,
}

impl PackageManager {
    /// From `npm_config_user_agent` (set when run through a package manager), else the lockfile in
    /// `root`, else npm.
    pub fn detect(root: &Path, user_agent: Option<&str>) -> PackageManager {
        if let Some(agent) = user_agent {
            let name = agent.split('/').next().unwrap_or("");
            match name {
                "pnpm" => return PackageManager::Pnpm,
                "yarn" => return PackageManager::Yarn,
                "bun" => return PackageManager::Bun,
                "npm" => return PackageManager::Npm,
                _ => {}
            }
        }
        let has = |f: &str| root.join(f).is_file();
        if has("pnpm-lock.yaml") {
            PackageManager::Pnpm
        } else if has("bun.lock") || has("bun.lockb") {
            PackageManager::Bun
        } else if has("yarn.lock") {
            PackageManager::Yarn
        } else {
            PackageManager::Npm
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            PackageManager::Npm => "npm",
            PackageManager::Pnpm => "pnpm",
            PackageManager::Yarn => "yarn",
            PackageManager::Bun => "bun",
        }
    }

    /// `npm i a b`, `pnpm add a b`, …; `dev` adds the dev-dependency flag.
    pub fn add(self, packages: &[String], dev: bool) -> String {
        let verb = match self {
            PackageManager::Npm => "npm i",
            PackageManager::Pnpm => "pnpm add",
            PackageManager::Yarn => "yarn add",
            PackageManager::Bun => "bun add",
        };
        let flag = match (dev, self) {
            (false, _) => "",
            (true, PackageManager::Bun) => " -d",
            (true, _) => " -D",
        };
        format!("{verb}{flag} {}", packages.join(" "))
    }

    /// How to run a locally installed binary (`npx drizzle-kit`, `pnpm drizzle-kit`, …).
    pub fn exec(self, bin: &str) -> String {
        match self {
            PackageManager::Npm => format!("npx {bin}"),
            PackageManager::Pnpm => format!("pnpm {bin}"),
            PackageManager::Yarn => format!("yarn {bin}"),
            PackageManager::Bun => format!("bunx {bin}"),
        }
    }
}

/// Every dependency name in `package.json` (all dependency kinds).
pub fn dependencies(pkg: Option<&serde_json::Value>) -> Vec<String> {
    let Some(pkg) = pkg else { return Vec::new() };
    let mut out = Vec::new();
    for kind in [
        "dependencies",
        "devDependencies",
        "optionalDependencies",
        "peerDependencies",
    ] {
        if let Some(map) = pkg.get(kind).and_then(|d| d.as_object()) {
            out.extend(map.keys().cloned());
        }
    }
    out
}

/// The driver package drizzle-kit and the app need for `dialect`: the one the project already
/// depends on, else the dialect's default (drizzle-kit stops with "please install either of …"
/// without one).
pub fn driver_for(dialect: &str, deps: &[String]) -> String {
    let known: &[&str] = match dialect {
        "postgresql" => &[
            "pg",
            "postgres",
            "@neondatabase/serverless",
            "@vercel/postgres",
            "@electric-sql/pglite",
        ],
        "sqlite" => &["@libsql/client", "better-sqlite3"],
        "turso" => &["@libsql/client"],
        _ => &[],
    };
    if let Some(found) = known.iter().find(|k| deps.iter().any(|d| d == *k)) {
        return (*found).to_owned();
    }
    match dialect {
        "postgresql" => "pg".to_owned(),
        _ => "@libsql/client".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_manager_lines() {
        let pm = PackageManager::detect(
            Path::new("/nonexistent"),
            Some("pnpm/10.20.0 npm/? node/v20"),
        );
        assert_eq!(pm, PackageManager::Pnpm);
        assert_eq!(
            pm.add(&["drizzle-orm".into(), "pg".into()], false),
            "pnpm add drizzle-orm pg"
        );
        assert_eq!(
            PackageManager::Bun.add(&["drizzle-kit".into()], true),
            "bun add -d drizzle-kit"
        );
        assert_eq!(driver_for("postgresql", &["postgres".into()]), "postgres");
        assert_eq!(driver_for("postgresql", &[]), "pg");
        assert_eq!(driver_for("turso", &[]), "@libsql/client");
    }
}
