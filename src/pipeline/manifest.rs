//! `manifest.json`: what each stage last did — status, inputs and outputs with content hashes,
//! parameters, row counts, time — and the fingerprint that decides whether a stage is fresh.

use crate::error::{Error, Result};
use std::path::Path;

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct FileHash {
    /// Path relative to the output folder for outputs; as given for inputs.
    pub path: String,
    pub sha256: String,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct StageEntry {
    pub name: String,
    /// "ok" or "failed".
    pub status: String,
    /// Hash of program version, parameters and input hashes.
    pub fingerprint: String,
    pub inputs: Vec<FileHash>,
    pub outputs: Vec<FileHash>,
    pub parameters: serde_json::Value,
    pub rows_in: u64,
    pub rows_out: u64,
    pub rejected: u64,
    pub seconds: f64,
    /// Seconds since 1970 when the stage finished.
    pub finished_at: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub details: serde_json::Value,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    pub program: String,
    pub program_version: String,
    pub pipeline: String,
    pub boundary: Option<String>,
    pub synthetic: bool,
    pub stages: Vec<StageEntry>,
}

impl Manifest {
    pub fn load(path: &Path) -> Result<Option<Manifest>> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
                Error::data(
                    path,
                    None,
                    format!("manifest is not valid JSON ({e}); delete it or rerun with --force"),
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(|e| Error::Other(e.to_string()))?;
        crate::io::write_atomic(path, &json)
    }

    pub fn stage(&self, name: &str) -> Option<&StageEntry> {
        self.stages.iter().find(|s| s.name == name)
    }

    pub fn put(&mut self, entry: StageEntry) {
        match self.stages.iter_mut().find(|s| s.name == entry.name) {
            Some(s) => *s = entry,
            None => self.stages.push(entry),
        }
    }
}
