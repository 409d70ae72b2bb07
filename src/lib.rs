//! drizzle-port: move a project onto Drizzle ORM.
//!
//! Sources (a Prisma schema, a model YAML, later a live database) become one neutral
//! [`model::Schema`]; renderers turn it into `schema.ts`, `relations.ts` and a drizzle-kit baseline;
//! [`migrate`] marks that baseline as applied.

pub mod compare;
pub mod config;
pub mod connect;
/// `.env` files (lives with the other project settings in `config`).
pub use config::env;
pub mod generator;
pub mod input;
pub mod introspect;
pub mod live;
pub mod migrate;
pub mod model;
pub mod prisma;
pub mod render;
pub mod source;
