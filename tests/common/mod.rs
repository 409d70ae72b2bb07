pub mod cases;
pub mod node;
