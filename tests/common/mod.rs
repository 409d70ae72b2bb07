pub mod cases;
pub mod node;
pub mod shared;
pub mod sqlite;
