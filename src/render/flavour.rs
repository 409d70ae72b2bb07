//! The output flavour: which drizzle-orm / drizzle-kit pair the files are written for. Every
//! decision that differs between flavours (version strings, import modules, the relations
//! writer) asks it here, so a new flavour is a new variant, not a fork of the renderers.

use crate::model::Dialect;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Flavour {
    /// drizzle-orm 0.45 with drizzle-kit 0.31: relations v1, `meta/_journal.json`.
    #[default]
    Drizzle045Kit031,
}

impl Flavour {
    /// The journal's own `version`.
    pub fn journal_version(self) -> &'static str {
        match self {
            Flavour::Drizzle045Kit031 => "7",
        }
    }

    /// The snapshot `version` of `dialect` (also the journal entry's).
    pub fn snapshot_version(self, dialect: Dialect) -> &'static str {
        match (self, dialect) {
            (Flavour::Drizzle045Kit031, Dialect::Postgresql) => "7",
            (Flavour::Drizzle045Kit031, Dialect::Sqlite) => "6",
        }
    }

    /// The module `schema.ts` imports its builders from.
    pub fn core_module(self, dialect: Dialect) -> &'static str {
        match (self, dialect) {
            (Flavour::Drizzle045Kit031, Dialect::Postgresql) => "drizzle-orm/pg-core",
            (Flavour::Drizzle045Kit031, Dialect::Sqlite) => "drizzle-orm/sqlite-core",
        }
    }

    /// The module of `sql` and `relations`.
    pub fn orm_module(self) -> &'static str {
        match self {
            Flavour::Drizzle045Kit031 => "drizzle-orm",
        }
    }
}
