//! What both dialects' baseline SQL shares: drizzle-kit's statement separator and how a planned
//! default is written.

use serde_json::Value;

/// Between two statements of a migration (drizzle's migrators split on it).
pub const BREAKPOINT: &str = "--> statement-breakpoint\n";

/// A default as its snapshot value says it: strings are SQL text already, the rest is JSON.
pub fn default_sql(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
