pub mod node;
pub mod cases;
