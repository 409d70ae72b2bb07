pub mod cases;
pub mod node;
pub mod npm;
pub mod shared;
pub mod sqlite;
pub mod v1;
