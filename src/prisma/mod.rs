//! Prisma Schema Language front end: source loading → parse (AST with spans) → validate → lower to
//! [`crate::model::Schema`].

pub mod arguments;
pub mod ast;
pub mod diagnostics;
pub mod history;
pub mod lower;
pub mod parse;
pub mod source;
pub mod validate;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use source::{SourceFile, SourceSet};

use std::path::Path;

pub use diagnostics::SchemaErrors;

/// Why a Prisma schema could not become a model.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Source(#[from] source::SourceError),
    #[error("the Prisma schema has errors")]
    Invalid(Box<SchemaErrors>),
}

/// Parse, validate and lower a set of sources; every problem is reported, not just the first.
pub fn lower_sources(sources: &SourceSet) -> Result<crate::model::Schema, Box<SchemaErrors>> {
    let (ast, mut diagnostics) = parse::parse(sources);
    diagnostics.extend(validate::validate(&ast, sources));
    if diagnostics.has_errors() {
        diagnostics.sort_by_position();
        return Err(Box::new(SchemaErrors::new(&diagnostics, sources)));
    }
    lower::lower(&ast).map_err(|d| Box::new(SchemaErrors::new(&d, sources)))
}

/// Load a `.prisma` file or a schema folder.
pub fn load(path: &Path) -> Result<crate::model::Schema, LoadError> {
    let sources = SourceSet::load(path)?;
    let mut schema = lower_sources(&sources).map_err(LoadError::Invalid)?;
    schema.source = Some(path.display().to_string());
    Ok(schema)
}
