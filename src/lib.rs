//! drizzle-port: move a project onto Drizzle ORM.
//!
//! Sources (a Prisma schema, a model YAML, later a live database) become one neutral
//! [`model::Schema`]; renderers turn it into `schema.ts`, `relations.ts` and a drizzle-kit baseline;
//! [`migrate`] marks that baseline as applied.

pub mod config;
pub mod connect;
pub mod diff;
/// `.env` files (lives with the other project settings in `config`).
pub use config::env;
pub mod generator;
pub mod hybrid;
pub mod input;
pub mod introspect;
pub mod migrate;
pub mod model;
pub mod output;
pub mod prisma;
pub mod render;
pub mod source;
