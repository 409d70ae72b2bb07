pub mod cases;
pub mod node;
pub mod npm;
pub mod shared;
pub mod sqlite;

// Task rel-v2: drizzle-orm 1.0 relations (tests/relations_v2.rs).
pub mod relations_v2;
