//! khuyencong: links industrial extension (khuyến công) spending in Vietnam to rural industrial
//! growth, and finds support that was spread thin with no clear effect.
//!
//! Data flows one way: `pipeline` drives `ingest` → `validate` → `panel` → `indicators` →
//! `models` / `flags` → `report`. `reference` holds the real province and sector tables; `stats`
//! is pure numerics (slices in, numbers out) shared by the stages.

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
