//! `manifest.json`: what each stage last did — status, inputs and outputs with content hashes,
//! parameters, row counts, time, a typed record of what the stage did (`details`) — and the
//! fingerprint that decides whether a stage is fresh. The JSON keeps the shape earlier versions
//! wrote, so their manifests still load.

use super::vocab::{DetailStatus, SourceKind, Stage, StageStatus};
use crate::error::{Error, Result};
use crate::reference::Boundary;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FileHash {
    /// Path relative to the output folder for outputs; as given for inputs.
    pub path: String,
    pub sha256: String,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "RawEntry")]
pub struct StageEntry {
    pub name: Stage,
    pub status: StageStatus,
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
    #[serde(default, skip_serializing_if = "Details::is_none")]
    pub details: Details,
}

impl StageEntry {
    /// An entry of `stage` not yet run (status failed until the runner says otherwise).
    pub fn new(name: Stage) -> StageEntry {
        StageEntry {
            name,
            status: StageStatus::Failed,
            fingerprint: String::new(),
            inputs: Vec::new(),
            outputs: Vec::new(),
            parameters: serde_json::Value::Null,
            rows_in: 0,
            rows_out: 0,
            rejected: 0,
            seconds: 0.0,
            finished_at: 0,
            error: None,
            details: Details::None,
        }
    }

    /// True when the stage completed.
    pub fn is_ok(&self) -> bool {
        self.status == StageStatus::Ok
    }
}

/// A stage entry as stored, before its `details` are read by the stage's own type.
#[derive(serde::Deserialize)]
struct RawEntry {
    name: Stage,
    status: StageStatus,
    fingerprint: String,
    inputs: Vec<FileHash>,
    outputs: Vec<FileHash>,
    parameters: serde_json::Value,
    rows_in: u64,
    rows_out: u64,
    rejected: u64,
    seconds: f64,
    finished_at: u64,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    details: serde_json::Value,
}

impl TryFrom<RawEntry> for StageEntry {
    type Error = String;
    fn try_from(r: RawEntry) -> std::result::Result<Self, String> {
        let details = Details::read(r.name, r.details)
            .map_err(|e| format!("details of stage {}: {e}", r.name))?;
        Ok(StageEntry {
            name: r.name,
            status: r.status,
            fingerprint: r.fingerprint,
            inputs: r.inputs,
            outputs: r.outputs,
            parameters: r.parameters,
            rows_in: r.rows_in,
            rows_out: r.rows_out,
            rejected: r.rejected,
            seconds: r.seconds,
            finished_at: r.finished_at,
            error: r.error,
            details,
        })
    }
}

/// What a stage did, beyond row counts: each stage's own record.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum Details {
    #[default]
    None,
    /// Per source file: how it was read and its rows accounted for.
    Ingest(Vec<IngestRecord>),
    /// Per source file: rows that passed and were rejected.
    Validate(Vec<ValidateRecord>),
    Panel(PanelRecord),
    Flags(FlagsRecord),
    /// The indicators of a run on published data (no province spending).
    RealIndicators(RealIndicatorsRecord),
    /// The stage has nothing to do for this kind of data.
    NotApplicable(NotApplicableRecord),
}

impl Details {
    pub fn is_none(&self) -> bool {
        matches!(self, Details::None)
    }

    /// True when the stage did not apply to this pipeline's data.
    pub fn is_not_applicable(&self) -> bool {
        matches!(self, Details::NotApplicable(_))
    }

    /// Notes the stage left about the data, counted (the `warnings` of `runs.jsonl`).
    pub fn warnings(&self) -> u64 {
        let count = |notes: &[String]| notes.len() as u64;
        match self {
            Details::Ingest(rs) => rs.iter().map(|r| count(&r.notes)).sum(),
            Details::Validate(rs) => rs.iter().map(|r| count(&r.notes)).sum(),
            Details::RealIndicators(r) => count(&r.notes),
            _ => 0,
        }
    }

    /// Reads the stored JSON of `stage`'s details by that stage's type.
    fn read(stage: Stage, v: serde_json::Value) -> serde_json::Result<Details> {
        use serde_json::from_value;
        if v.is_null() {
            return Ok(Details::None);
        }
        let status = v.get("status").and_then(|s| s.as_str());
        if status == Some(DetailStatus::NotApplicable.as_str()) {
            return from_value(v).map(Details::NotApplicable);
        }
        Ok(match stage {
            Stage::Ingest => Details::Ingest(from_value(v)?),
            Stage::Validate => Details::Validate(from_value(v)?),
            Stage::Panel => Details::Panel(from_value(v)?),
            Stage::Flags => Details::Flags(from_value(v)?),
            Stage::Indicators => Details::RealIndicators(from_value(v)?),
            Stage::Models | Stage::Report => {
                return Err(serde::de::Error::custom(format!(
                    "stage {stage} records no details"
                )));
            }
        })
    }
}

