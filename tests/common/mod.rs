pub mod cases;
pub mod node;
pub mod sqlite;
