//! drizzle-port: move a project onto Drizzle ORM.
//!
//! Data flows one way. Sources — [`prisma`] (a schema file or folder), [`introspect`] (a live
//! PostgreSQL or SQLite/libSQL database, or a drizzle-kit migrations folder), or a model YAML —
//! become one neutral [`model::Schema`]. [`compare`] diffs two models (`check`, the hybrid mode);
//! [`render`] turns a model into `schema.ts`, `relations.ts`, the baseline SQL and its snapshot, one
//! room per dialect; [`migrate`] lays them out as a drizzle-kit folder, writes it atomically and
//! marks the baseline as applied. [`connect`] holds every connection and [`config`] every project
//! setting; [`live`] runs the database side of a command over its one connection; [`source`]
//! names what a SOURCE argument is.

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
