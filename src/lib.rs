//! quytrinh: a process-modelling engine for the internal procedures by which Vietnamese
//! agencies handle administrative procedures.
//!
//! The pipeline: `syntax` (text → syntax tree) → `model` (resolved procedures) →
//! `graph` (flow analysis) → `rules` (findings) → `diag` (rendered findings); `project`
//! finds and reads files, `config` reads `quytrinh.toml`, `fmt` writes the canonical
//! layout, and `cli` is the command line.

pub mod analysis;
pub mod audit;
pub mod calendar;
pub mod cli;
pub mod config;
pub mod diag;
pub mod emit;
pub mod fmt;
pub mod graph;
pub mod import;
pub mod legal;
pub mod lsp;
pub mod migrate;
pub mod model;
pub mod project;
pub mod reengineer;
pub mod report;
pub mod rules;
pub mod schedule;
pub mod simulate;
pub mod syntax;
pub mod text;
