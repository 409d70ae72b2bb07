pub mod cases;
pub mod node;
pub mod npm;
pub mod shared;
pub mod sqlite;

// sqlite-v1: drizzle-kit 1.0 steps on a SQLite output folder.
pub mod kit1_sqlite;