/// How one source file was read by the ingest stage.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngestRecord {
    /// SHA-256 of the file's bytes.
    pub sha256: String,
    /// The source's settings as the pipeline gave them.
    pub spec: serde_json::Value,
    /// The program version that read it (a new version reads every file again).
    pub program_version: String,
    /// True when the previous run's tables were kept (file and settings unchanged).
    pub kept: bool,
    /// The source's name (its staging and rejected tables are filed under it).
    pub source: String,
    /// The file name.
    pub file: Option<String>,
    pub kind: SourceKind,
    /// Data rows read (header, title and note rows not counted).
    pub rows_in: usize,
    /// Rows into the staging table.
    pub rows: usize,
    /// Rows rejected while reading.
    pub rejected: usize,
    /// Rows skipped (totals, region rows, blank rows).
    pub skipped: usize,
    /// The province map of the file's codes.
    pub boundary: Boundary,
    pub notes: Vec<String>,
    /// Canonical column → its header in the file.
    pub headers: BTreeMap<String, String>,
    /// Totals found in the file, for the validate stage to compare.
    pub checks: Vec<CheckRecord>,
}

/// A total row found in a file.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckRecord {
    pub line: usize,
    /// Canonical column the total is of.
    pub column: String,
    /// The total as printed (null when it is not a finite number).
    pub expected: Option<f64>,
}

/// What validation did with one source file.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidateRecord {
    pub source: String,
    pub rows_in: usize,
    pub clean: usize,
    pub rejected: usize,
    pub skipped: usize,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanelRecord {
    /// The province map of the panel.
    pub boundary: Boundary,
    /// Province × sector × year cells without an output value.
    pub missing_output_cells: usize,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagsRecord {
    pub flagged_rows: usize,
    /// Rows of `flags/changes.parquet`.
    pub changed_rows: usize,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RealIndicatorsRecord {
    /// Always `real_data`.
    pub status: DetailStatus,
    /// Why there are no spending indicators.
    pub spending: String,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotApplicableRecord {
    /// Always `not_applicable`.
    pub status: DetailStatus,
    pub reason: String,
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

    pub fn stage(&self, name: Stage) -> Option<&StageEntry> {
        self.stages.iter().find(|s| s.name == name)
    }

    pub fn put(&mut self, entry: StageEntry) {
        match self.stages.iter_mut().find(|s| s.name == entry.name) {
            Some(s) => *s = entry,
            None => self.stages.push(entry),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A manifest in the form earlier versions wrote loads into the typed records and is
    /// written back in the same form.
    #[test]
    fn a_stored_manifest_round_trips_through_the_typed_records() {
        let text = r#"{"program":"khuyencong","program_version":"0.1.0","pipeline":"p",
          "boundary":"2025","synthetic":true,"stages":[
          {"name":"ingest","status":"ok","fingerprint":"f","inputs":[],"outputs":[],
           "parameters":null,"rows_in":3,"rows_out":2,"rejected":1,"seconds":0.5,"finished_at":9,
           "details":[{"sha256":"h","spec":{"kind":"funding","path":"a.csv"},
             "program_version":"0.1.0","kept":false,"source":"a","file":"a.csv","kind":"funding",
             "rows_in":3,"rows":2,"rejected":1,"skipped":0,"boundary":"2008","notes":["n1","n2"],
             "headers":{"year":"Năm"},"checks":[{"line":7,"column":"amount_mvnd","expected":12.5}]}]},
          {"name":"panel","status":"ok","fingerprint":"f","inputs":[],"outputs":[],
           "parameters":null,"rows_in":0,"rows_out":0,"rejected":0,"seconds":0.5,"finished_at":9,
           "details":{"status":"not_applicable","reason":"no spending"}},
          {"name":"models","status":"failed","fingerprint":"f","inputs":[],"outputs":[],
           "parameters":null,"rows_in":0,"rows_out":0,"rejected":0,"seconds":0.5,"finished_at":9,
           "error":"boom"}]}"#;
        let m: Manifest = serde_json::from_str(text).unwrap();
        let Details::Ingest(recs) = &m.stages[0].details else {
            panic!("{:?}", m.stages[0].details)
        };
        assert_eq!(recs[0].kind, SourceKind::Funding);
        assert_eq!(recs[0].checks[0].expected, Some(12.5));
        assert_eq!(m.stages[0].details.warnings(), 2);
        assert!(m.stages[1].details.is_not_applicable());
        assert_eq!(m.stages[2].status, StageStatus::Failed);
        let again: serde_json::Value = serde_json::to_value(&m).unwrap();
        let orig: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(again, orig);
    }

    #[test]
    fn an_unknown_stage_or_status_names_the_value() {
        let text = r#"{"name":"panels","status":"ok","fingerprint":"f","inputs":[],"outputs":[],
           "parameters":null,"rows_in":0,"rows_out":0,"rejected":0,"seconds":0.5,"finished_at":9}"#;
        let e = serde_json::from_str::<StageEntry>(text)
            .unwrap_err()
            .to_string();
        assert!(e.contains("panels") && e.contains("indicators"), "{e}");
    }
}
