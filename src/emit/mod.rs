//! Outputs for people and for other systems, read from the model and the flow graph.

pub mod diagram;
pub mod packet;
