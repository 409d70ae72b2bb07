//! The output flavour: which drizzle-orm / drizzle-kit pair the files are written for. Every
//! decision that differs between flavours (version strings, import modules, the relations
//! writer, the snapshot format) asks it here, so a new flavour is a new variant, not a fork of
//! the renderers.

use crate::model::Dialect;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Flavour {
    /// drizzle-orm 0.45 with drizzle-kit 0.31: relations v1, `meta/_journal.json`.
    #[default]
    Drizzle045Kit031,
    /// drizzle-orm and drizzle-kit `1.0.0-rc.5`: `defineRelations`, one folder per migration,
    /// snapshots of `ddl` rows (PostgreSQL version 9, SQLite version 7).
    Drizzle1,
}

impl Flavour {
    /// Every flavour, oldest first.
    pub const ALL: [Flavour; 2] = [Flavour::Drizzle045Kit031, Flavour::Drizzle1];

    /// The major version users name it by (`--drizzle 0|1`).
    pub fn major(self) -> &'static str {
        match self {
            Flavour::Drizzle045Kit031 => "0",
            Flavour::Drizzle1 => "1",
        }
    }

    /// The flavour of `--drizzle <major>`.
    pub fn from_major(major: &str) -> Option<Flavour> {
        Flavour::ALL.into_iter().find(|f| f.major() == major.trim())
    }

    /// The flavour of a drizzle-orm or drizzle-kit version range as `package.json` writes it
    /// (`^0.45.4`, `1.0.0-rc.5`, `~1.0.0`, `latest`); `None` when it names no version.
    pub fn from_version_range(range: &str) -> Option<Flavour> {
        let version = range
            .trim()
            .trim_start_matches(['^', '~', '=', '>', '<', 'v', ' ']);
        let major: String = version.chars().take_while(char::is_ascii_digit).collect();
        match major.parse::<u64>().ok()? {
            0 => Some(Flavour::Drizzle045Kit031),
            _ => Some(Flavour::Drizzle1),
        }
    }

    /// What the files are written for, in words.
    pub fn describe(self) -> &'static str {
        match self {
            Flavour::Drizzle045Kit031 => "drizzle-orm 0.45 / drizzle-kit 0.31",
            Flavour::Drizzle1 => "drizzle-orm / drizzle-kit 1.0.0-rc.5",
        }
    }

    /// The npm versions `next steps` install.
    pub fn npm_version(self) -> &'static str {
        match self {
            Flavour::Drizzle045Kit031 => "latest",
            Flavour::Drizzle1 => "1.0.0-rc.5",
        }
    }

    /// The journal's own `version` (only the 0.31 layout has a journal).
    pub fn journal_version(self) -> &'static str {
        "7"
    }

    /// The snapshot `version` of `dialect` (also the journal entry's).
    pub fn snapshot_version(self, dialect: Dialect) -> &'static str {
        match (self, dialect) {
            (Flavour::Drizzle045Kit031, Dialect::Postgresql) => "7",
            (Flavour::Drizzle045Kit031, Dialect::Sqlite) => "6",
            (Flavour::Drizzle1, Dialect::Postgresql) => "9",
            (Flavour::Drizzle1, Dialect::Sqlite) => "7",
        }
    }

    /// The module `schema.ts` imports its builders from.
    pub fn core_module(self, dialect: Dialect) -> &'static str {
        match dialect {
            Dialect::Postgresql => "drizzle-orm/pg-core",
            Dialect::Sqlite => "drizzle-orm/sqlite-core",
        }
    }

    /// The module of `sql` and `relations`.
    pub fn orm_module(self) -> &'static str {
        "drizzle-orm"
    }
}

#[cfg(test)]
mod tests {
    use super::Flavour;

    #[test]
    fn package_json_ranges_pick_the_flavour() {
        for (range, flavour) in [
            ("^0.45.4", Some(Flavour::Drizzle045Kit031)),
            ("0.31.11", Some(Flavour::Drizzle045Kit031)),
            ("~0.44.0", Some(Flavour::Drizzle045Kit031)),
            ("1.0.0-rc.5", Some(Flavour::Drizzle1)),
            ("^1.0.0-rc.5", Some(Flavour::Drizzle1)),
            (">=1.0.0", Some(Flavour::Drizzle1)),
            ("latest", None),
            ("beta", None),
            ("workspace:*", None),
        ] {
            assert_eq!(Flavour::from_version_range(range), flavour, "{range}");
        }
        assert_eq!(Flavour::from_major("1"), Some(Flavour::Drizzle1));
        assert_eq!(Flavour::from_major("2"), None);
    }
}
