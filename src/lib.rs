//! khuyencong: links industrial extension (khuyến công) spending in Vietnam to rural industrial
//! growth, and finds support that was spread thin with no clear effect.
//!
//! Layers, each using only those below it: `commands` (the command line) → `pipeline` (the
//! runner: stage graph, freshness, manifest, lock) → the stages `ingest` → `validate` → `panel`
//! → `indicators` → `models` / `flags` → `report` → `contract` (vocabularies, table schemas, the
//! typed manifest), with `reference` (the real province and sector tables), `stats` (pure
//! numerics: slices in, numbers out), `table`, `io` and `text` beside it. No stage calls
//! `pipeline` or `commands`.

pub mod commands;
pub mod contract;
pub mod error;
pub mod flags;
pub mod indicators;
pub mod ingest;
pub mod io;
pub mod models;
pub mod panel;
pub mod pipeline;
pub mod realdata;
pub mod reference;
pub mod report;
pub mod sample;
pub mod simulate;
pub mod stats;
pub mod table;
pub mod text;
pub mod validate;

pub use error::{Error, Result};
