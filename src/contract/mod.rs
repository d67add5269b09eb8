//! The contract between the stages: the single source of every closed vocabulary (`vocab`),
//! every output table's columns (`schema`) and the typed manifest (`manifest`). Stages and the
//! runner use these names and types; nothing here depends on a stage.

pub mod manifest;
pub mod schema;
pub mod vocab;

/// The program's version: part of every stage's fingerprint and of the manifest.
pub const PROGRAM_VERSION: &str = env!("CARGO_PKG_VERSION");
